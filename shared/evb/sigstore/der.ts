// A strict, bounded DER reader (and the few writers the SCT check needs) for the X.509,
// CMS and TLS structures of Sigstore bundles. Pure: no node:*.

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One TLV: its tag byte, its whole encoding and its value. */
export interface Der {
  tag: number;
  /** The whole TLV (tag, length, value). */
  raw: Uint8Array;
  value: Uint8Array;
}

const MAX_DEPTH = 64;

/** Reads one TLV at `at`; returns it and the offset after it. Single-byte tags only. */
function readTlv(bytes: Uint8Array, at = 0): [Der, number] {
  if (at + 2 > bytes.length) throw new DerError('DER value is truncated');
  const tag = bytes[at]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('DER multi-byte tags are not supported');
  let len = bytes[at + 1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('DER length is indefinite or too long');
    if (at + 2 + n > bytes.length) throw new DerError('DER length is truncated');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[at + 2 + i]!;
    if (len < 0x80 || (n > 1 && bytes[at + 2] === 0)) throw new DerError('DER length is not minimal');
    head = 2 + n;
  }
  const end = at + head + len;
  if (end > bytes.length) throw new DerError('DER value runs past its container');
  return [{ tag, raw: bytes.subarray(at, end), value: bytes.subarray(at + head, end) }, end];
}

/** Parses exactly one TLV filling `bytes`. */
export function parseDer(bytes: Uint8Array): Der {
  const [node, end] = readTlv(bytes, 0);
  if (end !== bytes.length) throw new DerError('bytes follow the DER value');
  return node;
}

/** The children of a constructed value. */
export function children(node: Der, depth = 0): Der[] {
  if (depth > MAX_DEPTH) throw new DerError('DER nesting is too deep');
  if (!(node.tag & 0x20)) throw new DerError(`DER tag 0x${node.tag.toString(16)} is not constructed`);
  const out: Der[] = [];
  let at = 0;
  while (at < node.value.length) {
    const [child, next] = readTlv(node.value, at);
    out.push(child);
    at = next;
  }
  return out;
}

export function expectTag(node: Der | undefined, tag: number, what: string): Der {
  if (!node || node.tag !== tag) throw new DerError(`${what} is missing or has the wrong type`);
  return node;
}

export function decodeOid(node: Der): string {
  expectTag(node, 0x06, 'OID');
  const v = node.value;
  if (v.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    n = n * 128 + (v[i]! & 0x7f);
    if (!(v[i]! & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  const first = parts.shift()!;
  const a = Math.min(2, Math.floor(first / 40));
  return [a, first - a * 40, ...parts].join('.');
}

const latin = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTCTime or GeneralizedTime (Z form) as a Date. */
export function decodeTime(node: Der): Date {
  const s = latin.decode(node.value);
  let m: RegExpExecArray | null;
  if (node.tag === 0x17 && (m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s))) {
    const yy = Number(m[1]);
    return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  }
  if (node.tag === 0x18 && (m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(s))) {
    const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
  }
  throw new DerError(`not a DER time: ${s.slice(0, 30)}`);
}

/** A string type (UTF8String, PrintableString, IA5String, …) as text. */
export function decodeString(node: Der): string {
  if (node.tag === 0x0c) return utf8.decode(node.value);
  if ([0x13, 0x16, 0x14, 0x1a].includes(node.tag) || (node.tag & 0x1f) === node.tag || node.tag >= 0x80) return latin.decode(node.value);
  throw new DerError(`tag 0x${node.tag.toString(16)} is not a string`);
}

function encodeLength(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  while (n > 0) {
    out.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | out.length, ...out];
}

/** Encodes one TLV from a tag and its value parts. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const len = parts.reduce((s, p) => s + p.length, 0);
  const head = [tag, ...encodeLength(len)];
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
