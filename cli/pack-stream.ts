// The streaming bundle writer of `exhibit pack` (issue 16): the payload is never held in
// memory. One pass hashes every file for the manifest (the tag files come first in the
// zip); a second deflates each file into the output through Node's zlib, checking on the
// way that it is still the file that was hashed. An entry deflate does not shrink is
// written stored instead (the region is rewritten, as Info-ZIP does). The records are
// those of shared/evb/zip-write.ts: zipBag's layout, with ZIP64 where needed.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { Readable, Transform, Writable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDeflateRaw, crc32 } from 'node:zlib';
import { CliError } from './args';
import type { PendingFile } from './files';
import { centralHeader, endRecords, localHeader } from '../shared/evb/zip-write';
import type { ZipEntryRecord } from '../shared/evb/zip-write';

/** Bytes read from a payload file at a time. */
const READ_CHUNK = 1024 * 1024;

/** What an entry's bytes come from: a file on disk, or bytes made in memory (tag files). */
export type EntrySource = { kind: 'file'; path: string; size: number; sha256?: string } | { kind: 'bytes'; bytes: Uint8Array };

/** Makes the raw-deflate stream (level 6, as zipBag). Injectable so a test can use jszip's own deflater. */
type DeflaterFactory = () => Duplex;

const nodeDeflater: DeflaterFactory = () => createDeflateRaw({ level: 6, chunkSize: 256 * 1024 });

interface StreamZipOptions {
  deflater?: DeflaterFactory;
  /** Store an entry whose deflated form is not smaller (default true). */
  storeIfNotSmaller?: boolean;
  /** Entries not to deflate at all (zipBag stores signatures). */
  store?: (name: string) => boolean;
  /** ZIP64 records for every entry and the end (Info-ZIP's -fz); for tests. */
  forceZip64?: boolean;
}

function sourceStream(src: EntrySource): Readable {
  if (src.kind === 'file') return createReadStream(src.path, { highWaterMark: READ_CHUNK });
  return Readable.from([Buffer.from(src.bytes.buffer, src.bytes.byteOffset, src.bytes.length)], { objectMode: false });
}

const sizeOf = (src: EntrySource) => (src.kind === 'file' ? src.size : src.bytes.length);

/**
 * Streams one source through CRC-32 and SHA-256, optionally a deflater, into `out` at its
 * end. Returns what was read; a file that changed since it was hashed is an error.
 */
async function copyEntry(
  out: PendingFile,
  src: EntrySource,
  deflater: Duplex | null,
): Promise<{ crc: number; read: number; written: number }> {
  let crc = 0;
  let read = 0;
  const hash = src.kind === 'file' && src.sha256 ? createHash('sha256') : null;
  const start = out.size;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = crc32(chunk, crc);
      read += chunk.length;
      hash?.update(chunk);
      done(null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.append(chunk).then(() => done(), done);
    },
  });
  if (deflater) await pipeline(sourceStream(src), tap, deflater, sink);
  else await pipeline(sourceStream(src), tap, sink);
  if (src.kind === 'file' && (read !== src.size || (hash && hash.digest('hex') !== src.sha256)))
    throw new CliError(`${src.path} changed while it was being packed; pack it again when nothing writes to it.`, 1);
  return { crc: crc >>> 0, read, written: out.size - start };
}

/**
 * Writes the entries, in the order given, then the central directory and the end records.
 * Bounded memory: a file passes through in chunks of 1 MiB.
 */
export async function writeStreamingZip(
  out: PendingFile,
  entries: Array<{ name: string; source: EntrySource }>,
  options: StreamZipOptions = {},
): Promise<void> {
  const deflater = options.deflater ?? nodeDeflater;
  const records: ZipEntryRecord[] = [];
  for (const { name, source } of entries) {
    const size = sizeOf(source);
    const stored = options.store?.(name) ?? false;
    const record: ZipEntryRecord = {
      name,
      method: stored ? 0 : 8,
      crc32: 0,
      compressedSize: 0,
      uncompressedSize: size,
      offset: out.size,
      forceZip64: options.forceZip64,
    };
    // A placeholder of the final length (the length depends only on the name and the size).
    await out.append(localHeader(record));
    const dataStart = out.size;
    let r = await copyEntry(out, source, stored ? null : deflater());
    if (!stored && r.written >= size && options.storeIfNotSmaller !== false) {
      await out.truncate(dataStart);
      record.method = 0;
      const again = await copyEntry(out, source, null);
      if (again.crc !== r.crc) throw new CliError(`${name} changed while it was being packed.`, 1);
      r = again;
    }
    record.crc32 = r.crc;
    record.compressedSize = r.written;
    await out.writeAt(localHeader(record), record.offset);
    records.push(record);
  }
  const cdOffset = out.size;
  for (const record of records) await out.append(centralHeader(record));
  await out.append(endRecords(records.length, cdOffset, out.size - cdOffset, options.forceZip64));
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
