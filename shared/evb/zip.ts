// Strict ZIP reader for EVB/1 containers (spec section 1), over a random-access ByteSource:
// the whole archive is never held in memory (bundles may pass 4 GiB; offsets are numbers up
// to 2^53), and no entry is inflated before the end records, the central directory, the
// limits and its own local header have been checked (openZip's onEntryReady hands entries
// out in that state; everything else waits for openZip to return with no finding).
// Low-level fields are in zip-fields.ts, the name rules in zip-names.ts, reading an entry's
// bytes in zip-entry.ts. What remains here is one reader (Reader and the local-header checks
// it calls) whose steps share the archive's layout as it is established, so it stays one file.
//
// openZip never throws for a bad archive; it returns findings (severity 'malformed'). It
// keeps going where it still knows where everything is, so one archive can yield several
// findings: at most one per entry from its central record, one from its local header, one
// from its position in the layout, plus name collisions and limits. It stops at the first
// problem it cannot read past (end records, directory bounds, a broken directory record),
// and after MAX_FINDINGS. When there are findings, `entries` is empty.
//
// Finding codes, layer 'container' unless noted:
//
// | code                      | what is wrong                                                        | stops? |
// | ------------------------- | -------------------------------------------------------------------- | ------ |
// | zip-too-short             | fewer bytes than an end-of-central-directory (EOCD) record           | yes    |
// | zip-no-eocd               | no EOCD signature in the last 65,557 bytes                           | yes    |
// | zip-eocd-comment-length   | no EOCD whose comment length reaches the end of the file exactly     | yes    |
// |                           | (junk after the archive, or a comment longer/shorter than declared)  |        |
// | zip-multiple-eocd         | another EOCD signature after (inside the comment of) the real one    | yes    |
// | zip-multidisk             | a disk number other than 0 in the EOCD, ZIP64 records or an entry     | yes*   |
// | zip-eocd64                | ZIP64 locator/record missing when the EOCD defers to it, at the      | yes    |
// |                           | wrong place, not immediately before the locator, of another size,    |        |
// |                           | or disagreeing with the EOCD                                         |        |
// | zip-cd-bounds             | the central directory does not end exactly where the (ZIP64) EOCD    | yes    |
// |                           | begins (size, offset or both wrong; a gap before the EOCD)           |        |
// | zip-cd-signature          | a central directory record without its signature                     | yes    |
// | zip-cd-overflow           | a record's name, extra field or comment runs past the directory      | yes    |
// | zip-entry-count           | the EOCD's entry count disagrees with the records in the directory   | yes**  |
// | zip-extra-malformed       | an extra-field chain whose id+size headers do not fill it exactly    | no     |
// | zip-extra-duplicate       | the same extra-field id twice in one header                          | no     |
// | zip-zip64-extra           | a ZIP64 extra field missing, of the wrong size, or not called for     | no     |
// | zip-unicode-extra         | an Info-ZIP Unicode path field (0x7075), in either header: it would   | no     |
// |                           | give the entry a second name; or a Unicode comment field (0x6375)    |        |
// |                           | that is malformed or says something other than the header            |        |
// | zip-encrypted             | encryption: flag bit 0, 6 or 13, method 99, AES extra field 0x9901    | no     |
// | zip-flags                 | general-purpose flags other than bits 1, 2, 3 and 11                  | no     |
// | zip-version               | a "version needed to extract" above 4.5 in its lower byte (the upper | no     |
// |                           | byte names the host system and is ignored)                           |        |
// | zip-method                | a compression method other than 0 (stored) and 8 (deflate)           | no     |
// | zip-stored-size           | a stored entry whose compressed and uncompressed sizes differ        | no     |
// | zip-symlink               | a symbolic link or another non-regular file (Unix host, 3 or 19, and | no     |
// |                           | a file type other than regular file or directory)                    |        |
// | zip-name-encoding         | a name with non-ASCII bytes without flag bit 11, or invalid UTF-8    | no     |
// | zip-name-control          | a C0 or C1 control character or DEL (U+0000-001F, U+007F-009F)       | no     |
// | zip-name-absolute         | a name starting with "/" or a drive letter ("C:")                    | no     |
// | zip-name-backslash        | a "\" in a name                                                      | no     |
// | zip-name-segment          | an empty name, or an empty, "." or ".." segment                      | no     |
// | zip-name-not-nfc          | a name not in Unicode NFC                                            | no     |
// | zip-name-windows          | a name a Windows reader would alias: a segment ending in "." or a    | no     |
// |                           | space, holding : * ? " < > |, or with a reserved device stem (CON,   |        |
// |                           | PRN, AUX, NUL, COM1-9, LPT1-9)                                       |        |
// | zip-name-duplicate        | two names equal after NFC and case folding (see foldName)            | no     |
// | zip-name-conflict         | a file whose name is also a directory other entries lie under       | no     |
// | zip-directory-size        | a directory entry (name ending "/") with content                     | no     |
// | zip-prefix-bytes          | bytes before the first local header                                  | no     |
// | zip-gap                   | bytes no entry accounts for, between entries or before the directory | no     |
// | zip-overlap               | an entry overlapping the one before it, or the central directory     | no     |
// | zip-local-signature       | no local header signature where the central directory points         | no     |
// | zip-entry-bounds          | a local header or entry data running into the central directory       | no     |
// | zip-local-mismatch        | a local header disagreeing with its central record: version needed   | no     |
// |                           | (lower byte), flag bits 0, 3 and 11, method, CRC-32 or sizes. Which  |        |
// |                           | extra fields each header carries, and time and date, may differ      |        |
// |                           | (spec 1: 7-Zip, Info-ZIP and others make them differ)                |        |
// | zip-local-name            | a local header whose name bytes differ from the central record's     | no     |
// | zip-descriptor            | flag bit 3 without a data descriptor (signed or not, 32- or 64-bit)  | no     |
// |                           | exactly filling the space to the next entry and matching the record  |        |
// | zip-too-many-findings     | MAX_FINDINGS reached; the rest of the archive was not examined       | yes    |
// | limit-entries             | (layer 'limit') more entries than limits.maxEntries                  | yes    |
// | limit-central-directory   | (layer 'limit') a central directory above the bound, before reading  | yes    |
// | limit-entry-size          | (layer 'limit') an entry declaring more than maxEntryUncompressed    | no     |
// | limit-total-size          | (layer 'limit') declared sizes adding up past maxTotalUncompressed   | no     |
//
// * a disk number in one entry's record does not stop the reading of the directory.
// ** leftover bytes after the declared number of records do not stop it either.
//
// ZipEntryError codes, thrown while an entry is read (readEntry, readEntryBytes):
// entry-size-mismatch (inflates to more or fewer bytes than declared: checked while
// streaming), entry-crc-mismatch, entry-inflate-failed (a corrupt or truncated deflate
// stream, or bytes after its end), entry-too-large (readEntryBytes above maxBytes, before
// reading), entry-unreadable (the archive has findings).

