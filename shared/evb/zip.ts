// Strict ZIP reader for EVB/1 containers (spec section 1). INTERFACE STUB: the
// implementation is being written; the exported names and types below are the contract.

import type { ByteSource, Platform, ProgressListener } from '../platform/ports';
import type { Finding } from './report';

export interface ZipLimits {
  /** Most entries in the central directory. */
  maxEntries: number;
  /** Most declared uncompressed bytes over all entries. */
  maxTotalUncompressed: number;
  /** Most declared uncompressed bytes of one entry. */
  maxEntryUncompressed: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = {
  maxEntries: 200_000,
  maxTotalUncompressed: 16 * 1024 ** 3,
  maxEntryUncompressed: 4 * 1024 ** 3,
};

export interface ZipEntry {
  /** The entry name exactly as stored (decoded as UTF-8). */
  name: string;
  /** 0 stored, 8 deflate. */
  method: 0 | 8;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the local file header. */
  localHeaderOffset: number;
  /** Offset of the first byte of the entry's (compressed) data, after the local header. */
  dataOffset: number;
  /** Name ends with '/' (and size 0). */
  isDirectory: boolean;
}

export interface ZipArchive {
  source: ByteSource;
  /** In central-directory order. Empty when `findings` holds a malformed finding. */
  entries: ZipEntry[];
  /** Structural problems (severity 'malformed'); empty when the container is sound. */
  findings: Finding[];
  /** Where the central directory starts and how long it is (the appender needs them). */
  centralDirectoryOffset: number;
  centralDirectorySize: number;
  /** The archive comment bytes (kept verbatim when a signature is appended). */
  comment: Uint8Array;
  /** The one top-level directory every entry lies under, or null when there is none. */
  topLevelDirectory: string | null;
}

export interface OpenZipOptions {
  limits?: Partial<ZipLimits>;
  signal?: AbortSignal;
}

/**
 * Reads and checks the container: EOCD (exactly one; ZIP64 records), central directory,
 * every local header cross-checked, names per spec section 1, duplicates after NFC +
 * case folding, overlaps, no prefix bytes, encryption, symlinks, limits. Never throws for
 * a bad archive: problems come back as findings. Rejects only on I/O errors or abort.
 */
export async function openZip(_source: ByteSource, _options: OpenZipOptions = {}): Promise<ZipArchive> {
  throw new Error('openZip: not implemented yet');
}

export interface ReadEntryOptions {
  signal?: AbortSignal;
  /** Called with the number of compressed bytes consumed since the last call. */
  onBytes?: (compressedBytes: number) => void;
  /** Preferred read size from the source (default 4 MiB). */
  chunkSize?: number;
}

/** A structural error found while streaming an entry (size or CRC-32 disagreement). */
export class ZipEntryError extends Error {
  constructor(
    readonly code: string,
    readonly entry: string,
    message: string,
  ) {
    super(message);
    this.name = 'ZipEntryError';
  }
}

/**
 * Streams an entry's inflated bytes, enforcing the declared uncompressed size and CRC-32
 * while streaming (throws ZipEntryError the moment output exceeds the declared size, and
 * at the end on a short output or CRC mismatch).
 */
export async function* readEntry(
  _archive: ZipArchive,
  _entry: ZipEntry,
  _platform: Platform,
  _options: ReadEntryOptions = {},
): AsyncGenerator<Uint8Array> {
  throw new Error('readEntry: not implemented yet');
}

/** Reads a small entry whole (tag files, packet, signatures). Fails above `maxBytes`. */
export async function readEntryBytes(
  _archive: ZipArchive,
  _entry: ZipEntry,
  _platform: Platform,
  _options: ReadEntryOptions & { maxBytes?: number } = {},
): Promise<Uint8Array> {
  throw new Error('readEntryBytes: not implemented yet');
}

export type { ProgressListener };
