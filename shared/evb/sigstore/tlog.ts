// Transparency-log entries (spec 5.1 step 3): the entry's body must match this signature
// and certificate, and the entry must be proven, by an inclusion proof to a checkpoint
// signed by the log, or (Rekor v1 without a proof) by a signed entry timestamp.

import { base64Decode } from '../encoding';
import { hexEncode } from '../../platform/hex';
import type { TlogEntry } from './bundle';
import { equalBytes, verifyWithSpki } from './crypto';
import { broken, unknownAuthority } from './errors';
import { parseCheckpoint, rootFromInclusionProof } from './merkle';
import type { LogKey, TrustedRoot } from './trusted-root';
import { inWindow } from './trusted-root';
import { pemToDer } from './x509';

/** What the log entry must agree with: the signature bytes, the signed digest, the signer. */
export interface SignedContent {
  signature: Uint8Array;
  /** SHA-256 of the DSSE payload, or the message digest (what dsse and intoto entries record). */
  digest: Uint8Array;
  /** SHA-256 of what the signature signs: PAE for DSSE, the message (what hashedrekord entries record). */
  signedDigest: Uint8Array;
  /** The leaf certificate (keyless), or null for a bundle checked with a given key. */
  leafDer: Uint8Array | null;
  /** SPKI of the signer's key (the leaf's, or the given key). */
  spki: Uint8Array;
}

export interface ProvenEntry {
  log: LogKey;
  logIndex: bigint;
  /** Integrated time (ms since the epoch), when the entry is Rekor v1 and proven. */
  integratedTime: number | null;
  proof: 'inclusion-proof' | 'signed-entry-timestamp';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const dig = (o: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, k) => (isObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[k] : undefined), o);

function b64(v: unknown): Uint8Array | null {
  try {
    return typeof v === 'string' ? base64Decode(v) : null;
  } catch {
    return null;
  }
}

function hex(v: unknown): Uint8Array | null {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? Uint8Array.from(v.match(/../g)!, (h) => parseInt(h, 16)) : null;
}

/** A verifier a v1 log body records (base64 PEM certificate or public key) is the signer's. Absent: nothing to compare. */
function verifierMatches(pemB64: unknown, content: SignedContent): boolean {
  if (pemB64 === undefined) return true;
  const pem = b64(pemB64);
  if (!pem) return false;
  const text = new TextDecoder().decode(pem);
  const key = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text);
  if (key) return equalBytes(b64(key[1]!.replace(/\s+/g, '')) ?? new Uint8Array(), content.spki);
  const der = pemToDer(text)[0];
  return der !== undefined && content.leafDer !== null && equalBytes(der, content.leafDer);
}

/** A verifier a v2 log body records (certificate or public key bytes) is the signer's. */
function v2VerifierMatches(verifier: unknown, content: SignedContent): boolean {
  const cert = b64(dig(verifier, 'x509Certificate', 'rawBytes'));
  if (cert) return content.leafDer !== null && equalBytes(cert, content.leafDer);
  const key = b64(dig(verifier, 'publicKey', 'rawBytes'));
  return key !== null && equalBytes(key, content.spki);
}

/** The (signature, digest, verifier) the body records, per kind and version. */
function recorded(
  body: Record<string, unknown>,
  kind: string,
  version: string,
): { sig: Uint8Array | null; digest: Uint8Array | null; verifier: unknown; count: number; v2Verifier?: unknown } {
  const spec = body.spec;
  if (kind === 'hashedrekord' && version === '0.0.1')
    return {
      sig: b64(dig(spec, 'signature', 'content')),
      digest: hex(dig(spec, 'data', 'hash', 'value')),
      verifier: dig(spec, 'signature', 'publicKey', 'content'),
      count: 1,
    };
  if (kind === 'dsse' && version === '0.0.1') {
    const sigs = dig(spec, 'signatures');
    return {
      sig: b64(dig(sigs, 0, 'signature')),
      digest: hex(dig(spec, 'payloadHash', 'value')),
      verifier: dig(sigs, 0, 'verifier'),
      count: Array.isArray(sigs) ? sigs.length : 0,
    };
  }
  if (kind === 'intoto' && version === '0.0.2') {
    const sigs = dig(spec, 'content', 'envelope', 'signatures');
    const inner = b64(dig(sigs, 0, 'sig'));
    return {
      sig: inner ? b64(new TextDecoder().decode(inner)) : null,
      digest: hex(dig(spec, 'content', 'payloadHash', 'value')),
      verifier: dig(sigs, 0, 'publicKey'),
      count: Array.isArray(sigs) ? sigs.length : 0,
    };
  }
  if (kind === 'dsse' && version === '0.0.2') {
    const v2 = dig(spec, 'dsseV002');
    const sigs = dig(v2, 'signatures');
    return {
      sig: b64(dig(sigs, 0, 'content')),
      digest: b64(dig(v2, 'payloadHash', 'digest')),
      verifier: undefined,
      v2Verifier: dig(sigs, 0, 'verifier'),
      count: Array.isArray(sigs) ? sigs.length : 0,
    };
  }
  if (kind === 'hashedrekord' && version === '0.0.2') {
    const v2 = dig(spec, 'hashedRekordV002');
    return {
      sig: b64(dig(v2, 'signature', 'content')),
      digest: b64(dig(v2, 'data', 'digest')),
      verifier: undefined,
      v2Verifier: dig(v2, 'signature', 'verifier'),
      count: 1,
    };
  }
  throw broken('tlog', `log entries of kind ${kind} ${version} are not supported`);
}