import type { ByteSource, ProgressListener } from '../platform/ports';
import { throwIfAborted } from '../platform/ports';
import type { Finding } from './report';
import { ZIP_LIMITS } from './limits';
import {
  CENTRAL_LENGTH,
  EOCD64_LENGTH,
  EOCD_LENGTH,
  EXTRA_AES,
  EXTRA_UNICODE_COMMENT,
  EXTRA_UNICODE_PATH,
  EXTRA_ZIP64,
  LOCAL_LENGTH,
  LOCATOR64_LENGTH,
  SIG_CENTRAL,
  SIG_DESCRIPTOR,
  SIG_EOCD,
  SIG_EOCD64,
  SIG_LOCAL,
  SIG_LOCATOR64,
  Stop,
  U16_MAX,
  U32_MAX,
  checkUnicodeExtra,
  parseExtras,
  plural,
  problem,
  quoteEntry,
  readCentralZip64,
  shownNumber,
  u16,
  u32,
  u64,
} from './zip-fields';
import type { ExtraField, Zip64Values } from './zip-fields';
import { checkEntryName, decodeName, foldName } from './zip-names';

export { checkEntryName } from './zip-names';

export interface ZipLimits {
  /** Most entries in the central directory. */
  maxEntries: number;
  /** Most declared uncompressed bytes over all entries. */
  maxTotalUncompressed: number;
  /** Most declared uncompressed bytes of one entry. */
  maxEntryUncompressed: number;
  /**
   * Most bytes of central directory read (in one read) before anything else is checked.
   * Default: maxEntries x CENTRAL_BYTES_PER_ENTRY (1 KiB per entry, several times what real
   * names and extra fields take), so raising maxEntries raises it too.
   */
  maxCentralDirectory?: number;
}

export const DEFAULT_ZIP_LIMITS: Readonly<ZipLimits> = ZIP_LIMITS;

/** The default central-directory bound per allowed entry (see ZipLimits.maxCentralDirectory). */
const CENTRAL_BYTES_PER_ENTRY = 1024;

/** Findings collected before openZip gives up on an archive. */
export const MAX_FINDINGS = 100;

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
  /**
   * The one top-level directory every entry lies under (the bundle id), or null when the
   * entries do not share one, or the archive has findings. Not a finding here: the
   * verifier reports it.
   */
  topLevelDirectory: string | null;
}

export interface OpenZipOptions {
  limits?: Partial<ZipLimits>;
  signal?: AbortSignal;
  /**
   * Called for each entry as soon as its local header has been checked, while the archive
   * has no finding yet, so a caller can start reading entries before openZip returns. The
   * end records, the central directory and the limits have all been checked by then; a
   * later entry may still make the archive malformed, in which case the caller must
   * discard what it read (openZip's result has findings and no entries).
   */
  onEntryReady?: (entry: ZipEntry) => void;
}

