// EVBs signed keylessly by a test Sigstore instance (test/helpers/sigstore-instance.ts).
import { FIXTURE_ID, fixtureBag, zipFixture } from './bundles';
import type { Breakage, Identity, TestInstance } from './sigstore-instance';
import { GITHUB_IDENTITY } from './sigstore-instance';
import { makeStatement } from '../../shared/evb/dsse';
import { sha256Hex } from '../../shared/evb/writer';
import type { IdentityEntry } from '../../shared/evb/identity-trust';

const enc = new TextEncoder();

export async function keylessEvb(
  instance: TestInstance,
  opts: { breakage?: Breakage; who?: Identity; role?: string } = {},
): Promise<Uint8Array> {
  const bag = await fixtureBag();
  const statement = makeStatement({
    bundleId: FIXTURE_ID,
    tagmanifestSha256: await sha256Hex(bag.get('tagmanifest-sha256.txt')!),
    role: opts.role ?? 'producer',
    signer: { name: 'CI', email: null },
    signedAt: '2026-11-01T12:00:00Z',
  });
  const sig = await instance.sign(enc.encode(JSON.stringify(statement)), opts.who, opts.breakage);
  bag.set('signatures/producer-ci.sigstore.json', enc.encode(`${JSON.stringify(sig, null, 2)}\n`));
  return zipFixture(bag);
}

export function githubIdentityEntry(overrides: Partial<IdentityEntry> = {}): IdentityEntry {
  return {
    issuer: GITHUB_IDENTITY.issuer,
    subject: GITHUB_IDENTITY.san,
    subject_pattern: null,
    principal: 'Release workflow',
    roles: [],
    valid_from: null,
    valid_until: null,
    revoked_at: null,
    revocation_reason: null,
    ...overrides,
  };
}
