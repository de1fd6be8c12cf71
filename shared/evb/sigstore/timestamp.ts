// RFC 3161 timestamps (spec 5.1 step 4): a CMS SignedData TimeStampToken by a timestamp
// authority of the trusted root, over the hash of the bundle's signature. Returns the
// proven time (genTime).

import type { Der } from './der';
import { children, decodeOid, decodeTime, expectTag, parseDer, tlv } from './der';
import type { HashName } from './crypto';
import { SIGNATURE_HASH, digest, equalBytes, verifyWithSpki } from './crypto';
import { broken, unknownAuthority } from './errors';
import type { CertAuthority, TrustedRoot } from './trusted-root';
import { inWindow } from './trusted-root';
import { checkChain } from './chain';

const HASH_OIDS: Record<string, HashName> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const OID_TSTINFO = '1.2.840.113549.1.9.16.1.4';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';

interface Token {
  tstInfo: Uint8Array;
  imprintHash: HashName;
  imprint: Uint8Array;
  genTime: Date;
  sidIssuer: Uint8Array | null;
  sidSerial: Uint8Array | null;
  digestHash: HashName;
  signedAttrs: Der | null;
  signatureHash: HashName | null;
  signature: Uint8Array;
}

function hashOf(alg: Der | undefined): HashName {
  const h = HASH_OIDS[decodeOid(children(expectTag(alg, 0x30, 'AlgorithmIdentifier'))[0]!)];
  if (!h) throw broken('signing-time', 'the timestamp uses an unsupported hash');
  return h;
}

function parseToken(bytes: Uint8Array): Token {
  let top = children(parseDer(bytes));
  // A TimeStampResp (status, token) rather than the bare token: take the token if granted.
  if (top[0]?.tag === 0x30 && top[1]?.tag === 0x30) {
    const status = children(top[0])[0];
    if (!status || status.tag !== 0x02 || status.value.length !== 1 || status.value[0]! > 1)
      throw new Error('the timestamp response was not granted');
    top = children(top[1]);
  }
  const [type, content] = top;
  if (decodeOid(type!) !== '1.2.840.113549.1.7.2') throw new Error('not CMS SignedData');
  const sd = children(children(expectTag(content, 0xa0, 'content'))[0]!);
  const encap = children(sd[2]!);
  if (decodeOid(encap[0]!) !== OID_TSTINFO) throw new Error('not a TSTInfo');
  const tstInfo = children(expectTag(encap[1], 0xa0, 'eContent'))[0]!.value;
  const info = children(parseDer(tstInfo));
  const [imprintAlg, imprint] = children(info[2]!);
  const signerInfos = children(sd[sd.length - 1]!);
  if (signerInfos.length !== 1) throw new Error('the timestamp must have one signer');
  const si = children(signerInfos[0]!);
  let sidIssuer: Uint8Array | null = null;
  let sidSerial: Uint8Array | null = null;
  if (si[1]!.tag === 0x30) {
    const [iss, ser] = children(si[1]!);
    sidIssuer = iss!.raw;
    sidSerial = ser!.value;
  }
  const attrs = si[3]!.tag === 0xa0 ? si[3]! : null;
  const sigAlg = children(si[attrs ? 4 : 3]!)[0]!;
  const algOid = decodeOid(sigAlg);
  return {
    tstInfo,
    imprintHash: hashOf(imprintAlg),
    imprint: expectTag(imprint, 0x04, 'hashedMessage').value,
    genTime: decodeTime(info[4]!),
    sidIssuer,
    sidSerial,
    digestHash: hashOf(si[2]),
    signedAttrs: attrs,
    signatureHash: SIGNATURE_HASH[algOid] ?? null,
    signature: expectTag(si[attrs ? 5 : 4], 0x04, 'signature').value,
  };
}

async function signedBytes(t: Token): Promise<Uint8Array> {
  if (!t.signedAttrs) return t.tstInfo;
  const attrs = children(t.signedAttrs).map((a) => children(a));
  const md = attrs.find((a) => decodeOid(a[0]!) === OID_MESSAGE_DIGEST);
  const ct = attrs.find((a) => decodeOid(a[0]!) === OID_CONTENT_TYPE);
  if (!md || !ct || decodeOid(children(ct[1]!)[0]!) !== OID_TSTINFO)
    throw broken('signing-time', 'the timestamp signed attributes are incomplete');
  if (!equalBytes(children(md[1]!)[0]!.value, await digest(t.digestHash, t.tstInfo)))
    throw broken('signing-time', 'the timestamp signed attributes do not match its content');
  return tlv(0x31, t.signedAttrs.value);
}

/** Verifies one RFC 3161 token over `signature`; returns the proven time (ms) and the authority. */
export async function checkTimestamp(
  token: Uint8Array,
  signature: Uint8Array,
  root: TrustedRoot,
): Promise<{ time: number; authority: CertAuthority }> {
  let t: Token;
  try {
    t = parseToken(token);
  } catch (e) {
    throw broken('signing-time', `the RFC 3161 timestamp is malformed (${(e as Error).message})`);
  }
  if (!equalBytes(t.imprint, await digest(t.imprintHash, signature)))
    throw broken('signing-time', 'the RFC 3161 timestamp is over something other than this signature');
  const time = t.genTime.getTime();
  const candidates = root.timestampAuthorities.filter(
    (a) => !t.sidSerial || (equalBytes(a.chain[0]!.serial, t.sidSerial) && equalBytes(a.chain[0]!.issuer, t.sidIssuer!)),
  );
  if (candidates.length === 0)
    throw unknownAuthority('signing-time', 'the timestamp is from a timestamp authority the trusted root does not know');
  const data = await signedBytes(t);
  let reason = 'the timestamp signature does not verify under its authority';
  for (const a of candidates) {
    if (!inWindow(a.window, time)) {
      reason = 'the timestamp lies outside the validity of its authority in the trusted root';
      continue;
    }
    if (!(await verifyWithSpki(a.chain[0]!.spki, data, t.signature, t.signatureHash))) continue;
    try {
      await checkChain(a.chain[0]!, [{ ...a, chain: a.chain.slice(1).length ? a.chain.slice(1) : a.chain }], [time]);
    } catch {
      reason = 'the timestamp authority certificate was not valid at the timestamp time';
      continue;
    }
    return { time, authority: a };
  }
  throw broken('signing-time', reason);
}
