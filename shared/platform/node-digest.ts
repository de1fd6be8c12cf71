// Entry digests on worker threads, for a bundle that is a file on disk. Each worker opens
// the file itself, reads an entry's compressed bytes, inflates them (zlib), enforces the
// declared size while inflating and the CRC-32 at the end, refuses bytes after the end of
// a deflate stream, and hashes the output: the same checks readEntry makes in
// shared/evb/zip.ts, with the same error codes, run on every core without bytes crossing
// threads. The verifier uses it for payload files it does not need to keep.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EntryDigest, EntryDigestJob } from './ports';
import { CancelledError } from './ports';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { createHash } = require('node:crypto');
const fd = fs.openSync(workerData.path, 'r');
const CHUNK = 4 * 1024 * 1024;
const ONE_SHOT = 1024 * 1024;
const fileSize = fs.fstatSync(fd).size;
const buffer = Buffer.allocUnsafe(CHUNK);
// Small entries lie side by side: one read fills a window that serves the next ones too.
const windowBytes = Buffer.allocUnsafe(CHUNK);
let windowStart = 0;
let windowLength = 0;

function smallEntryBytes(position, length) {
  if (position < windowStart || position + length > windowStart + windowLength) {
    windowStart = position;
    windowLength = Math.max(length, Math.min(CHUNK, fileSize - position));
    readExactly(windowBytes.subarray(0, windowLength), position);
  }
  return windowBytes.subarray(position - windowStart, position - windowStart + length);
}

function readExactly(target, position) {
  let done = 0;
  while (done < target.length) {
    const n = fs.readSync(fd, target, done, target.length - done, position + done);
    if (n === 0) throw { code: 'entry-unreadable', message: 'the file ends before the entry does' };
    done += n;
  }
  return target;
}

function describeInflate(e, declared) {
  if (e.code === 'ERR_BUFFER_TOO_LARGE' || e.tooLarge) return { code: 'entry-size-mismatch', message: 'inflates to more than its declared ' + declared + ' bytes' };
  if (e.message === 'unexpected end of file') return { code: 'entry-inflate-failed', message: 'the deflate stream ends before its last block' };
  return { code: 'entry-inflate-failed', message: 'deflate stream is corrupt: ' + e.message };
}

async function digest(job) {
  const hash = createHash('sha256');
  let crc = 0;
  let size = 0;
  const take = (out) => {
    size += out.length;
    if (size > job.uncompressedSize) throw { code: 'entry-size-mismatch', message: 'inflates to more than its declared ' + job.uncompressedSize + ' bytes' };
    crc = zlib.crc32(out, crc);
    hash.update(out);
  };
  if (job.method === 0) {
    for (let at = 0; at < job.compressedSize; at += CHUNK) {
      take(readExactly(buffer.subarray(0, Math.min(CHUNK, job.compressedSize - at)), job.dataOffset + at));
    }
  } else if (job.compressedSize <= ONE_SHOT) {
    const data = smallEntryBytes(job.dataOffset, job.compressedSize);
    let result;
    try {
      const chunkSize = Math.min(Math.max(64, job.uncompressedSize + 1), 1024 * 1024);
      result = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, job.uncompressedSize), info: true, chunkSize });
    } catch (e) {
      throw describeInflate(e, job.uncompressedSize);
    }
    if (result.engine.bytesWritten < data.length) throw { code: 'entry-inflate-failed', message: (data.length - result.engine.bytesWritten) + ' bytes follow the end of the deflate stream' };
    take(result.buffer);
  } else {
    const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
    let failure = null;
    inflater.on('data', (out) => { if (failure) return; try { take(out); } catch (e) { failure = e; inflater.destroy(); } });
    const finished = new Promise((resolve) => { inflater.on('end', resolve); inflater.on('close', resolve); inflater.on('error', (e) => { failure = failure || describeInflate(e, job.uncompressedSize); resolve(); }); });
    for (let at = 0; at < job.compressedSize && !failure; at += CHUNK) {
      const chunk = Buffer.from(readExactly(buffer.subarray(0, Math.min(CHUNK, job.compressedSize - at)), job.dataOffset + at));
      // A stream destroyed for producing too much never calls back: 'finished' settles it.
      await Promise.race([new Promise((resolve) => inflater.write(chunk, resolve)), finished]);
    }
    if (!failure) inflater.end();
    await finished;
    if (failure) throw failure;
    if (inflater.bytesWritten < job.compressedSize) throw { code: 'entry-inflate-failed', message: (job.compressedSize - inflater.bytesWritten) + ' bytes follow the end of the deflate stream' };
  }
  if (size !== job.uncompressedSize) throw { code: 'entry-size-mismatch', message: 'inflates to ' + size + ' bytes, not its declared ' + job.uncompressedSize };
  if ((crc >>> 0) !== job.crc32) throw { code: 'entry-crc-mismatch', message: 'CRC-32 of its content is ' + (crc >>> 0).toString(16).padStart(8, '0') + ', but the archive declares ' + job.crc32.toString(16).padStart(8, '0') };
  return { path: job.path, sha256: hash.digest('hex'), size };
}

