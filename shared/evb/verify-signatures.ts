// Steps 5 and 6 of verifyBundle: the signature files under signatures/ (DSSE envelopes,
// Sigstore bundles, travelling public keys), the signature math, the signed statement's
// agreement with the bag, and what the trust store says of each key.

import type { ParsedSignatureFile, PublicKeyInfo, TrustEntry, TrustStore } from './crypto-types';
import type { SignatureCheck } from './report';
import { SignatureFormatError, StatementFormatError, pae, parseSignatureFile, parseStatement } from './dsse';
import { parsePublicKey, verifySignature } from './keys';
import { evaluateTrust, findTrustEntry } from './trust';
import { TAGMANIFEST_SHA256 } from './bag';
import { errorMessage } from '../platform/errors';
import type { ReportBuilder } from './verify-report';
import { finding, uncheckedSignature } from './verify-report';
import { checkKeylessSignature, isKeylessBundle } from './sigstore/evb-signature';

const SIGNATURE_SUFFIXES = ['.dsse.json', '.sigstore.json'] as const;
const TRAVELLING_KEY_SUFFIX = '.pub.pem';

type Travelling = Map<string, { key: PublicKeyInfo; pem: string }>;

export interface SignatureInputs {
  builder: ReportBuilder;
  /** Bag paths of the bundle's files. */
  paths: Iterable<string>;
  /** The bytes kept for each signature file (absent when they failed to stream). */
  bytesOf(path: string): Uint8Array | null | undefined;
  trust: TrustStore;
  at: Date;
  bundleId: string;
}

/** Checks every signature file and records a SignatureCheck (and findings) for each. */
export async function checkSignatures(input: SignatureInputs): Promise<void> {
  const { sigFiles, travelling } = await sortSignatureFolder(input);
  const keyOf = trustKeyCache();
  for (const path of sigFiles.sort()) {
    const bytes = input.bytesOf(path);
    if (!bytes) continue;
    if (path.endsWith('.sigstore.json') && isKeylessBundle(bytes)) await checkKeylessFile(input, path, bytes);
    else await checkSignatureFile(input, path, bytes, travelling, keyOf);
  }
}

/** A Sigstore bundle with certificate material (spec 5.1), checked against the trusted roots and identities. */
async function checkKeylessFile({ builder, trust, at, bundleId }: SignatureInputs, path: string, bytes: Uint8Array): Promise<void> {
  const keyless = await checkKeylessSignature(path, bytes, {
    trustedRoots: trust.trusted_roots,
    identities: trust.identities ?? [],
    at,
    bundleId,
    tagmanifestSha256: builder.tagmanifestSha256,
  });
  builder.signatures.push(keyless.check);
  for (const f of keyless.findings) builder.add(f);
}

/** Sorts signatures/ into signature files and travelling keys; anything else is a finding. */
async function sortSignatureFolder({ builder, paths, bytesOf }: SignatureInputs): Promise<{ sigFiles: string[]; travelling: Travelling }> {
  const sigFiles: string[] = [];
  const travelling: Travelling = new Map();
  for (const path of paths) {
    if (!path.startsWith('signatures/')) continue;
    const name = path.slice('signatures/'.length);
    if (name.includes('/')) {
      builder.add(finding('signature-nested', 'signature', 'malformed', `${path}: signatures/ must not hold folders.`, path));
    } else if (SIGNATURE_SUFFIXES.some((s) => name.endsWith(s))) {
      sigFiles.push(path);
    } else if (name.endsWith(TRAVELLING_KEY_SUFFIX)) {
      const bytes = bytesOf(path);
      if (!bytes) continue;
      const pem = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      try {
        travelling.set(name.slice(0, -TRAVELLING_KEY_SUFFIX.length), { key: await parsePublicKey(pem), pem });
      } catch (e) {
        const message = `${path} is not a usable public key: ${errorMessage(e)}`;
        builder.add(finding('signature-bad-key-file', 'signature', 'malformed', message, path));
      }
    } else {
      const message = `${path} is neither a DSSE envelope (.dsse.json), a Sigstore bundle (.sigstore.json) nor a public key (.pub.pem).`;
      builder.add(finding('signature-unknown-file', 'signature', 'malformed', message, path));
    }
  }
  return { sigFiles, travelling };
}

/** Parsed trust-store keys, each parsed once; null for a key that does not parse. */
function trustKeyCache(): (publicKey: string) => Promise<PublicKeyInfo | null> {
  const keys = new Map<string, PublicKeyInfo | null>();
  return async (publicKey) => {
    if (!keys.has(publicKey)) keys.set(publicKey, await parsePublicKey(publicKey).catch(() => null));
    return keys.get(publicKey)!;
  };
}