/** Local headers are checked through windows of this many bytes (many small entries each). */
const LOCAL_WINDOW = 1024 * 1024;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const FLAG_MASKED_HEADERS = 0x2000;
/** Bits 1 and 2 (deflate options), 3 (data descriptor) and 11 (UTF-8). */
const FLAGS_ALLOWED = 0x0002 | 0x0004 | FLAG_DESCRIPTOR | FLAG_UTF8;
/** Flag bits the two headers may differ in: 1 and 2 (deflate options), which change no reading. */
const FLAGS_MAY_DIFFER = 0x0002 | 0x0004;
/** The highest "version needed to extract" (lower byte) a bundle needs: 4.5, ZIP64. */
const MAX_VERSION_NEEDED = 45;

/** Thrown once MAX_FINDINGS are collected: per-entry checks let it through. */
class Halt extends Stop {}

interface CentralRecord {
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

/** Where the end records put the central directory. */
interface End {
  entryCount: number;
  cdOffset: number;
  cdSize: number;
  /** Where the directory must end: the ZIP64 record, or the EOCD. */
  cdEnd: number;
  comment: Uint8Array;
  /** The last bytes of the file, read once: small archives are read from here whole. */
  tail: Uint8Array;
  tailStart: number;
}

/**
 * Reads and checks the container. Never throws for a bad archive: problems come back as
 * findings. Rejects only when the source fails to read, or on abort (CancelledError).
 */
export async function openZip(source: ByteSource, options: OpenZipOptions = {}): Promise<ZipArchive> {
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS };
  // Only the limits given: an explicit undefined keeps the default rather than lifting it.
  for (const [key, value] of Object.entries(options.limits ?? {}))
    if (value !== undefined) (limits as unknown as Record<string, number>)[key] = value;
  const archive: ZipArchive = {
    source,
    entries: [],
    findings: [],
    centralDirectoryOffset: 0,
    centralDirectorySize: 0,
    comment: new Uint8Array(0),
    topLevelDirectory: null,
  };
  const reader = new Reader(source, limits, options.signal, archive, options.onEntryReady);
  try {
    await reader.run();
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    archive.findings.push(e.finding);
  }
  if (archive.findings.length > 0) {
    archive.entries = [];
    archive.topLevelDirectory = null;
  }
  return archive;
}

class Reader {
  constructor(
    private readonly source: ByteSource,
    private readonly limits: ZipLimits,
    private readonly signal: AbortSignal | undefined,
    private readonly archive: ZipArchive,
    private readonly onEntryReady?: (entry: ZipEntry) => void,
  ) {}

  /** Records a finding that does not stop the reading. */
  private add(f: Finding): void {
    this.archive.findings.push(f);
    if (this.archive.findings.length >= MAX_FINDINGS) {
      throw new Halt(problem('zip-too-many-findings', `After ${MAX_FINDINGS} findings the rest of the archive was not examined.`));
    }
  }

  /** For a per-entry check's catch: a Stop becomes a finding and the reading goes on. */
  private caught(x: unknown): void {
    if (!(x instanceof Stop) || x instanceof Halt) throw x;
    this.add(x.finding);
  }

  async run(): Promise<void> {
    const end = await this.readEnd();
    const { archive, limits } = this;
    archive.centralDirectoryOffset = end.cdOffset;
    archive.centralDirectorySize = end.cdSize;
    archive.comment = end.comment;

    // Limits before the directory is read.
    if (end.entryCount > limits.maxEntries) {
      throw new Stop(
        problem('limit-entries', `The archive declares ${end.entryCount} entries; the limit is ${limits.maxEntries}.`, undefined, 'limit'),
      );
    }
    const cdBound = limits.maxCentralDirectory ?? limits.maxEntries * CENTRAL_BYTES_PER_ENTRY;
    if (end.cdSize > cdBound) {
      throw new Stop(
        problem(
          'limit-central-directory',
          `The central directory is ${end.cdSize} bytes; the limit is ${cdBound} (it is read whole before anything else).`,
          undefined,
          'limit',
        ),
      );
    }
    if (end.cdSize > end.entryCount * (CENTRAL_LENGTH + 3 * U16_MAX)) {
      throw new Stop(
        problem('zip-entry-count', `The central directory is ${end.cdSize} bytes, more than ${end.entryCount} records can fill.`),
      );
    }
    throwIfAborted(this.signal);
    const cd =
      end.cdOffset >= end.tailStart
        ? end.tail.subarray(end.cdOffset - end.tailStart, end.cdOffset - end.tailStart + end.cdSize)
        : await this.source.read(end.cdOffset, end.cdSize);

    const { records, complete } = this.readCentralDirectory(cd, end.entryCount);
    throwIfAborted(this.signal);
    if (complete) await this.checkLocalHeaders(records, end.cdOffset);
    if (archive.findings.length === 0) {
      archive.entries = records.map((r) => r.entry);
      archive.topLevelDirectory = commonTopLevel(archive.entries);
    }
  }

