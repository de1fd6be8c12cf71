// Public keys, signature verification and signing keys (spec section 5), over WebCrypto,
// which Node 20 and Chromium both provide. Pure: no node:*.
//
// Ed25519 policy. Libraries disagree on edge cases (ed25519-speccheck); Exhibit must give
// the same answer in the CLI (OpenSSL) and the browser (BoringSSL), and the strictest
// common answer is the safest. Before WebCrypto sees a signature we reject, as libsodium
// does: S >= L (malleable), a non-canonical encoding of A or R (y >= p), and A or R of
// small order (the eight torsion points, sign bit ignored). What remains is checked with
// the cofactorless equation both engines use.

import type { PublicKeyInfo } from './crypto-types';
import { base64Decode, base64Encode } from './encoding';
import { hexEncode } from '../platform/hex';
import { CodedError } from '../platform/errors';
import { digestBytes, subtle } from '../platform/webcrypto';

/** Why a key text or blob is not a usable key. */
export type KeyErrorCode =
  | 'key-bad-base64'
  | 'key-bad-openssh'
  | 'key-bad-spki'
  | 'key-invalid-point'
  | 'key-not-pem'
  | 'key-not-private'
  | 'key-not-public'
  | 'key-point-format'
  | 'key-private-format'
  | 'key-small-order'
  | 'key-several-blocks'
  | 'key-too-large'
  | 'key-trailing-text'
  | 'key-unsupported-algorithm';

class KeyFormatError extends CodedError<KeyErrorCode> {
  constructor(code: KeyErrorCode, message: string) {
    super(code, message);
    this.name = 'KeyFormatError';
  }
}

// DER prefixes of the only two SubjectPublicKeyInfo shapes accepted (DER is canonical, so
// an exact prefix and length are a complete, strict parse).
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const P256_SPKI_PREFIX = Uint8Array.from([
  0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
  0x03, 0x42, 0x00,
]);
const KNOWN_OTHER_ALGORITHMS: Array<[string, Uint8Array]> = [
  ['RSA', Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01])],
  ['ECDSA P-384', Uint8Array.from([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22])],
  ['ECDSA P-521', Uint8Array.from([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23])],
  ['Ed448', Uint8Array.from([0x06, 0x03, 0x2b, 0x65, 0x71])],
  ['X25519', Uint8Array.from([0x06, 0x03, 0x2b, 0x65, 0x6e])],
];

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function contains(bytes: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return digestBytes('SHA-256', bytes);
}

/** "ab12 cd34 …": a fingerprint grouped for people to compare aloud. */
export function formatFingerprint(hex: string): string {
  return hex.match(/.{1,4}/g)?.join(' ') ?? hex;
}

