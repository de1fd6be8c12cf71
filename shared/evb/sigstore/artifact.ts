// Verifying a Sigstore bundle for an artifact, as the conformance CLI protocol's
// verify-bundle does: keyless checks (spec 5.1), the artifact (message digest, or a
// subject of the in-toto statement), and the expected identity and OIDC issuer.

import { hexEncode } from '../../platform/hex';
import { parseSigstoreBundle, BundleFormatError } from './bundle';
import { sha256 } from './crypto';
import { KeylessError } from './errors';
import type { TrustedRoot } from './trusted-root';
import type { KeylessProof } from './verify';
import { verifyKeyless, verifyWithKey } from './verify';

export interface ArtifactPolicy {
  /** The artifact bytes, or only its SHA-256 (hex) when given as a digest. */
  artifact: { bytes: Uint8Array } | { sha256: string };
  /** Keyless: the expected certificate identity (SAN) and OIDC issuer. */
  identity?: string;
  issuer?: string;
  /** Managed key: the SPKI of the key the bundle must be signed with (instead of an identity). */
  keySpki?: Uint8Array;
}

type Proven = Pick<KeylessProof, 'log' | 'signingTime'> & { identity: KeylessProof['identity'] | null };
export type ArtifactResult = { ok: true; proof: Proven } | { ok: false; step: string; message: string };

function statementHasSubject(payload: Uint8Array, digestHex: string): boolean {
  try {
    const st = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload)) as {
      subject?: Array<{ digest?: Record<string, string> }>;
    };
    return Array.isArray(st.subject) && st.subject.some((s) => s?.digest?.sha256 === digestHex);
  } catch {
    return false;
  }
}

export async function verifyArtifactBundle(bundleText: string, root: TrustedRoot, policy: ArtifactPolicy): Promise<ArtifactResult> {
  try {
    const bundle = parseSigstoreBundle(JSON.parse(bundleText));
    const bytes = 'bytes' in policy.artifact ? policy.artifact.bytes : undefined;
    const digestHex = bytes ? hexEncode(await sha256(bytes)) : (policy.artifact as { sha256: string }).sha256;
    if (bundle.content.kind === 'dsse' && !statementHasSubject(bundle.content.payload, digestHex))
      return { ok: false, step: 'artifact', message: 'the artifact is not a subject of the signed statement' };
    const options = bytes ? { artifact: bytes } : {};
    if (policy.keySpki) return { ok: true, proof: { ...(await verifyWithKey(bundle, root, policy.keySpki, options)), identity: null } };
    if (bundle.material.kind !== 'certificate')
      return { ok: false, step: 'bundle', message: 'the bundle is signed with a key; name it with --key' };
    const proof = await verifyKeyless(bundle, root, options);
    if (proof.identity.san !== policy.identity)
      return { ok: false, step: 'identity', message: `the certificate identity is ${proof.identity.san}, not ${policy.identity}` };
    if (proof.identity.issuer !== policy.issuer)
      return { ok: false, step: 'identity', message: `the certificate OIDC issuer is ${proof.identity.issuer}, not ${policy.issuer}` };
    return { ok: true, proof };
  } catch (e) {
    if (e instanceof KeylessError) return { ok: false, step: e.step, message: `${e.failure}: ${e.message}` };
    if (e instanceof BundleFormatError || e instanceof SyntaxError) return { ok: false, step: 'bundle', message: e.message };
    throw e;
  }
}