  /**
   * The EOCD (exactly one, its comment reaching the end of the file), then ZIP64's records.
   * Long because it is the spec's list of end-record checks, one after another, each with its
   * own finding; split, its parts would pass the half-read records between them.
   */
  private async readEnd(): Promise<End> {
    const { source } = this;
    const size = source.size;
    if (size < EOCD_LENGTH)
      throw new Stop(
        problem('zip-too-short', `The file has ${size} bytes, fewer than a zip archive's end record: it is not a zip archive.`),
      );
    throwIfAborted(this.signal);
    const tailLength = Math.min(size, EOCD_LENGTH + U16_MAX);
    const tailStart = size - tailLength;
    const tail = await source.read(tailStart, tailLength);
    const signatures: number[] = [];
    // lastIndexOf finds the candidates natively: a byte loop over 64 KiB ran long enough to
    // be compiled on its own.
    for (let i = tail.lastIndexOf(0x50, tail.length - EOCD_LENGTH); i >= 0; i = i > 0 ? tail.lastIndexOf(0x50, i - 1) : -1)
      if (u32(tail, i) === SIG_EOCD) signatures.push(i);
    if (signatures.length === 0)
      throw new Stop(
        problem(
          'zip-no-eocd',
          'No end-of-central-directory record in the last 65,557 bytes: this is not a zip archive, or it is truncated.',
        ),
      );
    const fitting = signatures.filter((i) => i + EOCD_LENGTH + u16(tail, i + 20) === tail.length);
    if (fitting.length === 0) {
      const last = signatures[0]!;
      const declared = u16(tail, last + 20);
      const actual = tail.length - last - EOCD_LENGTH;
      throw new Stop(
        problem(
          'zip-eocd-comment-length',
          `The end-of-central-directory record at byte ${tailStart + last} declares a ${declared}-byte archive comment, but ${plural(actual, 'byte', 'bytes')} follow${actual === 1 ? 's' : ''} it: ${actual > declared ? 'bytes were appended after the archive' : 'the comment is cut short'}.`,
        ),
      );
    }
    const eocdAt = fitting[fitting.length - 1]!;
    if (fitting.length > 1 || signatures.some((i) => i > eocdAt)) {
      throw new Stop(
        problem(
          'zip-multiple-eocd',
          'The archive comment holds a second end-of-central-directory record: readers could disagree about what this archive holds.',
        ),
      );
    }
    const eocdOffset = tailStart + eocdAt;
    const disk = u16(tail, eocdAt + 4);
    const cdDisk = u16(tail, eocdAt + 6);
    const entriesOnDisk = u16(tail, eocdAt + 8);
    let entryCount = u16(tail, eocdAt + 10);
    let cdSize = u32(tail, eocdAt + 12);
    let cdOffset = u32(tail, eocdAt + 16);
    const comment = tail.slice(eocdAt + EOCD_LENGTH);
    if (disk !== 0 || cdDisk !== 0 || entriesOnDisk !== entryCount) {
      throw new Stop(
        problem(
          'zip-multidisk',
          `The end record describes a split archive (this disk ${disk}, directory on disk ${cdDisk}, ${entriesOnDisk} of ${entryCount} entries here); split archives are not evidence bundles.`,
        ),
      );
    }
    const bytesAt = (offset: number, length: number): Promise<Uint8Array> | Uint8Array =>
      offset >= tailStart ? tail.subarray(offset - tailStart, offset - tailStart + length) : source.read(offset, length);

    let cdEnd = eocdOffset;
    const needs64 = entryCount === U16_MAX || cdSize === U32_MAX || cdOffset === U32_MAX;
    const locatorAt = eocdOffset - LOCATOR64_LENGTH;
    const locator = locatorAt >= 0 ? await bytesAt(locatorAt, LOCATOR64_LENGTH) : null;
    if (locator && u32(locator, 0) === SIG_LOCATOR64) {
      if (u32(locator, 4) !== 0 || u32(locator, 16) !== 1) {
        throw new Stop(
          problem(
            'zip-multidisk',
            `The ZIP64 locator puts the ZIP64 end record on disk ${u32(locator, 4)} of ${u32(locator, 16)}; split archives are not evidence bundles.`,
          ),
        );
      }
      const recordAt = u64(locator, 8);
      // The record is fixed-size (no extensible data: that is for PKWARE's encryption) and
      // sits immediately before the locator: no gap, no overlap.
      if (recordAt + EOCD64_LENGTH !== locatorAt) {
        throw new Stop(
          problem(
            'zip-eocd64',
            recordAt + EOCD64_LENGTH <= locatorAt
              ? `The ZIP64 locator points at byte ${recordAt}, ${locatorAt - recordAt - EOCD64_LENGTH} bytes before where a ZIP64 end record right before it would start (${locatorAt - EOCD64_LENGTH}).`
              : `The ZIP64 locator points at byte ${shownNumber(recordAt)}, where no ZIP64 end record fits before the locator at ${locatorAt}.`,
          ),
        );
      }
      const rec = await bytesAt(recordAt, EOCD64_LENGTH);
      if (u32(rec, 0) !== SIG_EOCD64)
        throw new Stop(
          problem('zip-eocd64', `No ZIP64 end-of-central-directory record signature at byte ${recordAt}, where the locator points.`),
        );
      const recordSize = u64(rec, 4);
      if (recordSize !== EOCD64_LENGTH - 12) {
        const diff = EOCD64_LENGTH - 12 - recordSize;
        throw new Stop(
          problem(
            'zip-eocd64',
            `The ZIP64 end record declares ${shownNumber(recordSize)} bytes after its size field, so it ${diff > 0 ? `ends ${diff} bytes before its locator (a gap)` : 'claims extensible data or runs past its locator'}; it must be ${EOCD64_LENGTH - 12} bytes, ending where the locator begins.`,
          ),
        );
      }
      if (u32(rec, 16) !== 0 || u32(rec, 20) !== 0 || u64(rec, 24) !== u64(rec, 32)) {
        throw new Stop(
          problem(
            'zip-multidisk',
            'The ZIP64 end record describes a split archive (a disk number other than 0, or entries on other disks).',
          ),
        );
      }
      const count64 = u64(rec, 32);
      const size64 = u64(rec, 40);
      const offset64 = u64(rec, 48);
      const differs = (v32: number, marker: number, v64: number) => v32 !== marker && v32 !== v64;
      const disagreements = [
        differs(entryCount, U16_MAX, count64) && `${plural(entryCount, 'entry', 'entries')} against ${shownNumber(count64)}`,
        differs(cdSize, U32_MAX, size64) && `a ${cdSize}-byte directory against ${shownNumber(size64)} bytes`,
        differs(cdOffset, U32_MAX, offset64) && `a directory at byte ${cdOffset} against ${shownNumber(offset64)}`,
      ].filter(Boolean);
      if (disagreements.length)
        throw new Stop(problem('zip-eocd64', `The end record and its ZIP64 twin disagree: ${disagreements.join('; ')}.`));
      entryCount = count64;
      cdSize = size64;
      cdOffset = offset64;
      cdEnd = recordAt;
    } else if (needs64) {
      throw new Stop(problem('zip-eocd64', 'The end record defers to ZIP64 values (all-ones fields), but no ZIP64 locator precedes it.'));
    }
    if (
      !Number.isSafeInteger(entryCount) ||
      !Number.isSafeInteger(cdSize) ||
      !Number.isSafeInteger(cdOffset) ||
      cdOffset + cdSize !== cdEnd
    ) {
      const where =
        cdOffset + cdSize < cdEnd
          ? `${plural(cdEnd - cdOffset - cdSize, 'byte', 'bytes')} before it`
          : `overlapping it by ${plural(cdOffset + cdSize - cdEnd, 'byte', 'bytes')}`;
      throw new Stop(
        problem(
          'zip-cd-bounds',
          `The central directory (${shownNumber(cdSize)} bytes at byte ${shownNumber(cdOffset)}) does not end where the ${cdEnd === eocdOffset ? 'end record' : 'ZIP64 end record'} begins (byte ${cdEnd}): it ends ${where}.`,
        ),
      );
    }
    return { entryCount, cdOffset, cdSize, cdEnd, comment, tail, tailStart };
  }

