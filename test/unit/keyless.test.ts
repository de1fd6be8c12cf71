// Keyless EVB signatures (spec 5.1, 6, 7) against a Sigstore instance of the test's own
// (test/helpers/sigstore-instance.ts): each 5.1 step failing in turn gets the status the
// spec gives; identities are trusted only through identity entries.
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ID, fixtureBag, signer, testKeys, trustFor, verifyBytes, zipFixture } from '../helpers/bundles';
import type { Breakage, Identity, TestInstance } from '../helpers/sigstore-instance';
import { GITHUB_IDENTITY, makeTestInstance } from '../helpers/sigstore-instance';
import { githubIdentityEntry } from '../helpers/keyless-bundles';
import { makeStatement } from '../../shared/evb/dsse';
import { sha256Hex } from '../../shared/evb/writer';
import type { IdentityEntry } from '../../shared/evb/identity-trust';
import type { TrustStore } from '../../shared/evb/crypto-types';

const enc = new TextEncoder();
let instance: TestInstance;
beforeAll(async () => {
  instance = await makeTestInstance();
});

const identity = githubIdentityEntry;

function store(identities: IdentityEntry[], base: TrustStore = { keys: [] }): TrustStore {
  return { ...base, identities, trusted_roots: [instance.trustedRoot] };
}

/** A bundle signed keylessly (and by `keyed` key-based signers), zipped. */
async function keylessBundle(
  opts: {
    breakage?: Breakage;
    who?: Identity;
    role?: string;
    keyed?: boolean;
    statement?: (s: ReturnType<typeof makeStatement>) => void;
  } = {},
) {
  const [key] = await testKeys();
  const bag = await fixtureBag({ signers: opts.keyed ? [signer(key)] : [] });
  const statement = makeStatement({
    bundleId: FIXTURE_ID,
    tagmanifestSha256: await sha256Hex(bag.get('tagmanifest-sha256.txt')!),
    role: opts.role ?? 'producer',
    signer: { name: 'CI', email: null },
    signedAt: '2026-11-01T12:00:00Z',
  });
  opts.statement?.(statement);
  const sig = await instance.sign(enc.encode(JSON.stringify(statement)), opts.who, opts.breakage);
  bag.set('signatures/producer-ci.sigstore.json', enc.encode(`${JSON.stringify(sig, null, 2)}\n`));
  return zipFixture(bag);
}

async function verifyKeylessBundle(opts: Parameters<typeof keylessBundle>[0] = {}, trust = store([identity()])) {
  const { report } = await verifyBytes(await keylessBundle(opts), trust);
  return report;
}

describe('keyless signature, all steps holding', () => {
  it('is verified under a matching identity entry, with identity, log entry and proven time in the report', async () => {
    const r = await verifyKeylessBundle();
    expect(r.findings).toEqual([]);
    expect(r.status).toBe('verified');
    const s = r.signatures[0]!;
    expect(s).toMatchObject({
      math: 'valid',
      trust: 'trusted',
      principal: 'Release workflow',
      keySource: 'certificate',
      algorithm: 'ecdsa-p256-sha256',
      role: 'producer',
    });
    expect(s.keyless).toMatchObject({
      san: GITHUB_IDENTITY.san,
      sanType: 'uri',
      issuer: GITHUB_IDENTITY.issuer,
      github: { repository: 'https://github.com/example-org/release', workflow: GITHUB_IDENTITY.workflow, ref: 'refs/heads/main' },
      log: { url: 'https://rekor.test.invalid', logIndex: '1004', proof: 'inclusion-proof' },
      provenTime: '2026-11-01T12:00:00.000Z',
      provenTimeSource: 'transparency-log',
      certificateAuthority: 'https://fulcio.test.invalid',
      failedStep: null,
    });
  });

  it('an entry proven by its inclusion proof alone (no SET, no RFC 3161 timestamp) leaves the signing time unproven: tampered', async () => {
    const r = await verifyKeylessBundle({ breakage: { noSet: true } });
    expect(r.status).toBe('tampered');
    expect(r.findings.map((f) => f.code)).toEqual(['keyless-signing-time']);
  });

  it('a pattern entry matches by full match only', async () => {
    const pattern = identity({ subject: null, subject_pattern: 'https://github\\.com/example-org/release/\\.github/workflows/.*' });
    expect((await verifyKeylessBundle({}, store([pattern]))).status).toBe('verified');
    const prefixOnly = identity({ subject: null, subject_pattern: 'https://github\\.com/example-org/rel' });
    expect((await verifyKeylessBundle({}, store([prefixOnly]))).status).toBe('untrusted-signer');
  });

  it('sits beside a key-based signature in one bundle', async () => {
    const [key] = await testKeys();
    const r = await verifyKeylessBundle({ keyed: true }, store([identity()], trustFor([{ key }])));
    expect(r.status).toBe('verified');
    // Signature files are checked in name order; the key-based file's name holds a random key's fingerprint.
    expect(r.signatures.map((s) => [s.format, s.trust]).sort()).toEqual([
      ['dsse', 'trusted'],
      ['sigstore', 'trusted'],
    ]);
  });
});

