// A zip writer for tests that can write what real writers never would: every header field
// is ours to set, ZIP64 records can be forced on small entries (in either header or both),
// data descriptors come in all four layouts, junk can go anywhere, and entries can be
// virtual (declared sizes with no bytes behind them, served as zeros by a sparse
// ByteSource), so a "5 GiB" archive costs a few hundred bytes of memory.
import { crc32, deflateRawSync } from 'node:zlib';
import type { ByteSource } from '../../shared/platform/ports';

export interface CraftEntry {
  name: string | Uint8Array;
  data?: Uint8Array;
  /** The compressed bytes to write instead of deflating `data` (for broken streams). */
  compressedData?: Uint8Array;
  method?: number;
  flags?: number;
  /** Declared sizes for a virtual stored entry (no data bytes are materialized). */
  virtualSize?: number;
  madeBy?: number;
  versionNeeded?: number;
  externalAttributes?: number;
  time?: number;
  date?: number;
  localExtra?: Uint8Array;
  centralExtra?: Uint8Array;
  /** Per-entry comment in the central record. */
  comment?: Uint8Array;
  /** Write sizes (and offset) through ZIP64 extra fields in both headers, with all-ones markers. */
  zip64?: boolean;
  /** ZIP64 sizes in the local header only (as Python's force_zip64 does for small entries). */
  localZip64?: boolean;
  /** Only the central record uses ZIP64, for the offset (as when an entry starts past 4 GiB). */
  zip64OffsetOnly?: boolean;
  /**
   * Go's archive/zip central record: both sizes marked, and a 24-byte ZIP64 field holding
   * sizes and offset; the offset is marked only when it is past 4 GiB.
   */
  goZip64?: boolean;
  /** Write a data descriptor after the data (sets flag bit 3). */
  descriptor?: 'signed' | 'unsigned';
  /** 64-bit sizes in the descriptor (default: when the local header has a ZIP64 field). */
  descriptorWide?: boolean;
  /** Values written in the descriptor instead of the real ones. */
  descriptorValues?: Partial<{ crc: number; compressed: number; uncompressed: number }>;
  /** Bytes written after this entry (after its descriptor), before the next one. */
  after?: Uint8Array;
  /** Overrides applied to the local header after everything is computed. */
  local?: Partial<{
    signature: number;
    crc: number;
    compressed: number;
    uncompressed: number;
    method: number;
    flags: number;
    time: number;
    date: number;
    name: Uint8Array;
    versionNeeded: number;
  }>;
  /** Overrides applied to the central record after everything is computed. */
  central?: Partial<{
    signature: number;
    crc: number;
    compressed: number;
    uncompressed: number;
    method: number;
    flags: number;
    time: number;
    date: number;
    name: Uint8Array;
    versionNeeded: number;
    offset: number;
    diskStart: number;
  }>;
}

export interface CraftOptions {
  /** ZIP64 end record and locator, with all-ones markers in the EOCD. */
  zip64Eocd?: boolean;
  /** With zip64Eocd: keep the real values in the EOCD instead of markers (Python does when they fit). */
  eocdKeepsValues?: boolean;
  comment?: Uint8Array;
  prefix?: Uint8Array;
  suffix?: Uint8Array;
  /** Bytes inserted after the last entry, before the central directory. */
  gapBeforeCd?: Uint8Array;
  /** Bytes inserted after the central directory, before the (ZIP64) end records. */
  gapAfterCd?: Uint8Array;
  /** Bytes between the ZIP64 end record and its locator. */
  gapBeforeLocator?: Uint8Array;
  /** Overrides of EOCD fields. */
  eocd?: Partial<{
    disk: number;
    cdDisk: number;
    entriesOnDisk: number;
    entries: number;
    cdSize: number;
    cdOffset: number;
    commentLength: number;
  }>;
  /** Overrides of ZIP64 end record fields. */
  eocd64?: Partial<{
    signature: number;
    recordSize: number;
    disk: number;
    cdDisk: number;
    entriesOnDisk: number;
    entries: number;
    cdSize: number;
    cdOffset: number;
    extensible: Uint8Array;
  }>;
  /** Overrides of ZIP64 locator fields. */
  locator?: Partial<{ disk: number; offset: number; totalDisks: number }>;
}

export interface Crafted {
  size: number;
  /** Real regions; everything else reads as zeros. */
  regions: Array<{ offset: number; bytes: Uint8Array }>;
  /** Where each entry's local header is, and where the central directory is. */
  layout: { localHeaders: number[]; cdOffset: number; cdSize: number };
  bytes(): Uint8Array;
  source(name?: string): ByteSource;
}

const enc = new TextEncoder();

