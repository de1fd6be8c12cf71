// X.509 certificates as Sigstore uses them (RFC 5280 subset): parsing, issuer
// signatures, and the signer identity of a Fulcio leaf (SAN, OIDC issuer, GitHub Actions
// extensions). Pure: no node:*.

import type { Der } from './der';
import { DerError, children, decodeOid, decodeString, decodeTime, expectTag, parseDer } from './der';
import { SIGNATURE_HASH, equalBytes, verifyWithSpki } from './crypto';

export interface Extension {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING's contents. */
  value: Uint8Array;
  /** The whole Extension SEQUENCE. */
  raw: Uint8Array;
}

export interface Certificate {
  der: Uint8Array;
  tbs: Der;
  signatureAlgorithm: string;
  signature: Uint8Array;
  serial: Uint8Array;
  /** DER of the issuer and subject Names (compared byte for byte). */
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  extensions: Extension[];
  isCA: boolean;
  pathLen: number | null;
}

const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_SAN = '2.5.29.17';
export const OID_SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';
const FULCIO = '1.3.6.1.4.1.57264.1.';

function parseExtensions(node: Der): Extension[] {
  const [seq] = children(node);
  return children(expectTag(seq, 0x30, 'extensions')).map((ext) => {
    const parts = children(expectTag(ext, 0x30, 'extension'));
    const critical = parts.length === 3 && parts[1]!.tag === 0x01 && parts[1]!.value[0] !== 0;
    const value = expectTag(parts[parts.length - 1], 0x04, 'extension value').value;
    return { oid: decodeOid(parts[0]!), critical, value, raw: ext.raw };
  });
}

/** Parses a DER certificate. Throws DerError (with what is wrong) for anything else. */
export function parseCertificate(der: Uint8Array): Certificate {
  const [tbs, alg, sig, extra] = children(expectTag(parseDer(der), 0x30, 'Certificate'));
  if (extra) throw new DerError('Certificate has trailing fields');
  const t = children(expectTag(tbs, 0x30, 'TBSCertificate'));
  let i = t[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expectTag(t[i++], 0x02, 'serialNumber').value;
  i++; // signature algorithm inside TBS (checked equal to the outer one below)
  const issuer = expectTag(t[i++], 0x30, 'issuer').raw;
  const [nb, na] = children(expectTag(t[i++], 0x30, 'validity'));
  const subject = expectTag(t[i++], 0x30, 'subject').raw;
  const spki = expectTag(t[i++], 0x30, 'subjectPublicKeyInfo').raw;
  const extNode = t.slice(i).find((n) => n.tag === 0xa3);
  const extensions = extNode ? parseExtensions(extNode) : [];
  const sigAlg = children(expectTag(alg, 0x30, 'signatureAlgorithm'));
  const innerAlg = t[t[0]?.tag === 0xa0 ? 2 : 1]!;
  if (!equalBytes(innerAlg.raw, alg!.raw)) throw new DerError('the two signature algorithms of the certificate differ');
  const bits = expectTag(sig, 0x03, 'signatureValue').value;
  if (bits[0] !== 0) throw new DerError('signature BIT STRING has unused bits');
  const bc = extensions.find((e) => e.oid === OID_BASIC_CONSTRAINTS);
  let isCA = false;
  let pathLen: number | null = null;
  if (bc) {
    const parts = children(parseDer(bc.value));
    isCA = parts[0]?.tag === 0x01 && parts[0].value[0] !== 0;
    const len = parts.find((p) => p.tag === 0x02);
    if (len) pathLen = Number(len.value.reduce((n, b) => n * 256 + b, 0));
  }
  return {
    der,
    tbs: tbs!,
    signatureAlgorithm: decodeOid(sigAlg[0]!),
    signature: bits.subarray(1),
    serial,
    issuer,
    subject,
    notBefore: decodeTime(nb!),
    notAfter: decodeTime(na!),
    spki,
    extensions,
    isCA,
    pathLen,
  };
}

/** Whether `issuer`'s key signed `cert` (and names match). */
export async function isIssuedBy(cert: Certificate, issuer: Certificate): Promise<boolean> {
  if (!equalBytes(cert.issuer, issuer.subject)) return false;
  const hash = SIGNATURE_HASH[cert.signatureAlgorithm];
  if (hash === undefined) return false;
  return verifyWithSpki(issuer.spki, cert.tbs.raw, cert.signature, hash);
}

export function validAt(cert: Certificate, t: Date): boolean {
  return cert.notBefore.getTime() <= t.getTime() && t.getTime() <= cert.notAfter.getTime();
}

export function isSelfIssued(cert: Certificate): boolean {
  return equalBytes(cert.issuer, cert.subject);
}

/** GitHub Actions claims a Fulcio certificate carries (OIDs 1.3.6.1.4.1.57264.1.*). */
export interface GitHubClaims {
  repository: string | null;
  workflow: string | null;
  ref: string | null;
  sha: string | null;
  trigger: string | null;
}

/** Who signed, per a Fulcio leaf: what identity trust entries match. */
export interface CertificateIdentity {
  /** The subject alternative name (URI, e-mail, DNS name or other name). */
  san: string | null;
  sanType: 'uri' | 'email' | 'dns' | 'other' | null;
  /** The OIDC issuer extension (1.3.6.1.4.1.57264.1.8, or the older .1.1). */
  issuer: string | null;
  github: GitHubClaims | null;
}

function firstSan(value: Uint8Array): Pick<CertificateIdentity, 'san' | 'sanType'> {
  for (const name of children(parseDer(value))) {
    const text = new TextDecoder('utf-8', { fatal: true });
    if (name.tag === 0x86) return { san: text.decode(name.value), sanType: 'uri' };
    if (name.tag === 0x81) return { san: text.decode(name.value), sanType: 'email' };
    if (name.tag === 0x82) return { san: text.decode(name.value), sanType: 'dns' };
    if (name.tag === 0xa0) {
      const [, inner] = children(name);
      if (inner) return { san: decodeString(children(inner)[0]!), sanType: 'other' };
    }
  }
  return { san: null, sanType: null };
}

/** Identity of a Fulcio leaf. Unknown or undecodable extensions read as null. */
export function certificateIdentity(cert: Certificate): CertificateIdentity {
  const ext = (n: number, der: boolean): string | null => {
    const e = cert.extensions.find((x) => x.oid === `${FULCIO}${n}`);
    if (!e) return null;
    try {
      return der ? decodeString(parseDer(e.value)) : new TextDecoder('utf-8', { fatal: true }).decode(e.value);
    } catch {
      return null;
    }
  };
  const sanExt = cert.extensions.find((e) => e.oid === OID_SAN);
  const { san, sanType } = sanExt ? firstSan(sanExt.value) : { san: null, sanType: null };
  const github: GitHubClaims = {
    repository: ext(12, true) ?? ext(5, false),
    workflow: ext(18, true) ?? ext(4, false),
    ref: ext(14, true) ?? ext(6, false),
    sha: ext(13, true) ?? ext(3, false),
    trigger: ext(20, true) ?? ext(2, false),
  };
  const hasGithub = Object.values(github).some((v) => v !== null);
  return { san, sanType, issuer: ext(8, true) ?? ext(1, false), github: hasGithub ? github : null };
}

/** PEM "CERTIFICATE" blocks or base64 DER to DER bytes. */
export function pemToDer(text: string): Uint8Array[] {
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return blocks.map((b) => Uint8Array.from(atob(b[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0)));
}
