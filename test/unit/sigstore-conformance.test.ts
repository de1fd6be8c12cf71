// Sigstore's own conformance cases (sigstore/sigstore-conformance @ a73de49, test/assets/
// bundle-verify, copied unedited into test/fixtures/sigstore-conformance): real bundles
// from the public-good and staging instances. A case whose name ends in _fail must fail.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArtifactBundle } from '../../shared/evb/sigstore/artifact';
import { publicGoodTrustedRoot } from '../../shared/evb/sigstore/public-good';
import { parseTrustedRoot } from '../../shared/evb/sigstore/trusted-root';
import { createHash } from 'node:crypto';

const DIR = join(__dirname, '../fixtures/sigstore-conformance/bundle-verify');
const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

/** The 5.1 step each failing case must fail at (a case failing for another reason is a bug). */
const FAILING_STEP: Record<string, string> = {
  'bundle-empty-certificate-chain_fail': 'bundle',
  'bundle-from-wrong-instance_fail': 'tlog',
  'bundle-invalid-base64-signature_fail': 'bundle',
  'bundle-malformed-json_fail': 'bundle',
  'bundle-negative-log-index_fail': 'bundle',
  'bundle-unknown-version_fail': 'bundle',
  'bundle-with-root-cert_fail': 'certificate-chain',
  'checkpoint-bad-keyhint_fail': 'tlog',
  'checkpoint-wrong-roothash_fail': 'tlog',
  'dsse-invalid-sig_fail': 'tlog',
  'dsse-mismatch-envelope_fail': 'tlog',
  'dsse-mismatch-sig_fail': 'tlog',
  'inclusion-proof-corrupted-hash_fail': 'tlog',
  'incorrect-public-key_fail': 'tlog',
  'integrated-time-in-future_fail': 'signing-time',
  'intoto-expired-certificate_fail': 'signing-time',
  'intoto-log-entry-mismatch_fail': 'tlog',
  'intoto-missing-inclusion-proof_fail': 'bundle',
  'intoto-set-outside-signing-cert-validity_fail': 'signing-time',
  'intoto-tsa-timestamp-outside-cert-validity_fail': 'signing-time',
  'invalid-checkpoint-signature_fail': 'tlog',
  'invalid-ct-key_fail': 'sct',
  'invalid-inclusion-proof_fail': 'tlog',
  'message-digest-mismatch_fail': 'tlog',
  'rekor2-checkpoint-missing-log-signature_fail': 'tlog',
  'rekor2-checkpoint-missing-origin_fail': 'tlog',
  'rekor2-checkpoint-missing-root-hash_fail': 'tlog',
  'rekor2-checkpoint-missing-size_fail': 'tlog',
  'rekor2-checkpoint-no-matching-signature_fail': 'tlog',
  'rekor2-dsse-invalid-sig_fail': 'tlog',
  'rekor2-dsse-mismatch-envelope_fail': 'tlog',
  'rekor2-dsse-mismatch-sig_fail': 'tlog',
  'rekor2-no-inclusion-proof_fail': 'bundle',
  'rekor2-no-timestamp_fail': 'signing-time',
  'rekor2-timestamp-outside-trust-root-tsa-validity_fail': 'signing-time',
  'rekor2-timestamp-outside-tsa-cert-validity_fail': 'signing-time',
  'rekor2-timestamp-payload-mismatch_fail': 'signing-time',
  'rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail': 'signing-time',
  'rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail': 'signing-time',
  'rekor2-timestamp-with-incorrect-time_fail': 'signing-time',
  'set-invalid-signature_fail': 'tlog',
  'signature-mismatch_fail': 'tlog',
  'trust-root-tlog-missing-validity-start_fail': 'trusted-root',
  'wrong-hashedrekord-artifact_fail': 'tlog',
  'wrong-hashedrekord-cert-and-sig_fail': 'tlog',
  'wrong-hashedrekord-entry_fail': 'tlog',
  'wrong-material_fail': 'signature',
};

const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const read = (c: string, f: string) => (existsSync(join(DIR, c, f)) ? readFileSync(join(DIR, c, f)) : null);

async function run(c: string) {
  const rootText = read(c, 'trusted_root.json');
  let root;
  try {
    root = rootText ? parseTrustedRoot(JSON.parse(rootText.toString()), 'case root') : publicGoodTrustedRoot();
  } catch (e) {
    return { ok: false as const, step: 'trusted-root', message: (e as Error).message };
  }
  return verifyArtifactBundle(read(c, 'bundle.sigstore.json')!.toString(), root, {
    artifact: { bytes: new Uint8Array(read(c, 'artifact') ?? readFileSync(join(DIR, 'a.txt'))) },
    identity: read(c, 'identity')?.toString().trim() ?? DEFAULT_IDENTITY,
    issuer: read(c, 'issuer')?.toString().trim() ?? DEFAULT_ISSUER,
  });
}

describe('sigstore-conformance bundle-verify cases (keyless)', () => {
  it('covers every failing keyless case', () => {
    expect(cases.filter((c) => c.endsWith('_fail') && !c.startsWith('managed-key')).sort()).toEqual(Object.keys(FAILING_STEP).sort());
  });
  for (const c of cases.filter((x) => !x.startsWith('managed-key') && !existsSync(join(DIR, x, 'key.pub')))) {
    it(c, async () => {
      const result = await run(c);
      expect(result.ok, JSON.stringify(result)).toBe(!c.endsWith('_fail'));
      if (!result.ok) expect(result.step, result.message).toBe(FAILING_STEP[c]);
    });
  }
});

describe('the built-in public-good trusted root', () => {
  it('is the file its note names (SHA-256), and parses', () => {
    const dir = join(__dirname, '../../shared/evb/sigstore');
    const bytes = readFileSync(join(dir, 'public-good-trusted-root.json'));
    const note = readFileSync(join(dir, 'public-good-trusted-root.md'), 'utf8');
    expect(note).toContain(createHash('sha256').update(bytes).digest('hex'));
    const root = publicGoodTrustedRoot();
    expect(root.tlogs.map((t) => t.baseUrl)).toContain('https://rekor.sigstore.dev');
    expect(root.certificateAuthorities.length).toBeGreaterThan(0);
  });
});
