// Entry digests in the web build's entry workers (renderer/host/entry-digest.worker.ts): what
// ByteSource.digestEntries promises, for a File read by slices and streams. The checks are
// readEntry's (shared/evb/zip-entry.ts) and the Node workers' (node-digest-worker.ts), with
// their error codes and messages: the declared size while inflating, the CRC-32 at the end,
// no bytes after the end of a deflate stream. Small entries are inflated in one synchronous
// call (web-zlib.ts: zlib in WebAssembly) out of a shared read window and hashed by
// WebCrypto, thousands with no stream each; the others are read as one stream each, through
// the same zlib (DecompressionStream where WebAssembly is refused). Every read goes into
// buffers the digester keeps (a BYOB reader): fresh memory is what a Blob read, or a buffer
// per entry, cost most (docs/web-performance.md, "Fresh memory").
// Runs in Node 20 too (Blob, DecompressionStream and WebCrypto), where the tests drive it.

import type { DigestQueue, EntryDigest, EntryDigestJob, EntryErrorCode, Platform } from './ports';
import { CancelledError } from './ports';
import { InflateError, errorMessage } from './errors';
import { SYNC_MAX_COMPRESSED, SYNC_MAX_DECLARED, sharedWasmZlib } from './web-zlib';
import type { InflateRawSync, WasmZlib } from './web-zlib';
import { digestHex } from './webcrypto';
import { webInflateRaw } from './web';
import { READ_PIECE, blobPieces, readBlobInto } from './web-blob';
import { ownsBuffer, releaseBuffers } from './release-buffer';

const CHUNK = 4 * 1024 * 1024;
const WINDOW_MAX = 16 * 1024 * 1024;
/**
 * Progress is reported every this many compressed bytes, not every piece: each report is a
 * message to the verify worker (about 4,000 for the 1 GiB bundle when it was every 256 KiB piece).
 */
const REPORT_BYTES = 1024 * 1024;

class EntryFailure extends Error {
  constructor(
    readonly code: EntryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The memory a digester reads into, kept from one batch to the next. A BYOB read transfers
 * the buffer it fills and hands back a view over the same memory, so these are replaced by
 * those after every read. One set per digester: two batches at once must not share it.
 */
export interface ReadBuffers {
  window: ArrayBuffer;
  piece: ArrayBuffer;
}

export const readBuffers = (): ReadBuffers => ({ window: new ArrayBuffer(0), piece: new ArrayBuffer(READ_PIECE) });

/**
 * Reads a Blob by slice; small neighbouring entries come out of one shared window, which
 * reaches to the end of the batch's small entries (one read for a whole batch: each read
 * is a round trip to the browser process), up to WINDOW_MAX bytes.
 */
class BlobReader {
  private start = 0;
  private bytes: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly blob: Blob,
    private readonly buffers: ReadBuffers,
    private readonly spanEnd = 0,
  ) {}

  /** [offset, offset + length) into the window's buffer; the view lasts until the next window read. */
  private async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset + length > this.blob.size) throw new EntryFailure('entry-unreadable', 'the file ends before the entry does');
    const bytes = await readBlobInto(this.blob, offset, length, this.buffers.window);
    if (!bytes) throw new EntryFailure('entry-unreadable', 'the file ends before the entry does');
    this.buffers.window = bytes.buffer;
    return bytes;
  }

  /**
   * The bytes of [offset, offset + length) as a stream of pieces (blobPieces): one request
   * to the browser process, not one per piece; each piece is valid until the next.
   */
  async *stream(offset: number, length: number): AsyncGenerator<Uint8Array> {
    if (offset + length > this.blob.size) throw new EntryFailure('entry-unreadable', 'the file ends before the entry does');
    yield* blobPieces(this.blob.slice(offset, offset + length), this.buffers.piece, (kept) => (this.buffers.piece = kept));
  }

  async window(offset: number, length: number): Promise<Uint8Array> {
    if (offset < this.start || offset + length > this.start + this.bytes.length) {
      const end = Math.min(this.blob.size, Math.max(this.spanEnd, offset + CHUNK), offset + WINDOW_MAX);
      this.bytes = await this.read(offset, Math.max(length, end - offset));
      this.start = offset;
    }
    return this.bytes.subarray(offset - this.start, offset - this.start + length);
  }
}