function toPem(label: string, der: Uint8Array): string {
  const b64 = base64Encode(der);
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

/** Checks an SPKI DER and describes it. Throws KeyFormatError for anything else. */
export async function publicKeyFromSpki(spki: Uint8Array): Promise<PublicKeyInfo> {
  let algorithm: PublicKeyInfo['algorithm'];
  if (spki.length === 44 && startsWith(spki, ED25519_SPKI_PREFIX)) {
    algorithm = 'ed25519';
    checkStrictEd25519Key(spki.subarray(12));
  } else if (spki.length === 91 && startsWith(spki, P256_SPKI_PREFIX)) {
    if (spki[26] !== 0x04)
      throw new KeyFormatError(
        'key-point-format',
        'The P-256 public key is not an uncompressed point; Exhibit accepts uncompressed points only.',
      );
    algorithm = 'ecdsa-p256-sha256';
  } else {
    const other = KNOWN_OTHER_ALGORITHMS.find(([, oid]) => contains(spki.subarray(0, 40), oid));
    if (other)
      throw new KeyFormatError(
        'key-unsupported-algorithm',
        `Unsupported key algorithm ${other[0]}: Exhibit accepts Ed25519 and ECDSA P-256 keys.`,
      );
    throw new KeyFormatError('key-bad-spki', 'Not an Ed25519 or ECDSA P-256 SubjectPublicKeyInfo (wrong structure or length).');
  }
  try {
    await importVerifyKey(algorithm, spki);
  } catch {
    throw new KeyFormatError('key-invalid-point', 'The public key is not a valid point on its curve.');
  }
  const digest = await sha256(spki);
  return { algorithm, spki: spki.slice(), keyid: base64Encode(digest), fingerprint: hexEncode(digest), pem: toPem('PUBLIC KEY', spki) };
}

function importVerifyKey(algorithm: PublicKeyInfo['algorithm'], spki: Uint8Array): Promise<CryptoKey> {
  const params = algorithm === 'ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
  return subtle.importKey('spki', spki as Uint8Array<ArrayBuffer>, params, false, ['verify']);
}

/** Reads an SSH wire-format string at `at`; returns [bytes, next offset]. */
function sshString(blob: Uint8Array, at: number): [Uint8Array, number] {
  if (at + 4 > blob.length) throw new KeyFormatError('key-bad-openssh', 'The OpenSSH key blob is truncated.');
  const len = ((blob[at]! << 24) | (blob[at + 1]! << 16) | (blob[at + 2]! << 8) | blob[at + 3]!) >>> 0;
  if (at + 4 + len > blob.length) throw new KeyFormatError('key-bad-openssh', 'The OpenSSH key blob is truncated.');
  return [blob.subarray(at + 4, at + 4 + len), at + 4 + len];
}

function parseOpenSsh(line: string): Uint8Array {
  const [type, b64] = line.trim().split(/\s+/);
  let blob: Uint8Array;
  try {
    blob = base64Decode(b64 ?? '');
  } catch {
    throw new KeyFormatError('key-bad-openssh', 'The OpenSSH key is not valid base64.');
  }
  const dec = new TextDecoder();
  const [innerType, next] = sshString(blob, 0);
  if (dec.decode(innerType) !== type)
    throw new KeyFormatError(
      'key-bad-openssh',
      `The OpenSSH line says ${type} but the key inside is ${dec.decode(innerType).slice(0, 40)}.`,
    );
  if (type === 'ssh-ed25519') {
    const [raw, end] = sshString(blob, next);
    if (raw.length !== 32 || end !== blob.length)
      throw new KeyFormatError('key-bad-openssh', 'An ssh-ed25519 key must hold exactly 32 bytes.');
    const spki = new Uint8Array(44);
    spki.set(ED25519_SPKI_PREFIX);
    spki.set(raw, 12);
    return spki;
  }
  const [curve, afterCurve] = sshString(blob, next);
  if (dec.decode(curve) !== 'nistp256')
    throw new KeyFormatError('key-bad-openssh', 'An ecdsa-sha2-nistp256 key must name the nistp256 curve.');
  const [point, end] = sshString(blob, afterCurve);
  if (point.length !== 65 || point[0] !== 0x04 || end !== blob.length)
    throw new KeyFormatError('key-bad-openssh', 'An ecdsa-sha2-nistp256 key must hold one uncompressed 65-byte point.');
  const spki = new Uint8Array(91);
  spki.set(P256_SPKI_PREFIX);
  spki.set(point, 26);
  return spki;
}

/** Parses an SPKI PEM or an OpenSSH `ssh-ed25519` / `ecdsa-sha2-nistp256` public-key line. */
export async function parsePublicKey(text: string): Promise<PublicKeyInfo> {
  if (text.length > 64 * 1024) throw new KeyFormatError('key-too-large', 'The key text is larger than any public key (64 KiB).');
  const trimmed = text.trim();
  if (/^(ssh-ed25519|ecdsa-sha2-nistp256)\s/.test(trimmed)) {
    if (trimmed.split(/\r?\n/).length > 1) throw new KeyFormatError('key-bad-openssh', 'Give one OpenSSH public-key line, not several.');
    return publicKeyFromSpki(parseOpenSsh(trimmed));
  }
  if (/^(ssh-rsa|ssh-dss|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-)/.test(trimmed)) {
    throw new KeyFormatError(
      'key-unsupported-algorithm',
      `Unsupported key type ${trimmed.split(/\s/)[0]}: Exhibit accepts ssh-ed25519 and ecdsa-sha2-nistp256.`,
    );
  }
  const blocks = [...trimmed.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  if (blocks.length === 0)
    throw new KeyFormatError('key-not-pem', 'Not a public key: expected a PEM "BEGIN PUBLIC KEY" block or an OpenSSH public-key line.');
  if (blocks.length > 1) throw new KeyFormatError('key-several-blocks', `Found ${blocks.length} PEM blocks; give exactly one public key.`);
  const [, label, body] = blocks[0]!;
  if (label !== 'PUBLIC KEY') {
    throw new KeyFormatError(
      'key-not-public',
      label!.includes('PRIVATE')
        ? `Not a public key: found a ${label} block. Never share a private key; give its .pub.pem.`
        : `Not a public key: found a ${label} block.`,
    );
  }
  const leftover = trimmed.replace(blocks[0]![0], '').trim();
  if (leftover) throw new KeyFormatError('key-trailing-text', 'Text outside the PEM block; give the key alone.');
  let der: Uint8Array;
  try {
    der = base64Decode(body!.replace(/\s+/g, ''));
  } catch {
    throw new KeyFormatError('key-bad-base64', 'The PEM body is not valid base64.');
  }
  return publicKeyFromSpki(der);
}

// Ed25519 policy checks (see the comment at the top).
const L = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0x10,
]);
const SMALL_ORDER: Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((h) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16))));

