// Worker threads for a bundle that is a file on disk. Each worker opens the file itself and
// does one of two things without bytes crossing threads: hash the whole file, or digest
// entries: read an entry's compressed bytes, inflate them (zlib), enforce the declared size
// while inflating and the CRC-32 at the end, refuse bytes after the end of a deflate
// stream, and hash the output. The checks are readEntry's in shared/evb/zip.ts, with the
// same error codes, run on every core. The verifier uses it for the file digest and for the
// payload files it does not need to keep.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DigestQueue, EntryDigest, EntryDigestJob } from './ports';
import { CancelledError } from './ports';

/** Numbers per job in a batch message: data offset, compressed and uncompressed size, method, CRC-32. */
const JOB_FIELDS = 5;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const { createHash } = require('node:crypto');
// The file comes in the first message, so a worker can be started before it is known;
// with it, the pool's stop flag (shared memory): set, the worker stops between entries and
// between chunks and answers { cancelled }. A worker is never terminated mid-work: ending
// one while it builds a zlib handle aborts the whole process (node_zlib.cc, "close before
// init"), so the pool ends its workers only once they are idle.
let fd = -1;
let fileSize = 0;
let stop = null;
const stopped = () => stop !== null && Atomics.load(stop, 0) !== 0;
const CANCELLED = { cancelled: true };
const CHUNK = 4 * 1024 * 1024;
const NO_DIGEST = '0'.repeat(64);
const ONE_SHOT = 1024 * 1024;
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

const tooLarge = (job) => ({ code: 'entry-size-mismatch', message: 'inflates to more than its declared ' + job.uncompressedSize + ' bytes' });

/** Size and CRC-32 as declared, then the digest. */
function checked(job, hash, crc, size) {
  if (size !== job.uncompressedSize) throw { code: 'entry-size-mismatch', message: 'inflates to ' + size + ' bytes, not its declared ' + job.uncompressedSize };
  if ((crc >>> 0) !== job.crc32) throw { code: 'entry-crc-mismatch', message: 'CRC-32 of its content is ' + (crc >>> 0).toString(16).padStart(8, '0') + ', but the archive declares ' + job.crc32.toString(16).padStart(8, '0') };
  return { sha256: hash.digest('hex'), size };
}

/**
 * A deflated entry of up to ONE_SHOT compressed bytes, inflated in one call: most entries
 * of a bundle. Synchronous, so thousands of them cost no promise each.
 */
function digestSmall(job) {
  const data = smallEntryBytes(job.dataOffset, job.compressedSize);
  let result;
  try {
    const chunkSize = Math.min(Math.max(64, job.uncompressedSize + 1), 1024 * 1024);
    result = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, job.uncompressedSize), info: true, chunkSize });
  } catch (e) {
    throw describeInflate(e, job.uncompressedSize);
  }
  if (result.engine.bytesWritten < data.length) throw { code: 'entry-inflate-failed', message: (data.length - result.engine.bytesWritten) + ' bytes follow the end of the deflate stream' };
  const out = result.buffer;
  if (out.length > job.uncompressedSize) throw tooLarge(job);
  return checked(job, createHash('sha256').update(out), zlib.crc32(out, 0), out.length);
}

/** A stored entry, or a deflated one above ONE_SHOT: streamed through CHUNK-sized reads. */
async function digestStreamed(job) {
  const hash = createHash('sha256');
  let crc = 0;
  let size = 0;
  const take = (out) => {
    size += out.length;
    if (size > job.uncompressedSize) throw tooLarge(job);
    crc = zlib.crc32(out, crc);
    hash.update(out);
  };
  if (job.method === 0) {
    for (let at = 0; at < job.compressedSize; at += CHUNK) {
      if (stopped()) throw CANCELLED;
      take(readExactly(buffer.subarray(0, Math.min(CHUNK, job.compressedSize - at)), job.dataOffset + at));
    }
  } else {
    const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
    let failure = null;
    inflater.on('data', (out) => { if (failure) return; try { take(out); } catch (e) { failure = e; inflater.destroy(); } });
    const finished = new Promise((resolve) => { inflater.on('end', resolve); inflater.on('close', resolve); inflater.on('error', (e) => { failure = failure || describeInflate(e, job.uncompressedSize); resolve(); }); });
    for (let at = 0; at < job.compressedSize && !failure; at += CHUNK) {
      if (stopped()) {
        inflater.destroy();
        throw CANCELLED;
      }
      const chunk = Buffer.from(readExactly(buffer.subarray(0, Math.min(CHUNK, job.compressedSize - at)), job.dataOffset + at));
      // A stream destroyed for producing too much never calls back: 'finished' settles it.
      await Promise.race([new Promise((resolve) => inflater.write(chunk, resolve)), finished]);
    }
    if (!failure) inflater.end();
    await finished;
    if (failure) throw failure;
    if (inflater.bytesWritten < job.compressedSize) throw { code: 'entry-inflate-failed', message: (job.compressedSize - inflater.bytesWritten) + ' bytes follow the end of the deflate stream' };
  }
  return checked(job, hash, crc, size);
}

