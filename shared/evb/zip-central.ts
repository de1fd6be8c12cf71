// The central directory of an EVB/1 container (spec section 1): every central record read
// and checked in one pass (fields, names, extra fields, what a bundle may hold, the size
// limits, name collisions and file/directory conflicts), each problem a finding that does
// not stop the reading unless the record cannot be read past (see the table in zip.ts).
// Also the extra-field helpers the local-header checks (zip-local.ts) share with it.

import type { ByteSource } from '../platform/ports';
import { throwIfAborted } from '../platform/ports';
import type { Finding } from './report';
import {
  CENTRAL_LENGTH,
  EXTRA_AES,
  EXTRA_UNICODE_COMMENT,
  EXTRA_UNICODE_PATH,
  EXTRA_ZIP64,
  SIG_CENTRAL,
  Stop,
  U16_MAX,
  U32_MAX,
  checkUnicodeExtra,
  parseExtras,
  plural,
  problem,
  quoteEntry,
  readCentralZip64,
  u16,
  u32,
} from './zip-fields';
import type { ExtraField, Zip64Values } from './zip-fields';
import { checkEntryName, decodeName, foldName } from './zip-names';
import type { ZipArchive, ZipEntry, ZipLimits } from './zip';

/** What the per-entry passes share with openZip's reader: its inputs, and where findings go. */
export interface ReadState {
  readonly source: ByteSource;
  readonly limits: ZipLimits;
  readonly signal: AbortSignal | undefined;
  readonly archive: ZipArchive;
  readonly onEntryReady?: ((entry: ZipEntry) => void) | undefined;
  /** Records a finding that does not stop the reading. */
  add(f: Finding): void;
  /** For a per-entry check's catch: a Stop becomes a finding and the reading goes on. */
  caught(x: unknown): void;
}

const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const FLAG_MASKED_HEADERS = 0x2000;
/** Bits 1 and 2 (deflate options), 3 (data descriptor) and 11 (UTF-8). */
const FLAGS_ALLOWED = 0x0002 | 0x0004 | FLAG_DESCRIPTOR | FLAG_UTF8;
/** The highest "version needed to extract" (lower byte) a bundle needs: 4.5, ZIP64. */
const MAX_VERSION_NEEDED = 45;

export interface CentralRecord {
  entry: ZipEntry;
  index: number;
  versionNeeded: number;
  nameBytes: Uint8Array;
  /** The name after NFC and case folding (foldName), which collisions are judged on. */
  key: string;
  /** The central record takes its sizes from a ZIP64 field. */
  zip64Sizes: boolean;
  /** The central record takes its local header offset from a ZIP64 field. */
  zip64Offset: boolean;
  /** The central record carries a Unicode Path field (refused there: not reported twice). */
  unicodePath: boolean;
  /** The central record is refused for encryption (not reported twice). */
  encrypted: boolean;
}

/** Where an entry is and how big, from its central record (and ZIP64 field). */
interface Placement {
  compressed: number;
  uncompressed: number;
  offset: number;
  zip64Sizes: boolean;
  zip64Offset: boolean;
}

/**
 * Every central record: fields, names, extras, limits. `complete` is false when some
 * record's sizes or offset could not be established, so the layout cannot be checked.
 */