export function le(width: 2 | 4 | 8, value: number | bigint): number[] {
  const out: number[] = [];
  let v = BigInt(value);
  for (let i = 0; i < width; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

/** One extra field: id, size, payload. */
export function extraField(id: number, payload: ArrayLike<number>): Uint8Array {
  return Uint8Array.from([...le(2, id), ...le(2, payload.length), ...Array.from(payload)]);
}

/** An Info-ZIP Unicode path field (0x7075) for a header whose name bytes are `headerName`. */
export function unicodePathExtra(headerName: string | Uint8Array, unicodeName: string): Uint8Array {
  const header = typeof headerName === 'string' ? enc.encode(headerName) : headerName;
  return extraField(0x7075, [1, ...le(4, crc32(header) >>> 0), ...enc.encode(unicodeName)]);
}

function concat(...parts: Array<ArrayLike<number>>): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const MAX32 = 0xffffffff;

export function craftZip(entries: CraftEntry[], options: CraftOptions = {}): Crafted {
  const regions: Crafted['regions'] = [];
  let offset = 0;
  const put = (bytes: ArrayLike<number>) => {
    if (bytes.length) regions.push({ offset, bytes: bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes) });
    offset += bytes.length;
  };
  if (options.prefix) put(options.prefix);
  const central: Uint8Array[] = [];
  const localHeaders: number[] = [];
  for (const e of entries) {
    const name = typeof e.name === 'string' ? enc.encode(e.name) : e.name;
    const method = e.method ?? (e.data && e.data.length > 0 ? 8 : 0);
    const raw = e.data ?? new Uint8Array(0);
    const virtual = e.virtualSize !== undefined;
    const compressedData = virtual ? null : (e.compressedData ?? (method === 8 ? new Uint8Array(deflateRawSync(raw)) : raw));
    const uncompressed = virtual ? e.virtualSize! : raw.length;
    const compressed = virtual ? e.virtualSize! : compressedData!.length;
    const crc = virtual ? 0 : crc32(raw) >>> 0;
    let flags = (e.flags ?? 0) | (e.descriptor ? 0x0008 : 0);
    if (typeof e.name === 'string' && /[\u0080-\uffff]/.test(e.name)) flags |= 0x0800;
    const zip64 = e.zip64 ?? false;
    const localZip64 = zip64 || (e.localZip64 ?? false);
    const lho = offset;
    localHeaders.push(lho);
    const time = e.time ?? 0;
    const date = e.date ?? ((2020 - 1980) << 9) | (1 << 5) | 1;
    const version = e.versionNeeded ?? (zip64 || e.localZip64 || e.goZip64 ? 45 : 20);
    const deferred = e.descriptor !== undefined;
    const l = { signature: 0x04034b50, crc, compressed, uncompressed, method, flags, time, date, name, versionNeeded: version, ...e.local };
    const localExtra = concat(
      localZip64 ? extraField(1, [...le(8, deferred ? 0 : l.uncompressed), ...le(8, deferred ? 0 : l.compressed)]) : [],
      e.localExtra ?? [],
    );
    put([
      ...le(4, l.signature),
      ...le(2, l.versionNeeded),
      ...le(2, l.flags),
      ...le(2, l.method),
      ...le(2, l.time),
      ...le(2, l.date),
      ...le(4, deferred && e.local?.crc === undefined ? 0 : l.crc),
      ...le(4, localZip64 ? MAX32 : deferred && e.local?.compressed === undefined ? 0 : l.compressed),
      ...le(4, localZip64 ? MAX32 : deferred && e.local?.uncompressed === undefined ? 0 : l.uncompressed),
      ...le(2, l.name.length),
      ...le(2, localExtra.length),
    ]);
    put(l.name);
    put(localExtra);
    if (virtual) offset += compressed;
    else put(compressedData!);
    if (e.descriptor) {
      const d = { crc, compressed, uncompressed, ...e.descriptorValues };
      const wide = e.descriptorWide ?? localZip64;
      const sizes = wide ? [...le(8, d.compressed), ...le(8, d.uncompressed)] : [...le(4, d.compressed), ...le(4, d.uncompressed)];
      put([...(e.descriptor === 'signed' ? le(4, 0x08074b50) : []), ...le(4, d.crc), ...sizes]);
    }
    if (e.after) put(e.after);

    const c = {
      signature: 0x02014b50,
      crc,
      compressed,
      uncompressed,
      method,
      flags,
      time,
      date,
      name,
      versionNeeded: version,
      offset: lho,
      diskStart: 0,
      ...e.central,
    };
    const offsetOnly = e.zip64OffsetOnly ?? false;
    let zip64Extra: number[] = [];
    let marks = { sizes: false, offset: false };
    if (zip64) {
      zip64Extra = [...le(8, c.uncompressed), ...le(8, c.compressed), ...le(8, c.offset)];
      marks = { sizes: true, offset: true };
    } else if (e.goZip64) {
      zip64Extra = [...le(8, c.uncompressed), ...le(8, c.compressed), ...le(8, c.offset)];
      marks = { sizes: true, offset: c.offset >= MAX32 };
    } else if (offsetOnly) {
      zip64Extra = le(8, c.offset);
      marks = { sizes: false, offset: true };
    }
    const centralExtra = concat(zip64Extra.length ? extraField(1, zip64Extra) : [], e.centralExtra ?? []);
    const comment = e.comment ?? new Uint8Array(0);
    central.push(
      concat(
        [
          ...le(4, c.signature),
          ...le(2, e.madeBy ?? version),
          ...le(2, c.versionNeeded),
          ...le(2, c.flags),
          ...le(2, c.method),
          ...le(2, c.time),
          ...le(2, c.date),
          ...le(4, c.crc),
          ...le(4, marks.sizes ? MAX32 : c.compressed),
          ...le(4, marks.sizes ? MAX32 : c.uncompressed),
          ...le(2, c.name.length),
          ...le(2, centralExtra.length),
          ...le(2, comment.length),
          ...le(2, c.diskStart),
          ...le(2, 0),
          ...le(4, e.externalAttributes ?? 0),
          ...le(4, marks.offset ? MAX32 : c.offset),
        ],
        c.name,
        centralExtra,
        comment,
      ),
    );
  }
  if (options.gapBeforeCd) put(options.gapBeforeCd);
  const cdOffset = offset;
  for (const record of central) put(record);
  const cdSize = offset - cdOffset;
  if (options.gapAfterCd) put(options.gapAfterCd);
  const count = entries.length;
  const zip64Eocd = options.zip64Eocd ?? false;
  if (zip64Eocd) {
    const eocd64At = offset;
    const r = {
      signature: 0x06064b50,
      recordSize: 44,
      disk: 0,
      cdDisk: 0,
      entriesOnDisk: count,
      entries: count,
      cdSize,
      cdOffset,
      extensible: new Uint8Array(0),
      ...options.eocd64,
    };
    put([
      ...le(4, r.signature),
      ...le(8, r.recordSize),
      ...le(2, 45),
      ...le(2, 45),
      ...le(4, r.disk),
      ...le(4, r.cdDisk),
      ...le(8, r.entriesOnDisk),
      ...le(8, r.entries),
      ...le(8, r.cdSize),
      ...le(8, r.cdOffset),
    ]);
    put(r.extensible);
    if (options.gapBeforeLocator) put(options.gapBeforeLocator);
    const loc = { disk: 0, offset: eocd64At, totalDisks: 1, ...options.locator };
    put([...le(4, 0x07064b50), ...le(4, loc.disk), ...le(8, loc.offset), ...le(4, loc.totalDisks)]);
  }
  const comment = options.comment ?? new Uint8Array(0);
  const markers = zip64Eocd && !options.eocdKeepsValues;
  const eo = {
    disk: 0,
    cdDisk: 0,
    entriesOnDisk: markers ? 0xffff : count,
    entries: markers ? 0xffff : count,
    cdSize: markers ? MAX32 : cdSize,
    cdOffset: markers ? MAX32 : cdOffset,
    commentLength: comment.length,
    ...options.eocd,
  };
  put([
    ...le(4, 0x06054b50),
    ...le(2, eo.disk),
    ...le(2, eo.cdDisk),
    ...le(2, eo.entriesOnDisk),
    ...le(2, eo.entries),
    ...le(4, eo.cdSize),
    ...le(4, eo.cdOffset),
    ...le(2, eo.commentLength),
  ]);
  put(comment);
  if (options.suffix) put(options.suffix);
  const size = offset;
  return {
    size,
    regions,
    layout: { localHeaders, cdOffset, cdSize },
    bytes() {
      const out = new Uint8Array(size);
      for (const r of regions) out.set(r.bytes, r.offset);
      return out;
    },
    source(name = 'crafted.zip') {
      return {
        size,
        name,
        async read(at: number, length: number) {
          if (!Number.isSafeInteger(at) || !Number.isSafeInteger(length) || at < 0 || length < 0 || at + length > size)
            throw new RangeError(`read of ${length} bytes at ${at} is outside the ${size}-byte crafted archive`);
          const out = new Uint8Array(length);
          for (const r of regions) {
            const start = Math.max(at, r.offset);
            const end = Math.min(at + length, r.offset + r.bytes.length);
            if (start < end) out.set(r.bytes.subarray(start - r.offset, end - r.offset), start - at);
          }
          return out;
        },
      };
    },
  };
}

/** A ByteSource wrapper that records every read (offset, length). */
export function recordingSource(source: ByteSource): ByteSource & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return {
    size: source.size,
    name: source.name,
    reads,
    read(offset: number, length: number) {
      reads.push([offset, length]);
      return source.read(offset, length);
    },
  };
}
