// Web implementations of the ports, for the browser build's Web Worker (and testable in
// Node 20, which has the same APIs): DecompressionStream('deflate-raw'), WebCrypto's
// one-shot SHA-256 for entries that fit a buffer, a streaming SHA-256 beyond it and CRC-32
// in WebAssembly (web-wasm.ts; the TypeScript ones where WebAssembly is refused), and Blob
// range reads (a File over 2 GiB can never become one ArrayBuffer, so it is read by slice()).

import type { ByteSource, InflateStream, Platform, Sha256 } from './ports';
import { crc32 } from './crc32';
import { Sha256Stream } from './sha256';
import { hexEncode } from './hex';
import { digestHex } from './webcrypto';
import { InflateError, errorMessage } from './errors';
import type { WasmHashes } from './web-wasm';
import { loadWasmHashes } from './web-wasm';
import { ownsBuffer, releaseBuffers, releaseLarge } from './release-buffer';

/** Up to this many bytes an entry of unknown size is buffered and hashed by WebCrypto. */
const WEBCRYPTO_HASH_LIMIT = 32 * 1024 * 1024;
/**
 * An entry whose size is declared is buffered for WebCrypto (its native digest is 2.5-3x
 * hash-wasm and 4-6x the TypeScript one) up to this size, into one buffer of that size.
 */
export const WEBCRYPTO_SIZED_LIMIT = 64 * 1024 * 1024;
/**
 * Entries above SMALL_BUFFER share this many bytes of buffers at once (WebCrypto copies its
 * input, so each buffered entry costs twice its size); the others stream in WebAssembly.
 * One 64 MiB entry at a time keeps the renderer under its 600 MB goal.
 */
const LARGE_BUFFER_BUDGET = WEBCRYPTO_SIZED_LIMIT;
const SMALL_BUFFER = 1024 * 1024;

let budgetLeft = LARGE_BUFFER_BUDGET;
/** A buffer abandoned without a digest (its entry failed) gives its share back when collected. */
const budgetReturns = new FinalizationRegistry<number>((n) => (budgetLeft += n));

/** A streaming SHA-256: WebAssembly when loaded, else TypeScript. */
function streamingSha256(wasm: WasmHashes | null): { update(b: Uint8Array): void; digest(): Uint8Array } {
  return wasm ? wasm.createSha256() : new Sha256Stream();
}

/**
 * SHA-256 of one entry. With `expectedSize` (the entry's declared size) up to
 * WEBCRYPTO_SIZED_LIMIT and room in the budget, the bytes go into one buffer of that size
 * and WebCrypto digests it; an entry of unknown size is buffered up to `limit`; anything
 * beyond streams (hash-wasm, or TypeScript without WebAssembly).
 */
export function webSha256(limit = WEBCRYPTO_HASH_LIMIT, expectedSize?: number, wasm: WasmHashes | null = null): Sha256 {
  let buffer: Uint8Array | null = null;
  let buffered: Uint8Array[] = [];
  let size = 0;
  let stream: { update(b: Uint8Array): void; digest(): Uint8Array } | null = null;
  let lease = 0;
  const token = {};
  if (expectedSize !== undefined && expectedSize <= WEBCRYPTO_SIZED_LIMIT) {
    if (expectedSize <= SMALL_BUFFER) buffer = new Uint8Array(expectedSize);
    else if (expectedSize <= budgetLeft) {
      lease = expectedSize;
      budgetLeft -= lease;
      budgetReturns.register(token, lease, token);
      buffer = new Uint8Array(expectedSize);
    } else stream = streamingSha256(wasm);
  } else if (expectedSize !== undefined) stream = streamingSha256(wasm);
  const giveBack = () => {
    if (lease === 0) return;
    budgetReturns.unregister(token);
    budgetLeft += lease;
    lease = 0;
  };
  const toStream = () => {
    stream = streamingSha256(wasm);
    if (buffer) stream.update(buffer.subarray(0, size));
    for (const b of buffered) stream.update(b);
    buffer = null;
    buffered = [];
    giveBack();
  };
  return {
    update(bytes) {
      if (!stream && (buffer ? size + bytes.length > buffer.length : size + bytes.length > limit)) toStream();
      if (stream) return stream.update(bytes);
      if (buffer) buffer.set(bytes, size);
      else buffered.push(bytes.slice());
      size += bytes.length;
    },
    async digestHex() {
      if (stream) return hexEncode(stream.digest());
      const all = buffer ? buffer.subarray(0, size) : concat(buffered, size);
      try {
        return await digestHex('SHA-256', all);
      } finally {
        // WebCrypto digested its own copy: an entry's buffer of a megabyte or more is freed now.
        if (buffer) releaseLarge(buffer);
        else releaseLarge(all);
        buffer = null;
        giveBack();
      }
    },
  };
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const all = new Uint8Array(size);
  let at = 0;
  for (const b of parts) {
    all.set(b, at);
    at += b.length;
  }
  return all;
}