  /**
   * Every central record: fields, names, extras, limits. `complete` is false when some
   * record's sizes or offset could not be established, so the layout cannot be checked.
   */
  // Long because it is one pass over the records with the checks of each field in table order
  // (see the table at the top); the running totals and name folds it keeps are shared by all.
  private readCentralDirectory(cd: Uint8Array, entryCount: number): { records: CentralRecord[]; complete: boolean } {
    const { limits } = this;
    const records: CentralRecord[] = [];
    const folded = new Map<string, string>();
    let complete = true;
    let total = 0;
    let totalReported = false;
    let at = 0;
    for (let i = 0; i < entryCount; i++) {
      if ((i & 4095) === 0) throwIfAborted(this.signal);
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
      if (decoded.problem) this.add(decoded.problem);
      const where = 'the central directory record';

      // Where the entry is and how big: without these the layout cannot be checked.
      let extras: readonly ExtraField[] = NO_EXTRAS;
      let known: Placement | null = null;
      try {
        if (extraLength > 0) extras = parseExtras(cd.subarray(nameAt + nameLength, nameAt + nameLength + extraLength), where, name);
        known = placement(extras, compressed32, uncompressed32, offset32, diskStart, name);
      } catch (x) {
        this.caught(x);
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
          throw new Stop(
            problem('zip-encrypted', `${quoteEntry(name)}: the entry uses ${how}; evidence bundles are never encrypted.`, name),
          );
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
        this.caught(x);
      }

      const key = foldName(name);
      if (!decoded.problem) {
        const clash = folded.get(key);
        if (clash !== undefined) {
          this.add(
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
        this.add(
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
        this.add(
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
      this.add(
        problem(
          'zip-entry-count',
          `The end record declares ${plural(entryCount, 'entry', 'entries')}, but ${plural(cd.length - at, 'byte', 'bytes')} of the central directory follow the last of them.`,
        ),
      );
    this.checkNameConflicts(records);
    return { records, complete };
  }

  /** A file may not also be a directory that other entries lie under ("b/x" and "b/x/y"). */
  private checkNameConflicts(records: CentralRecord[]): void {
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
          this.add(
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
   * Every local header against its central record, and the layout: the first entry at
   * byte 0, each entry (header, data, descriptor) followed immediately by the next, the
   * central directory right after the last. Headers are read through a window of many
   * entries and checked synchronously inside it: a cold pass over 10,000 entries spent
   * most of its time on a promise, a closure and two copies per entry.
   */
  // A little over one screen: the layout walk (gaps, overlaps, bounds) and the windowed header
  // reads it drives are one loop, so each header is read once, in file order.
  private async checkLocalHeaders(records: CentralRecord[], cdOffset: number): Promise<void> {
    const window = new HeaderWindow(this.source, cdOffset);
    const ordered = inLayoutOrder(records);
    let expected = 0;
    for (let i = 0; i < ordered.length; i++) {
      if ((i & 1023) === 0) throwIfAborted(this.signal);
      const rec = ordered[i]!;
      const e = rec.entry;
      const name = e.name;
      const next = i + 1 < ordered.length ? ordered[i + 1]!.entry.localHeaderOffset : cdOffset;
      if (e.localHeaderOffset !== expected) {
        if (i === 0)
          this.add(
            problem(
              'zip-prefix-bytes',
              `${quoteEntry(name)}: the archive has ${plural(e.localHeaderOffset, 'byte', 'bytes')} before this, its first entry; a bundle starts with its first local header.`,
              name,
            ),
          );
        else if (e.localHeaderOffset > expected)
          this.add(
            problem(
              'zip-gap',
              `${quoteEntry(name)}: no entry accounts for the ${plural(e.localHeaderOffset - expected, 'byte', 'bytes')} before it (${byteRange(expected, e.localHeaderOffset)}).`,
              name,
            ),
          );
        else
          this.add(
            problem(
              'zip-overlap',
              `${quoteEntry(name)}: the entry starts at byte ${e.localHeaderOffset}, inside the entry before it (which ends at byte ${expected}).`,
              name,
            ),
          );
      }
      let end = next;
      let good = true;
      try {
        // The fixed part names the variable part's length; both then lie in one window.
        const at = e.localHeaderOffset;
        let header = window.view(at, LOCAL_LENGTH) ?? (await window.load(at, LOCAL_LENGTH));
        if (header.length < LOCAL_LENGTH || u32(header, 0) !== SIG_LOCAL) {
          throw new Stop(
            problem(
              'zip-local-signature',
              `${quoteEntry(name)}: no local header at byte ${at}, where the central directory says the entry starts.`,
              name,
            ),
          );
        }
        const length = LOCAL_LENGTH + u16(header, 26) + u16(header, 28);
        header = window.view(at, length) ?? (await window.load(at, length));
        if (header.length < length)
          throw new Stop(
            problem(
              'zip-entry-bounds',
              `${quoteEntry(name)}: the local header's name and extra field (${length - LOCAL_LENGTH} bytes) run into the central directory.`,
              name,
            ),
          );
        const local = checkLocalHeader(rec, header, cdOffset);
        end = local.deferred ? next : local.dataEnd;
        if (local.deferred) await checkDescriptor((offset, n) => window.copy(offset, n), local.dataEnd, next, e, local.zip64);
      } catch (x) {
        this.caught(x);
        good = false;
      }
      if (good && this.archive.findings.length === 0) this.onEntryReady?.(e);
      expected = end;
    }
    if (expected < cdOffset)
      this.add(
        problem(
          'zip-gap',
          `No entry accounts for the ${plural(cdOffset - expected, 'byte', 'bytes')} between the last entry and the central directory (${byteRange(expected, cdOffset)}).`,
        ),
      );
    else if (expected > cdOffset)
      this.add(problem('zip-overlap', `The last entry runs ${expected - cdOffset} bytes into the central directory.`));
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

/** Records by local header offset (directory order among equals); most archives already are. */
function inLayoutOrder(records: CentralRecord[]): CentralRecord[] {
  let sorted = true;
  for (let i = 1; i < records.length && sorted; i++) sorted = records[i - 1]!.entry.localHeaderOffset < records[i]!.entry.localHeaderOffset;
  return sorted ? records : [...records].sort((a, b) => a.entry.localHeaderOffset - b.entry.localHeaderOffset || a.index - b.index);
}

/**
 * The bytes before the central directory, through one reusable buffer of LOCAL_WINDOW bytes
 * (a source may fill it in place: no allocation per window). `view` and `load` give views
 * into it, valid until the next `load`; `copy` gives bytes to keep. All come back short
 * where they run into the central directory.
 */
class HeaderWindow {
  private start = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private readonly buffer = new Uint8Array(LOCAL_WINDOW);

  constructor(
    private readonly source: ByteSource,
    private readonly cdOffset: number,
  ) {}

  /** The bytes at `offset`, when the window holds them (all that lie before the directory). */
  view(offset: number, length: number): Uint8Array | null {
    const available = Math.max(0, Math.min(length, this.cdOffset - offset));
    if (offset < this.start || offset + available > this.start + this.bytes.length) return null;
    return this.bytes.subarray(offset - this.start, offset - this.start + available);
  }

  /** Moves the window to start at `offset` and returns the view there. */
  async load(offset: number, length: number): Promise<Uint8Array> {
    const available = Math.max(0, Math.min(length, this.cdOffset - offset));
    if (available === 0) return new Uint8Array(0);
    const want = Math.min(Math.max(available, LOCAL_WINDOW), this.cdOffset - offset);
    this.bytes = await this.source.read(offset, want, want <= LOCAL_WINDOW ? this.buffer : undefined);
    this.start = offset;
    return this.bytes.subarray(0, available);
  }

  async copy(offset: number, length: number): Promise<Uint8Array> {
    return (this.view(offset, length) ?? (await this.load(offset, length))).slice();
  }
}

/**
 * One local header (`header`: its fixed part, name and extra field) against its central
 * record. Returns where the entry's data ends, and whether a data descriptor follows.
 */
// Long because it compares a local header with its central record field by field (name,
// extras, ZIP64, flags, method, CRC and sizes), one finding each, as the table lists them.
function checkLocalHeader(
  rec: CentralRecord,
  header: Uint8Array,
  cdOffset: number,
): { dataEnd: number; deferred: boolean; zip64: boolean } {
  const e = rec.entry;
  const name = e.name;
  const where = 'the local header';
  const versionNeeded = u16(header, 4);
  const flags = u16(header, 6);
  const method = u16(header, 8);
  const crc = u32(header, 14);
  let compressed = u32(header, 18);
  let uncompressed = u32(header, 22);
  const nameLength = u16(header, 26);
  e.dataOffset = e.localHeaderOffset + header.length;

  if (!sameBytes(header, LOCAL_LENGTH, nameLength, rec.nameBytes)) {
    const localName = header.subarray(LOCAL_LENGTH, LOCAL_LENGTH + nameLength);
    throw new Stop(
      problem(
        'zip-local-name',
        `${quoteEntry(name)}: the local header names the entry "${new TextDecoder().decode(localName).slice(0, 160)}"; a reader that trusts it would see another file.`,
        name,
      ),
    );
  }
  const extras =
    header.length > LOCAL_LENGTH + nameLength ? parseExtras(header.subarray(LOCAL_LENGTH + nameLength), where, name) : NO_EXTRAS;
  // Which extra fields each header carries may differ (spec 1); those that change the
  // entry's meaning are checked wherever they appear.
  if (extras !== NO_EXTRAS) {
    if (extraField(extras, EXTRA_UNICODE_PATH) && !rec.unicodePath) throw unicodePathRefused(where, name);
    if (extraField(extras, EXTRA_AES) && !rec.encrypted)
      throw new Stop(
        problem(
          'zip-encrypted',
          `${quoteEntry(name)}: ${where} carries an AES encryption field; evidence bundles are never encrypted.`,
          name,
        ),
      );
  }
  const zip64Field = extraField(extras, EXTRA_ZIP64);
  if (compressed === U32_MAX || uncompressed === U32_MAX) {
    // A local ZIP64 field carries both sizes, uncompressed first.
    if (!zip64Field || zip64Field.data.length !== 16) {
      throw new Stop(
        problem(
          'zip-zip64-extra',
          `${quoteEntry(name)}: the local header defers its sizes to ZIP64 but has ${zip64Field ? `a ${zip64Field.data.length}-byte ZIP64 field instead of 16 bytes` : 'no ZIP64 field'}.`,
          name,
        ),
      );
    }
    uncompressed = u64(zip64Field.data, 0);
    compressed = u64(zip64Field.data, 8);
  } else if (zip64Field) {
    throw new Stop(
      problem('zip-zip64-extra', `${quoteEntry(name)}: the local header has a ZIP64 field, but neither of its sizes defers to it.`, name),
    );
  }
  const mismatch = (field: string, local: number | string, central: number | string) =>
    new Stop(
      problem(
        'zip-local-mismatch',
        `${quoteEntry(name)}: the local header says ${field} ${local} but the central directory says ${central}.`,
        name,
      ),
    );
  // The version needed (its lower byte: the upper one names the host system) may differ
  // only where ZIP64 does: when either header uses ZIP64, 1.0, 2.0 and 4.5 may meet. Python's
  // zipfile writes a central 4.5 beside a local 2.0 when only the offset needs ZIP64;
  // Info-ZIP's zip -fz a local 4.5 beside a central 1.0 for directories whose central
  // record still uses ZIP64 for its size.
  const version = versionNeeded & 0xff;
  const centralVersion = rec.versionNeeded & 0xff;
  if (version !== centralVersion) {
    const anyZip64 = zip64Field !== undefined || rec.zip64Sizes || rec.zip64Offset;
    const zip64Versions = [10, 20, 45];
    const zip64Split = anyZip64 && zip64Versions.includes(version) && zip64Versions.includes(centralVersion);
    if (!zip64Split) throw mismatch('version needed', shownVersion(version), shownVersion(centralVersion));
  }
  // The flag bits that change how the entry is read (0, 3, 11) must agree, and so must every
  // bit a bundle refuses (the central record's finding names those); bits 1 and 2, deflate
  // options, may differ.
  if ((flags ^ e.flags) & ~FLAGS_MAY_DIFFER)
    throw mismatch('flags', `0x${flags.toString(16).padStart(4, '0')}`, `0x${e.flags.toString(16).padStart(4, '0')}`);
  if (method !== e.method) throw mismatch('method', method, e.method);
  const deferred = (e.flags & FLAG_DESCRIPTOR) !== 0;
  const hex = (v: number) => v.toString(16).padStart(8, '0');
  if (!(deferred && crc === 0) && crc !== e.crc32) throw mismatch('CRC-32', hex(crc), hex(e.crc32));
  if (!(deferred && compressed === 0) && compressed !== e.compressedSize) throw mismatch('compressed size', compressed, e.compressedSize);
  if (!(deferred && uncompressed === 0) && uncompressed !== e.uncompressedSize)
    throw mismatch('uncompressed size', uncompressed, e.uncompressedSize);
  const dataEnd = e.dataOffset + e.compressedSize;
  if (dataEnd > cdOffset)
    throw new Stop(
      problem(
        'zip-entry-bounds',
        `${quoteEntry(name)}: its ${e.compressedSize} bytes of data (from byte ${e.dataOffset}) run ${dataEnd - cdOffset} bytes into the central directory.`,
        name,
      ),
    );
  return { dataEnd, deferred, zip64: zip64Field !== undefined };
}

/** bytes[at, at + length) equals `other`. */
function sameBytes(bytes: Uint8Array, at: number, length: number, other: Uint8Array): boolean {
  if (length !== other.length) return false;
  for (let i = 0; i < length; i++) if (bytes[at + i] !== other[i]) return false;
  return true;
}

const NO_EXTRAS: readonly ExtraField[] = Object.freeze([]);

function extraField(extras: readonly ExtraField[], id: number): ExtraField | undefined {
  for (const x of extras) if (x.id === id) return x;
  return undefined;
}

/**
 * The data descriptor after a flag-bit-3 entry. Its length is the space up to the next
 * entry (or the directory), and that length names its layout: 12 or 16 bytes (32-bit sizes,
 * without or with its signature), 20 or 24 (64-bit sizes). Its CRC-32 and sizes must equal
 * the central record's. When the local header has a ZIP64 field the sizes must be 64-bit
 * (APPNOTE 4.3.9.2); otherwise either width is taken (Go writes 32-bit descriptors for small
 * entries whose central record uses ZIP64 for the offset).
 */
async function checkDescriptor(
  bytesAt: (offset: number, length: number) => Promise<Uint8Array>,
  at: number,
  next: number,
  e: ZipEntry,
  localZip64: boolean,
): Promise<void> {
  const name = e.name;
  const length = next - at;
  const fail = (why: string) =>
    new Stop(
      problem('zip-descriptor', `${quoteEntry(name)}: flag bit 3 defers its CRC-32 and sizes to a data descriptor, but ${why}.`, name),
    );
  if (![12, 16, 20, 24].includes(length)) {
    throw fail(
      length < 0
        ? `the next entry starts ${-length} bytes before its data ends`
        : `${length} bytes lie between its data and the next entry, which is no descriptor's length (12, 16, 20 or 24)`,
    );
  }
  const d = await bytesAt(at, length);
  const signed = length === 16 || length === 24;
  const wide = length >= 20;
  if (signed && u32(d, 0) !== SIG_DESCRIPTOR) throw fail(`the ${length} bytes after its data are no descriptor (no signature)`);
  if (localZip64 && !wide) throw fail('its local header has a ZIP64 field, so the descriptor must hold 64-bit sizes');
  const s = signed ? 4 : 0;
  const crc = u32(d, s);
  const compressed = wide ? u64(d, s + 4) : u32(d, s + 4);
  const uncompressed = wide ? u64(d, s + 12) : u32(d, s + 8);
  if (crc !== e.crc32 || compressed !== e.compressedSize || uncompressed !== e.uncompressedSize) {
    throw fail(
      `the descriptor says CRC-32 ${crc.toString(16).padStart(8, '0')}, ${compressed} compressed and ${uncompressed} uncompressed bytes where the central directory says ${e.crc32.toString(16).padStart(8, '0')}, ${e.compressedSize} and ${e.uncompressedSize}`,
    );
  }
}

/** Spec 1: a Unicode Path field (0x7075) would give an entry a second name, whatever it says. */
function unicodePathRefused(where: string, name: string): Stop {
  return new Stop(
    problem(
      'zip-unicode-extra',
      `${quoteEntry(name)}: ${where} carries an Info-ZIP Unicode Path field (0x7075), which would give the entry a second name; bundles refuse it.`,
      name,
    ),
  );
}

function shownVersion(v: number): string {
  return (v / 10).toFixed(1);
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

function byteRange(from: number, to: number): string {
  return to - from === 1 ? `byte ${from}` : `bytes ${from} to ${to - 1}`;
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

// Reading an entry's bytes (streamed, inflated, size- and CRC-checked) lives in zip-entry.ts.
export type { ReadEntryOptions } from './zip-entry';
export { ZipEntryError, readEntry, readEntryBytes } from './zip-entry';

export type { ProgressListener };
