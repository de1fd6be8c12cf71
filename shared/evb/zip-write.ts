// The records of a bundle's zip, for the streaming writer of `exhibit pack` (issue 16):
// the same layout as zipBag's jszip output (version 1.0 needed, DOS "version made by",
// fixed 2020-01-01 time, no attributes, no data descriptor), plus what jszip cannot do:
// ZIP64 (version 4.5) when a size or an offset needs it, and UTF-8 names by flag 11 alone
// (jszip also adds an Info-ZIP Unicode Path field, which spec section 1 refuses).

const U32 = 0xffffffff;
const encoder = new TextEncoder();

/** What the writer knows of an entry when it writes its records. */
export interface ZipEntryRecord {
  /** The full name inside the zip (bundle id / bag path). */
  name: string;
  method: 0 | 8;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Where its local header starts. */
  offset: number;
  /**
   * ZIP64 sizes whatever the size, as Info-ZIP's -fz writes them (a test makes a small
   * archive with the records a 4 GiB entry gets).
   */
  forceZip64?: boolean;
}

/** zipBag's fixed time and date, 2020-01-01 00:00 in DOS form (ZIP metadata is signed by nothing and never shown). */
const DOS_TIME = 0;
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

/** Whether the sizes go into a ZIP64 field (known before the data: the uncompressed size). */
function needsZip64Sizes(e: Pick<ZipEntryRecord, 'uncompressedSize' | 'forceZip64'>): boolean {
  return e.uncompressedSize >= U32 || e.forceZip64 === true;
}

function flagsOf(name: string): number {
  // Bit 11: the name is UTF-8 (pure ASCII needs no flag, as jszip writes it).
  return /^[\x20-\x7e]*$/.test(name) ? 0 : 0x0800;
}

class Bytes {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;
  constructor(length: number) {
    this.bytes = new Uint8Array(length);
    this.view = new DataView(this.bytes.buffer);
  }
  u16(v: number): this {
    this.view.setUint16(this.at, v, true);
    this.at += 2;
    return this;
  }
  u32(v: number): this {
    this.view.setUint32(this.at, v >>> 0, true);
    this.at += 4;
    return this;
  }
  u64(v: number): this {
    this.view.setBigUint64(this.at, BigInt(v), true);
    this.at += 8;
    return this;
  }
  raw(b: Uint8Array): this {
    this.bytes.set(b, this.at);
    this.at += b.length;
    return this;
  }
}

function zip64Extra(values: number[]): Uint8Array {
  if (values.length === 0) return new Uint8Array(0);
  const b = new Bytes(4 + 8 * values.length).u16(0x0001).u16(8 * values.length);
  for (const v of values) b.u64(v);
  return b.bytes;
}

/** An entry needs version 4.5 when any of its records uses ZIP64. */
function versionNeeded(e: ZipEntryRecord): number {
  return needsZip64Sizes(e) || e.offset >= U32 ? 45 : 10;
}

/**
 * The local header. Its length depends only on the name and whether the uncompressed size
 * needs ZIP64, so a placeholder written before the data can be overwritten in place.
 */
export function localHeader(e: ZipEntryRecord): Uint8Array {
  const name = encoder.encode(e.name);
  const big = needsZip64Sizes(e);
  const extra = big ? zip64Extra([e.uncompressedSize, e.compressedSize]) : new Uint8Array(0);
  return new Bytes(30 + name.length + extra.length)
    .u32(0x04034b50)
    .u16(versionNeeded(e))
    .u16(flagsOf(e.name))
    .u16(e.method)
    .u16(DOS_TIME)
    .u16(DOS_DATE)
    .u32(e.crc32)
    .u32(big ? U32 : e.compressedSize)
    .u32(big ? U32 : e.uncompressedSize)
    .u16(name.length)
    .u16(extra.length)
    .raw(name)
    .raw(extra).bytes;
}

export function centralHeader(e: ZipEntryRecord): Uint8Array {
  const name = encoder.encode(e.name);
  const big = needsZip64Sizes(e);
  const farOffset = e.offset >= U32;
  const extra = zip64Extra([...(big ? [e.uncompressedSize, e.compressedSize] : []), ...(farOffset ? [e.offset] : [])]);
  const needed = versionNeeded(e);
  return new Bytes(46 + name.length + extra.length)
    .u32(0x02014b50)
    .u16(needed === 45 ? 45 : 0x0014) // made by: DOS, version 2.0 (as jszip), or 4.5 with ZIP64
    .u16(needed)
    .u16(flagsOf(e.name))
    .u16(e.method)
    .u16(DOS_TIME)
    .u16(DOS_DATE)
    .u32(e.crc32)
    .u32(big ? U32 : e.compressedSize)
    .u32(big ? U32 : e.uncompressedSize)
    .u16(name.length)
    .u16(extra.length)
    .u16(0) // comment
    .u16(0) // disk
    .u16(0) // internal attributes
    .u32(0) // external attributes (jszip's DOS platform writes none)
    .u32(farOffset ? U32 : e.offset)
    .raw(name)
    .raw(extra).bytes;
}

/**
 * The end records: the classic end of central directory, preceded by the ZIP64 end record
 * and locator when the count, the directory's size or its offset does not fit.
 */
export function endRecords(entryCount: number, cdOffset: number, cdSize: number, forceZip64 = false): Uint8Array {
  const zip64 = forceZip64 || entryCount > 0xffff || cdOffset >= U32 || cdSize >= U32;
  const eocd = new Bytes(22)
    .u32(0x06054b50)
    .u16(0)
    .u16(0)
    .u16(zip64 ? Math.min(entryCount, 0xffff) : entryCount)
    .u16(zip64 ? Math.min(entryCount, 0xffff) : entryCount)
    .u32(cdSize >= U32 ? U32 : cdSize)
    .u32(cdOffset >= U32 ? U32 : cdOffset)
    .u16(0).bytes;
  if (!zip64) return eocd;
  const record = new Bytes(56)
    .u32(0x06064b50)
    .u64(44)
    .u16(45)
    .u16(45)
    .u32(0)
    .u32(0)
    .u64(entryCount)
    .u64(entryCount)
    .u64(cdSize)
    .u64(cdOffset).bytes;
  const locator = new Bytes(20)
    .u32(0x07064b50)
    .u32(0)
    .u64(cdOffset + cdSize)
    .u32(1).bytes;
  const out = new Uint8Array(56 + 20 + 22);
  out.set(record, 0);
  out.set(locator, 56);
  out.set(eocd, 76);
  return out;
}