// Long because it is one pass over the records with the checks of each field in table order
// (see the table at the top); the running totals and name folds it keeps are shared by all.
export function readCentralDirectory(
  state: ReadState,
  cd: Uint8Array,
  entryCount: number,
): { records: CentralRecord[]; complete: boolean } {
  const { limits } = state;
  const records: CentralRecord[] = [];
  const folded = new Map<string, string>();
  let complete = true;
  let total = 0;
  let totalReported = false;
  let at = 0;
  for (let i = 0; i < entryCount; i++) {
    if ((i & 4095) === 0) throwIfAborted(state.signal);
    if (at + CENTRAL_LENGTH > cd.length)
      throw new Stop(
        problem(
          'zip-entry-count',
          `The end record declares ${plural(entryCount, 'entry', 'entries')}, but the central directory holds only ${i}.`,
        ),
      );
    if (u32(cd, at) !== SIG_CENTRAL)
      throw new Stop(
        problem('zip-cd-signature', `Central directory record ${i + 1} (byte ${at} of the directory) has no valid signature.`),
      );
    const madeBy = u16(cd, at + 4);
    const versionNeeded = u16(cd, at + 6);
    const flags = u16(cd, at + 8);
    const method = u16(cd, at + 10);
    const crc = u32(cd, at + 16);
    const compressed32 = u32(cd, at + 20);
    const uncompressed32 = u32(cd, at + 24);
    const nameLength = u16(cd, at + 28);
    const extraLength = u16(cd, at + 30);
    const commentLength = u16(cd, at + 32);
    const diskStart = u16(cd, at + 34);
    const externalAttributes = u32(cd, at + 38);
    const offset32 = u32(cd, at + 42);
    const end = at + CENTRAL_LENGTH + nameLength + extraLength + commentLength;
    if (end > cd.length)
      throw new Stop(
        problem(
          'zip-cd-overflow',
          `Central directory record ${i + 1}: its name, extra field and comment (${nameLength + extraLength + commentLength} bytes) run ${end - cd.length} bytes past the directory.`,
        ),
      );
    const nameAt = at + CENTRAL_LENGTH;
    const nameBytes = cd.subarray(nameAt, nameAt + nameLength);
    at = end;

    const decoded = decodeName(nameBytes, flags, i);
    const name = decoded.name;
    if (decoded.problem) state.add(decoded.problem);
    const where = 'the central directory record';

    // Where the entry is and how big: without these the layout cannot be checked.
    let extras: readonly ExtraField[] = NO_EXTRAS;
    let known: Placement | null = null;
    try {
      if (extraLength > 0) extras = parseExtras(cd.subarray(nameAt + nameLength, nameAt + nameLength + extraLength), where, name);
      known = placement(extras, compressed32, uncompressed32, offset32, diskStart, name);
    } catch (x) {
      state.caught(x);
    }
    const isDirectory = name.endsWith('/');

    // What a bundle may hold (the first problem of the entry).
    try {
      const aes = extraField(extras, EXTRA_AES);
      if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADERS) || method === 99 || aes) {
        const how =
          flags & FLAG_STRONG_ENCRYPTION
            ? 'strong encryption'
            : flags & FLAG_MASKED_HEADERS
              ? 'an encrypted central directory'
              : method === 99 || aes
                ? 'AES encryption'
                : 'traditional PKWARE encryption';
        throw new Stop(problem('zip-encrypted', `${quoteEntry(name)}: the entry uses ${how}; evidence bundles are never encrypted.`, name));
      }
      if (flags & ~FLAGS_ALLOWED)
        throw new Stop(
          problem(
            'zip-flags',
            `${quoteEntry(name)}: the entry sets general-purpose flags 0x${(flags & ~FLAGS_ALLOWED).toString(16).padStart(4, '0')}, which a bundle never needs (only bits 1, 2, 3 and 11 are allowed).`,
            name,
          ),
        );
      if (method !== 0 && method !== 8)
        throw new Stop(
          problem(
            'zip-method',
            `${quoteEntry(name)}: the entry uses compression method ${method}; only 0 (stored) and 8 (deflate) are allowed.`,
            name,
          ),
        );
      if ((versionNeeded & 0xff) > MAX_VERSION_NEEDED)
        throw new Stop(
          problem(
            'zip-version',
            `${quoteEntry(name)}: the entry needs zip version ${((versionNeeded & 0xff) / 10).toFixed(1)} to extract; a bundle needs at most 4.5 (ZIP64).`,
            name,
          ),
        );
      if (extraField(extras, EXTRA_UNICODE_PATH)) throw unicodePathRefused(where, name);
      const unicodeComment = extraField(extras, EXTRA_UNICODE_COMMENT);
      if (unicodeComment) {
        const commentBytes = cd.subarray(nameAt + nameLength + extraLength, end);
        checkUnicodeExtra(unicodeComment, commentBytes, new TextDecoder().decode(commentBytes), 'comment', where, name);
      }
      if (known && method === 0 && known.compressed !== known.uncompressed) {
        throw new Stop(
          problem(
            'zip-stored-size',
            `${quoteEntry(name)}: the entry is stored (not compressed) but declares ${known.compressed} compressed and ${known.uncompressed} uncompressed bytes.`,
            name,
          ),
        );
      }
      if (!decoded.problem) {
        const nameProblem = checkEntryName(name, isDirectory);
        if (nameProblem) throw new Stop(nameProblem);
      }
      if (known && isDirectory && known.uncompressed !== 0)
        throw new Stop(
          problem(
            'zip-directory-size',
            `${quoteEntry(name)}: a directory entry (its name ends with "/") with ${known.uncompressed} bytes of content.`,
            name,
          ),
        );
      checkFileType(madeBy, externalAttributes, name);
    } catch (x) {
      state.caught(x);
    }

    const key = foldName(name);
    if (!decoded.problem) {
      const clash = folded.get(key);
      if (clash !== undefined) {
        state.add(
          problem(
            'zip-name-duplicate',
            `${quoteEntry(name)}: the name is the same as "${clash.slice(0, 160)}" after Unicode normalization (NFC) and case folding; readers and file systems would take them for one file.`,
            name,
          ),
        );
      } else folded.set(key, name);
    }

    if (!known) {
      complete = false;
      continue;
    }
    if (known.uncompressed > limits.maxEntryUncompressed) {
      state.add(
        problem(
          'limit-entry-size',
          `${quoteEntry(name)}: the entry declares ${known.uncompressed} bytes; the limit for one entry is ${limits.maxEntryUncompressed}.`,
          name,
          'limit',
        ),
      );
    }
    total += known.uncompressed;
    if (total > limits.maxTotalUncompressed && !totalReported) {
      totalReported = true;
      state.add(
        problem(
          'limit-total-size',
          `The entries declare more than ${limits.maxTotalUncompressed} bytes in total (the limit), reached at ${quoteEntry(name)}.`,
          name,
          'limit',
        ),
      );
    }
    records.push({
      entry: {
        name,
        method: method as 0 | 8,
        flags,
        crc32: crc,
        compressedSize: known.compressed,
        uncompressedSize: known.uncompressed,
        localHeaderOffset: known.offset,
        dataOffset: 0,
        isDirectory,
      },
      index: i,
      versionNeeded,
      nameBytes,
      key,
      zip64Sizes: known.zip64Sizes,
      zip64Offset: known.zip64Offset,
      unicodePath: extras !== NO_EXTRAS && extraField(extras, EXTRA_UNICODE_PATH) !== undefined,
      encrypted: extras !== NO_EXTRAS && extraField(extras, EXTRA_AES) !== undefined,
    });
  }
  if (at !== cd.length)
    state.add(
      problem(
        'zip-entry-count',
        `The end record declares ${plural(entryCount, 'entry', 'entries')}, but ${plural(cd.length - at, 'byte', 'bytes')} of the central directory follow the last of them.`,
      ),
    );
  checkNameConflicts(state, records);
  return { records, complete };
}