function hashFile(size) {
  const hash = createHash('sha256');
  for (let at = 0; at < size; at += CHUNK) {
    if (stopped()) throw CANCELLED;
    hash.update(readExactly(buffer.subarray(0, Math.min(CHUNK, size - at)), at));
  }
  return hash.digest('hex');
}

// A batch comes as JOB_FIELDS numbers per job and goes back as one string of hex digests
// (64 characters each; zeros where the job failed), the sizes, and the failures by index:
// cloning thousands of small objects each way cost more than the digests of small entries.
parentPort.on('message', async ({ id, path, stopFlag, jobs, hashSize }) => {
  if (path !== undefined) {
    stop = new Int32Array(stopFlag);
    fd = fs.openSync(path, 'r');
    fileSize = fs.fstatSync(fd).size;
    return;
  }
  if (hashSize !== undefined) {
    try {
      parentPort.postMessage({ id, hex: hashFile(hashSize) });
    } catch (e) {
      parentPort.postMessage(e === CANCELLED ? { id, cancelled: true } : { id, error: e.message || String(e) });
    }
    return;
  }
  const count = jobs.length / ${JOB_FIELDS};
  const digests = [];
  const sizes = new Float64Array(count);
  const failures = [];
  for (let i = 0, at = 0; i < count; i++, at += ${JOB_FIELDS}) {
    const job = { dataOffset: jobs[at], compressedSize: jobs[at + 1], uncompressedSize: jobs[at + 2], method: jobs[at + 3], crc32: jobs[at + 4] };
    try {
      if (stopped()) throw CANCELLED;
      const r = job.method === 8 && job.compressedSize <= ONE_SHOT ? digestSmall(job) : await digestStreamed(job);
      digests.push(r.sha256);
      sizes[i] = r.size;
    } catch (e) {
      if (e === CANCELLED) {
        parentPort.postMessage({ id, cancelled: true });
        return;
      }
      digests.push(NO_DIGEST);
      failures.push({ index: i, code: e.code || 'entry-unreadable', message: e.message || String(e) });
    }
  }
  parentPort.postMessage({ id, digests: digests.join(''), sizes, failures }, [sizes.buffer]);
});
`;

type Reply = {
  id: number;
  cancelled?: boolean;
  digests?: string;
  sizes?: Float64Array;
  failures?: Array<{ index: number; code: string; message: string }>;
  hex?: string;
  error?: string;
};

function encodeJobs(batch: EntryDigestJob[]): Float64Array<ArrayBuffer> {
  const out = new Float64Array(batch.length * JOB_FIELDS);
  batch.forEach((job, i) => out.set([job.dataOffset, job.compressedSize, job.uncompressedSize, job.method, job.crc32], i * JOB_FIELDS));
  return out;
}

function decodeResults(batch: EntryDigestJob[], reply: Reply, into: EntryDigest[]): void {
  const failed = new Map(reply.failures!.map((f) => [f.index, f]));
  batch.forEach((job, i) => {
    const failure = failed.get(i);
    into.push(
      failure
        ? { path: job.path, error: { code: failure.code, message: failure.message } }
        : { path: job.path, sha256: reply.digests!.slice(i * 64, i * 64 + 64), size: reply.sizes![i]! },
    );
  });
}

/** Workers started before any file is known (prestartFileWorkers); the next pools take them. */
const spares: Worker[] = [];

function startWorker(): Worker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  return worker;
}

/**
 * Starts the workers a file source will want, before it is opened: a command line that is
 * about to verify a bundle calls this first, so their start-up (about 25 ms of a core each)
 * overlaps the loading of the command's code instead of the reading of the bundle. Unused,
 * they are unreferenced and end with the process. Returns how many it started (none when
 * `count` are already waiting).
 */
export function prestartFileWorkers(count = workerCount()): number {
  let started = 0;
  for (; spares.length < count; started++) {
    const worker = startWorker();
    const drop = () => {
      const at = spares.indexOf(worker);
      if (at >= 0) spares.splice(at, 1);
    };
    worker.on('error', drop);
    worker.on('exit', drop);
    spares.push(worker);
  }
  return started;
}

/** One worker per core, from 1 to 4. */
function workerCount(asked = availableParallelism()): number {
  return Math.max(1, Math.min(asked, 4));
}

type Pending = { worker: Worker; resolve(reply: Reply): void; reject(e: unknown): void; settled: Promise<unknown> };

/**
 * A pool of such workers over one file. Started ahead of need, their start-up overlaps the
 * reading of the central directory; idle, they are unreferenced and never keep a process
 * alive. `hashFile` runs on the first worker, so the file digest costs no thread of its own
 * (a third thread's start-up was measurable on two cores). Once `digestEntries` is answered
 * the pool is closed to new work and its workers end when the file hash is answered too;
 * `close` stops them at their next entry or chunk, then ends them.
 */
export class FileWorkers {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private ended = false;
  /** Shared with the workers: set, they stop between entries and chunks (see WORKER_SOURCE). */
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));

  constructor(
    private readonly path: string,
    count?: number,
  ) {
    this.workers = Array.from({ length: workerCount(count) }, () => this.spawn());
  }

  private spawn(): Worker {
    const worker = spares.shift() ?? startWorker();
    worker.removeAllListeners();
    worker.postMessage({ path: this.path, stopFlag: this.stopFlag.buffer });
    worker.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (![...this.pending.values()].some((q) => q.worker === worker)) worker.unref();
      p.resolve(reply);
    });
    const lost = (e: unknown) => {
      const at = this.workers.indexOf(worker);
      if (at >= 0) this.workers.splice(at, 1);
      for (const [id, p] of this.pending) {
        if (p.worker !== worker) continue;
        this.pending.delete(id);
        p.reject(e);
      }
    };
    worker.on('error', lost);
    worker.on('exit', () => lost(this.ended ? new CancelledError() : new Error(`a worker reading ${this.path} stopped`)));
    return worker;
  }

  private request(worker: Worker, message: { jobs: Float64Array<ArrayBuffer> } | { hashSize: number }): Promise<Reply> {
    const id = this.nextId++;
    let settle!: Pick<Pending, 'resolve' | 'reject'>;
    const reply = new Promise<Reply>((resolve, reject) => (settle = { resolve, reject }));
    this.pending.set(id, { worker, ...settle, settled: reply.catch(() => undefined) });
    worker.ref();
    worker.postMessage({ id, ...message }, 'jobs' in message ? [message.jobs.buffer] : []);
    return reply;
  }

  /** Rejects with CancelledError when `signal` fires first, and then ends the pool. */
  private cancellable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (!signal) return work;
    if (signal.aborted) {
      work.catch(() => undefined); // ended by close: its rejection is this one
      void this.close();
      return Promise.reject(new CancelledError());
    }
    return new Promise<T>((resolve, reject) => {
      const abort = () => {
        reject(new CancelledError());
        void this.close();
      };
      signal.addEventListener('abort', abort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
    });
  }

  /** SHA-256 (hex) of the file's first `size` bytes. */
  hashFile(size: number, signal?: AbortSignal): Promise<string> {
    const worker = this.workers[0];
    if (this.ended || !worker) return Promise.reject(new Error(`no worker is left to hash ${this.path}`));
    const work = this.request(worker, { hashSize: size }).then((reply) => {
      if (reply.cancelled) throw new CancelledError();
      if (reply.hex === undefined) throw new Error(`cannot hash ${this.path}: ${reply.error}`);
      return reply.hex;
    });
    return this.cancellable(work, signal);
  }

  /**
   * Digests entries of the file as they arrive in `queue`, one result per job. `onBytes`
   * reports compressed bytes as batches finish. The pool ends once this and any file hash
   * are answered.
   */
  async digestEntries(queue: DigestQueue, onBytes?: (n: number) => void, signal?: AbortSignal): Promise<EntryDigest[]> {
    try {
      const results: EntryDigest[] = [];
      const feed = async (worker: Worker) => {
        for (let batch = await queue.take(); batch && !this.ended; batch = await queue.take()) {
          const reply = await this.request(worker, { jobs: encodeJobs(batch) });
          if (reply.cancelled) return;
          decodeResults(batch, reply, results);
          onBytes?.(batch.reduce((n, j) => n + j.compressedSize, 0));
        }
      };
      if (this.workers.length === 0) throw new Error(`no worker is left to read ${this.path}`);
      await this.cancellable(Promise.all(this.workers.map(feed)), signal);
      return results;
    } finally {
      // The pool takes no more work from here; its workers end once the file hash (if still
      // running) is answered. The digests do not wait for that: ending a worker took up to
      // 30 ms, at the end of verification, with a core to spare.
      this.ended = true;
      void this.endWhenAnswered();
    }
  }

  private async endWhenAnswered(): Promise<void> {
    await Promise.all([...this.pending.values()].map((p) => p.settled));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** True once the pool has ended: a new one is needed for more work. */
  get closed(): boolean {
    return this.ended;
  }

  /**
   * Stops the workers at their next entry or chunk (what is pending is answered as
   * cancelled) and ends them once they are idle.
   */
  async close(): Promise<void> {
    this.ended = true;
    Atomics.store(this.stopFlag, 0, 1);
    await this.endWhenAnswered();
  }
}
