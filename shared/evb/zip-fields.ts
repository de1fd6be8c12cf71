// Low-level pieces of the strict zip reader (zip.ts): little-endian fields, record
// signatures, extra-field chains, the ZIP64 extended-information field and the Info-ZIP
// Unicode path/comment fields. Everything here is pure and works on bytes already read.

import { crc32 } from '../platform/crc32';
import type { ContainerFindingCode, Finding, LimitFindingCode } from './report';

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_EOCD64 = 0x06064b50;
export const SIG_LOCATOR64 = 0x07064b50;
export const SIG_DESCRIPTOR = 0x08074b50;
export const U16_MAX = 0xffff;
export const U32_MAX = 0xffffffff;
export const EXTRA_ZIP64 = 0x0001;
export const EXTRA_UNICODE_PATH = 0x7075;
export const EXTRA_UNICODE_COMMENT = 0x6375;
export const EXTRA_AES = 0x9901;
export const EOCD_LENGTH = 22;
export const EOCD64_LENGTH = 56;
export const LOCATOR64_LENGTH = 20;
export const CENTRAL_LENGTH = 46;
export const LOCAL_LENGTH = 30;

/**
 * A structural problem, thrown to leave the check that found it. Where it is caught
 * decides what it stops: a per-entry check catches it and carries on with the next entry;
 * the top level (openZip) catches what nothing else did and stops there.
 */
export class Stop extends Error {
  constructor(readonly finding: Finding) {
    super(finding.message);
  }
}

export function problem(
  code: ContainerFindingCode | LimitFindingCode,
  message: string,
  entry?: string,
  layer: Finding['layer'] = 'container',
): Finding {
  const f: Finding = { code, layer, severity: 'malformed', message };
  if (entry !== undefined) f.entry = entry;
  return f;
}

/** `Entry "name"` for messages: cut at 160 characters, control characters shown as \u{...}. */
export function quoteEntry(name: string): string {
  const shown = name.length > 160 ? `${name.slice(0, 160)}...` : name;
  // eslint-disable-next-line no-control-regex
  return `Entry "${shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`)}"`;
}

/** A count with its noun: "1 entry", "2 entries". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A number for messages; values read as 2^53 or more (Infinity here) say so. */
export function shownNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : '2^53 or more';
}

export function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

export function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/**
 * A 64-bit little-endian value as a JS number when it is a safe integer (below 2^53, which
 * covers every offset and size a real file can have), or Infinity when it is not.
 */
export function u64(b: Uint8Array, at: number): number {
  const lo = u32(b, at);
  const hi = u32(b, at + 4);
  return hi >= 0x200000 ? Infinity : hi * 0x100000000 + lo;
}

function hex16(id: number): string {
  return `0x${id.toString(16).padStart(4, '0')}`;
}

export interface ExtraField {
  id: number;
  data: Uint8Array;
}

/** Splits an extra-field block; the id+size chain must fill it exactly, with no repeated id. */
export function parseExtras(block: Uint8Array, where: string, entry: string): ExtraField[] {
  const fields: ExtraField[] = [];
  let at = 0;
  while (at < block.length) {
    if (at + 4 > block.length) {
      throw new Stop(
        problem(
          'zip-extra-malformed',
          `${quoteEntry(entry)}: ${where} has an extra field that ends inside its 4-byte header (${block.length - at} bytes left at the end of the ${block.length}-byte block).`,
          entry,
        ),
      );
    }
    const id = u16(block, at);
    const size = u16(block, at + 2);
    if (at + 4 + size > block.length) {
      throw new Stop(
        problem(
          'zip-extra-malformed',
          `${quoteEntry(entry)}: ${where} has extra field ${hex16(id)} declaring ${size} bytes, but only ${block.length - at - 4} remain in the block.`,
          entry,
        ),
      );
    }
    if (fields.some((f) => f.id === id))
      throw new Stop(
        problem(
          'zip-extra-duplicate',
          `${quoteEntry(entry)}: ${where} has extra field ${hex16(id)} twice; readers would disagree about which one counts.`,
          entry,
        ),
      );
    fields.push({ id, data: block.subarray(at + 4, at + 4 + size) });
    at += 4 + size;
  }
  return fields;
}

