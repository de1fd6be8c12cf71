// Web implementations of the ports, for the browser build's Web Worker (and testable in
// Node 20, which has the same APIs): DecompressionStream('deflate-raw'), WebCrypto's
// one-shot SHA-256 for entries up to a megabyte, a streaming SHA-256 beyond it and CRC-32
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
import { ownsBuffer, releaseBuffers } from './release-buffer';
import { readBlobInto } from './web-blob';

/**
 * Up to this many bytes an entry is buffered and hashed by WebCrypto (its native digest is
 * 2.5-3x hash-wasm); beyond, it streams in WebAssembly. A larger buffer, and WebCrypto's own
 * copy of it, are fresh memory each time (Chromium maps allocations over about a megabyte
 * for each one): on the 2-core bench machine touching fresh memory costs about 3.4 ms a MB,
 * so a buffered 50 MiB entry cost more than hash-wasm's streaming digest of it, and twice its
 * size in renderer memory (docs/web-performance.md, "Fresh memory").
 */
export const WEBCRYPTO_HASH_LIMIT = 1024 * 1024;

/** A streaming SHA-256: WebAssembly when loaded, else TypeScript. */
function streamingSha256(wasm: WasmHashes | null): { update(b: Uint8Array): void; digest(): Uint8Array } {
  return wasm ? wasm.createSha256() : new Sha256Stream();
}

/**
 * SHA-256 of one entry. Up to `limit` bytes are buffered (in one buffer of `expectedSize`,
 * the entry's declared size, when that is known and within the limit) and WebCrypto digests
 * them; an entry declared larger streams from its first byte, and one that outgrows the
 * limit streams from there (hash-wasm, or TypeScript without WebAssembly).
 */
export function webSha256(limit = WEBCRYPTO_HASH_LIMIT, expectedSize?: number, wasm: WasmHashes | null = null): Sha256 {
  let buffer: Uint8Array | null = expectedSize !== undefined && expectedSize <= limit ? new Uint8Array(expectedSize) : null;
  let buffered: Uint8Array[] = [];
  let size = 0;
  let stream = expectedSize !== undefined && expectedSize > limit ? streamingSha256(wasm) : null;
  const toStream = (s: { update(b: Uint8Array): void; digest(): Uint8Array }) => {
    if (buffer) s.update(buffer.subarray(0, size));
    for (const b of buffered) s.update(b);
    buffer = null;
    buffered = [];
    return s;
  };
  return {
    update(bytes) {
      if (!stream && size + bytes.length > (buffer ? buffer.length : limit)) stream = toStream(streamingSha256(wasm));
      if (stream) return stream.update(bytes);
      if (buffer) buffer.set(bytes, size);
      else buffered.push(bytes.slice());
      size += bytes.length;
    },
    async digestHex() {
      if (stream) return hexEncode(stream.digest());
      return digestHex('SHA-256', buffer ? buffer.subarray(0, size) : concat(buffered, size));
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

/**
 * A Blob or File as a ByteSource, read by slice(). A read given `into` (the zip reader's
 * window over 10,000 local headers) fills it from a buffer the source keeps, not from a
 * fresh one per read.
 */
export function blobSource(blob: Blob, name?: string): ByteSource {
  let spare: ArrayBuffer | null = new ArrayBuffer(0);
  return {
    size: blob.size,
    name: name ?? (blob as File).name,
    async read(offset, length, into) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > blob.size) {
        throw new RangeError(`read of ${length} bytes at ${offset} is outside the ${blob.size}-byte file`);
      }
      if (!into || into.length < length) return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      // The spare buffer is one read's at a time: a second read meanwhile makes its own.
      const scratch = spare ?? new ArrayBuffer(0);
      spare = null;
      const bytes = await readBlobInto(blob, offset, length, scratch);
      spare = bytes ? bytes.buffer : new ArrayBuffer(0);
      if (!bytes) throw new RangeError(`the file ended before ${length} bytes at ${offset} could be read`);
      into.set(bytes);
      return into.subarray(0, length);
    },
  };
}
