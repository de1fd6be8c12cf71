// One keyless `signatures/*.sigstore.json` of an EVB (spec 5.1, 6, 7): the Sigstore checks
// against the trusted roots, then the EVB statement, then trust in the identity. Returns
// the SignatureCheck and the findings it adds; the verifier only dispatches here.

import { StatementFormatError, parseStatement } from '../dsse';
import { errorMessage } from '../../platform/errors';
import { IN_TOTO_PAYLOAD_TYPE } from '../dsse';
import type { IdentityEntry } from '../identity-trust';
import { evaluateIdentity, trustedRootsOf } from '../identity-trust';
import type { Finding, FindingCode, KeylessSignatureInfo, SignatureCheck } from '../report';
import { uncheckedSignature } from '../verify-report';
import { base64Encode } from '../encoding';
import { hexEncode } from '../../platform/hex';
import { BundleFormatError, parseSigstoreBundle, hasCertificateMaterial } from './bundle';
import { sha256, spkiKind } from './crypto';
import { KeylessError } from './errors';
import type { TrustedRoot } from './trusted-root';
import type { KeylessProof } from './verify';
import { verifyKeyless } from './verify';

export interface KeylessContext {
  /** The trust store's TrustedRoot JSON values; none: the built-in public-good root. */
  trustedRoots: readonly unknown[] | undefined;
  identities: readonly IdentityEntry[];
  /** The verification time (revocation is judged at it). */
  at: Date;
  bundleId: string;
  tagmanifestSha256: string | null;
}

