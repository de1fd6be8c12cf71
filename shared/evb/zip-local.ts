// The local headers and the layout of an EVB/1 container (spec section 1): each local header
// against its central record, data descriptors, and the layout (the first entry at byte 0,
// each entry followed immediately by the next, the central directory right after the last:
// zip-prefix-bytes, zip-gap, zip-overlap, zip-local-*, zip-entry-bounds, zip-descriptor in
// the table in zip.ts). Headers are read through a window of many entries (HeaderWindow) and
// checked synchronously inside it.

import type { ByteSource } from '../platform/ports';
import { throwIfAborted } from '../platform/ports';
import {
  EXTRA_AES,
  EXTRA_UNICODE_PATH,
  EXTRA_ZIP64,
  LOCAL_LENGTH,
  SIG_DESCRIPTOR,
  SIG_LOCAL,
  Stop,
  U32_MAX,
  parseExtras,
  plural,
  problem,
  quoteEntry,
  u16,
  u32,
  u64,
} from './zip-fields';
import { FLAG_DESCRIPTOR, NO_EXTRAS, extraField, unicodePathRefused } from './zip-central';
import type { CentralRecord, ReadState } from './zip-central';
import type { ZipEntry } from './zip';

/**
 * Local headers are checked through windows of up to this many bytes (many small entries
 * each). In the web build every window is a Blob read, a request to the browser process:
 * 4 MiB windows took the many-files bundle's header pass from 0.8 to 0.6 s of CPU, and the
 * browser's share of it from 1.7 to 1.2 s (docs/web-performance.md).
 */
const LOCAL_WINDOW = 4 * 1024 * 1024;
/** What a window reads past the last header that starts in it: that header, unless its name and extra field are unusually long. */
const HEADER_ALLOWANCE = 4096;
/** Flag bits the two headers may differ in: 1 and 2 (deflate options), which change no reading. */
const FLAGS_MAY_DIFFER = 0x0002 | 0x0004;

/**
 * Every local header against its central record, and the layout: the first entry at
 * byte 0, each entry (header, data, descriptor) followed immediately by the next, the
 * central directory right after the last. Headers are read through a window of many
 * entries and checked synchronously inside it: a cold pass over 10,000 entries spent
 * most of its time on a promise, a closure and two copies per entry.
 */
// A little over one screen: the layout walk (gaps, overlaps, bounds) and the windowed header
// reads it drives are one loop, so each header is read once, in file order.
export async function checkLocalHeaders(state: ReadState, records: CentralRecord[], cdOffset: number): Promise<void> {
  const window = new HeaderWindow(state.source, cdOffset);
  const ordered = inLayoutOrder(records);
  let expected = 0;
  for (let i = 0; i < ordered.length; i++) {
    if ((i & 1023) === 0) throwIfAborted(state.signal);
    const rec = ordered[i]!;
    const e = rec.entry;
    const name = e.name;
    const next = i + 1 < ordered.length ? ordered[i + 1]!.entry.localHeaderOffset : cdOffset;
    if (e.localHeaderOffset !== expected) {
      if (i === 0)
        state.add(
          problem(
            'zip-prefix-bytes',
            `${quoteEntry(name)}: the archive has ${plural(e.localHeaderOffset, 'byte', 'bytes')} before this, its first entry; a bundle starts with its first local header.`,
            name,
          ),
        );
      else if (e.localHeaderOffset > expected)
        state.add(
          problem(
            'zip-gap',
            `${quoteEntry(name)}: no entry accounts for the ${plural(e.localHeaderOffset - expected, 'byte', 'bytes')} before it (${byteRange(expected, e.localHeaderOffset)}).`,
            name,
          ),
        );
      else
        state.add(
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
      let header = window.view(at, LOCAL_LENGTH) ?? (await window.load(at, LOCAL_LENGTH, headersEnd(ordered, i, cdOffset)));
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
      header = window.view(at, length) ?? (await window.load(at, length, headersEnd(ordered, i, cdOffset)));
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
      state.caught(x);
      good = false;
    }
    if (good && state.archive.findings.length === 0) state.onEntryReady?.(e);
    expected = end;
  }
  if (expected < cdOffset)
    state.add(
      problem(
        'zip-gap',
        `No entry accounts for the ${plural(cdOffset - expected, 'byte', 'bytes')} between the last entry and the central directory (${byteRange(expected, cdOffset)}).`,
      ),
    );
  else if (expected > cdOffset)
    state.add(problem('zip-overlap', `The last entry runs ${expected - cdOffset} bytes into the central directory.`));
}

/**
 * Where a window opened at record i need end: just past the last local header that starts
 * within LOCAL_WINDOW of it. Between entries of 50 MiB that is one header, not megabytes of
 * the data in between.
 */
function headersEnd(ordered: CentralRecord[], i: number, cdOffset: number): number {
  const start = ordered[i]!.entry.localHeaderOffset;
  let last = i;
  while (last + 1 < ordered.length && ordered[last + 1]!.entry.localHeaderOffset < start + LOCAL_WINDOW) last++;
  return Math.min(cdOffset, ordered[last]!.entry.localHeaderOffset + HEADER_ALLOWANCE);
}

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

  /**
   * Moves the window to start at `offset` and returns the view there. It reads up to
   * `reach` (never more than LOCAL_WINDOW), and always the `length` asked for.
   */
  async load(offset: number, length: number, reach = offset + LOCAL_WINDOW): Promise<Uint8Array> {
    const available = Math.max(0, Math.min(length, this.cdOffset - offset));
    if (available === 0) return new Uint8Array(0);
    const span = Math.min(LOCAL_WINDOW, reach - offset);
    const want = Math.min(Math.max(available, span), this.cdOffset - offset);
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

function shownVersion(v: number): string {
  return (v / 10).toFixed(1);
}

function byteRange(from: number, to: number): string {
  return to - from === 1 ? `byte ${from}` : `bytes ${from} to ${to - 1}`;
}
