// Spec 5.1 step 2: the leaf carries a signed certificate timestamp (RFC 6962) from a CT
// log of the trusted root. The SCT signs the precertificate: the leaf's TBSCertificate
// without the SCT list extension, with the SHA-256 of the issuer's key.

import { children, parseDer, tlv } from './der';
import { equalBytes, sha256, verifyWithSpki } from './crypto';
import type { HashName } from './crypto';
import { broken, unknownAuthority } from './errors';
import type { LogKey, TrustedRoot } from './trusted-root';
import { inWindow } from './trusted-root';
import type { Certificate } from './x509';
import { OID_SCT_LIST } from './x509';

interface Sct {
  logId: Uint8Array;
  timestamp: bigint;
  extensions: Uint8Array;
  hash: HashName;
  signature: Uint8Array;
}

const HASHES: Record<number, HashName> = { 4: 'SHA-256', 5: 'SHA-384', 6: 'SHA-512' };

function parseSctList(extValue: Uint8Array): Sct[] {
  const list = parseDer(extValue).value; // OCTET STRING holding the TLS-encoded list
  const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
  if (list.length < 2 || u16(list, 0) !== list.length - 2) throw broken('sct', 'the SCT list extension is malformed');
  const out: Sct[] = [];
  for (let at = 2; at < list.length;) {
    const len = u16(list, at);
    const s = list.subarray(at + 2, at + 2 + len);
    at += 2 + len;
    if (s.length !== len || s.length < 47 || s[0] !== 0) throw broken('sct', 'an SCT is malformed or not version 1');
    const extLen = u16(s, 41);
    const after = 43 + extLen;
    if (after + 4 > s.length) throw broken('sct', 'an SCT is truncated');
    const sigLen = u16(s, after + 2);
    if (after + 4 + sigLen !== s.length) throw broken('sct', 'an SCT has trailing bytes');
    const hash = HASHES[s[after]!];
    if (!hash) throw broken('sct', 'an SCT uses an unsupported hash');
    let ts = 0n;
    for (let i = 33; i < 41; i++) ts = (ts << 8n) | BigInt(s[i]!);
    out.push({ logId: s.subarray(1, 33), timestamp: ts, extensions: s.subarray(41, after), hash, signature: s.subarray(after + 4) });
  }
  return out;
}

function precertTbs(leaf: Certificate): Uint8Array {
  const parts = children(leaf.tbs).map((node) => {
    if (node.tag !== 0xa3) return node.raw;
    const [seq] = children(node);
    const kept = children(seq!).filter((ext) => !equalBytes(children(ext)[0]!.raw, OID_SCT_DER));
    return tlv(0xa3, tlv(0x30, ...kept.map((e) => e.raw)));
  });
  return tlv(0x30, ...parts);
}

const OID_SCT_DER = Uint8Array.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02]);

/** Checks that one SCT of the leaf verifies under a CT log of the trusted root; returns that log. */
export async function checkSct(leaf: Certificate, issuer: Certificate, root: TrustedRoot): Promise<LogKey> {
  const ext = leaf.extensions.find((e) => e.oid === OID_SCT_LIST);
  if (!ext) throw broken('sct', 'the certificate carries no signed certificate timestamp');
  const scts = parseSctList(ext.value);
  const tbs = precertTbs(leaf);
  const issuerKeyHash = await sha256(issuer.spki);
  let known = false;
  for (const sct of scts) {
    const log = root.ctlogs.find((l) => equalBytes(l.logId, sct.logId));
    if (!log) continue;
    known = true;
    if (!inWindow(log.window, Number(sct.timestamp))) continue;
    const head = new Uint8Array(12);
    head[1] = 0; // certificate_timestamp
    for (let i = 0; i < 8; i++) head[2 + i] = Number((sct.timestamp >> BigInt(8 * (7 - i))) & 0xffn);
    head[10] = 0;
    head[11] = 1; // precert_entry
    const len = Uint8Array.of((tbs.length >> 16) & 0xff, (tbs.length >> 8) & 0xff, tbs.length & 0xff);
    const data = new Uint8Array([...head, ...issuerKeyHash, ...len, ...tbs, ...sct.extensions]);
    if (await verifyWithSpki(log.spki, data, sct.signature, sct.hash)) return log;
  }
  if (!known) throw unknownAuthority('sct', 'the certificate timestamp is from a CT log the trusted root does not know');
  throw broken('sct', 'the signed certificate timestamp does not verify under its CT log');
}