/** Step 3a: the entry's body records this signature, digest and certificate. */
export function checkBody(entry: TlogEntry, content: SignedContent): void {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entry.canonicalizedBody));
  } catch {
    throw broken('tlog', 'the log entry body is not JSON');
  }
  if (!isObject(body) || body.kind !== entry.kind || body.apiVersion !== entry.version)
    throw broken('tlog', `the log entry body is not the ${entry.kind} ${entry.version} entry it is said to be`);
  const r = recorded(body, entry.kind, entry.version);
  if (r.count !== 1) throw broken('tlog', 'the log entry records a different number of signatures');
  if (!r.sig || !equalBytes(r.sig, content.signature)) throw broken('tlog', 'the log entry records a different signature');
  const expected = entry.kind === 'hashedrekord' ? content.signedDigest : content.digest;
  if (!r.digest || !equalBytes(r.digest, expected)) throw broken('tlog', 'the log entry records a different digest of what was signed');
  const signerOk = 'v2Verifier' in r ? v2VerifierMatches(r.v2Verifier, content) : verifierMatches(r.verifier, content);
  if (!signerOk) throw broken('tlog', `the log entry records a different ${content.leafDer ? 'certificate' : 'key'}`);
}

function canonicalSetPayload(entry: TlogEntry): Uint8Array {
  let body = '';
  for (let i = 0; i < entry.canonicalizedBody.length; i += 0x8000)
    body += String.fromCharCode(...entry.canonicalizedBody.subarray(i, i + 0x8000));
  const payload = `{"body":${JSON.stringify(btoa(body))},"integratedTime":${entry.integratedTime},"logID":"${hexEncode(entry.logId)}","logIndex":${entry.logIndex}}`;
  return new TextEncoder().encode(payload);
}

async function checkCheckpoint(entry: TlogEntry, log: LogKey): Promise<void> {
  const proof = entry.inclusionProof!;
  const root = await rootFromInclusionProof(entry.canonicalizedBody, proof.logIndex, proof.treeSize, proof.hashes);
  if (!root || !equalBytes(root, proof.rootHash)) throw broken('tlog', 'the inclusion proof does not lead to its root hash');
  if (proof.checkpoint === null) throw broken('tlog', 'the inclusion proof has no signed checkpoint');
  const cp = parseCheckpoint(proof.checkpoint);
  if (!cp) throw broken('tlog', 'the inclusion proof checkpoint is not a signed checkpoint (origin, size, root hash, signature)');
  const hint = (log.checkpointKeyId ?? log.logId).subarray(0, 4);
  const host = log.baseUrl.replace(/^https?:\/\//, '');
  const candidates = cp.signatures.filter(
    (s) => equalBytes(s.keyHint, hint) && (s.name === host || host.startsWith(s.name) || log.baseUrl.includes(s.name)),
  );
  if (candidates.length === 0) throw broken('tlog', `the checkpoint is not signed by the log that holds the entry (${log.baseUrl})`);
  let ok = false;
  for (const s of candidates) if (await verifyWithSpki(log.spki, cp.note, s.signature)) ok = true;
  if (!ok) throw broken('tlog', `the checkpoint signature does not verify under the key of ${log.baseUrl}`);
  if (cp.size !== proof.treeSize || !equalBytes(cp.rootHash, proof.rootHash))
    throw broken('tlog', 'the checkpoint names a different tree size or root hash than the inclusion proof');
}

/** Step 3b: the entry is proven by a log of the trusted root. */
export async function proveEntry(entry: TlogEntry, root: TrustedRoot): Promise<ProvenEntry> {
  const log = root.tlogs.find((l) => equalBytes(l.logId, entry.logId));
  if (!log)
    throw unknownAuthority(
      'tlog',
      `the log entry is from a transparency log the trusted root does not know (log id ${btoa(String.fromCharCode(...entry.logId))})`,
    );
  const time = entry.integratedTime === null ? null : entry.integratedTime * 1000;
  if (time !== null && !inWindow(log.window, time))
    throw broken('tlog', `the entry's integrated time lies outside the validity of the log key of ${log.baseUrl}`);
  if (entry.inclusionProof) {
    await checkCheckpoint(entry, log);
  }
  let setOk = false;
  if (entry.signedEntryTimestamp) {
    if (time === null) throw broken('tlog', 'the signed entry timestamp has no integrated time');
    setOk = await verifyWithSpki(log.spki, canonicalSetPayload(entry), entry.signedEntryTimestamp, 'SHA-256');
    if (!setOk) throw broken('tlog', `the signed entry timestamp does not verify under the key of ${log.baseUrl}`);
  }
  if (!entry.inclusionProof && !setOk)
    throw broken('tlog', 'the log entry carries neither an inclusion proof nor a signed entry timestamp');
  // An integrated time is proven only by the log's signature over it (the SET).
  return {
    log,
    logIndex: entry.logIndex,
    integratedTime: setOk ? time : null,
    proof: entry.inclusionProof ? 'inclusion-proof' : 'signed-entry-timestamp',
  };
}