/** Whether a signature file's bytes are a Sigstore bundle with certificate material. */
export function isKeylessBundle(bytes: Uint8Array): boolean {
  try {
    return hasCertificateMaterial(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch {
    return false;
  }
}

function emptyInfo(): KeylessSignatureInfo {
  return {
    san: null,
    sanType: null,
    issuer: null,
    github: null,
    log: null,
    provenTime: null,
    provenTimeSource: null,
    certificateAuthority: null,
    trustedRoot: null,
    failedStep: null,
  };
}

function newCheck(file: string): SignatureCheck {
  const check = uncheckedSignature(file, { format: 'sigstore', keyid: '', keySource: 'certificate', travellingKeyPem: null });
  return { ...check, keyless: emptyInfo() };
}

/** Tries each trusted root: the first that proves the bundle wins; else a broken step beats an unknown authority. */
async function proveUnderRoots(
  bundle: ReturnType<typeof parseSigstoreBundle>,
  roots: TrustedRoot[],
): Promise<{ proof: KeylessProof; root: TrustedRoot } | KeylessError> {
  let failure: KeylessError | null = null;
  for (const root of roots) {
    try {
      return { proof: await verifyKeyless(bundle, root), root };
    } catch (e) {
      if (!(e instanceof KeylessError)) throw e;
      if (!failure || (failure.failure === 'unknown-authority' && e.failure !== 'unknown-authority')) failure = e;
    }
  }
  return failure ?? new KeylessError('bundle', 'unknown-authority', 'no trusted root to check the bundle against');
}

async function describeLeaf(check: SignatureCheck, proof: KeylessProof, root: TrustedRoot): Promise<void> {
  const digest = await sha256(proof.leaf.spki);
  check.keyid = base64Encode(digest);
  check.keyFingerprint = hexEncode(digest);
  const kind = spkiKind(proof.leaf.spki);
  check.algorithm = kind.kind === 'ed25519' ? 'ed25519' : kind.kind === 'ec' && kind.curve === 'P-256' ? 'ecdsa-p256-sha256' : 'unknown';
  Object.assign(check.keyless!, {
    san: proof.identity.san,
    sanType: proof.identity.sanType,
    issuer: proof.identity.issuer,
    github: proof.identity.github,
    log: proof.log,
    provenTime: proof.signingTime.time,
    provenTimeSource: proof.signingTime.source,
    certificateAuthority: proof.certificateAuthority,
    trustedRoot: root.name,
  });
}

/**
 * Checks one keyless signature file. Never throws for bad input: a bundle that cannot be
 * read is a malformed finding, a failed 5.1 step a tampered one, an unknown authority a
 * warning that leaves the signature not checkable.
 */
export async function checkKeylessSignature(
  file: string,
  bytes: Uint8Array,
  ctx: KeylessContext,
): Promise<{ check: SignatureCheck; findings: Finding[] }> {
  const check = newCheck(file);
  const findings: Finding[] = [];
  const add = (code: FindingCode, severity: Finding['severity'], message: string, field?: string) => {
    const f: Finding = { code, layer: 'signature', severity, message: `${file}: ${message}`, entry: file };
    if (field) f.field = field;
    findings.push(f);
  };
  let bundle;
  try {
    bundle = parseSigstoreBundle(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch (e) {
    add(
      'sigstore-bundle-invalid',
      'malformed',
      e instanceof BundleFormatError || e instanceof SyntaxError ? e.message : 'is not a Sigstore bundle',
    );
    return { check, findings };
  }
  if (bundle.content.kind !== 'dsse' || bundle.content.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    add('sigstore-content', 'malformed', `an EVB signature must hold a DSSE envelope of type ${IN_TOTO_PAYLOAD_TYPE}`);
    return { check, findings };
  }
  let roots: TrustedRoot[];
  try {
    roots = trustedRootsOf(ctx.trustedRoots);
  } catch (e) {
    check.trustDetail = `Not checkable: a trusted root of the trust store cannot be read (${(e as Error).message}).`;
    add('keyless-unknown-authority', 'warning', check.trustDetail);
    return { check, findings };
  }
  const result = await proveUnderRoots(bundle, roots);
  if (result instanceof KeylessError) {
    check.keyless!.failedStep = result.step;
    if (result.failure === 'malformed') add('sigstore-bundle-invalid', 'malformed', result.message);
    else if (result.failure === 'unknown-authority') {
      check.trustDetail = `Not checkable: ${result.message}.`;
      add('keyless-unknown-authority', 'warning', `not checkable (${result.step}): ${result.message}`);
    } else {
      check.math = 'invalid';
      add(`keyless-${result.step}`, 'tampered', `the keyless signature does not hold (${result.step}): ${result.message}`);
    }
    return { check, findings };
  }
  const { proof, root } = result;
  await describeLeaf(check, proof, root);
  check.math = 'valid';
  judgeStatement(check, bundle.content.payload, ctx, add);
  if (check.statement === null) return { check, findings };
  const decision = evaluateIdentity(ctx.identities, proof.identity, check.role!, new Date(proof.signingTime.time), ctx.at);
  check.trust = decision.trust;
  check.trustDetail =
    decision.trust === 'unknown-key' ? `${decision.detail}; a certificate alone never makes a signer trusted.` : decision.detail;
  check.principal = decision.entry?.principal ?? null;
  return { check, findings };
}

function judgeStatement(
  check: SignatureCheck,
  payload: Uint8Array,
  ctx: KeylessContext,
  add: (code: FindingCode, severity: Finding['severity'], message: string, field?: string) => void,
): void {
  let statement;
  try {
    statement = parseStatement(payload);
  } catch (e) {
    add(e instanceof StatementFormatError ? e.code : 'statement-unparseable', 'malformed', errorMessage(e));
    return;
  }
  if (statement.subject.length !== 1 || statement.subject[0]!.name !== 'tagmanifest-sha256.txt') {
    add('statement-invalid', 'malformed', 'the signed statement must hold exactly one subject, named tagmanifest-sha256.txt.', 'subject');
    return;
  }
  check.statement = new TextDecoder().decode(payload);
  check.role = statement.predicate.role;
  check.signer = statement.predicate.signer;
  check.claimedTime = statement.predicate.signed_at;
  check.comment = statement.predicate.comment;
  const subject = statement.subject[0];
  const subjectOk = subject !== undefined && subject.digest.sha256 === ctx.tagmanifestSha256;
  const idOk = statement.predicate.bundle_id === ctx.bundleId;
  check.statementMatches = subjectOk && idOk;
  if (!subjectOk)
    add(
      'signature-subject-mismatch',
      'tampered',
      `the signed statement names tagmanifest-sha256.txt with digest ${subject?.digest.sha256 ?? '(none)'}, but the bundle's is ${ctx.tagmanifestSha256}.`,
    );
  if (!idOk)
    add(
      'bundle-id-mismatch',
      'tampered',
      `the signed statement is for bundle "${String(statement.predicate.bundle_id).slice(0, 140)}", not "${ctx.bundleId}".`,
      'predicate.bundle_id',
    );
}
