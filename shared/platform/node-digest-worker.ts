// The code each file-digest worker thread runs (node-digest.ts starts them). Each worker
// opens the bundle file itself and, without bytes crossing threads, either hashes the whole
// file or digests entries: reads an entry's compressed bytes, inflates them (zlib), enforces
// the declared size while inflating and the CRC-32 at the end, refuses bytes after the end
// of a deflate stream, and hashes the output. The checks are readEntry's in shared/evb/zip-entry.ts,
// with the same error codes.
//
// digestWorker is compiled and type-checked with the rest of the core, but runs in a thread
// started from its source text (node-digest.ts: `new Worker(source, { eval: true })`), so
// the same code serves the CLI run through tsx and the bundled CLI and Electron builds with
// no separate worker file to ship. That is why it is one self-contained function: it may
// use only its parameter and globals, never a binding of this module.

import type * as Fs from 'node:fs';
import type * as Zlib from 'node:zlib';
import type * as Crypto from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import type { EntryErrorCode } from './ports';

/** What the thread is given: its modules (required in the thread) and the batch layout. */
export interface DigestWorkerEnv {
  parentPort: MessagePort;
  fs: typeof Fs;
  zlib: typeof Zlib;
  createHash: typeof Crypto.createHash;
  /** Numbers per job in a batch message: data offset, compressed and uncompressed size, method, CRC-32. */
  jobFields: number;
}

/** Messages to a worker: the file first (with the pool's stop flag), then hash or batch requests. */
export type DigestWorkerRequest =
  { path: string; stopFlag: SharedArrayBuffer } | { id: number; hashSize: number } | { id: number; jobs: Float64Array };

/** A worker's answer to one request. */
export interface DigestWorkerReply {
  id: number;
  cancelled?: boolean;
  /** 64 hex characters per job, zeros where the job failed. */
  digests?: string;
  sizes?: Float64Array;
  failures?: Array<{ index: number; code: EntryErrorCode; message: string }>;
  hex?: string;
  error?: string;
}

/**
 * The worker's whole program. Long because it must be self-contained (see the top of the
 * file); its parts are the nested functions below, each one step.
 */