async function checkSignatureFile(
  input: SignatureInputs,
  path: string,
  bytes: Uint8Array,
  travelling: Travelling,
  keyOf: (publicKey: string) => Promise<PublicKeyInfo | null>,
): Promise<void> {
  const { builder, trust, at } = input;
  const name = path.slice('signatures/'.length);
  const base = name.slice(0, -(name.endsWith('.dsse.json') ? '.dsse.json'.length : '.sigstore.json'.length));
  let parsed: ParsedSignatureFile;
  try {
    parsed = parseSignatureFile(path, bytes);
  } catch (e) {
    const code = e instanceof SignatureFormatError ? e.code : 'signature-unparseable';
    builder.add(finding(code, 'signature', 'malformed', errorMessage(e), path));
    return;
  }
  const check = uncheckedSignature(path, {
    format: parsed.format,
    keyid: parsed.keyid,
    keySource: 'none',
    travellingKeyPem: travelling.get(base)?.pem ?? null,
  });
  builder.signatures.push(check);

  const message = pae(parsed.payloadType, parsed.payload);
  const hinted =
    (parsed.keyid ? findTrustEntry(trust, parsed.keyid) : null) ??
    (parsed.publicKeyHint ? findTrustEntry(trust, parsed.publicKeyHint) : null);
  // Spec 5: no keyid is no hint; each trusted key is tried, then the travelling key.
  const entry = hinted ?? (parsed.keyid === '' ? await trustedKeyThatVerifies(trust, message, parsed.sig, keyOf) : null);
  const key = entry ? await trustedKey(check, entry, keyOf) : travellingKey(input, check, path, parsed, travelling.get(base));
  if (!key) {
    check.trustDetail = parsed.keyid
      ? 'No key for this keyid in the trust store, and no travelling key with it.'
      : 'The signature names no key (its keyid is empty), no trusted key verifies it, and no travelling key came with it.';
    return;
  }
  if (!parsed.keyid) check.keyid = key.keyid; // derived from the key that checked it
  check.algorithm = key.algorithm;
  check.keyFingerprint = key.fingerprint;
  const ok = await verifySignature(key, message, parsed.sig);
  check.math = ok ? 'valid' : 'invalid';
  if (!ok) {
    const whose = entry ? `the trusted key of ${entry.principal}` : 'its travelling key';
    const said = `${path}: the signature does not verify under ${whose} (keyid ${key.keyid}).`;
    builder.add(finding('signature-invalid', 'signature', 'tampered', said, path));
    if (entry) check.trust = evaluateTrust(entry, '', at).trust === 'revoked-key' ? 'revoked-key' : 'unknown-key';
    return;
  }
  checkStatement(input, check, path, parsed, entry);
}

/** The first trusted key under which a signature without a keyid verifies, if any. */
async function trustedKeyThatVerifies(
  trust: TrustStore,
  message: Uint8Array,
  sig: Uint8Array,
  keyOf: (publicKey: string) => Promise<PublicKeyInfo | null>,
): Promise<TrustEntry | null> {
  for (const entry of trust.keys) {
    const key = await keyOf(entry.public_key);
    if (key && (await verifySignature(key, message, sig))) return entry;
  }
  return null;
}

async function trustedKey(
  check: SignatureCheck,
  entry: TrustEntry,
  keyOf: (publicKey: string) => Promise<PublicKeyInfo | null>,
): Promise<PublicKeyInfo | null> {
  check.keySource = 'trust-store';
  check.principal = entry.principal;
  return keyOf(entry.public_key);
}

/** The travelling key beside the signature, used when the signature names no keyid or the same one. */
function travellingKey(
  { builder }: SignatureInputs,
  check: SignatureCheck,
  path: string,
  parsed: ParsedSignatureFile,
  t: { key: PublicKeyInfo } | undefined,
): PublicKeyInfo | null {
  if (!t) return null;
  if (parsed.keyid === '' || t.key.keyid === parsed.keyid) {
    check.keySource = 'travelling';
    return t.key;
  }
  const message = `${path}: the travelling key beside it has keyid ${t.key.keyid}, not the signature's ${parsed.keyid}; it was not used.`;
  builder.add(finding('signature-travelling-key-mismatch', 'signature', 'warning', message, path));
  return null;
}

/** The signed statement: it must name this bag's tag manifest digest and this bundle id. */
function checkStatement(
  { builder, at, bundleId }: SignatureInputs,
  check: SignatureCheck,
  path: string,
  parsed: ParsedSignatureFile,
  entry: TrustEntry | null,
): void {
  let statement;
  try {
    statement = parseStatement(parsed.payload);
  } catch (e) {
    const code = e instanceof StatementFormatError ? e.code : 'statement-unparseable';
    builder.add(finding(code, 'signature', 'malformed', `${path}: ${errorMessage(e)}`, path));
    return;
  }
  check.statement = new TextDecoder().decode(parsed.payload);
  check.role = statement.predicate.role;
  check.signer = statement.predicate.signer;
  check.claimedTime = statement.predicate.signed_at;
  check.comment = statement.predicate.comment;
  const subject = statement.subject.find((s) => s.name === TAGMANIFEST_SHA256);
  const subjectOk = subject !== undefined && subject.digest.sha256 === builder.tagmanifestSha256;
  const idOk = statement.predicate.bundle_id === bundleId;
  check.statementMatches = subjectOk && idOk;
  if (!subjectOk) {
    const message = `${path}: the signed statement names tagmanifest-sha256.txt with digest ${subject?.digest.sha256 ?? '(none)'}, but the bundle's is ${builder.tagmanifestSha256}.`;
    builder.add(finding('signature-subject-mismatch', 'signature', 'tampered', message, path));
  }
  if (!idOk) {
    const message = `${path}: the signed statement is for bundle "${String(statement.predicate.bundle_id).slice(0, 140)}", not "${bundleId}".`;
    builder.add(finding('bundle-id-mismatch', 'bundle-id', 'tampered', message, path, 'predicate.bundle_id'));
  }
  if (entry) {
    const decision = evaluateTrust(entry, statement.predicate.role, at);
    check.trust = decision.trust;
    check.trustDetail = decision.detail;
  } else {
    check.trustDetail = 'Checked with the key that travels with the bundle; that key is not in your trust store.';
  }
}
