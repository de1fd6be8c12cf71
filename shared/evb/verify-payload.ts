// Step 2 of verifyBundle, the bag's bytes: every file is streamed once (inflate -> CRC-32
// -> SHA-256), here or, for a file on disk, on the source's worker threads, which take the
// payload files the verifier does not keep from the moment their local header is checked.

import type { ByteSource, DigestQueue, EntryDigest, EntryErrorCode, Platform, ProgressListener } from '../platform/ports';
import { DigestQueue as Queue, throwIfAborted } from '../platform/ports';
import { digestHex } from '../platform/webcrypto';
import { windowedSource } from '../platform/windowed';
import { releaseLarge } from '../platform/release-buffer';
import type { MeasuredFile } from './bag';
import type { ZipArchive, ZipEntry } from './zip';
import { ZipEntryError, readEntry } from './zip';
import { MAX_PACKET_BYTES, MAX_SIGNATURE_FILE_BYTES } from './limits';
import type { ReportBuilder } from './verify-report';
import { finding } from './verify-report';

/** Files whose bytes verification keeps: the packet and the signature files. */
const keepBytes = (path: string) => path === 'data/packet.json' || path.startsWith('signatures/');

/**
 * Entries streamed at once. Inflating runs on the platform's pool while hashing runs here,
 * and small entries are latency-bound, so a few in flight keep both cores busy; each large
 * entry holds at most two 4 MiB chunks in flight, so memory stays bounded.
 */
const DEFAULT_CONCURRENCY = 4;
/** Entries at least this large (compressed) stream at most LARGE_IN_FLIGHT at a time. */
const LARGE_ENTRY = 1024 * 1024;
const LARGE_IN_FLIGHT = 2;

export interface Streamed extends MeasuredFile {
  /** Kept for the packet and signature files only. */
  bytes: Uint8Array | null;
}

/**
 * Bytes done of all the bag's files, reported once the total is known: inflated bytes of
 * the files streamed here (the work is per inflated byte: a 10:1 JSONL file is not a tenth
 * of the work of a random one), compressed bytes of those the source's workers digest
 * (they count what they read).
 */
export class PayloadProgress {
  done = 0;
  total = 0;
  constructor(
    private readonly listener: ProgressListener | undefined,
    /** Stands in for the total until it is known: the workers count compressed bytes, which the file holds. */
    private readonly fileSize = 0,
  ) {}

  /**
   * Bytes the source's workers digested. They start while the container is still read (10,000
   * local headers take a second or more), so until the total is known they count against the
   * file's size, and the bar moves from the start.
   */
  add(n: number): void {
    this.done += n;
    if (this.total > 0) this.listener?.(this.progress());
    else if (this.fileSize > 0) this.listener?.({ phase: 'container', done: Math.min(this.done, this.fileSize), total: this.fileSize });
  }

  /** Bytes of `entry` streamed here. */
  addEntry(n: number, entry: string): void {
    this.done += n;
    this.listener?.({ phase: 'payload', done: this.done, total: this.total, entry });
  }

  start(total: number): void {
    this.total = total;
    this.listener?.(this.progress());
  }

  finish(): void {
    this.listener?.({ phase: 'report', done: this.total, total: this.total });
  }

  private progress() {
    return { phase: 'payload' as const, done: this.done, total: this.total };
  }
}

/**
 * The source's own entry digests (a file, on worker threads), when it has them: `delegate`
 * hands an entry over as soon as its local header is checked; `results` resolves once the
 * queue is closed and every job is answered.
 */
export class DelegatedDigests {
  readonly paths = new Set<string>();
  readonly results: Promise<EntryDigest[]>;
  private readonly jobs: DigestQueue | null;
  private readonly stopper = new AbortController();

  constructor(source: ByteSource, progress: PayloadProgress, signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', () => this.stopper.abort(), { once: true });
    this.jobs = source.digestEntries ? new Queue() : null;
    this.results = this.jobs ? source.digestEntries!(this.jobs, (n) => progress.add(n), this.stopper.signal) : Promise.resolve([]);
    this.results.catch(() => undefined); // awaited by streamPayload, unless the report is decided first
  }

  /** The onEntryReady hook for openZip, or undefined when the source digests nothing itself. */
  get hook(): ((entry: ZipEntry) => void) | undefined {
    return this.jobs ? (entry) => this.delegate(entry) : undefined;
  }

  private delegate(entry: ZipEntry): void {
    const path = entry.name.slice(entry.name.indexOf('/') + 1);
    if (entry.isDirectory || keepBytes(path)) return;
    this.paths.add(path);
    this.jobs!.push({
      path,
      dataOffset: entry.dataOffset,
      compressedSize: entry.compressedSize,
      uncompressedSize: entry.uncompressedSize,
      method: entry.method,
      crc32: entry.crc32,
    });
  }

  /** No more entries will come (the central directory is read). */
  close(): void {
    this.jobs?.close();
  }

  /** Stops digests still running (the report was decided without them, or it was cancelled). */
  stop(): void {
    this.stopper.abort();
  }
}

export interface PayloadInputs {
  archive: ZipArchive;
  byPath: Map<string, ZipEntry>;
  platform: Platform;
  builder: ReportBuilder;
  progress: PayloadProgress;
  delegated: DelegatedDigests;
  /** Paths a SHA-512 manifest lists: streamed here with both digests. */
  needsSha512: Set<string>;
  signal: AbortSignal | undefined;
  concurrency: number | undefined;
}