/** Little-endian scalar < L. */
function isCanonicalScalar(s: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (s[i]! < L[i]!) return true;
    if (s[i]! > L[i]!) return false;
  }
  return false;
}

/** The encoded y (sign bit cleared) is below p = 2^255 - 19. */
function isCanonicalPoint(p: Uint8Array): boolean {
  if ((p[31]! & 0x7f) !== 0x7f) return true;
  for (let i = 30; i > 0; i--) if (p[i] !== 0xff) return true;
  return p[0]! < 0xed;
}

function hasSmallOrder(p: Uint8Array): boolean {
  return SMALL_ORDER.some((q) => {
    for (let i = 0; i < 31; i++) if (p[i] !== q[i]) return false;
    return (p[31]! & 0x7f) === q[31];
  });
}

/**
 * Spec 5: an Ed25519 public key of small order, or not canonically encoded, never verifies
 * (libsodium's rules), so it is refused as a key: every caller (a trust store adding it, a
 * trust file, a travelling key) is told why instead of holding a key that can never count.
 */
function checkStrictEd25519Key(point: Uint8Array): void {
  if (!isCanonicalPoint(point))
    throw new KeyFormatError(
      'key-small-order',
      'The Ed25519 public key is not canonically encoded (its y coordinate is not below 2^255 - 19); no signature by it can be verified strictly, so it is refused.',
    );
  if (hasSmallOrder(point))
    throw new KeyFormatError(
      'key-small-order',
      'The Ed25519 public key is a point of small order (such as the identity); signatures "by" it prove nothing, so it is refused.',
    );
}

/** Whether an Ed25519 public key and signature pass the policy checks above. */
export function ed25519PolicyAllows(publicKey: Uint8Array, sig: Uint8Array): boolean {
  if (publicKey.length !== 32 || sig.length !== 64) return false;
  const r = sig.subarray(0, 32);
  const s = sig.subarray(32);
  return isCanonicalScalar(s) && isCanonicalPoint(publicKey) && isCanonicalPoint(r) && !hasSmallOrder(publicKey) && !hasSmallOrder(r);
}

// P-256 group order n, big-endian.
const P256_N = Uint8Array.from([
  0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e,
  0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
]);

function inRange(x: Uint8Array): boolean {
  if (x.every((b) => b === 0)) return false;
  for (let i = 0; i < 32; i++) {
    if (x[i]! < P256_N[i]!) return true;
    if (x[i]! > P256_N[i]!) return false;
  }
  return false;
}

/**
 * Strict DER `SEQUENCE { INTEGER r, INTEGER s }` -> 64-byte r||s, or null. Refuses long
 * lengths where short ones suffice, non-minimal or negative integers and trailing bytes.
 */
export function derToP1363(der: Uint8Array): Uint8Array | null {
  if (der.length < 8 || der.length > 72 || der[0] !== 0x30) return null;
  if (der[1]! >= 0x80 || der[1] !== der.length - 2) return null;
  const out = new Uint8Array(64);
  let at = 2;
  for (const half of [0, 1]) {
    if (der[at] !== 0x02) return null;
    const len = der[at + 1]!;
    if (len === 0 || len >= 0x80 || at + 2 + len > der.length) return null;
    const int = der.subarray(at + 2, at + 2 + len);
    if (int[0]! & 0x80) return null; // negative
    if (int.length > 1 && int[0] === 0 && !(int[1]! & 0x80)) return null; // non-minimal
    const magnitude = int[0] === 0 ? int.subarray(1) : int;
    if (magnitude.length > 32) return null;
    out.set(magnitude, half * 32 + 32 - magnitude.length);
    at += 2 + len;
  }
  return at === der.length ? out : null;
}

/**
 * Verifies `sig` over `data`. Ed25519: exactly 64 bytes, after the policy checks.
 * P-256 with SHA-256: strict DER, or a 64-byte raw r||s. Never throws for a bad signature.
 */
