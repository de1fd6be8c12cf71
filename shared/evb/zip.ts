// Strict ZIP reader for EVB/1 containers (spec section 1), over a random-access ByteSource:
// the whole archive is never held in memory, and nothing is inflated before the central
// directory, every local header and the limits have been checked.
//
// Finding codes (layer 'container' unless noted; all severity 'malformed'):
//   zip-too-short            fewer bytes than an end-of-central-directory record
//   zip-no-eocd              no end-of-central-directory record
//   zip-eocd-comment-length  the archive comment length does not reach the end of the file exactly
//                            (junk after the archive, or a comment longer or shorter than declared)
//   zip-multiple-eocd        more than one end-of-central-directory signature after the directory
//   zip-multidisk            disk numbers other than 0 (split and spanned archives)
//   zip-eocd64               ZIP64 locator or record missing, malformed, or disagreeing with the EOCD
//   zip-cd-bounds            the central directory does not end exactly where the EOCD begins
//   zip-cd-signature         a central header without its signature
//   zip-cd-overflow          a central header's name, extra or comment runs past the directory
//   zip-entry-count          the entry count disagrees with the central directory's records
//   zip-extra-malformed      an extra-field chain that does not add up, or a wrong-sized known field
//   zip-extra-duplicate      the same extra-field id twice in one header
//   zip-zip64-extra          a ZIP64 extra field that lacks, or adds, a field its header needs
//   zip-unicode-extra        an Info-ZIP Unicode path or comment field that disagrees with the header
//   zip-encrypted            encryption of any kind (traditional, strong, AES, directory)
//   zip-flags                reserved or unsupported general-purpose flags
//   zip-method               a compression method other than 0 (stored) and 8 (deflate)
//   zip-stored-size          a stored entry whose compressed and uncompressed sizes differ
//   zip-symlink              a symbolic link, or another non-regular Unix file type
//   zip-name-encoding        a name that is not UTF-8 (or not flagged UTF-8 while not ASCII)
//   zip-name-control         NUL or another control character in a name
//   zip-name-absolute        a name starting with "/" or a drive letter
//   zip-name-backslash       a "\" in a name
//   zip-name-segment         an empty, "." or ".." segment (path traversal)
//   zip-name-not-nfc         a name not in Unicode NFC
//   zip-name-duplicate       two names equal after NFC and case folding
//   zip-directory-size       a directory entry with content
//   zip-entry-bounds         an entry's data runs past the central directory
//   zip-prefix-bytes         bytes before the first local header
//   zip-gap                  bytes between two entries, or between the last entry and the directory
//   zip-overlap              entries that overlap each other or the directory
//   zip-local-signature      a local header without its signature
//   zip-local-mismatch       a local header that disagrees with its central record
//                            (version, flags, method, time, date, CRC-32 or sizes)
//   zip-local-name           a local header whose name differs from the central record's
//   zip-descriptor           a data descriptor that does not match the central record
//   limit-entries, limit-entry-size, limit-total-size, limit-central-directory  (layer 'limit')
// While streaming (ZipEntryError): entry-size-mismatch, entry-crc-mismatch,
// entry-inflate-failed, entry-too-large.

import type { ByteSource, Platform, ProgressListener } from '../platform/ports';
import { throwIfAborted } from '../platform/ports';
// Unicode extra fields are checked before any platform is involved, with the portable CRC-32.
import { crc32 as crc32Table } from '../platform/crc32';
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

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const SIG_DESCRIPTOR = 0x08074b50;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const EXTRA_ZIP64 = 0x0001;
const EXTRA_UNICODE_PATH = 0x7075;
const EXTRA_UNICODE_COMMENT = 0x6375;
const EXTRA_AES = 0x9901;
const MAX_CENTRAL_DIRECTORY = 512 * 1024 * 1024;
const LOCAL_WINDOW = 1024 * 1024;

/** A structural problem that stops parsing where it is found. */
class Stop extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

function problem(code: string, message: string, entry?: string, layer: Finding['layer'] = 'container'): Finding {
  const f: Finding = { code, layer, severity: 'malformed', message };
  if (entry !== undefined) f.entry = entry;
  return f;
}

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}
function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}
/** A 64-bit little-endian value as a safe integer, or Infinity when it is not one. */
function u64(b: Uint8Array, at: number): number {
  const lo = u32(b, at);
  const hi = u32(b, at + 4);
  const v = hi * 0x100000000 + lo;
  return hi >= 0x200000 ? Infinity : v;
}

