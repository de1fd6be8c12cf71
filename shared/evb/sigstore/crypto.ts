// Signature checks for the keys of a Sigstore trusted root and of certificates (ECDSA
// P-256/P-384/P-521, Ed25519, RSA PKCS#1 v1.5) over WebCrypto, which Node and browsers
// both provide: the CLI and the web build run this same code. Pure: no node:*.

import { subtle } from '../../platform/webcrypto';
import { ed25519PolicyAllows } from '../keys';
import { children, decodeOid, expectTag, parseDer } from './der';

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

const CURVES: Record<string, { name: string; size: number; hash: HashName }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', size: 32, hash: 'SHA-256' },
  '1.3.132.0.34': { name: 'P-384', size: 48, hash: 'SHA-384' },
  '1.3.132.0.35': { name: 'P-521', size: 66, hash: 'SHA-512' },
};
const EC_KEY = '1.2.840.10045.2.1';
const ED25519 = '1.3.101.112';
const RSA = '1.2.840.113549.1.1.1';

/** Hash of a certificate or CMS signature algorithm OID (null: Ed25519, or unknown). */
export const SIGNATURE_HASH: Record<string, HashName | null> = {
  '1.2.840.10045.4.3.2': 'SHA-256',
  '1.2.840.10045.4.3.3': 'SHA-384',
  '1.2.840.10045.4.3.4': 'SHA-512',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
  '1.3.101.112': null,
};

export async function digest(hash: HashName, ...parts: Uint8Array[]): Promise<Uint8Array> {
  const len = parts.reduce((s, p) => s + p.length, 0);
  const all = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await subtle.digest(hash, all));
}

export const sha256 = (...parts: Uint8Array[]) => digest('SHA-256', ...parts);

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** ECDSA DER signature -> fixed-size r||s, or null when it is not strict DER. */
function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array | null {
  try {
    const seq = parseDer(der);
    const [r, s, extra] = children(seq);
    if (extra || !r || !s || r.tag !== 2 || s.tag !== 2) return null;
    const out = new Uint8Array(size * 2);
    for (const [i, int] of [r, s].entries()) {
      let v = int.value;
      if (v.length === 0 || v[0]! & 0x80) return null;
      if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) return null;
      if (v[0] === 0) v = v.subarray(1);
      if (v.length > size) return null;
      out.set(v, i * size + size - v.length);
    }
    return out;
  } catch {
    return null;
  }
}

/** What kind of key an SPKI holds, for messages and for choosing the hash. */
export function spkiKind(
  spki: Uint8Array,
): { kind: 'ec'; curve: string; size: number; hash: HashName } | { kind: 'ed25519' } | { kind: 'rsa' } {
  const [alg] = children(parseDer(spki));
  const [oid, param] = children(expectTag(alg, 0x30, 'SubjectPublicKeyInfo algorithm'));
  const id = decodeOid(oid!);
  if (id === ED25519) return { kind: 'ed25519' };
  if (id === RSA) return { kind: 'rsa' };
  if (id === EC_KEY && param?.tag === 0x06) {
    const curve = CURVES[decodeOid(param)];
    if (curve) return { kind: 'ec', curve: curve.name, size: curve.size, hash: curve.hash };
  }
  throw new Error(`unsupported public key algorithm ${id}`);
}

/**
 * Verifies `sig` over `data` with the key in `spki`. `hash` defaults to the curve's
 * (ECDSA) or SHA-256 (RSA). Never throws for a bad signature or key: returns false.
 */
export async function verifyWithSpki(spki: Uint8Array, data: Uint8Array, sig: Uint8Array, hash?: HashName | null): Promise<boolean> {
  try {
    const k = spkiKind(spki);
    const key = spki as Uint8Array<ArrayBuffer>;
    const d = data as Uint8Array<ArrayBuffer>;
    if (k.kind === 'ed25519') {
      const raw = spki.subarray(spki.length - 32);
      if (!ed25519PolicyAllows(raw, sig)) return false;
      const ck = await subtle.importKey('spki', key, { name: 'Ed25519' }, false, ['verify']);
      return await subtle.verify({ name: 'Ed25519' }, ck, sig as Uint8Array<ArrayBuffer>, d);
    }
    if (k.kind === 'rsa') {
      const ck = await subtle.importKey('spki', key, { name: 'RSASSA-PKCS1-v1_5', hash: hash ?? 'SHA-256' }, false, ['verify']);
      return await subtle.verify({ name: 'RSASSA-PKCS1-v1_5' }, ck, sig as Uint8Array<ArrayBuffer>, d);
    }
    const raw = ecdsaDerToRaw(sig, k.size);
    if (!raw) return false;
    const ck = await subtle.importKey('spki', key, { name: 'ECDSA', namedCurve: k.curve }, false, ['verify']);
    return await subtle.verify({ name: 'ECDSA', hash: hash ?? k.hash }, ck, raw as Uint8Array<ArrayBuffer>, d);
  } catch {
    return false;
  }
}
