// Node implementations of the ports: native zlib (on libuv's thread pool, so inflating one
// entry overlaps hashing another on the main thread), node:crypto SHA-256, zlib's CRC-32,
// and positional file reads. Used by the CLI and Electron's verification process.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import * as zlib from 'node:zlib';
import type { ByteSource, InflateStream, Platform, Sha256 } from './ports';
import { crc32 as crc32Js } from './crc32';
import { FileWorkers } from './node-digest';
import { InflateError, errorCode, errorMessage } from './errors';

const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

function nodeSha256(): Sha256 {
  const hash = createHash('sha256');
  return {
    update(bytes) {
      hash.update(bytes);
    },
    async digestHex() {
      return hash.digest('hex');
    },
  };
}

/**
 * Raw inflate as a stream. Output is collected from 'data' events; `push` resolves once
 * zlib has taken the chunk. zlib stops reading at the end of the deflate stream and
 * drops what follows without an error, so `finish` compares the bytes zlib consumed with
 * the bytes pushed: anything left over is trailing data, which is an error here.
 */
function nodeInflateRaw(maxOutput: number): InflateStream {
  const inflater = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
  let out: Uint8Array[] = [];
  let error: Error | null = null;
  let ended = false;
  let pushed = 0;
  let produced = 0;
  inflater.on('data', (chunk: Buffer) => {
    produced += chunk.length;
    if (produced > maxOutput) {
      error = InflateError.tooLarge(maxOutput);
      out = [];
      inflater.destroy();
      return;
    }
    out.push(chunk);
  });
  let pendingReject: ((e: Error) => void) | null = null;
  inflater.on('error', (e) => (error ??= e));
  inflater.on('end', () => (ended = true));
  inflater.on('close', () => {
    if (error && pendingReject) pendingReject(corrupt(error));
    pendingReject = null;
  });
  const take = () => {
    const o = out;
    out = [];
    return o;
  };
  const corrupt = (e: Error): InflateError =>
    e instanceof InflateError ? e : e.message === 'unexpected end of file' ? InflateError.truncated() : InflateError.corrupt(e.message);
  return {
    push(compressed) {
      if (error) return Promise.reject(corrupt(error));
      pushed += compressed.length;
      if (ended) return Promise.resolve(take()); // finish() reports the trailing bytes
      return new Promise((resolve, reject) => {
        // A stream destroyed for producing too much never calls back: 'close' settles it.
        pendingReject = reject;
        inflater.write(compressed, (e) => {
          pendingReject = null;
          if (e || error) reject(corrupt((error ?? e)!));
          else resolve(take());
        });
      });
    },
    finish() {
      return new Promise((resolve, reject) => {
        const done = () => {
          if (error) return reject(corrupt(error));
          if (inflater.bytesWritten < pushed) return reject(InflateError.trailing(pushed - inflater.bytesWritten));
          resolve(take());
        };
        if (error || ended) return done();
        inflater.once('end', done);
        inflater.once('error', done);
        inflater.end();
      });
    },
    abort() {
      inflater.destroy();
    },
  };
}

/** Below this, a synchronous inflate costs less than a round trip to the thread pool. */
const SYNC_INFLATE_LIMIT = 64 * 1024;

function inflateFailure(e: unknown, maxOutput: number): InflateError {
  if (errorCode(e) === 'ERR_BUFFER_TOO_LARGE') return InflateError.tooLarge(maxOutput);
  const message = errorMessage(e);
  return message === 'unexpected end of file' ? InflateError.truncated() : InflateError.corrupt(message);
}

async function inflateRawOnce(compressed: Uint8Array, maxOutput: number): Promise<Uint8Array> {
  if (compressed.length <= SYNC_INFLATE_LIMIT) {
    let result: { buffer: Buffer; engine: zlib.InflateRaw };
    try {
      // An output buffer the size of the declared output (zlib's default of 16 KiB made this
      // twice as slow for the typical 20 KiB entry: measured 370 -> 183 ms per 5,000 entries).
      const chunkSize = Math.min(Math.max(64, maxOutput + 1), 1024 * 1024);
      result = zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(1, maxOutput), info: true, chunkSize }) as unknown as {
        buffer: Buffer;
        engine: zlib.InflateRaw;
      };
    } catch (e) {
      throw inflateFailure(e, maxOutput);
    }
    if (result.engine.bytesWritten < compressed.length) throw InflateError.trailing(compressed.length - result.engine.bytesWritten);
    return new Uint8Array(result.buffer.buffer, result.buffer.byteOffset, result.buffer.byteLength);
  }
  return new Promise((resolve, reject) => {
    zlib.inflateRaw(compressed, { maxOutputLength: Math.max(1, maxOutput), info: true }, (e, result) => {
      if (e) {
        reject(inflateFailure(e, maxOutput));
        return;
      }
      const { buffer, engine } = result as unknown as { buffer: Buffer; engine: zlib.InflateRaw };
      if (engine.bytesWritten < compressed.length) {
        reject(InflateError.trailing(compressed.length - engine.bytesWritten));
        return;
      }
      resolve(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
    });
  });
}

export const nodePlatform: Platform = {
  name: 'node',
  createSha256: nodeSha256,
  async sha256Hex(bytes) {
    return createHash('sha256').update(bytes).digest('hex');
  },
  createInflateRaw: nodeInflateRaw,
  inflateRaw: inflateRawOnce,
  crc32: nativeCrc32 ? (bytes, previous) => nativeCrc32(bytes, previous) >>> 0 : crc32Js,
  clock: { now: () => new Date() },
};

/** A file on disk as a ByteSource: positional reads on one open handle. */
export async function openFileSource(path: string): Promise<ByteSource> {
  const handle = await open(path, 'r');
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR' });
  }
  const size = stat.size;
  let closed = false;
  // Started by the file hash, the first thing verification asks for, so the workers are
  // ready when the entries are; the entry digest ends them (and so does close).
  let workers: FileWorkers | null = null;
  const pool = () => (workers && !workers.closed ? workers : (workers = new FileWorkers(path)));
  return {
    size,
    name: basename(path),
    async read(offset, length, into) {
      if (closed) throw new Error('read after close');
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
        throw new RangeError(`read of ${length} bytes at ${offset} is outside the ${size}-byte file`);
      }
      const buffer = into && into.length >= length ? into : Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`${path} shrank while being read`);
        done += bytesRead;
      }
      return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
    },
    sha256: (signal) => {
      if (size === 0) return Promise.resolve(createHash('sha256').digest('hex'));
      return pool().hashFile(size, signal);
    },
    digestEntries: (jobs, onBytes, signal) => pool().digestEntries(jobs, onBytes, signal),
    async close() {
      await workers?.close();
      workers = null;
      if (!closed) {
        closed = true;
        await handle.close();
      }
    },
  };
}
