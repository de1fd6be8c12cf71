// The small ports the pure core needs from its host. shared/evb and shared/model talk
// only to these; shared/platform/node.ts and shared/platform/web.ts implement them.

import { CodedError } from './errors';

/** Random-access bytes: a file on disk, a browser `File`, an in-memory buffer. Never read whole. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** A display name (file name) for messages; never used as a path by the core. */
  readonly name?: string;
  /**
   * Reads exactly `length` bytes at `offset`. Rejects when the range lies outside
   * [0, size). The returned view may be a subarray of a larger buffer; callers copy if
   * they keep it. When `into` is given (and large enough) the source may fill it and return
   * a view of it instead of allocating; the caller then owns what it reuses.
   */
  read(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  /**
   * SHA-256 (hex) of all the bytes, when the source can compute it more cheaply than the
   * caller reading it through `read` (a file hashed on another thread), reporting the
   * bytes hashed so far to `onHashed`. Optional.
   */
  sha256?(signal?: AbortSignal, onHashed?: (done: number) => void): Promise<string>;
  /**
   * Inflates, checks (declared size, CRC-32, no bytes after the deflate stream) and hashes
   * entries without handing their bytes over, when the source can do it faster than the
   * caller (a file digested on worker threads). Takes jobs from `jobs` as they arrive, so
   * digesting can start while the caller is still finding entries; resolves, once the
   * queue is closed and every job is done, with one result per job. Optional.
   */
  digestEntries?(jobs: DigestQueue, onBytes?: (compressedBytes: number) => void, signal?: AbortSignal): Promise<EntryDigest[]>;
  /** Releases the underlying handle, if any. */
  close?(): Promise<void>;
}

/** An incremental SHA-256. */
export interface Sha256 {
  update(bytes: Uint8Array): void;
  /** Lowercase hex of the digest; the hasher must not be used afterwards. */
  digestHex(): Promise<string>;
}

/**
 * Raw-deflate (method 8) decompression as a stream transform. `push` returns the
 * inflated bytes produced so far (possibly none); `finish` flushes and fails when the
 * deflate stream is incomplete or has trailing data. Created with a most-output bound:
 * the stream fails as soon as it produces more, so a deflate bomb never fills memory.
 */
export interface InflateStream {
  push(compressed: Uint8Array): Promise<Uint8Array[]>;
  finish(): Promise<Uint8Array[]>;
  /** Frees native resources early (on error or cancel). */
  abort(): void;
}

/** One zip entry to digest: where its compressed bytes are and what they must inflate to. */
export interface EntryDigestJob {
  /** A key for the result (the bag path). */
  path: string;
  dataOffset: number;
  compressedSize: number;
  uncompressedSize: number;
  method: 0 | 8;
  crc32: number;
}

/**
 * Entry digest jobs that arrive over time: the caller pushes them and closes the queue;
 * a digester takes them in batches.
 */
export class DigestQueue {
  /** `batchBytes`: the compressed bytes a batch waits for, unless the queue is closed first. */
  constructor(readonly batchBytes = 4 * 1024 * 1024) {}

  private jobs: EntryDigestJob[] = [];
  private bytes = 0;
  private closed = false;
  private waiters: Array<() => void> = [];

  push(job: EntryDigestJob): void {
    if (this.closed) throw new Error('push to a closed digest queue');
    this.jobs.push(job);
    this.bytes += job.compressedSize;
    if (this.bytes >= this.batchBytes) this.wake();
  }

  /** No more jobs will come. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /**
   * The next batch: jobs of about `batchBytes` compressed bytes (fewer once the queue is
   * closed), or null when the queue is closed and empty.
   */
  async take(): Promise<EntryDigestJob[] | null> {
    while (!this.closed && this.bytes < this.batchBytes) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.jobs.length === 0) return null;
    let n = 0;
    let bytes = 0;
    while (n < this.jobs.length && (n === 0 || bytes < this.batchBytes)) bytes += this.jobs[n++]!.compressedSize;
    const batch = this.jobs.splice(0, n);
    this.bytes -= bytes;
    return batch;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Why an entry's bytes were refused (ZipEntryError's codes, and the digest workers'). */
export type EntryErrorCode = 'entry-size-mismatch' | 'entry-crc-mismatch' | 'entry-inflate-failed' | 'entry-too-large' | 'entry-unreadable';

/** What digesting an entry found: its SHA-256 and size, or the structural error. */
export interface EntryDigest {
  path: string;
  sha256?: string;
  size?: number;
  error?: { code: EntryErrorCode; message: string };
}

export interface Clock {
  now(): Date;
}

/** Everything the core takes from its host, in one object. */
export interface Platform {
  /** Name for reports and benchmarks: "node" or "web". */
  readonly name: string;
  /** `expectedSize`: the declared size of what will be hashed, when known (a host may buffer it). */
  createSha256(expectedSize?: number): Sha256;
  /** One-shot digest for small buffers (tag files, packet). */
  sha256Hex(bytes: Uint8Array): Promise<string>;
  createInflateRaw(maxOutput: number): InflateStream;
  /**
   * One-shot raw inflate for small entries (per-entry stream set-up dominates below about
   * 1 MiB). Must fail rather than produce more than `maxOutput` bytes.
   */
  inflateRaw(compressed: Uint8Array, maxOutput: number): Promise<Uint8Array>;
  /** CRC-32 (ISO-HDLC, as in ZIP) continuing from `previous` (0 to start). */
  crc32(bytes: Uint8Array, previous: number): number;
  /**
   * How many small entries to stream at once. Hosts whose inflate and hash are
   * latency-bound per entry (the browser's DecompressionStream and WebCrypto) want many;
   * large entries are always limited to two at a time, whatever this says.
   */
  smallEntryConcurrency?: number;
  clock: Clock;
}

/** Progress of a long step, in bytes. */
export interface Progress {
  /** `file`: the whole file's SHA-256, where it follows the status (HostApi.fileSha256). */
  phase: 'container' | 'payload' | 'signatures' | 'index' | 'report' | 'file';
  done: number;
  total: number;
  /** The entry being read, when there is one. */
  entry?: string;
}

export type ProgressListener = (p: Progress) => void;

/** Thrown (or rejected) when an AbortSignal fires during a long step. */
export class CancelledError extends CodedError<'cancelled'> {
  constructor(message = 'The operation was cancelled.') {
    super('cancelled', message);
    this.name = 'CancelledError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** An in-memory ByteSource, for tests, small bundles and the built-in demo. */
export function bytesSource(bytes: Uint8Array, name?: string): ByteSource {
  return {
    size: bytes.length,
    name,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > bytes.length) {
        throw new RangeError(`read of ${length} bytes at ${offset} is outside the ${bytes.length}-byte source`);
      }
      return bytes.subarray(offset, offset + length);
    },
  };
}