/** A file may not also be a directory that other entries lie under ("b/x" and "b/x/y"). */
function checkNameConflicts(state: ReadState, records: CentralRecord[]): void {
  const files = new Map<string, string>();
  for (const r of records) if (!r.entry.isDirectory) files.set(r.key, r.entry.name);
  const reported = new Set<string>();
  const seen = new Set<string>();
  // Once a name's longest prefix is seen, so are its shorter ones: names in the directory
  // of the name before need no slicing.
  let previous = '';
  for (const r of records) {
    const name = r.entry.name;
    const last = name.lastIndexOf('/', name.length - 2);
    if (last > 0 && previous.length === last && name.startsWith(previous)) continue;
    previous = last > 0 ? name.slice(0, last) : '';
    for (let slash = name.indexOf('/'); slash > 0 && slash < name.length - 1; slash = name.indexOf('/', slash + 1)) {
      const prefix = name.slice(0, slash);
      if (seen.has(prefix)) continue;
      seen.add(prefix);
      const key = foldName(prefix);
      const file = files.get(key);
      if (file !== undefined && !reported.has(key)) {
        reported.add(key);
        state.add(
          problem(
            'zip-name-conflict',
            `${quoteEntry(file)}: the entry is a file, yet "${name.slice(0, 160)}" lies under it as if it were a directory.`,
            file,
          ),
        );
      }
    }
  }
}

