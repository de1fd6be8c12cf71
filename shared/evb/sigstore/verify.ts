// Keyless verification of one Sigstore bundle against a trusted root (spec 5.1), offline:
// the log entries and timestamps give the proven signing time, then the chain, the SCT,
// the time inside the leaf's validity, and the signature under the leaf's key.

import { pae } from '../dsse';
import type { ParsedBundle } from './bundle';
import { checkChain } from './chain';
import { sha256, verifyWithSpki } from './crypto';
import { DerError } from './der';
import { KeylessError, broken, unknownAuthority } from './errors';
import { checkSct } from './sct';
import { checkTimestamp } from './timestamp';
import type { ProvenEntry, SignedContent } from './tlog';
import { checkBody, proveEntry } from './tlog';
import type { TrustedRoot } from './trusted-root';
import type { Certificate, CertificateIdentity } from './x509';
import { certificateIdentity, isSelfIssued, parseCertificate, validAt } from './x509';

/** What a keyless signature proved: who, where it was logged, and when (proven). */
export interface KeylessProof {
  identity: CertificateIdentity;
  leaf: Certificate;
  /** The transparency log and entry index, when the bundle has a log entry. */
  log: { url: string; logIndex: string; proof: ProvenEntry['proof'] } | null;
  /** The proven signing time (ISO 8601) and where its proof comes from. */
  signingTime: { time: string; source: 'transparency-log' | 'timestamp-authority'; authority: string };
  ctLog: string;
  certificateAuthority: string;
}

export interface KeylessOptions {
  /** For a message signature: the artifact's bytes. */
  artifact?: Uint8Array;
}

function leafOf(bundle: ParsedBundle): Certificate {
  if (bundle.material.kind !== 'certificate') throw new KeylessError('bundle', 'malformed', 'the bundle has no certificate');
  let certs: Certificate[];
  try {
    certs = bundle.material.chain.map(parseCertificate);
  } catch (e) {
    throw new KeylessError(
      'bundle',
      'malformed',
      `a certificate of the bundle cannot be read (${e instanceof DerError ? e.message : 'bad DER'})`,
    );
  }
  if (certs.slice(1).some(isSelfIssued))
    throw unknownAuthority('certificate-chain', 'the bundle supplies its own root certificate; a bundle never supplies a trusted root');
  return certs[0]!;
}

async function signedContent(bundle: ParsedBundle, leafDer: Uint8Array | null, spki: Uint8Array): Promise<SignedContent> {
  const c = bundle.content;
  if (c.kind === 'dsse')
    return {
      signature: c.sig,
      digest: await sha256(c.payload),
      signedDigest: await sha256(pae(c.payloadType, c.payload)),
      leafDer,
      spki,
    };
  return { signature: c.signature, digest: c.digest, signedDigest: c.digest, leafDer, spki };
}

async function signingTimes(bundle: ParsedBundle, root: TrustedRoot, content: SignedContent) {
  const entries: ProvenEntry[] = [];
  for (const entry of bundle.tlogEntries) {
    checkBody(entry, content);
    entries.push(await proveEntry(entry, root));
  }
  if (entries.length === 0) throw broken('tlog', 'the bundle has no transparency-log entry');
  const times: Array<{ time: number; source: 'transparency-log' | 'timestamp-authority'; authority: string }> = [];
  for (const e of entries)
    if (e.integratedTime !== null) times.push({ time: e.integratedTime, source: 'transparency-log', authority: e.log.baseUrl });
  for (const token of bundle.timestamps) {
    const { time, authority } = await checkTimestamp(token, content.signature, root);
    times.push({ time, source: 'timestamp-authority', authority: authority.uri });
  }
  if (times.length === 0)
    throw broken('signing-time', 'nothing proves the signing time: no signed entry timestamp and no RFC 3161 timestamp');
  return { entries, times };
}

async function checkSignature(bundle: ParsedBundle, spki: Uint8Array, options: KeylessOptions): Promise<void> {
  const c = bundle.content;
  let ok: boolean;
  if (c.kind === 'dsse') ok = await verifyWithSpki(spki, pae(c.payloadType, c.payload), c.sig);
  else {
    if (!options.artifact) throw broken('signature', 'a message signature needs the artifact to check');
    if (c.digestAlgorithm !== 'SHA2_256') throw broken('signature', `message digests with ${c.digestAlgorithm} are not supported`);
    const d = await sha256(options.artifact);
    if (d.length !== c.digest.length || d.some((b, i) => b !== c.digest[i]))
      throw broken('signature', 'the artifact does not match the signed digest');
    ok = await verifyWithSpki(spki, options.artifact, c.signature, 'SHA-256');
  }
  if (!ok) throw broken('signature', "the signature does not verify under the signer's key");
}

/** Runs spec 5.1 steps 1-5; throws KeylessError naming the step that fails. */
export async function verifyKeyless(bundle: ParsedBundle, root: TrustedRoot, options: KeylessOptions = {}): Promise<KeylessProof> {
  const leaf = leafOf(bundle);
  const content = await signedContent(bundle, leaf.der, leaf.spki);
  const { entries, times } = await signingTimes(bundle, root, content);
  const outside = times.find((t) => !validAt(leaf, new Date(t.time)));
  if (outside)
    throw broken(
      'signing-time',
      `the proven signing time ${new Date(outside.time).toISOString()} lies outside the certificate's validity (${leaf.notBefore.toISOString()} to ${leaf.notAfter.toISOString()})`,
    );
  const chain = await checkChain(
    leaf,
    root.certificateAuthorities,
    times.map((t) => t.time),
  );
  const ct = await checkSct(leaf, chain.path[1]!, root);
  await checkSignature(bundle, leaf.spki, options);
  const first = entries[0]!;
  const when = times[0]!;
  return {
    identity: certificateIdentity(leaf),
    leaf,
    log: { url: first.log.baseUrl, logIndex: first.logIndex.toString(), proof: first.proof },
    signingTime: { time: new Date(when.time).toISOString(), source: when.source, authority: when.authority },
    ctLog: ct.baseUrl,
    certificateAuthority: chain.authority.uri,
  };
}

/**
 * A bundle with a public-key hint checked with a key the caller names (the conformance
 * protocol's --key): the log entries and the signature, no certificate. Returns the proven
 * signing time and the log entry.
 */
export async function verifyWithKey(
  bundle: ParsedBundle,
  root: TrustedRoot,
  spki: Uint8Array,
  options: KeylessOptions = {},
): Promise<Pick<KeylessProof, 'log' | 'signingTime'>> {
  if (bundle.material.kind !== 'public-key')
    throw new KeylessError('bundle', 'malformed', 'the bundle carries a certificate, not a public-key hint');
  const content = await signedContent(bundle, null, spki);
  const { entries, times } = await signingTimes(bundle, root, content);
  await checkSignature(bundle, spki, options);
  const first = entries[0]!;
  const when = times[0]!;
  return {
    log: { url: first.log.baseUrl, logIndex: first.logIndex.toString(), proof: first.proof },
    signingTime: { time: new Date(when.time).toISOString(), source: when.source, authority: when.authority },
  };
}
