// Adds stored entries to an existing zip without rewriting anything else: the entries'
// bytes and the old central directory are copied verbatim, the new local headers go
// where the central directory was, and a new central directory tail and end record follow.
// This is how `exhibit sign` adds a signature: what was signed is not touched.

export interface AppendTarget {
  /** Offset and size of the existing central directory. */
  centralDirectoryOffset: number;
  centralDirectorySize: number;
  entryCount: number;
  /** The archive comment bytes, kept as they are. */
  comment: Uint8Array;
}

export interface NewEntry {
  /** Full entry name inside the zip (with the bundle-id directory). */
  name: string;
  bytes: Uint8Array;
}

/** A piece of the new archive: bytes to write, or a range to copy from the old file. */
export type AppendPiece = { copy: { offset: number; length: number } } | { bytes: Uint8Array };

const U16 = 0xffff;
const U32 = 0xffffffff;
// DOS date/time of 2020-01-01 00:00:00: ZIP metadata is signed by nothing and never shown.
const DOS_TIME = 0;
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7e || s.charCodeAt(i) < 0x20) return false;
  return true;
}

/**
 * Plans the new archive. `crc32` is the platform's CRC-32 (continuing from `previous`).
 * Write the pieces in order to a new file, then replace the old one. Long because it lays
 * out the new archive in file order (kept entries, new entries, directory, end records).
 */
export function planAppend(
  target: AppendTarget,
  entries: NewEntry[],
  crc32: (bytes: Uint8Array, previous: number) => number,
): AppendPiece[] {
  const enc = new TextEncoder();
  const pieces: AppendPiece[] = [{ copy: { offset: 0, length: target.centralDirectoryOffset } }];
  const centralRecords: Uint8Array[] = [];
  let offset = target.centralDirectoryOffset;
  for (const entry of entries) {
    const name = enc.encode(entry.name);
    const flags = isAscii(entry.name) ? 0 : 0x0800;
    const crc = crc32(entry.bytes, 0) >>> 0;
    const size = entry.bytes.length;
    if (size >= U32) throw new RangeError(`${entry.name}: an appended entry must be under 4 GiB.`);
    const needsZip64Offset = offset >= U32;
    const version = needsZip64Offset ? 45 : 20;

    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, version, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(8, 0, true); // stored
    lv.setUint16(10, DOS_TIME, true);
    lv.setUint16(12, DOS_DATE, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, size, true);
    lv.setUint32(22, size, true);
    lv.setUint16(26, name.length, true);
    lv.setUint16(28, 0, true);
    local.set(name, 30);
    pieces.push({ bytes: local }, { bytes: entry.bytes });

    const extra = needsZip64Offset ? new Uint8Array(12) : new Uint8Array(0);
    if (needsZip64Offset) {
      const ev = new DataView(extra.buffer);
      ev.setUint16(0, 0x0001, true);
      ev.setUint16(2, 8, true);
      ev.setBigUint64(4, BigInt(offset), true);
    }
    const central = new Uint8Array(46 + name.length + extra.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, version, true); // made by: DOS (0) and the version
    cv.setUint16(6, version, true);
    cv.setUint16(8, flags, true);
    cv.setUint16(10, 0, true);
    cv.setUint16(12, DOS_TIME, true);
    cv.setUint16(14, DOS_DATE, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, size, true);
    cv.setUint32(24, size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint16(30, extra.length, true);
    cv.setUint16(32, 0, true); // comment
    cv.setUint16(34, 0, true); // disk
    cv.setUint16(36, 0, true); // internal attributes
    cv.setUint32(38, 0, true); // external attributes
    cv.setUint32(42, needsZip64Offset ? U32 : offset, true);
    central.set(name, 46);
    central.set(extra, 46 + name.length);
    centralRecords.push(central);
    offset += local.length + size;
  }

  const cdOffset = offset;
  pieces.push({ copy: { offset: target.centralDirectoryOffset, length: target.centralDirectorySize } });
  for (const r of centralRecords) pieces.push({ bytes: r });
  const cdSize = target.centralDirectorySize + centralRecords.reduce((n, r) => n + r.length, 0);
  const count = target.entryCount + entries.length;
  const zip64 = count >= U16 || cdOffset >= U32 || cdSize >= U32;
  if (zip64) {
    const record = new Uint8Array(56);
    const rv = new DataView(record.buffer);
    rv.setUint32(0, 0x06064b50, true);
    rv.setBigUint64(4, 44n, true);
    rv.setUint16(12, 45, true);
    rv.setUint16(14, 45, true);
    rv.setUint32(16, 0, true);
    rv.setUint32(20, 0, true);
    rv.setBigUint64(24, BigInt(count), true);
    rv.setBigUint64(32, BigInt(count), true);
    rv.setBigUint64(40, BigInt(cdSize), true);
    rv.setBigUint64(48, BigInt(cdOffset), true);
    const locator = new Uint8Array(20);
    const locv = new DataView(locator.buffer);
    locv.setUint32(0, 0x07064b50, true);
    locv.setUint32(4, 0, true);
    locv.setBigUint64(8, BigInt(cdOffset + cdSize), true);
    locv.setUint32(16, 1, true);
    pieces.push({ bytes: record }, { bytes: locator });
  }
  const eocd = new Uint8Array(22 + target.comment.length);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(4, 0, true);
  ev.setUint16(6, 0, true);
  ev.setUint16(8, zip64 ? U16 : count, true);
  ev.setUint16(10, zip64 ? U16 : count, true);
  ev.setUint32(12, zip64 ? U32 : cdSize, true);
  ev.setUint32(16, zip64 ? U32 : cdOffset, true);
  ev.setUint16(20, target.comment.length, true);
  eocd.set(target.comment, 22);
  pieces.push({ bytes: eocd });
  return pieces;
}