export interface Zip64Need {
  uncompressed: boolean;
  compressed: boolean;
  offset: boolean;
  disk: boolean;
}

export interface Zip64Values {
  uncompressed?: number;
  compressed?: number;
  offset?: number;
  disk?: number;
}

/**
 * Reads a central record's ZIP64 field: exactly the values whose header field holds the
 * all-ones marker, in APPNOTE order. One tolerance, for Go's archive/zip (which writes all
 * three 8-byte values whenever an entry needs ZIP64 for its sizes): a relative-header-offset
 * value the header did not mark may follow, when it equals the header's offset.
 */
export function readCentralZip64(field: ExtraField | undefined, need: Zip64Need, headerOffset: number, entry: string): Zip64Values {
  const expected = (need.uncompressed ? 8 : 0) + (need.compressed ? 8 : 0) + (need.offset ? 8 : 0) + (need.disk ? 4 : 0);
  const where = 'the central directory record';
  if (!field) {
    if (expected === 0) return {};
    const missing = [
      need.uncompressed && 'uncompressed size',
      need.compressed && 'compressed size',
      need.offset && 'local header offset',
      need.disk && 'disk number',
    ]
      .filter(Boolean)
      .join(', ');
    throw new Stop(
      problem('zip-zip64-extra', `${quoteEntry(entry)}: ${where} defers its ${missing} to a ZIP64 extra field, but has none.`, entry),
    );
  }
  const goStyle =
    !need.offset && !need.disk && need.uncompressed && need.compressed && field.data.length === 24 && u64(field.data, 16) === headerOffset;
  if (field.data.length !== expected && !goStyle) {
    throw new Stop(
      problem(
        'zip-zip64-extra',
        `${quoteEntry(entry)}: ${where} has a ${field.data.length}-byte ZIP64 extra field; the header's all-ones markers call for exactly ${expected} bytes.`,
        entry,
      ),
    );
  }
  const out: Zip64Values = {};
  let at = 0;
  if (need.uncompressed) {
    out.uncompressed = u64(field.data, at);
    at += 8;
  }
  if (need.compressed) {
    out.compressed = u64(field.data, at);
    at += 8;
  }
  if (need.offset) {
    out.offset = u64(field.data, at);
    at += 8;
  }
  if (need.disk) out.disk = u32(field.data, at);
  for (const v of [out.uncompressed, out.compressed, out.offset]) {
    if (v === Infinity)
      throw new Stop(
        problem(
          'zip-zip64-extra',
          `${quoteEntry(entry)}: ${where} has a ZIP64 size or offset of 2^53 bytes or more, beyond any real file.`,
          entry,
        ),
      );
  }
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8, or null. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * An Info-ZIP Unicode path (0x7075) or comment (0x6375) field: version 1, the CRC-32 of the
 * header's own bytes, then UTF-8 that must say exactly what the header says (bundle names
 * are UTF-8 already, so the field can only repeat them; anything else is a second name).
 */
export function checkUnicodeExtra(
  field: ExtraField,
  headerBytes: Uint8Array,
  headerText: string,
  what: 'path' | 'comment',
  where: string,
  entry: string,
): void {
  const d = field.data;
  const code = 'zip-unicode-extra';
  if (d.length < 5 || d[0] !== 1)
    throw new Stop(
      problem(code, `${quoteEntry(entry)}: ${where} has a malformed Info-ZIP Unicode ${what} field (${hex16(field.id)}).`, entry),
    );
  if (u32(d, 1) !== crc32(headerBytes, 0))
    throw new Stop(
      problem(
        code,
        `${quoteEntry(entry)}: ${where} has an Info-ZIP Unicode ${what} field made for another ${what} (its CRC-32 does not match the header's).`,
        entry,
      ),
    );
  const text = decodeUtf8(d.subarray(5));
  if (text === null)
    throw new Stop(problem(code, `${quoteEntry(entry)}: ${where} has an Info-ZIP Unicode ${what} field that is not valid UTF-8.`, entry));
  if (text !== headerText) {
    throw new Stop(
      problem(
        code,
        `${quoteEntry(entry)}: ${where} has an Info-ZIP Unicode ${what} field saying "${text.slice(0, 80)}", not the header's "${headerText.slice(0, 80)}".`,
        entry,
      ),
    );
  }
}