/**
 * Where an entry is and how big, from its central record's fields and ZIP64 field. Most
 * records have no ZIP64 field and no all-ones marker: their fields are the answer.
 */
function placement(
  extras: readonly ExtraField[],
  compressed32: number,
  uncompressed32: number,
  offset32: number,
  diskStart: number,
  name: string,
): Placement {
  const field = extraField(extras, EXTRA_ZIP64);
  const z =
    field || compressed32 === U32_MAX || uncompressed32 === U32_MAX || offset32 === U32_MAX || diskStart === U16_MAX
      ? readCentralZip64(
          field,
          {
            uncompressed: uncompressed32 === U32_MAX,
            compressed: compressed32 === U32_MAX,
            offset: offset32 === U32_MAX,
            disk: diskStart === U16_MAX,
          },
          offset32,
          name,
        )
      : NO_ZIP64;
  const disk = z.disk ?? diskStart;
  if (disk !== 0)
    throw new Stop(
      problem('zip-multidisk', `${quoteEntry(name)}: the entry starts on disk ${disk}; split archives are not evidence bundles.`, name),
    );
  return {
    compressed: z.compressed ?? compressed32,
    uncompressed: z.uncompressed ?? uncompressed32,
    offset: z.offset ?? offset32,
    zip64Sizes: z.compressed !== undefined || z.uncompressed !== undefined,
    zip64Offset: z.offset !== undefined,
  };
}

const NO_ZIP64: Readonly<Zip64Values> = Object.freeze({});

export const NO_EXTRAS: readonly ExtraField[] = Object.freeze([]);

export function extraField(extras: readonly ExtraField[], id: number): ExtraField | undefined {
  for (const x of extras) if (x.id === id) return x;
  return undefined;
}

/** Spec 1: a Unicode Path field (0x7075) would give an entry a second name, whatever it says. */
export function unicodePathRefused(where: string, name: string): Stop {
  return new Stop(
    problem(
      'zip-unicode-extra',
      `${quoteEntry(name)}: ${where} carries an Info-ZIP Unicode Path field (0x7075), which would give the entry a second name; bundles refuse it.`,
      name,
    ),
  );
}

/** Bundles hold regular files and directories only (Unix hosts: 3, and 19 for OS X). */
function checkFileType(madeBy: number, externalAttributes: number, name: string): void {
  const host = madeBy >> 8;
  if (host !== 3 && host !== 19) return;
  const type = (externalAttributes >>> 16) & 0o170000;
  if (type === 0o120000)
    throw new Stop(
      problem('zip-symlink', `${quoteEntry(name)}: the entry is a symbolic link; bundles hold only regular files and directories.`, name),
    );
  if (type !== 0 && type !== 0o100000 && type !== 0o040000) {
    throw new Stop(
      problem(
        'zip-symlink',
        `${quoteEntry(name)}: the entry is a special file (Unix type 0o${type.toString(8)}); bundles hold only regular files and directories.`,
        name,
      ),
    );
  }
}
