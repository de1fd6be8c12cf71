// Strict ZIP reader for EVB/1 containers (spec section 1), over a random-access ByteSource:
// the whole archive is never held in memory (bundles may pass 4 GiB; offsets are numbers up
// to 2^53), and no entry is inflated before the end records, the central directory, the
// limits and its own local header have been checked (openZip's onEntryReady hands entries
// out in that state; everything else waits for openZip to return with no finding).
// This module holds the public types, the finding table below and openZip, whose Reader runs
// the steps in order: the end records (zip-end.ts), the central directory (zip-central.ts),
// the local headers and the layout (zip-local.ts). Low-level fields are in zip-fields.ts, the
// name rules in zip-names.ts, reading an entry's bytes in zip-entry.ts.
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
import { CENTRAL_LENGTH, Stop, U16_MAX, problem } from './zip-fields';
import { readEnd } from './zip-end';
import { readCentralDirectory } from './zip-central';
import type { ReadState } from './zip-central';
import { checkLocalHeaders } from './zip-local';

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

/** Thrown once MAX_FINDINGS are collected: per-entry checks let it through. */
class Halt extends Stop {}

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

class Reader implements ReadState {
  constructor(
    readonly source: ByteSource,
    readonly limits: ZipLimits,
    readonly signal: AbortSignal | undefined,
    readonly archive: ZipArchive,
    readonly onEntryReady?: (entry: ZipEntry) => void,
  ) {}

  /** Records a finding that does not stop the reading. */
  add(f: Finding): void {
    this.archive.findings.push(f);
    if (this.archive.findings.length >= MAX_FINDINGS) {
      throw new Halt(problem('zip-too-many-findings', `After ${MAX_FINDINGS} findings the rest of the archive was not examined.`));
    }
  }

  /** For a per-entry check's catch: a Stop becomes a finding and the reading goes on. */
  caught(x: unknown): void {
    if (!(x instanceof Stop) || x instanceof Halt) throw x;
    this.add(x.finding);
  }

  async run(): Promise<void> {
    const end = await readEnd(this.source, this.signal);
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

    const { records, complete } = readCentralDirectory(this, cd, end.entryCount);
    throwIfAborted(this.signal);
    if (complete) await checkLocalHeaders(this, records, end.cdOffset);
    if (archive.findings.length === 0) {
      archive.entries = records.map((r) => r.entry);
      archive.topLevelDirectory = commonTopLevel(archive.entries);
    }
  }
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
