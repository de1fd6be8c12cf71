// Reading one entry of an opened archive: its compressed bytes, inflated through the
// platform (in one call when small, streamed otherwise), with the declared size enforced
// while inflating and the CRC-32 checked at the end. ZipEntryError codes are in the table at
// the top of zip.ts.

import type { Platform } from '../platform/ports';
import type { EntryErrorCode } from '../platform/ports';
import { throwIfAborted } from '../platform/ports';
import { CodedError, InflateError, errorMessage } from '../platform/errors';
import { ownsBuffer } from '../platform/release-buffer';
import { quoteEntry } from './zip-fields';
import type { ZipArchive, ZipEntry } from './zip';

export interface ReadEntryOptions {
  signal?: AbortSignal;
  /** Called with the number of compressed bytes consumed since the last call. */
  onBytes?: (compressedBytes: number) => void;
  /** Preferred read size from the source (default 4 MiB). */
  chunkSize?: number;
}

/** A structural error found while reading an entry (codes in the table at the top). */
export class ZipEntryError extends CodedError<EntryErrorCode> {
  constructor(
    code: EntryErrorCode,
    readonly entry: string,
    message: string,
  ) {
    super(code, message);
    this.name = 'ZipEntryError';
  }
}

function inflateError(name: string, declared: number, e: unknown): ZipEntryError {
  if (e instanceof InflateError && e.code === 'inflate-too-large')
    return new ZipEntryError(
      'entry-size-mismatch',
      name,
      `${quoteEntry(name)}: the entry inflates to more than its declared ${declared} bytes (stopped there).`,
    );
  return new ZipEntryError('entry-inflate-failed', name, `${quoteEntry(name)}: ${errorMessage(e)}.`);
}

/** Entries this small (compressed) are inflated in one call: stream set-up costs more. */
const ONE_SHOT_LIMIT = 1024 * 1024;

/**
 * Streams an entry's inflated bytes, enforcing the declared uncompressed size while
 * streaming (it stops the moment output exceeds it) and the CRC-32 at the end.
 */
export async function* readEntry(
  archive: ZipArchive,
  entry: ZipEntry,
  platform: Platform,
  options: ReadEntryOptions = {},
): AsyncGenerator<Uint8Array> {
  if (archive.findings.length > 0)
    throw new ZipEntryError(
      'entry-unreadable',
      entry.name,
      `${quoteEntry(entry.name)}: the archive is malformed, so its entries are not read.`,
    );
  const { signal, onBytes } = options;
  const chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
  const source = archive.source;
  const name = entry.name;
  let crc = 0;
  let produced = 0;
  const account = (out: Uint8Array) => {
    produced += out.length;
    if (produced > entry.uncompressedSize)
      throw new ZipEntryError(
        'entry-size-mismatch',
        name,
        `${quoteEntry(name)}: the entry inflates to more than its declared ${entry.uncompressedSize} bytes (stopped there).`,
      );
    crc = platform.crc32(out, crc);
  };

  if (entry.method === 8 && entry.compressedSize <= ONE_SHOT_LIMIT) {
    throwIfAborted(signal);
    const data = await source.read(entry.dataOffset, entry.compressedSize);
    let out: Uint8Array;
    try {
      out = await platform.inflateRaw(data, entry.uncompressedSize);
    } catch (e) {
      throw inflateError(name, entry.uncompressedSize, e);
    }
    account(out);
    onBytes?.(entry.compressedSize);
    if (out.length > 0) yield out;
  } else {
    const inflater = entry.method === 8 ? platform.createInflateRaw(entry.uncompressedSize) : null;
    try {
      let offset = 0;
      let pending: Promise<Uint8Array> | null =
        entry.compressedSize > 0 ? source.read(entry.dataOffset, Math.min(chunkSize, entry.compressedSize)) : null;
      while (pending) {
        throwIfAborted(signal);
        const chunk = await pending;
        offset += chunk.length;
        // Read ahead while this chunk is inflated and hashed.
        pending =
          offset < entry.compressedSize ? source.read(entry.dataOffset + offset, Math.min(chunkSize, entry.compressedSize - offset)) : null;
        if (inflater) {
          let outs: Uint8Array[];
          try {
            outs = await inflater.push(chunk);
          } catch (e) {
            throw inflateError(name, entry.uncompressedSize, e);
          }
          for (const out of outs) {
            account(out);
            yield out;
          }
        } else {
          account(chunk);
          yield chunk;
        }
        onBytes?.(chunk.length);
      }
      if (inflater) {
        let outs: Uint8Array[];
        try {
          outs = await inflater.finish();
        } catch (e) {
          throw inflateError(name, entry.uncompressedSize, e);
        }
        for (const out of outs) {
          account(out);
          yield out;
        }
      }
    } finally {
      inflater?.abort();
    }
  }
  if (produced !== entry.uncompressedSize) {
    throw new ZipEntryError(
      'entry-size-mismatch',
      name,
      `${quoteEntry(name)}: the entry inflates to ${produced} bytes, not its declared ${entry.uncompressedSize}.`,
    );
  }
  if (crc >>> 0 !== entry.crc32) {
    throw new ZipEntryError(
      'entry-crc-mismatch',
      name,
      `${quoteEntry(name)}: the CRC-32 of its content is ${(crc >>> 0).toString(16).padStart(8, '0')}, but the archive declares ${entry.crc32.toString(16).padStart(8, '0')}.`,
    );
  }
}

/** Reads a small entry whole (tag files, packet, signatures). Fails above `maxBytes`. */
export async function readEntryBytes(
  archive: ZipArchive,
  entry: ZipEntry,
  platform: Platform,
  options: ReadEntryOptions & { maxBytes?: number } = {},
): Promise<Uint8Array> {
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  if (entry.uncompressedSize > max)
    throw new ZipEntryError(
      'entry-too-large',
      entry.name,
      `${quoteEntry(entry.name)}: the entry declares ${entry.uncompressedSize} bytes, more than the ${max} read whole here.`,
    );
  let out: Uint8Array | null = null;
  let at = 0;
  for await (const chunk of readEntry(archive, entry, platform, options)) {
    // An entry inflated in one piece is that piece (no second copy of it in memory); the
    // inflater's output is new, unlike a stored entry's bytes, which a source may cache.
    if (entry.method === 8 && at === 0 && chunk.length === entry.uncompressedSize && ownsBuffer(chunk)) {
      out = new Uint8Array(chunk.buffer, 0, chunk.length);
    } else {
      out ??= new Uint8Array(entry.uncompressedSize);
      out.set(chunk, at);
    }
    at += chunk.length;
  }
  return out ?? new Uint8Array(entry.uncompressedSize);
}