/**
 * Raw inflate over DecompressionStream (or gzip, for a raw stream framed as one member:
 * web-digest.ts lets the browser's zlib check the CRC-32). The writer and the reader run concurrently; each
 * push resolves after its bytes were accepted and returns what was produced so far.
 * Chromium and Node report both a truncated stream and bytes after its end as errors.
 */
export function webInflateRaw(maxOutput: number, format: 'deflate-raw' | 'gzip' = 'deflate-raw'): InflateStream {
  const ds = new DecompressionStream(format);
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let out: Uint8Array[] = [];
  let failure: InflateError | null = null;
  let produced = 0;
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        produced += value.length;
        if (produced > maxOutput) {
          failure = InflateError.tooLarge(maxOutput);
          out = [];
          reader.cancel().catch(() => undefined);
          writer.abort().catch(() => undefined);
          return;
        }
        out.push(value);
      }
    } catch (e) {
      failure ??= describe(e);
    }
  })();
  const take = () => {
    const o = out;
    out = [];
    return o;
  };
  return {
    async push(compressed) {
      if (failure) throw failure;
      try {
        // No copy: the stream takes a copy of each chunk's bytes itself (Compression
        // Streams spec, "decompress and enqueue a chunk"). No wait for output either: what
        // this chunk inflates to comes with the next push or with finish (a setTimeout(0)
        // here cost a whole task per chunk, 5-7 ms per small entry one at a time).
        await writer.write(compressed as Uint8Array<ArrayBuffer>);
      } catch (e) {
        throw failure ?? describe(e);
      }
      if (failure) throw failure;
      return take();
    },
    async finish() {
      if (failure) throw failure;
      try {
        await writer.close();
      } catch (e) {
        await pump;
        throw failure ?? describe(e);
      }
      await pump;
      if (failure) throw failure;
      return take();
    },
    abort() {
      writer.abort().catch(() => undefined);
      reader.cancel().catch(() => undefined);
    },
  };
}

/** DecompressionStream says why only in its message, which differs by engine: this is the one place that reads it. */
function describe(e: unknown): InflateError {
  const message = errorMessage(e);
  if (/junk|trailing|after the end/i.test(message))
    return new InflateError('inflate-trailing-data', 'bytes follow the end of the deflate stream');
  if (/unexpected end|incomplete|truncated/i.test(message)) return InflateError.truncated();
  return InflateError.corrupt(message);
}

async function inflateRawOnce(compressed: Uint8Array, maxOutput: number): Promise<Uint8Array> {
  const stream = webInflateRaw(maxOutput);
  const parts = [...(await stream.push(compressed)), ...(await stream.finish())];
  if (parts.length === 1) return parts[0]!;
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  // The stream's pieces are this function's alone: freed now, not at the worker's next collection.
  releaseBuffers(parts.filter(ownsBuffer).map((p) => p.buffer));
  return out;
}

/** The web ports over `wasm` (null: the TypeScript CRC-32 and SHA-256). */
function webPlatformWith(wasm: WasmHashes | null): Platform {
  return {
    name: 'web',
    createSha256: (expectedSize) => webSha256(WEBCRYPTO_HASH_LIMIT, expectedSize, wasm),
    sha256Hex: (bytes) => digestHex('SHA-256', bytes),
    createInflateRaw: (maxOutput) => webInflateRaw(maxOutput),
    inflateRaw: inflateRawOnce,
    crc32: wasm ? wasm.crc32 : crc32,
    // Measured with this port under Node on 10,000 x 20 KiB entries: 4 at once 6.5 s, 16 5.1 s,
    // 32 4.1 s; each entry costs a DecompressionStream and a WebCrypto round trip.
    smallEntryConcurrency: 32,
    clock: { now: () => new Date() },
  };
}

/** The web ports without WebAssembly (synchronously available). */
export const webPlatform: Platform = webPlatformWith(null);

/** The web ports with the WebAssembly hashers when they load (the verify worker's). */
export async function createWebPlatform(): Promise<Platform> {
  return webPlatformWith(await loadWasmHashes());
}

/** A Blob or File as a ByteSource, read by slice(). */
export function blobSource(blob: Blob, name?: string): ByteSource {
  return {
    size: blob.size,
    name: name ?? (blob as File).name,
    async read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > blob.size) {
        throw new RangeError(`read of ${length} bytes at ${offset} is outside the ${blob.size}-byte file`);
      }
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}