interface ExtraField {
  id: number;
  data: Uint8Array;
}

/** Splits an extra-field block; the chain must fill it exactly, with no repeated ids. */
function parseExtras(block: Uint8Array, where: string, entry: string): ExtraField[] {
  const fields: ExtraField[] = [];
  const seen = new Set<number>();
  let at = 0;
  while (at < block.length) {
    if (at + 4 > block.length) throw new Stop(problem('zip-extra-malformed', `${where} of "${entry}": the extra field ends inside a field header.`, entry));
    const id = u16(block, at);
    const size = u16(block, at + 2);
    if (at + 4 + size > block.length) throw new Stop(problem('zip-extra-malformed', `${where} of "${entry}": extra field 0x${id.toString(16).padStart(4, '0')} says ${size} bytes but only ${block.length - at - 4} remain.`, entry));
    if (seen.has(id)) throw new Stop(problem('zip-extra-duplicate', `${where} of "${entry}": extra field 0x${id.toString(16).padStart(4, '0')} appears twice.`, entry));
    seen.add(id);
    fields.push({ id, data: block.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
  }
  return fields;
}

interface Zip64Values {
  uncompressed?: number;
  compressed?: number;
  offset?: number;
  disk?: number;
}

/** Reads the ZIP64 extra: exactly the fields whose header value is the all-ones marker. */
function readZip64(field: ExtraField | undefined, need: { uncompressed: boolean; compressed: boolean; offset: boolean; disk: boolean }, where: string, entry: string): Zip64Values {
  const expected = (need.uncompressed ? 8 : 0) + (need.compressed ? 8 : 0) + (need.offset ? 8 : 0) + (need.disk ? 4 : 0);
  if (!field) {
    if (expected === 0) return {};
    const missing = [need.uncompressed && 'uncompressed size', need.compressed && 'compressed size', need.offset && 'relative header offset'].filter(Boolean).join(', ');
    throw new Stop(problem('zip-zip64-extra', `${where} of "${entry}": the header defers to a ZIP64 extra field (${missing}) but has none.`, entry));
  }
  if (field.data.length !== expected) {
    throw new Stop(problem('zip-zip64-extra', `${where} of "${entry}": the ZIP64 extra field holds ${field.data.length} bytes; the header's markers call for exactly ${expected}.`, entry));
  }
  const out: Zip64Values = {};
  let at = 0;
  if (need.uncompressed) (out.uncompressed = u64(field.data, at)), (at += 8);
  if (need.compressed) (out.compressed = u64(field.data, at)), (at += 8);
  if (need.offset) (out.offset = u64(field.data, at)), (at += 8);
  if (need.disk) out.disk = u32(field.data, at);
  for (const v of [out.uncompressed, out.compressed, out.offset]) {
    if (v === Infinity) throw new Stop(problem('zip-zip64-extra', `${where} of "${entry}": a ZIP64 size or offset is beyond what any file can hold.`, entry));
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(bytes: Uint8Array, flags: number, index: number): string {
  let ascii = true;
  for (const b of bytes) if (b >= 0x80) ascii = false;
  if (!ascii && !(flags & 0x0800)) {
    throw new Stop(problem('zip-name-encoding', `Entry ${index + 1}: its name has non-ASCII bytes but is not flagged UTF-8 (general-purpose bit 11).`));
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Stop(problem('zip-name-encoding', `Entry ${index + 1}: its name is not valid UTF-8.`));
  }
}

/** Checks an Info-ZIP Unicode path (0x7075) or comment (0x6375) field against the header. */
function checkUnicodeExtra(field: ExtraField, headerBytes: Uint8Array, headerText: string, platformCrc: (b: Uint8Array, p: number) => number, what: string, entry: string): void {
  const d = field.data;
  if (d.length < 5 || d[0] !== 1) throw new Stop(problem('zip-unicode-extra', `"${entry}": its Unicode ${what} extra field is malformed.`, entry));
  if (u32(d, 1) !== platformCrc(headerBytes, 0)) throw new Stop(problem('zip-unicode-extra', `"${entry}": its Unicode ${what} extra field was made for another ${what}.`, entry));
  let text: string;
  try {
    text = utf8.decode(d.subarray(5));
  } catch {
    throw new Stop(problem('zip-unicode-extra', `"${entry}": its Unicode ${what} extra field is not UTF-8.`, entry));
  }
  if (text !== headerText) throw new Stop(problem('zip-unicode-extra', `"${entry}": its Unicode ${what} extra field says "${text.slice(0, 80)}", not the header's "${headerText.slice(0, 80)}".`, entry));
}

/** Spec section 1 rules for one entry name. */
const SAFE_ASCII_NAME = /^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*\/?$/;

export function checkEntryName(name: string, isDirectory: boolean): Finding | null {
  // Fast path: plain ASCII names (the common case) only need the segment rule.
  if (SAFE_ASCII_NAME.test(name)) {
    const segments = (isDirectory ? name.slice(0, -1) : name).split('/');
    return segments.some((s) => s === '.' || s === '..') ? problem('zip-name-segment', `The entry name "${name.slice(0, 120)}" has an empty, "." or ".." segment.`, name) : null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return problem('zip-name-control', `The entry name "${JSON.stringify(name).slice(1, -1).slice(0, 120)}" holds a NUL or control character.`, name);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return problem('zip-name-absolute', `The entry name "${name.slice(0, 120)}" is absolute; names must be relative.`, name);
  if (name.includes('\\')) return problem('zip-name-backslash', `The entry name "${name.slice(0, 120)}" holds "\\"; names are "/"-separated.`, name);
  const segments = (isDirectory ? name.slice(0, -1) : name).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return problem('zip-name-segment', `The entry name "${name.slice(0, 120)}" has an empty, "." or ".." segment.`, name);
  if (name !== name.normalize('NFC')) return problem('zip-name-not-nfc', `The entry name "${name.slice(0, 120)}" is not in Unicode NFC.`, name);
  return null;
}

/** NFC, then full case folding (toUpperCase folds ß to SS before toLowerCase), no trailing "/". */
export function foldName(name: string): string {
  if (SAFE_ASCII_NAME.test(name)) return name.toLowerCase().replace(/\/$/, '');
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC').replace(/\/$/, '');
}

interface CentralRecord {
  entry: ZipEntry;
  versionNeeded: number;
  time: number;
  date: number;
  nameBytes: Uint8Array;
  zip64Sizes: boolean;
  /** The central record needs ZIP64 for the local header offset (beyond 4 GiB). */
  zip64Offset: boolean;
  /** Extra-field ids other than ZIP64, which local headers must carry too. */
  extraIds: string;
  madeBy: number;
  externalAttributes: number;
}

/** The sorted extra-field ids of a header, ZIP64 aside (it may sit in one header only). */
function extraIdsOf(extras: ExtraField[]): string {
  return extras.filter((x) => x.id !== EXTRA_ZIP64).map((x) => x.id).sort((a, b) => a - b).join(',');
}

/** Bundles hold regular files and directories only. */
function checkFileType(rec: CentralRecord): void {
  const host = rec.madeBy >> 8;
  const unixType = (rec.externalAttributes >>> 16) & 0o170000;
  const name = rec.entry.name;
  if (host === 3 && unixType === 0o120000) throw new Stop(problem('zip-symlink', `"${name}" is a symbolic link; bundles hold only regular files.`, name));
  if (host === 3 && unixType !== 0 && unixType !== 0o100000 && unixType !== 0o040000) {
    throw new Stop(problem('zip-symlink', `"${name}" is a special file (Unix type 0o${unixType.toString(8)}); bundles hold only regular files.`, name));
  }
}

/**
 * Reads and checks the container. Never throws for a bad archive: problems come back as
 * findings. Rejects only on I/O errors or abort.
 */
export async function openZip(source: ByteSource, options: OpenZipOptions = {}): Promise<ZipArchive> {
  const limits = { ...DEFAULT_ZIP_LIMITS, ...options.limits };
  const archive: ZipArchive = { source, entries: [], findings: [], centralDirectoryOffset: 0, centralDirectorySize: 0, comment: new Uint8Array(0), topLevelDirectory: null };
  try {
    await readArchive(source, limits, options.signal, archive);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    archive.findings.push(e.finding);
  }
  if (archive.findings.length > 0) archive.entries = [];
  return archive;
}

async function readArchive(source: ByteSource, limits: ZipLimits, signal: AbortSignal | undefined, archive: ZipArchive): Promise<void> {
  const size = source.size;
  if (size < 22) throw new Stop(problem('zip-too-short', `The file has ${size} bytes, fewer than a zip archive's end record; it is not a zip archive.`));
  throwIfAborted(signal);

  // End of central directory: the one record whose comment reaches the end exactly.
  const tailLength = Math.min(size, 22 + U16_MAX);
  const tailStart = size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const signatures: number[] = [];
  for (let i = tail.length - 22; i >= 0; i--) if (u32(tail, i) === SIG_EOCD) signatures.push(i);
  if (signatures.length === 0) throw new Stop(problem('zip-no-eocd', 'No end-of-central-directory record: this is not a zip archive, or it is truncated.'));
  const fitting = signatures.filter((i) => i + 22 + u16(tail, i + 20) === tail.length);
  if (fitting.length === 0) {
    throw new Stop(problem('zip-eocd-comment-length', 'The archive comment length does not reach the end of the file: bytes follow the archive, or the comment is longer or shorter than declared.'));
  }
  const eocdAt = fitting[fitting.length - 1]!;
  if (signatures.some((i) => i > eocdAt) || fitting.length > 1) {
    throw new Stop(problem('zip-multiple-eocd', 'More than one end-of-central-directory record: readers could disagree about what this archive holds.'));
  }
  const eocdOffset = tailStart + eocdAt;
  const disk = u16(tail, eocdAt + 4);
  const cdDisk = u16(tail, eocdAt + 6);
  const entriesOnDisk = u16(tail, eocdAt + 8);
  let entryCount = u16(tail, eocdAt + 10);
  let cdSize = u32(tail, eocdAt + 12);
  let cdOffset = u32(tail, eocdAt + 16);
  archive.comment = tail.slice(eocdAt + 22);
  if (disk !== 0 || cdDisk !== 0 || entriesOnDisk !== entryCount) {
    throw new Stop(problem('zip-multidisk', `The archive spans several disks (disk ${disk}, directory on disk ${cdDisk}); split archives are not evidence bundles.`));
  }

  // ZIP64 end records, when present or needed.
  let cdEnd = eocdOffset;
  const needs64 = entryCount === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX;
  const locatorAt = eocdOffset - 20;
  const locator = locatorAt >= 0 ? await source.read(locatorAt, 20) : null;
  if (locator && u32(locator, 0) === SIG_LOCATOR64) {
    const eocd64Offset = u64(locator, 8);
    if (u32(locator, 4) !== 0 || u32(locator, 16) !== 1) throw new Stop(problem('zip-multidisk', 'The ZIP64 locator names another disk; split archives are not evidence bundles.'));
    if (!(eocd64Offset + 56 <= locatorAt)) throw new Stop(problem('zip-eocd64', 'The ZIP64 locator points outside the archive.'));
    const rec = await source.read(eocd64Offset, 56);
    if (u32(rec, 0) !== SIG_EOCD64) throw new Stop(problem('zip-eocd64', 'The ZIP64 end-of-central-directory record has no valid signature where its locator points.'));
    const recordSize = u64(rec, 4);
    if (eocd64Offset + 12 + recordSize !== locatorAt) throw new Stop(problem('zip-eocd64', 'The ZIP64 end-of-central-directory record does not end where its locator begins (a gap or an overlap).'));
    if (u32(rec, 16) !== 0 || u32(rec, 20) !== 0 || u64(rec, 24) !== u64(rec, 32)) throw new Stop(problem('zip-multidisk', 'The ZIP64 end record describes several disks.'));
    const count64 = u64(rec, 32);
    const size64 = u64(rec, 40);
    const offset64 = u64(rec, 48);
    const agree = (v32: number, marker: number, v64: number) => v32 === marker || v32 === v64;
    if (!agree(entryCount, U16_MAX, count64) || !agree(cdSize, U32_MAX, size64) || !agree(cdOffset, U32_MAX, offset64)) {
      throw new Stop(problem('zip-eocd64', 'The end-of-central-directory record and its ZIP64 twin disagree about the central directory.'));
    }
    entryCount = count64;
    cdSize = size64;
    cdOffset = offset64;
    cdEnd = eocd64Offset;
  } else if (needs64) {
    throw new Stop(problem('zip-eocd64', 'The end record defers to ZIP64 values, but there is no ZIP64 locator before it.'));
  }
  if (!Number.isSafeInteger(entryCount) || !Number.isSafeInteger(cdSize) || !Number.isSafeInteger(cdOffset) || cdOffset + cdSize !== cdEnd) {
    throw new Stop(problem('zip-cd-bounds', `The central directory (${cdSize} bytes at ${cdOffset}) does not end where the end record begins (${cdEnd}).`));
  }
  archive.centralDirectoryOffset = cdOffset;
  archive.centralDirectorySize = cdSize;

  // Limits, before reading the directory or inflating anything.
  if (entryCount > limits.maxEntries) {
    throw new Stop(problem('limit-entries', `The archive declares ${entryCount} entries; the limit is ${limits.maxEntries}.`, undefined, 'limit'));
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY || cdSize > entryCount * (46 + 3 * U16_MAX)) {
    throw new Stop(problem('limit-central-directory', `The central directory is ${cdSize} bytes, too large for ${entryCount} entries.`, undefined, 'limit'));
  }
  throwIfAborted(signal);
  const cd = cdSize > 0 ? await source.read(cdOffset, cdSize) : new Uint8Array(0);

  const records: CentralRecord[] = [];
  const folded = new Map<string, string>();
  let total = 0;
  let at = 0;
  for (let i = 0; i < entryCount; i++) {
    if (at + 46 > cd.length) throw new Stop(problem('zip-entry-count', `The end record declares ${entryCount} entries, but the central directory holds only ${i}.`));
    if (u32(cd, at) !== SIG_CENTRAL) throw new Stop(problem('zip-cd-signature', `Central directory record ${i + 1} has no valid signature.`));
    const madeBy = u16(cd, at + 4);
    const versionNeeded = u16(cd, at + 6);
    const flags = u16(cd, at + 8);
    const method = u16(cd, at + 10);
    const time = u16(cd, at + 12);
    const date = u16(cd, at + 14);
    const crc = u32(cd, at + 16);
    let compressed = u32(cd, at + 20);
    let uncompressed = u32(cd, at + 24);
    const nameLength = u16(cd, at + 28);
    const extraLength = u16(cd, at + 30);
    const commentLength = u16(cd, at + 32);
    const diskStart = u16(cd, at + 34);
    const externalAttributes = u32(cd, at + 38);
    let localOffset = u32(cd, at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw new Stop(problem('zip-cd-overflow', `Central directory record ${i + 1}: its name, extra field and comment run past the directory.`));
    const nameBytes = cd.subarray(at + 46, at + 46 + nameLength);
    const name = decodeName(nameBytes, flags, i);
    const extras = parseExtras(cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), 'The central record', name);
    const commentBytes = cd.subarray(at + 46 + nameLength + extraLength, end);
    at = end;

    if (flags & 0x0001 || flags & 0x0040 || flags & 0x2000 || method === 99 || extras.some((e) => e.id === EXTRA_AES)) {
      throw new Stop(problem('zip-encrypted', `"${name}" is encrypted; evidence bundles are never encrypted.`, name));
    }
    if (flags & ~(0x0002 | 0x0004 | 0x0008 | 0x0800)) throw new Stop(problem('zip-flags', `"${name}" uses unsupported general-purpose flags 0x${flags.toString(16)}.`, name));
    if (method !== 0 && method !== 8) throw new Stop(problem('zip-method', `"${name}" uses compression method ${method}; only 0 (stored) and 8 (deflate) are allowed.`, name));
    if (versionNeeded > 63) throw new Stop(problem('zip-flags', `"${name}" needs zip version ${versionNeeded / 10}, which does not exist.`, name));
    const zip64 = readZip64(
      extras.find((e) => e.id === EXTRA_ZIP64),
      { uncompressed: uncompressed === U32_MAX, compressed: compressed === U32_MAX, offset: localOffset === U32_MAX, disk: diskStart === U16_MAX },
      'The central record',
      name,
    );
    uncompressed = zip64.uncompressed ?? uncompressed;
    compressed = zip64.compressed ?? compressed;
    localOffset = zip64.offset ?? localOffset;
    if ((zip64.disk ?? diskStart) !== 0) throw new Stop(problem('zip-multidisk', `"${name}" starts on disk ${zip64.disk ?? diskStart}; split archives are not evidence bundles.`, name));
    const unicodePath = extras.find((e) => e.id === EXTRA_UNICODE_PATH);
    if (unicodePath) checkUnicodeExtra(unicodePath, nameBytes, name, crc32Table, 'path', name);
    const unicodeComment = extras.find((e) => e.id === EXTRA_UNICODE_COMMENT);
    if (unicodeComment) checkUnicodeExtra(unicodeComment, commentBytes, new TextDecoder().decode(commentBytes), crc32Table, 'comment', name);

    if (method === 0 && compressed !== uncompressed) {
      throw new Stop(problem('zip-stored-size', `"${name}" is stored (not compressed) but declares ${compressed} compressed and ${uncompressed} uncompressed bytes.`, name));
    }
    const isDirectory = name.endsWith('/');
    const nameProblem = checkEntryName(name, isDirectory);
    if (nameProblem) throw new Stop(nameProblem);
    if (isDirectory && uncompressed !== 0) throw new Stop(problem('zip-directory-size', `The directory entry "${name}" has ${uncompressed} bytes of content.`, name));
    const key = foldName(name);
    const clash = folded.get(key);
    if (clash !== undefined) throw new Stop(problem('zip-name-duplicate', `"${name}" and "${clash}" are the same name after Unicode normalization and case folding.`, name));
    folded.set(key, name);

    if (uncompressed > limits.maxEntryUncompressed) {
      throw new Stop(problem('limit-entry-size', `"${name}" declares ${uncompressed} bytes; the limit for one entry is ${limits.maxEntryUncompressed}.`, name, 'limit'));
    }
    total += uncompressed;
    if (total > limits.maxTotalUncompressed) {
      throw new Stop(problem('limit-total-size', `The entries declare more than ${limits.maxTotalUncompressed} bytes in total (the limit).`, name, 'limit'));
    }
    records.push({
      entry: { name, method: method as 0 | 8, flags, crc32: crc, compressedSize: compressed, uncompressedSize: uncompressed, localHeaderOffset: localOffset, dataOffset: 0, isDirectory },
      versionNeeded,
      time,
      date,
      nameBytes,
      zip64Sizes: zip64.uncompressed !== undefined || zip64.compressed !== undefined,
      zip64Offset: zip64.offset !== undefined,
      extraIds: extraIdsOf(extras),
      madeBy,
      externalAttributes,
    });
  }
  if (at !== cd.length) throw new Stop(problem('zip-entry-count', `The end record declares ${entryCount} entries, but the central directory holds more bytes than those records.`));

  await checkLocalHeaders(source, records, cdOffset, signal);
  for (const rec of records) checkFileType(rec);
  archive.entries = records.map((r) => r.entry);
  archive.topLevelDirectory = commonTopLevel(archive.entries);
}

function commonTopLevel(entries: ZipEntry[]): string | null {
  let top: string | null = null;
  for (const e of entries) {
    const slash = e.name.indexOf('/');
    if (slash <= 0) return null;
    const head = e.name.slice(0, slash);
    if (top === null) top = head;
    else if (top !== head) return null;
  }
  return top;
}

/** Every local header against its central record, and the strict contiguous layout. */
async function checkLocalHeaders(source: ByteSource, records: CentralRecord[], cdOffset: number, signal: AbortSignal | undefined): Promise<void> {
  const ordered = [...records].sort((a, b) => a.entry.localHeaderOffset - b.entry.localHeaderOffset);
  let window: { start: number; bytes: Uint8Array } = { start: 0, bytes: new Uint8Array(0) };
  const bytesAt = async (offset: number, length: number): Promise<Uint8Array> => {
    if (offset + length > cdOffset) return new Uint8Array(0);
    if (offset < window.start || offset + length > window.start + window.bytes.length) {
      const want = Math.min(Math.max(length, LOCAL_WINDOW), cdOffset - offset);
      window = { start: offset, bytes: await source.read(offset, want) };
    }
    return window.bytes.subarray(offset - window.start, offset - window.start + length);
  };

  let expected = 0;
  for (const rec of ordered) {
    throwIfAborted(signal);
    const e = rec.entry;
    const name = e.name;
    if (e.localHeaderOffset !== expected) {
      if (expected === 0) throw new Stop(problem('zip-prefix-bytes', `The archive has ${e.localHeaderOffset} bytes before its first entry.`, name));
      throw new Stop(
        e.localHeaderOffset > expected
          ? problem('zip-gap', `${e.localHeaderOffset - expected} unaccounted bytes lie before "${name}".`, name)
          : problem('zip-overlap', `"${name}" overlaps the entry before it.`, name),
      );
    }
    const head = await bytesAt(e.localHeaderOffset, 30);
    if (head.length < 30 || u32(head, 0) !== SIG_LOCAL) throw new Stop(problem('zip-local-signature', `"${name}": no valid local header where the central directory says it is.`, name));
    const versionNeeded = u16(head, 4);
    const flags = u16(head, 6);
    const method = u16(head, 8);
    const time = u16(head, 10);
    const date = u16(head, 12);
    let crc = u32(head, 14);
    let compressed = u32(head, 18);
    let uncompressed = u32(head, 22);
    const nameLength = u16(head, 26);
    const extraLength = u16(head, 28);
    const variable = await bytesAt(e.localHeaderOffset + 30, nameLength + extraLength);
    if (variable.length < nameLength + extraLength) throw new Stop(problem('zip-entry-bounds', `"${name}": its local header runs into the central directory.`, name));
    const localName = variable.subarray(0, nameLength);
    if (localName.length !== rec.nameBytes.length || localName.some((b, i) => b !== rec.nameBytes[i])) {
      throw new Stop(problem('zip-local-name', `"${name}": the local header names it "${new TextDecoder().decode(localName).slice(0, 120)}".`, name));
    }
    const extras = parseExtras(variable.subarray(nameLength), 'The local header', name);
    if (extraIdsOf(extras) !== rec.extraIds) {
      throw new Stop(problem('zip-local-mismatch', `"${name}": the local header carries extra fields [${extraIdsOf(extras)}] but the central directory [${rec.extraIds}].`, name));
    }
    const unicodePath = extras.find((x) => x.id === EXTRA_UNICODE_PATH);
    if (unicodePath) checkUnicodeExtra(unicodePath, rec.nameBytes, name, crc32Table, 'path', name);
    if (extras.some((x) => x.id === EXTRA_AES)) throw new Stop(problem('zip-encrypted', `"${name}" is encrypted; evidence bundles are never encrypted.`, name));
    const zip64Field = extras.find((x) => x.id === EXTRA_ZIP64);
    if (compressed === U32_MAX || uncompressed === U32_MAX) {
      // A local ZIP64 field carries both sizes, in this order.
      if (!zip64Field || zip64Field.data.length !== 16) throw new Stop(problem('zip-zip64-extra', `The local header of "${name}": a ZIP64 field with both sizes is required.`, name));
      uncompressed = u64(zip64Field.data, 0);
      compressed = u64(zip64Field.data, 8);
    } else if (zip64Field) {
      throw new Stop(problem('zip-zip64-extra', `The local header of "${name}" has a ZIP64 field its sizes do not call for.`, name));
    }
    const mismatch = (field: string, local: number, central: number) =>
      new Stop(problem('zip-local-mismatch', `"${name}": the local header says ${field} ${local} but the central directory says ${central}.`, name));
    // Writers (Python's zipfile among them) give a local header the version its entry needs
    // and the central record 4.5 when only the central record needs ZIP64, for the offset.
    const offsetOnlyZip64 = rec.zip64Offset && !rec.zip64Sizes && rec.versionNeeded === 45 && (versionNeeded === 10 || versionNeeded === 20);
    if (versionNeeded !== rec.versionNeeded && !offsetOnlyZip64) throw mismatch('version needed', versionNeeded, rec.versionNeeded);
    if (flags !== e.flags) throw mismatch('flags', flags, e.flags);
    if (method !== e.method) throw mismatch('method', method, e.method);
    if (time !== rec.time || date !== rec.date) throw new Stop(problem('zip-local-mismatch', `"${name}": the local header's modification time differs from the central directory's.`, name));
    const deferred = (e.flags & 0x0008) !== 0;
    if (!(deferred && crc === 0) && crc !== e.crc32) throw mismatch('CRC-32', crc, e.crc32);
    if (!(deferred && compressed === 0) && compressed !== e.compressedSize) throw mismatch('compressed size', compressed, e.compressedSize);
    if (!(deferred && uncompressed === 0) && uncompressed !== e.uncompressedSize) throw mismatch('uncompressed size', uncompressed, e.uncompressedSize);

    e.dataOffset = e.localHeaderOffset + 30 + nameLength + extraLength;
    let end = e.dataOffset + e.compressedSize;
    if (end > cdOffset) throw new Stop(problem('zip-entry-bounds', `"${name}": its ${e.compressedSize} bytes of data run past the central directory.`, name));
    if (deferred) end += await descriptorLength(bytesAt, end, cdOffset, e, rec.zip64Sizes);
    expected = end;
  }
  if (expected !== cdOffset) {
    throw new Stop(
      expected < cdOffset
        ? problem('zip-gap', `${cdOffset - expected} unaccounted bytes lie between the last entry and the central directory.`)
        : problem('zip-overlap', 'The last entry overlaps the central directory.'),
    );
  }
}

/** The length of the data descriptor after an entry, which must match the central record. */
async function descriptorLength(
  bytesAt: (offset: number, length: number) => Promise<Uint8Array>,
  at: number,
  cdOffset: number,
  e: ZipEntry,
  zip64: boolean,
): Promise<number> {
  const room = Math.min(24, cdOffset - at);
  const d = await bytesAt(at, room);
  const layouts: Array<[number, boolean]> = zip64 ? [[4, true], [0, true]] : [[4, false], [0, false]];
  for (const [sigLength, wide] of layouts) {
    const length = sigLength + 4 + (wide ? 16 : 8);
    if (length > d.length) continue;
    if (sigLength && u32(d, 0) !== SIG_DESCRIPTOR) continue;
    const crc = u32(d, sigLength);
    const compressed = wide ? u64(d, sigLength + 4) : u32(d, sigLength + 4);
    const uncompressed = wide ? u64(d, sigLength + 12) : u32(d, sigLength + 8);
    if (crc === e.crc32 && compressed === e.compressedSize && uncompressed === e.uncompressedSize) return length;
  }
  throw new Stop(problem('zip-descriptor', `"${e.name}": its data descriptor is missing or disagrees with the central directory.`, e.name));
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

function inflateError(name: string, declared: number, e: unknown): ZipEntryError {
  const message = (e as Error).message;
  if (message.startsWith('inflates to more than')) return new ZipEntryError('entry-size-mismatch', name, `"${name}" inflates to more than its declared ${declared} bytes.`);
  return new ZipEntryError('entry-inflate-failed', name, `"${name}": ${message}.`);
}

/** Entries this small (compressed) are inflated in one call: stream set-up costs more. */
const ONE_SHOT_LIMIT = 1024 * 1024;

/**
 * Streams an entry's inflated bytes, enforcing the declared uncompressed size while
 * streaming (it stops the moment output exceeds it) and the CRC-32 at the end.
 */
export async function* readEntry(archive: ZipArchive, entry: ZipEntry, platform: Platform, options: ReadEntryOptions = {}): AsyncGenerator<Uint8Array> {
  if (archive.findings.length > 0) throw new ZipEntryError('entry-unreadable', entry.name, 'The archive is malformed; its entries are not read.');
  const { signal, onBytes } = options;
  const chunkSize = options.chunkSize ?? 4 * 1024 * 1024;
  const source = archive.source;
  const name = entry.name;
  let crc = 0;
  let produced = 0;
  const account = (out: Uint8Array) => {
    produced += out.length;
    if (produced > entry.uncompressedSize) throw new ZipEntryError('entry-size-mismatch', name, `"${name}" inflates to more than its declared ${entry.uncompressedSize} bytes.`);
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
      let pending: Promise<Uint8Array> | null = entry.compressedSize > 0 ? source.read(entry.dataOffset, Math.min(chunkSize, entry.compressedSize)) : null;
      while (pending) {
        throwIfAborted(signal);
        const chunk = await pending;
        offset += chunk.length;
        // Read ahead while this chunk is inflated and hashed.
        pending = offset < entry.compressedSize ? source.read(entry.dataOffset + offset, Math.min(chunkSize, entry.compressedSize - offset)) : null;
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
    throw new ZipEntryError('entry-size-mismatch', name, `"${name}" inflates to ${produced} bytes, not its declared ${entry.uncompressedSize}.`);
  }
  if (crc >>> 0 !== entry.crc32) {
    throw new ZipEntryError('entry-crc-mismatch', name, `"${name}": CRC-32 of its content is ${(crc >>> 0).toString(16).padStart(8, '0')}, but the archive declares ${entry.crc32.toString(16).padStart(8, '0')}.`);
  }
}

/** Reads a small entry whole (tag files, packet, signatures). Fails above `maxBytes`. */
export async function readEntryBytes(archive: ZipArchive, entry: ZipEntry, platform: Platform, options: ReadEntryOptions & { maxBytes?: number } = {}): Promise<Uint8Array> {
  const max = options.maxBytes ?? 64 * 1024 * 1024;
  if (entry.uncompressedSize > max) throw new ZipEntryError('entry-too-large', entry.name, `"${entry.name}" declares ${entry.uncompressedSize} bytes, more than the ${max} read here.`);
  const out = new Uint8Array(entry.uncompressedSize);
  let at = 0;
  for await (const chunk of readEntry(archive, entry, platform, options)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export type { ProgressListener };
