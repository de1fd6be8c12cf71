// A zip writer for tests that can write what real writers never would: every header field
// is ours to set, ZIP64 records can be forced on small entries, and entries can be virtual
// (declared sizes with no bytes behind them, served as zeros by a sparse ByteSource).
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
  /** Write sizes (and offset) through ZIP64 extra fields, with all-ones markers. */
  zip64?: boolean;
  /** Only the central record uses ZIP64, for the offset (as when an entry starts past 4 GiB). */
  zip64OffsetOnly?: boolean;
  /** Write a data descriptor after the data (sets flag bit 3). */
  descriptor?: 'signed' | 'unsigned';
  /** Overrides applied to one header after everything is computed. */
  local?: Partial<{ crc: number; compressed: number; uncompressed: number; method: number; flags: number; time: number; name: Uint8Array; versionNeeded: number }>;
  central?: Partial<{ crc: number; compressed: number; uncompressed: number; method: number }>;
}

export interface CraftOptions {
  zip64Eocd?: boolean;
  comment?: Uint8Array;
  prefix?: Uint8Array;
  suffix?: Uint8Array;
  /** Bytes inserted after the last entry, before the central directory. */
  gapBeforeCd?: Uint8Array;
}

export interface Crafted {
  size: number;
  /** Real regions; everything else reads as zeros. */
  regions: Array<{ offset: number; bytes: Uint8Array }>;
  bytes(): Uint8Array;
  source(name?: string): ByteSource;
}

const enc = new TextEncoder();

function le(width: 2 | 4 | 8, value: number): number[] {
  const out: number[] = [];
  let v = BigInt(value);
  for (let i = 0; i < width; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
  return out;
}

function extraField(id: number, payload: number[]): number[] {
  return [...le(2, id), ...le(2, payload.length), ...payload];
}

export function craftZip(entries: CraftEntry[], options: CraftOptions = {}): Crafted {
  const regions: Crafted['regions'] = [];
  let offset = 0;
  const put = (bytes: Uint8Array) => {
    if (bytes.length) regions.push({ offset, bytes });
    offset += bytes.length;
  };
  if (options.prefix) put(options.prefix);
  const central: number[][] = [];
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
    if (typeof e.name === 'string' && /[^\x00-\x7f]/.test(e.name)) flags |= 0x0800;
    const zip64 = e.zip64 ?? false;
    const lho = offset;
    const time = e.time ?? 0;
    const date = e.date ?? ((2020 - 1980) << 9) | (1 << 5) | 1;
    const version = e.versionNeeded ?? (zip64 ? 45 : 20);
    const localExtra = [...(zip64 ? extraField(1, [...le(8, uncompressed), ...le(8, compressed)]) : []), ...(e.localExtra ?? [])];
    const l = { crc, compressed, uncompressed, method, flags, time, name, ...e.local };
    const deferred = e.descriptor !== undefined;
    const local = [
      ...le(4, 0x04034b50), ...le(2, e.local?.versionNeeded ?? version), ...le(2, l.flags), ...le(2, l.method), ...le(2, l.time), ...le(2, date),
      ...le(4, deferred ? 0 : l.crc),
      ...le(4, deferred ? 0 : zip64 ? 0xffffffff : l.compressed),
      ...le(4, deferred ? 0 : zip64 ? 0xffffffff : l.uncompressed),
      ...le(2, l.name.length), ...le(2, localExtra.length),
    ];
    put(Uint8Array.from([...local, ...l.name, ...localExtra]));
    if (virtual) offset += compressed;
    else put(compressedData!);
    if (e.descriptor) {
      const sizes = zip64 ? [...le(8, compressed), ...le(8, uncompressed)] : [...le(4, compressed), ...le(4, uncompressed)];
      put(Uint8Array.from([...(e.descriptor === 'signed' ? le(4, 0x08074b50) : []), ...le(4, crc), ...sizes]));
    }
    const c = { crc, compressed, uncompressed, method, ...e.central };
    const offsetOnly = e.zip64OffsetOnly ?? false;
    const centralExtra = [
      ...(zip64 ? extraField(1, [...le(8, c.uncompressed), ...le(8, c.compressed), ...le(8, lho)]) : offsetOnly ? extraField(1, le(8, lho)) : []),
      ...(e.centralExtra ?? []),
    ];
    central.push([
      ...le(4, 0x02014b50), ...le(2, e.madeBy ?? version), ...le(2, version), ...le(2, flags), ...le(2, c.method), ...le(2, time), ...le(2, date),
      ...le(4, c.crc), ...le(4, zip64 ? 0xffffffff : c.compressed), ...le(4, zip64 ? 0xffffffff : c.uncompressed),
      ...le(2, name.length), ...le(2, centralExtra.length), ...le(2, 0), ...le(2, 0), ...le(2, 0), ...le(4, e.externalAttributes ?? 0),
      ...le(4, zip64 || offsetOnly ? 0xffffffff : lho), ...name, ...centralExtra,
    ]);
  }
  if (options.gapBeforeCd) put(options.gapBeforeCd);
  const cdOffset = offset;
  for (const record of central) put(Uint8Array.from(record));
  const cdSize = offset - cdOffset;
  const count = entries.length;
  const zip64Eocd = options.zip64Eocd ?? false;
  if (zip64Eocd) {
    const eocd64At = offset;
    put(Uint8Array.from([...le(4, 0x06064b50), ...le(8, 44), ...le(2, 45), ...le(2, 45), ...le(4, 0), ...le(4, 0), ...le(8, count), ...le(8, count), ...le(8, cdSize), ...le(8, cdOffset)]));
    put(Uint8Array.from([...le(4, 0x07064b50), ...le(4, 0), ...le(8, eocd64At), ...le(4, 1)]));
  }
  const comment = options.comment ?? new Uint8Array(0);
  put(
    Uint8Array.from([
      ...le(4, 0x06054b50), ...le(2, 0), ...le(2, 0),
      ...le(2, zip64Eocd ? 0xffff : count), ...le(2, zip64Eocd ? 0xffff : count),
      ...le(4, zip64Eocd ? 0xffffffff : cdSize), ...le(4, zip64Eocd ? 0xffffffff : cdOffset),
      ...le(2, comment.length), ...comment,
    ]),
  );
  if (options.suffix) put(options.suffix);
  const size = offset;
  return {
    size,
    regions,
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
          if (at < 0 || length < 0 || at + length > size) throw new RangeError('read outside the crafted archive');
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