/** Streams every bag file not digested by the source and merges the source's digests. */
export async function streamPayload(input: PayloadInputs): Promise<Map<string, Streamed>> {
  const { byPath, delegated, needsSha512, builder, platform } = input;
  const streamed = new Map<string, Streamed>();
  let total = 0;
  for (const [p, e] of byPath) total += delegated.paths.has(p) ? e.compressedSize : e.uncompressedSize;
  input.progress.start(total);
  // Small neighbouring entries are read through shared windows (one read per 4 MiB).
  const streaming: ZipArchive = { ...input.archive, source: windowedSource(input.archive.source) };
  const queue = [...byPath.keys()].filter((p) => !delegated.paths.has(p) || needsSha512.has(p));
  const width = Math.max(1, input.concurrency ?? platform.smallEntryConcurrency ?? DEFAULT_CONCURRENCY);
  const [digested] = await Promise.all([
    delegated.results,
    runBounded(
      queue,
      width,
      (p) => byPath.get(p)!.compressedSize >= LARGE_ENTRY,
      input.signal,
      async (path) => {
        const s = await streamOne(input, streaming, path);
        if (s) streamed.set(path, s);
      },
    ),
  ]);
  for (const r of digested) {
    if (needsSha512.has(r.path)) continue; // streamed here too, with both digests
    if (!r.error) streamed.set(r.path, { sha256: r.sha256!, sha512: null, size: r.size!, bytes: null });
    else if (entryFailure(builder, r.error.code, `"${byPath.get(r.path)!.name}" ${r.error.message}.`, r.path))
      streamed.set(r.path, damagedFile(byPath.get(r.path)!));
  }
  return streamed;
}

/**
 * Spec 7: an entry whose data does not inflate, or inflates to bytes that fail its CRC-32 or
 * declared size, is damaged content (tampered, naming the file), not a damaged container.
 */
const DAMAGED_DATA: ReadonlySet<string> = new Set(['entry-crc-mismatch', 'entry-inflate-failed', 'entry-size-mismatch']);

/** Records the finding for an entry that could not be read; true when its data was damaged. */
export function entryFailure(builder: ReportBuilder, code: EntryErrorCode, message: string, path: string): boolean {
  const damaged = DAMAGED_DATA.has(code);
  const said = damaged ? `${message.replace(/\.?$/, '.')} Its bytes do not match what was signed.` : message;
  builder.add(finding(code, 'container', damaged ? 'tampered' : 'malformed', said, path));
  return damaged;
}

/** A damaged file as measured: no digest, its declared size (for Payload-Oxum). */
function damagedFile(entry: ZipEntry): Streamed {
  return { sha256: '', sha512: null, size: entry.uncompressedSize, bytes: null, damaged: true };
}

/**
 * Runs `work` over `items`, `width` at a time, with at most LARGE_IN_FLIGHT of the large
 * ones at once: small entries are latency-bound and many may stream together; large ones
 * hold buffers.
 */
async function runBounded<T>(
  items: T[],
  width: number,
  isLarge: (item: T) => boolean,
  signal: AbortSignal | undefined,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let largeInFlight = 0;
  const largeWaiters: Array<() => void> = [];
  const bounded = async (item: T) => {
    if (!isLarge(item)) return work(item);
    while (largeInFlight >= LARGE_IN_FLIGHT) await new Promise<void>((r) => largeWaiters.push(r));
    largeInFlight += 1;
    try {
      await work(item);
    } finally {
      largeInFlight -= 1;
      largeWaiters.shift()?.();
    }
  };
  const lanes = Array.from({ length: width }, async () => {
    while (next < items.length) {
      throwIfAborted(signal);
      await bounded(items[next++]!);
    }
  });
  await Promise.all(lanes);
}

/** One entry: its digests and size, and its bytes when kept; null when a finding was recorded instead. */
async function streamOne(input: PayloadInputs, archive: ZipArchive, path: string): Promise<Streamed | null> {
  const { byPath, builder, platform, progress, delegated, signal } = input;
  const entry = byPath.get(path)!;
  const keep = keepBytes(path);
  const limit = path === 'data/packet.json' ? MAX_PACKET_BYTES : MAX_SIGNATURE_FILE_BYTES;
  if (keep && entry.uncompressedSize > limit) {
    const message = `${path} declares ${entry.uncompressedSize} bytes, above the ${limit}-byte limit for it.`;
    builder.add(finding('limit-file', 'limit', 'malformed', message, path));
    return null;
  }
  const sha = platform.createSha256(entry.uncompressedSize);
  const chunks: Uint8Array[] = [];
  const wantSha512 = input.needsSha512.has(path);
  const countHere = !delegated.paths.has(path); // the workers count the others
  let size = 0;
  try {
    for await (const chunk of readEntry(archive, entry, platform, { signal })) {
      if (countHere) progress.addEntry(chunk.length, path);
      sha.update(chunk);
      size += chunk.length;
      if (keep || wantSha512) chunks.push(chunk.slice());
      // An inflater's output is this loop's alone once hashed (kept bytes were copied): a
      // large piece is freed now rather than left in the worker (docs/web-performance.md).
      if (entry.method === 8) releaseLarge(chunk);
    }
  } catch (e) {
    if (!(e instanceof ZipEntryError)) throw e;
    return entryFailure(builder, e.code, e.message, path) ? damagedFile(entry) : null;
  }
  const bytes = keep || wantSha512 ? concat(chunks, size) : null;
  const sha512 = wantSha512 && bytes ? await digestHex('SHA-512', bytes) : null;
  return { sha256: await sha.digestHex(), sha512, size, bytes: keep ? bytes : null };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!.slice();
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