export async function verifySignature(key: PublicKeyInfo, data: Uint8Array, sig: Uint8Array): Promise<boolean> {
  try {
    if (key.algorithm === 'ed25519') {
      if (!ed25519PolicyAllows(key.spki.subarray(12), sig)) return false;
      const k = await importVerifyKey('ed25519', key.spki);
      return await subtle.verify({ name: 'Ed25519' }, k, sig as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    }
    const raw = sig.length === 64 ? sig : derToP1363(sig);
    if (!raw || !inRange(raw.subarray(0, 32)) || !inRange(raw.subarray(32))) return false;
    const k = await importVerifyKey('ecdsa-p256-sha256', key.spki);
    return await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, k, raw as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
  } catch {
    return false;
  }
}

/** A private key that signs, with its public half. */
export interface SigningKey {
  algorithm: PublicKeyInfo['algorithm'];
  publicKey: PublicKeyInfo;
  /** Ed25519: 64 bytes; P-256: DER. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

function p1363ToDer(raw: Uint8Array): Uint8Array {
  const int = (x: Uint8Array) => {
    let i = 0;
    while (i < x.length - 1 && x[i] === 0) i++;
    const v = x.subarray(i);
    return v[0]! & 0x80 ? Uint8Array.from([0x02, v.length + 1, 0, ...v]) : Uint8Array.from([0x02, v.length, ...v]);
  };
  const r = int(raw.subarray(0, 32));
  const s = int(raw.subarray(32));
  return Uint8Array.from([0x30, r.length + s.length, ...r, ...s]);
}

async function signingKeyFrom(privateKey: CryptoKey, publicKey: CryptoKey): Promise<SigningKey> {
  const spki = new Uint8Array(await subtle.exportKey('spki', publicKey));
  const info = await publicKeyFromSpki(spki);
  return {
    algorithm: info.algorithm,
    publicKey: info,
    async sign(data) {
      if (info.algorithm === 'ed25519')
        return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, privateKey, data as Uint8Array<ArrayBuffer>));
      return p1363ToDer(new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, data as Uint8Array<ArrayBuffer>)));
    },
  };
}

/**
 * Imports a PKCS#8 PEM private key (Ed25519 or P-256). The public half is derived by a
 * JWK round trip, which both Node and Chromium support.
 */
export async function importSigningKey(pkcs8Pem: string): Promise<SigningKey> {
  const m = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(pkcs8Pem);
  if (!m) {
    if (/BEGIN (ENCRYPTED|RSA|EC|OPENSSH) PRIVATE KEY/.test(pkcs8Pem))
      throw new KeyFormatError(
        'key-private-format',
        'This private key is not an unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"); convert it with openssl pkcs8 -topk8 -nocrypt.',
      );
    throw new KeyFormatError('key-not-private', 'Not a private key: expected a PEM "BEGIN PRIVATE KEY" block.');
  }
  let der: Uint8Array;
  try {
    der = base64Decode(m[1]!.replace(/\s+/g, ''));
  } catch {
    throw new KeyFormatError('key-bad-base64', 'The private key PEM body is not valid base64.');
  }
  const attempts: Array<[AlgorithmIdentifier | EcKeyImportParams, AlgorithmIdentifier | EcKeyImportParams]> = [
    [{ name: 'Ed25519' }, { name: 'Ed25519' }],
    [{ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyImportParams, { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyImportParams],
  ];
  for (const [params] of attempts) {
    try {
      const privateKey = await subtle.importKey('pkcs8', der as Uint8Array<ArrayBuffer>, params, true, ['sign']);
      const jwk = await subtle.exportKey('jwk', privateKey);
      delete jwk.d;
      jwk.key_ops = ['verify'];
      const publicKey = await subtle.importKey('jwk', jwk, params, true, ['verify']);
      return signingKeyFrom(privateKey, publicKey);
    } catch {
      // try the next algorithm
    }
  }
  throw new KeyFormatError('key-unsupported-algorithm', 'The private key is neither Ed25519 nor ECDSA P-256.');
}

export interface GeneratedKeyPair {
  privatePem: string;
  publicPem: string;
  keyid: string;
  fingerprint: string;
}

async function generate(params: AlgorithmIdentifier | EcKeyGenParams): Promise<GeneratedKeyPair> {
  const pair = (await subtle.generateKey(params, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey));
  const info = await publicKeyFromSpki(new Uint8Array(await subtle.exportKey('spki', pair.publicKey)));
  return { privatePem: toPem('PRIVATE KEY', pkcs8), publicPem: info.pem, keyid: info.keyid, fingerprint: info.fingerprint };
}

export function generateEd25519KeyPair(): Promise<GeneratedKeyPair> {
  return generate({ name: 'Ed25519' });
}

export function generateP256KeyPair(): Promise<GeneratedKeyPair> {
  return generate({ name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams);
}