parentPort.on('message', async ({ id, jobs }) => {
  const results = [];
  for (const job of jobs) {
    try {
      results.push(await digest(job));
    } catch (e) {
      results.push({ path: job.path, error: { code: e.code || 'entry-unreadable', message: e.message || String(e) } });
    }
  }
  parentPort.postMessage({ id, results });
});
`;

/** Most compressed bytes in one message to a worker (many small entries travel together). */
const BATCH_BYTES = 4 * 1024 * 1024;

const failed = new WeakSet<Worker>();

/**
 * Starts digest workers ahead of need (their start-up then overlaps the reading of the
 * central directory). They are unreferenced until used, so an unused pool never keeps a
 * process alive; pass them to digestEntriesOnWorkers, which owns and ends them.
 */
export function spawnDigestWorkers(path: string, count = availableParallelism()): Worker[] {
  return Array.from({ length: Math.max(1, Math.min(count, 4)) }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    worker.on('error', () => failed.add(worker));
    worker.unref();
    return worker;
  });
}

/**
 * Digests entries of the file at `path` on a pool of worker threads (the `spawned` ones
 * when given and alive). Results come back in job order. `onBytes` reports compressed bytes
 * as batches finish. The workers are ended before this returns.
 */
export async function digestEntriesOnWorkers(
  path: string,
  jobs: EntryDigestJob[],
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
  spawned: Worker[] = [],
): Promise<EntryDigest[]> {
  if (jobs.length === 0) {
    await Promise.all(spawned.map((w) => w.terminate()));
    return [];
  }
  const batches: EntryDigestJob[][] = [];
  let current: EntryDigestJob[] = [];
  let bytes = 0;
  for (const job of jobs) {
    current.push(job);
    bytes += job.compressedSize;
    if (bytes >= BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) batches.push(current);

  const alive = spawned.filter((w) => !failed.has(w));
  const workers = alive.length ? alive : spawnDigestWorkers(path, Math.min(availableParallelism(), batches.length));
  for (const w of spawned) if (failed.has(w)) void w.terminate();
  for (const w of workers) w.ref();
  const results = new Map<string, EntryDigest>();
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const abort = () => reject(new CancelledError());
            signal?.addEventListener('abort', abort, { once: true });
            const send = () => {
              if (signal?.aborted) return abort();
              if (next >= batches.length) {
                signal?.removeEventListener('abort', abort);
                return resolve();
              }
              const id = next++;
              worker.postMessage({ id, jobs: batches[id] });
            };
            worker.on('message', (m: { id: number; results: EntryDigest[] }) => {
              for (const r of m.results) results.set(r.path, r);
              onBytes?.(batches[m.id]!.reduce((n, j) => n + j.compressedSize, 0));
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return jobs.map((j) => results.get(j.path)!);
}