describe('identity trust (spec 6)', () => {
  it('identity mismatch: another subject is untrusted-signer, the signature still valid', async () => {
    const r = await verifyKeylessBundle({
      who: { ...GITHUB_IDENTITY, san: 'https://github.com/attacker/fork/.github/workflows/evidence.yml@refs/heads/main' },
    });
    expect(r.status).toBe('untrusted-signer');
    expect(r.signatures[0]).toMatchObject({ math: 'valid', trust: 'unknown-key', principal: null });
  });

  it('issuer mismatch: the right subject from another OIDC issuer is untrusted-signer', async () => {
    const r = await verifyKeylessBundle({ who: { ...GITHUB_IDENTITY, issuer: 'https://issuer.attacker.invalid' } });
    expect(r.status).toBe('untrusted-signer');
    expect(r.signatures[0]!.keyless!.issuer).toBe('https://issuer.attacker.invalid');
  });

  it('no identity entry: a certificate alone never makes a signer trusted', async () => {
    const r = await verifyKeylessBundle({}, store([]));
    expect(r.status).toBe('untrusted-signer');
    expect(r.signatures[0]!.trustDetail).toMatch(/never makes a signer trusted/);
  });

  it('a revoked identity is key-revoked', async () => {
    const r = await verifyKeylessBundle(
      {},
      store([identity({ revoked_at: '2026-11-10T00:00:00Z', revocation_reason: 'workflow compromised' })]),
    );
    expect(r.status).toBe('key-revoked');
  });

  it('the window is checked at the proven signing time, not the verification time', async () => {
    expect((await verifyKeylessBundle({}, store([identity({ valid_until: '2026-11-02T00:00:00Z' })]))).status).toBe('verified');
    expect((await verifyKeylessBundle({}, store([identity({ valid_until: '2026-11-01T11:00:00Z' })]))).status).toBe('key-expired');
  });

  it('a role outside the entry roles is not trusted', async () => {
    const r = await verifyKeylessBundle({ role: 'approver' }, store([identity({ roles: ['producer'] })]));
    expect(r.signatures[0]!.trust).toBe('role-not-allowed');
    expect(r.status).toBe('untrusted-signer');
  });
});

describe('each 5.1 step failing in turn', () => {
  const tampered: Array<[string, Breakage, string]> = [
    ['1. a leaf whose issuer signature does not hold', { forgedLeafSignature: true }, 'keyless-certificate-chain'],
    ['2. no signed certificate timestamp', { noSct: true }, 'keyless-sct'],
    ['2. an SCT that does not verify under its CT log', { sctWrongKey: true }, 'keyless-sct'],
    ['3. a log entry recording another signature', { entryOtherSignature: true }, 'keyless-tlog'],
    ['3. an inclusion proof corrupted', { corruptProof: true }, 'keyless-tlog'],
    ['3. a checkpoint signed by an unknown key', { checkpointUnknownKey: true }, 'keyless-tlog'],
    ['3. a SET that does not verify', { badSet: true }, 'keyless-tlog'],
    ['4. a certificate expired at the signing time', { leafFrom: -900, leafUntil: -300 }, 'keyless-signing-time'],
    ['4. a SET (integrated time) before the certificate validity', { leafFrom: 60, leafUntil: 660 }, 'keyless-signing-time'],
    ['5. a DSSE signature by another key', { otherSigningKey: true }, 'keyless-signature'],
  ];
  for (const [what, breakage, code] of tampered) {
    it(`${what}: tampered`, async () => {
      const r = await verifyKeylessBundle({ breakage });
      expect(r.status).toBe('tampered');
      expect(r.findings.map((f) => f.code)).toEqual([code]);
      expect(r.signatures[0]!.math).toBe('invalid');
    });
  }

  const notCheckable: Array<[string, Breakage, string]> = [
    ['a chain that supplies its own root', { ownRoot: true }, 'certificate-chain'],
    ['an SCT from a CT log the root does not know', { sctUnknownLog: true }, 'sct'],
    ['a log entry from a log the root does not know', { unknownLog: true }, 'tlog'],
  ];
  for (const [what, breakage, step] of notCheckable) {
    it(`${what}: not checkable, untrusted-signer`, async () => {
      const r = await verifyKeylessBundle({ breakage });
      expect(r.status).toBe('untrusted-signer');
      expect(r.findings.map((f) => [f.code, f.severity])).toEqual([['keyless-unknown-authority', 'warning']]);
      expect(r.signatures[0]).toMatchObject({ math: 'not-checked', trust: 'unknown-key' });
      expect(r.signatures[0]!.keyless!.failedStep).toBe(step);
    });
  }

  it('a bundle of another instance (the built-in public-good root only): not checkable', async () => {
    const r = await verifyKeylessBundle({}, { keys: [], identities: [identity()] });
    expect(r.status).toBe('untrusted-signer');
    expect(r.signatures[0]!.keyless!.trustedRoot).toBeNull();
  });

  it('a statement for another bundle is tampered; a statement with two subjects is malformed', async () => {
    const other = await verifyKeylessBundle({ statement: (s) => (s.predicate.bundle_id = 'another-bundle') });
    expect(other.status).toBe('tampered');
    const two = await verifyKeylessBundle({ statement: (s) => s.subject.push({ name: 'x', digest: { sha256: '0'.repeat(64) } }) });
    expect(two.status).toBe('malformed');
  });
});