function digestWorker({ parentPort, fs, zlib, createHash, jobFields }: DigestWorkerEnv): void {
  type Job = { dataOffset: number; compressedSize: number; uncompressedSize: number; method: number; crc32: number };
  type Failure = { code: EntryErrorCode; message: string };
  type Hash = ReturnType<typeof createHash>;
  // The file comes in the first message, so a worker can be started before it is known;
  // with it, the pool's stop flag (shared memory): set, the worker stops between entries and
  // between chunks and answers { cancelled }. A worker is never terminated mid-work: ending
  // one while it builds a zlib handle aborts the whole process (node_zlib.cc, "close before
  // init"), so the pool ends its workers only once they are idle.
  let fd = -1;
  let fileSize = 0;
  let stop: Int32Array | null = null;
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
  const fail = (code: EntryErrorCode, message: string): Failure => ({ code, message });

  function readExactly(target: Buffer, position: number): Buffer {
    let done = 0;
    while (done < target.length) {
      const n = fs.readSync(fd, target, done, target.length - done, position + done);
      if (n === 0) throw fail('entry-unreadable', 'the file ends before the entry does');
      done += n;
    }
    return target;
  }

  function smallEntryBytes(position: number, length: number): Buffer {
    if (position < windowStart || position + length > windowStart + windowLength) {
      windowStart = position;
      windowLength = Math.max(length, Math.min(CHUNK, fileSize - position));
      readExactly(windowBytes.subarray(0, windowLength), position);
    }
    return windowBytes.subarray(position - windowStart, position - windowStart + length);
  }

  const tooLarge = (job: Job) => fail('entry-size-mismatch', `inflates to more than its declared ${job.uncompressedSize} bytes`);

  function describeInflate(e: unknown, job: Job): Failure {
    const err = e as { code?: string; message?: string };
    if (err.code === 'ERR_BUFFER_TOO_LARGE') return tooLarge(job);
    if (err.message === 'unexpected end of file') return fail('entry-inflate-failed', 'the deflate stream ends before its last block');
    return fail('entry-inflate-failed', `deflate stream is corrupt: ${err.message ?? String(e)}`);
  }

  const trailing = (bytes: number) => fail('entry-inflate-failed', `${bytes} bytes follow the end of the deflate stream`);

  /** Size and CRC-32 as declared, then the digest. */
  function checked(job: Job, hash: Hash, crc: number, size: number): { sha256: string; size: number } {
    if (size !== job.uncompressedSize)
      throw fail('entry-size-mismatch', `inflates to ${size} bytes, not its declared ${job.uncompressedSize}`);
    if (crc >>> 0 !== job.crc32) {
      const hex = (n: number) => n.toString(16).padStart(8, '0');
      throw fail('entry-crc-mismatch', `CRC-32 of its content is ${hex(crc >>> 0)}, but the archive declares ${hex(job.crc32)}`);
    }
    return { sha256: hash.digest('hex'), size };
  }

  /**
   * A deflated entry of up to ONE_SHOT compressed bytes, inflated in one call: most entries
   * of a bundle. Synchronous, so thousands of them cost no promise each.
   */
  function digestSmall(job: Job): { sha256: string; size: number } {
    const data = smallEntryBytes(job.dataOffset, job.compressedSize);
    let result: { buffer: Buffer; engine: Zlib.InflateRaw };
    try {
      const chunkSize = Math.min(Math.max(64, job.uncompressedSize + 1), 1024 * 1024);
      result = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, job.uncompressedSize), info: true, chunkSize }) as unknown as {
        buffer: Buffer;
        engine: Zlib.InflateRaw;
      };
    } catch (e) {
      throw describeInflate(e, job);
    }
    if (result.engine.bytesWritten < data.length) throw trailing(data.length - result.engine.bytesWritten);
    const out = result.buffer;
    if (out.length > job.uncompressedSize) throw tooLarge(job);
    return checked(job, createHash('sha256').update(out), zlib.crc32(out, 0), out.length);
  }

  /** A stored entry, or a deflated one above ONE_SHOT: streamed through CHUNK-sized reads. */
  async function digestStreamed(job: Job): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let crc = 0;
    let size = 0;
    const take = (out: Buffer) => {
      size += out.length;
      if (size > job.uncompressedSize) throw tooLarge(job);
      crc = zlib.crc32(out, crc);
      hash.update(out);
    };
    const chunkAt = (at: number) => readExactly(buffer.subarray(0, Math.min(CHUNK, job.compressedSize - at)), job.dataOffset + at);
    if (job.method === 0) {
      for (let at = 0; at < job.compressedSize; at += CHUNK) {
        if (stopped()) throw CANCELLED;
        take(chunkAt(at));
      }
      return checked(job, hash, crc, size);
    }
    const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
    let failure: unknown = null;
    inflater.on('data', (out: Buffer) => {
      if (failure) return;
      try {
        take(out);
      } catch (e) {
        failure = e;
        inflater.destroy();
      }
    });
    const finished = new Promise<void>((resolve) => {
      inflater.on('end', resolve);
      inflater.on('close', resolve);
      inflater.on('error', (e) => {
        failure = failure || describeInflate(e, job);
        resolve();
      });
    });
    for (let at = 0; at < job.compressedSize && !failure; at += CHUNK) {
      if (stopped()) {
        inflater.destroy();
        throw CANCELLED;
      }
      const chunk = Buffer.from(chunkAt(at));
      // A stream destroyed for producing too much never calls back: 'finished' settles it.
      await Promise.race([new Promise((resolve) => inflater.write(chunk, resolve)), finished]);
    }
    if (!failure) inflater.end();
    await finished;
    if (failure) throw failure;
    if (inflater.bytesWritten < job.compressedSize) throw trailing(job.compressedSize - inflater.bytesWritten);
    return checked(job, hash, crc, size);
  }

  function hashFile(size: number): string {
    const hash = createHash('sha256');
    for (let at = 0; at < size; at += CHUNK) {
      if (stopped()) throw CANCELLED;
      hash.update(readExactly(buffer.subarray(0, Math.min(CHUNK, size - at)), at));
    }
    return hash.digest('hex');
  }

  // A batch comes as jobFields numbers per job and goes back as one string of hex digests
  // (64 characters each; zeros where the job failed), the sizes, and the failures by index:
  // cloning thousands of small objects each way cost more than the digests of small entries.
  async function digestBatch(id: number, jobs: Float64Array): Promise<void> {
    const count = jobs.length / jobFields;
    const digests: string[] = [];
    const sizes = new Float64Array(count);
    const failures: Array<Failure & { index: number }> = [];
    for (let i = 0, at = 0; i < count; i++, at += jobFields) {
      const job: Job = {
        dataOffset: jobs[at]!,
        compressedSize: jobs[at + 1]!,
        uncompressedSize: jobs[at + 2]!,
        method: jobs[at + 3]!,
        crc32: jobs[at + 4]!,
      };
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
        // A check's own failure, or an I/O error (its code is the system's, not an entry's).
        const f = e as { code?: string; message?: string };
        const code = typeof f.code === 'string' && f.code.startsWith('entry-') ? (f.code as EntryErrorCode) : 'entry-unreadable';
        digests.push(NO_DIGEST);
        failures.push({ index: i, code, message: f.message ?? String(e) });
      }
    }
    parentPort.postMessage({ id, digests: digests.join(''), sizes, failures }, [sizes.buffer]);
  }

  parentPort.on('message', (message: DigestWorkerRequest) => {
    if ('path' in message) {
      stop = new Int32Array(message.stopFlag);
      fd = fs.openSync(message.path, 'r');
      fileSize = fs.fstatSync(fd).size;
    } else if ('hashSize' in message) {
      try {
        parentPort.postMessage({ id: message.id, hex: hashFile(message.hashSize) });
      } catch (e) {
        const error = (e as { message?: string }).message ?? String(e);
        parentPort.postMessage(e === CANCELLED ? { id: message.id, cancelled: true } : { id: message.id, error });
      }
    } else {
      void digestBatch(message.id, message.jobs);
    }
  });
}

/**
 * The text a worker thread evaluates: digestWorker's compiled source, called with the
 * modules it needs. `__name` is the helper some compilers (tsx, esbuild with keepNames)
 * wrap named functions in; it is defined here because the function runs outside its module.
 */
export function digestWorkerSource(jobFields: number): string {
  return [
    'const __name = (f) => f;',
    `(${digestWorker.toString()})({ parentPort: require('node:worker_threads').parentPort, fs: require('node:fs'), zlib: require('node:zlib'), createHash: require('node:crypto').createHash, jobFields: ${jobFields} });`,
  ].join('\n');
}