export interface DigestOptions {
  /** Compressed bytes done, reported as they go. */
  onBytes?: (n: number) => void;
  /** The buffers to read into (a digester's own, kept between batches); fresh ones by default. */
  buffers?: ReadBuffers;
  /** zlib in WebAssembly; by default this thread's. Null where WebAssembly is refused: small entries stream then, through DecompressionStream. */
  zlib?: WasmZlib | null;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** Size and CRC-32 as declared, or the failure. */
function checkDeclared(job: EntryDigestJob, size: number, crc: number): void {
  if (size !== job.uncompressedSize)
    throw new EntryFailure('entry-size-mismatch', `inflates to ${size} bytes, not its declared ${job.uncompressedSize}`);
  if (crc >>> 0 !== job.crc32)
    throw new EntryFailure('entry-crc-mismatch', `CRC-32 of its content is ${hex8(crc)}, but the archive declares ${hex8(job.crc32)}`);
}

function asFailure(e: unknown, job: EntryDigestJob): EntryFailure {
  if (e instanceof EntryFailure) return e;
  if (e instanceof InflateError) {
    if (e.code === 'inflate-too-large')
      return new EntryFailure('entry-size-mismatch', `inflates to more than its declared ${job.uncompressedSize} bytes`);
    return new EntryFailure('entry-inflate-failed', e.message);
  }
  return new EntryFailure('entry-unreadable', `could not be read: ${errorMessage(e)}`);
}

/** Whether an entry is read out of the window and inflated (or taken as stored) in one call. */
const isSync = (job: EntryDigestJob, inflate: InflateRawSync | null) =>
  job.compressedSize <= SYNC_MAX_COMPRESSED &&
  (job.method === 0 || (job.method === 8 && inflate !== null && job.uncompressedSize <= SYNC_MAX_DECLARED));

/** A small entry: inflated (or taken as stored) out of the window; its digest is left running. */
async function digestSmall(
  reader: BlobReader,
  job: EntryDigestJob,
  platform: Platform,
  inflate: InflateRawSync | null,
): Promise<{ running: Promise<string> }> {
  const data = await reader.window(job.dataOffset, job.compressedSize);
  const out = job.method === 8 && inflate ? inflate(data, job.uncompressedSize) : data;
  checkDeclared(job, out.length, platform.crc32(out, 0));
  // WebCrypto copies its input when called, so the window and the inflater's memory may be reused at once.
  return { running: digestHex('SHA-256', out) };
}

/**
 * The ten bytes that open a gzip member around raw deflate data (RFC 1952: deflate, no
 * flags, no time, unknown OS), and the eight that close it: the CRC-32 and size the zip
 * declares. Framed so, a DecompressionStream('gzip') checks the CRC-32 in the browser's
 * native zlib, which costs less than a second pass over the output here. (zlib in
 * WebAssembly is not framed: its CRC-32 ran at 370 MB/s, hash-wasm's at 1.3 GB/s.)
 */
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);

function gzipTrailer(job: EntryDigestJob): Uint8Array {
  const t = new Uint8Array(8);
  const view = new DataView(t.buffer);
  view.setUint32(0, job.crc32 >>> 0, true);
  view.setUint32(4, job.uncompressedSize >>> 0, true);
  return t;
}

type Framing = 'gzip' | 'raw';

/** What a streamed deflated entry goes through; every piece of output is handed to `take`. */
interface EntryInflater {
  push(chunk: Uint8Array, take: (out: Uint8Array) => void): Promise<void> | void;
  finish(take: (out: Uint8Array) => void): Promise<void> | void;
  end(): void;
}

/** zlib in WebAssembly: synchronous, in memory it allocated once. */
function wasmInflater(zlib: WasmZlib): EntryInflater {
  const stream = zlib.inflateStream();
  return { push: (chunk, take) => stream.push(chunk, take), finish: () => stream.finish(), end: stream.end };
}

/** A DecompressionStream, where WebAssembly is refused. */
function streamsInflater(job: EntryDigestJob, platform: Platform, framing: Framing): EntryInflater {
  const ds = framing === 'gzip' ? webInflateRaw(job.uncompressedSize, 'gzip') : platform.createInflateRaw(job.uncompressedSize);
  // Its pieces are hashed and then freed at once: left to the collector, two workers'
  // inflated pieces piled up to 545-703 MB of renderer on the 1 GiB bundle.
  const takeAll = (outs: Uint8Array[], take: (out: Uint8Array) => void) => {
    outs.forEach(take);
    releaseBuffers(outs.filter(ownsBuffer).map((o) => o.buffer));
  };
  return {
    // A copy: Node's DecompressionStream is still reading a chunk after its write resolves
    // (Chromium's has inflated it by then), and the next read reuses the chunk's memory.
    push: async (chunk, take) => takeAll(await ds.push(chunk.slice()), take),
    finish: async (take) => takeAll(await ds.finish(), take),
    end: () => ds.abort(),
  };
}

