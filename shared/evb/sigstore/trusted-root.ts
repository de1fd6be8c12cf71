// Sigstore's TrustedRoot JSON (protobuf-specs dev.sigstore.trustroot.v1): certificate
// authorities, transparency logs, CT logs and timestamp authorities, each with its
// validity window. Parsed strictly: a malformed root is refused, never half-used.

import { base64Decode } from '../encoding';
import { tlv } from './der';
import type { Certificate } from './x509';
import { parseCertificate } from './x509';

export class TrustedRootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustedRootError';
  }
}

export interface Window {
  start: number;
  /** Infinity when open-ended. */
  end: number;
}

export interface LogKey {
  baseUrl: string;
  /** SPKI DER of the log's key. */
  spki: Uint8Array;
  /** logId.keyId bytes (SHA-256 of the key for Rekor v1 and CT logs). */
  logId: Uint8Array;
  /** checkpointKeyId bytes (Rekor v2), when given. */
  checkpointKeyId: Uint8Array | null;
  window: Window;
}

export interface CertAuthority {
  uri: string;
  /** certChain as listed: the issuing certificate first, the root last. */
  chain: Certificate[];
  window: Window;
}

export interface TrustedRoot {
  /** A name for reports: "public-good (2026-…)" or the file it came from. */
  name: string;
  certificateAuthorities: CertAuthority[];
  tlogs: LogKey[];
  ctlogs: LogKey[];
  timestampAuthorities: CertAuthority[];
}

const MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.trustedroot(\.v0\.1)?\+json(;version=0\.1)?$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function b64(v: unknown, where: string): Uint8Array {
  if (typeof v !== 'string' || v.length === 0) throw new TrustedRootError(`${where} must be a non-empty base64 string`);
  try {
    return base64Decode(v);
  } catch (e) {
    throw new TrustedRootError(`${where} is ${(e as Error).message}`);
  }
}

function parseWindow(v: unknown, where: string): Window {
  if (!isObject(v)) throw new TrustedRootError(`${where}.validFor is required`);
  const time = (x: unknown, field: string): number => {
    const t = typeof x === 'string' ? Date.parse(x) : NaN;
    if (Number.isNaN(t)) throw new TrustedRootError(`${where}.validFor.${field} must be an RFC 3339 time`);
    return t;
  };
  const start = time(v.start, 'start');
  const end = v.end === undefined || v.end === null ? Infinity : time(v.end, 'end');
  if (end < start) throw new TrustedRootError(`${where}.validFor ends before it starts`);
  return { start, end };
}

/** PKCS#1 RSAPublicKey -> SPKI, so every key reaches WebCrypto as SPKI. */
function pkcs1ToSpki(pkcs1: Uint8Array): Uint8Array {
  const rsaAlg = tlv(0x30, Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]));
  return tlv(0x30, rsaAlg, tlv(0x03, Uint8Array.of(0), pkcs1));
}

function parseLog(v: unknown, where: string): LogKey {
  if (!isObject(v) || !isObject(v.publicKey) || !isObject(v.logId)) throw new TrustedRootError(`${where} must have publicKey and logId`);
  const raw = b64(v.publicKey.rawBytes, `${where}.publicKey.rawBytes`);
  const details = String(v.publicKey.keyDetails ?? '');
  const spki = details.startsWith('PKCS1_RSA') ? pkcs1ToSpki(raw) : raw;
  const cp = isObject(v.checkpointKeyId) ? b64(v.checkpointKeyId.keyId, `${where}.checkpointKeyId.keyId`) : null;
  return {
    baseUrl: typeof v.baseUrl === 'string' ? v.baseUrl : '',
    spki,
    logId: b64(v.logId.keyId, `${where}.logId.keyId`),
    checkpointKeyId: cp,
    window: parseWindow(v.publicKey.validFor, `${where}.publicKey`),
  };
}

function parseAuthority(v: unknown, where: string): CertAuthority {
  if (!isObject(v) || !isObject(v.certChain) || !Array.isArray(v.certChain.certificates))
    throw new TrustedRootError(`${where}.certChain.certificates must be an array`);
  const chain = v.certChain.certificates.map((c, i) => {
    const at = `${where}.certChain.certificates[${i}]`;
    if (!isObject(c)) throw new TrustedRootError(`${at} must be an object`);
    try {
      return parseCertificate(b64(c.rawBytes, `${at}.rawBytes`));
    } catch (e) {
      throw new TrustedRootError(`${at} is not a certificate: ${(e as Error).message}`);
    }
  });
  if (chain.length === 0) throw new TrustedRootError(`${where}.certChain is empty`);
  return { uri: typeof v.uri === 'string' ? v.uri : '', chain, window: parseWindow(v.validFor, where) };
}

function list<T>(json: Record<string, unknown>, key: string, parse: (v: unknown, where: string) => T): T[] {
  const v = json[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new TrustedRootError(`"${key}" must be an array`);
  return v.map((x, i) => parse(x, `${key}[${i}]`));
}

/** Parses a TrustedRoot JSON value. Throws TrustedRootError saying what is wrong and where. */
export function parseTrustedRoot(json: unknown, name: string): TrustedRoot {
  if (!isObject(json)) throw new TrustedRootError('a trusted root must be a JSON object');
  if (typeof json.mediaType !== 'string' || !MEDIA_TYPE.test(json.mediaType))
    throw new TrustedRootError(`"mediaType" ${JSON.stringify(json.mediaType)?.slice(0, 80)} is not a trusted root's`);
  return {
    name,
    certificateAuthorities: list(json, 'certificateAuthorities', parseAuthority),
    tlogs: list(json, 'tlogs', parseLog),
    ctlogs: list(json, 'ctlogs', parseLog),
    timestampAuthorities: list(json, 'timestampAuthorities', parseAuthority),
  };
}

export function inWindow(w: Window, t: number): boolean {
  return w.start <= t && t <= w.end;
}