/** A large entry, read as one stream: gzip-framed (DecompressionStream only), raw-inflated, or stored. */
async function streamEntry(
  reader: BlobReader,
  job: EntryDigestJob,
  tools: { platform: Platform; zlib: WasmZlib | null },
  options: DigestOptions,
  framing: Framing,
): Promise<string> {
  const { platform, zlib } = tools;
  const sha = platform.createSha256(job.uncompressedSize);
  const inflater = job.method !== 8 ? null : zlib ? wasmInflater(zlib) : streamsInflater(job, platform, framing);
  const zlibChecksCrc = inflater !== null && framing === 'gzip';
  let crc = 0;
  let size = 0;
  const take = (out: Uint8Array) => {
    size += out.length;
    if (size > job.uncompressedSize) throw InflateError.tooLarge(job.uncompressedSize);
    if (!zlibChecksCrc) crc = platform.crc32(out, crc);
    sha.update(out);
  };
  let unreported = 0;
  try {
    if (zlibChecksCrc) await inflater.push(GZIP_HEADER, take);
    for await (const chunk of reader.stream(job.dataOffset, job.compressedSize)) {
      if (inflater) await inflater.push(chunk, take);
      else take(chunk);
      unreported += chunk.length;
      if (unreported >= REPORT_BYTES) {
        options.onBytes?.(unreported);
        unreported = 0;
      }
    }
    if (zlibChecksCrc) await inflater.push(gzipTrailer(job), take);
    await inflater?.finish(take);
  } finally {
    inflater?.end();
    if (unreported > 0) options.onBytes?.(unreported);
  }
  checkDeclared(job, size, zlibChecksCrc ? job.crc32 : crc);
  return sha.digestHex();
}

/**
 * A large deflated entry inflates raw in WebAssembly, its CRC-32 computed here. Through a
 * DecompressionStream it goes gzip-framed; should that fail for any reason (a CRC, a size,
 * bytes after the stream), it is read again raw, for readEntry's exact finding. Stored
 * entries stream as they are.
 */
async function digestStreamed(
  reader: BlobReader,
  job: EntryDigestJob,
  tools: { platform: Platform; zlib: WasmZlib | null },
  options: DigestOptions,
): Promise<string> {
  if (job.method !== 8 || tools.zlib) return streamEntry(reader, job, tools, options, 'raw');
  try {
    return await streamEntry(reader, job, tools, options, 'gzip');
  } catch {
    return streamEntry(reader, job, tools, {}, 'raw');
  }
}

/**
 * Digests one batch of entries of `blob`: one result per job, in order. Cancelling is the
 * caller's: it terminates the worker (entry-digests.ts).
 */
export async function digestJobs(
  blob: Blob,
  jobs: readonly EntryDigestJob[],
  platform: Platform,
  options: DigestOptions = {},
): Promise<EntryDigest[]> {
  const zlib = options.zlib !== undefined ? options.zlib : await sharedWasmZlib();
  const inflate = zlib?.inflateRawSync ?? null;
  const small = (j: EntryDigestJob) => isSync(j, inflate);
  const spanEnd = jobs.reduce((end, j) => (small(j) ? Math.max(end, j.dataOffset + j.compressedSize) : end), 0);
  const reader = new BlobReader(blob, options.buffers ?? readBuffers(), spanEnd);
  const results: EntryDigest[] = jobs.map((j) => ({ path: j.path }));
  const digests: Array<Promise<unknown>> = [];
  let unreported = 0;
  for (const [i, job] of jobs.entries()) {
    const result = results[i]!;
    const failed = (e: unknown) => {
      const f = asFailure(e, job);
      result.error = { code: f.code, message: f.message };
    };
    try {
      if (small(job)) {
        const { running } = await digestSmall(reader, job, platform, inflate);
        digests.push(running.then((sha256) => Object.assign(result, { sha256, size: job.uncompressedSize }), failed));
        unreported += job.compressedSize;
      } else {
        Object.assign(result, { sha256: await digestStreamed(reader, job, { platform, zlib }, options), size: job.uncompressedSize });
      }
    } catch (e) {
      failed(e);
      if (small(job)) unreported += job.compressedSize;
    }
    if (unreported >= REPORT_BYTES) {
      options.onBytes?.(unreported);
      unreported = 0;
    }
  }
  await Promise.all(digests);
  if (unreported > 0) options.onBytes?.(unreported);
  return results;
}

/** One digester: a worker (or, in tests, this thread) that answers a batch. */
export type BatchDigester = (jobs: EntryDigestJob[], onBytes: (n: number) => void) => Promise<EntryDigest[]>;

/**
 * Feeds the queue's batches to the digesters, each taking the next batch when it is done
 * with one, until the queue is closed and empty. Rejects with CancelledError when `signal`
 * fires (the caller ends its digesters).
 */
export async function digestWith(
  queue: DigestQueue,
  digesters: readonly BatchDigester[],
  onBytes?: (n: number) => void,
  signal?: AbortSignal,
): Promise<EntryDigest[]> {
  const results: EntryDigest[] = [];
  const feed = async (digest: BatchDigester) => {
    for (let batch = await queue.take(); batch; batch = await queue.take()) {
      if (signal?.aborted) throw new CancelledError();
      results.push(...(await digest(batch, (n) => onBytes?.(n))));
    }
  };
  const cancelled = new Promise<never>((_, reject) => {
    if (signal?.aborted) reject(new CancelledError());
    signal?.addEventListener('abort', () => reject(new CancelledError()), { once: true });
  });
  cancelled.catch(() => undefined);
  await Promise.race([Promise.all(digesters.map(feed)), cancelled]);
  return results;
}
