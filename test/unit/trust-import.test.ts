// Importing a trust file into the app's trust store (issue 18 section 6): the plan shown
// before it is done, merge by default, and no import ever undoing a revocation. Keys are
// generated with WebCrypto (shared/evb/keys.ts) as `exhibit keygen` makes them.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrustEntry, TrustStore } from '../../shared/evb/crypto-types';
import { generateEd25519KeyPair } from '../../shared/evb/keys';
import type { IdentityEntry } from '../../shared/evb/identity-trust';
import { planIsEmpty, planTrustImport } from '../../shared/evb/trust-import';

let a: TrustEntry;
let b: TrustEntry;
async function entry(principal: string): Promise<TrustEntry> {
  const k = await generateEd25519KeyPair();
  return {
    keyid: k.keyid,
    public_key: k.publicPem,
    principal,
    roles: ['producer'],
    valid_from: null,
    valid_until: null,
    revoked_at: null,
    revocation_reason: null,
  };
}
beforeAll(async () => {
  a = await entry('Release CI');
  b = await entry('Alice Auditor');
});
const revoked = (k: TrustEntry, at: string, reason: string): TrustEntry => ({ ...k, revoked_at: at, revocation_reason: reason });
const identity: IdentityEntry = {
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/example-org/release/.github/workflows/evidence.yml@refs/heads/main',
  subject_pattern: null,
  principal: 'Release workflow',
  roles: ['producer'],
  valid_from: null,
  valid_until: null,
  revoked_at: null,
  revocation_reason: null,
};

describe('planTrustImport', () => {
  it('merges by default: adds the new key, keeps the one the file lacks, lists the change', () => {
    const current: TrustStore = { keys: [a] };
    const plan = planTrustImport(current, { keys: [{ ...a, principal: 'Release CI (prod)' }, b] }, 'merge');
    expect(plan.add.map((i) => i.id)).toEqual([b.keyid]);
    expect(plan.change).toHaveLength(1);
    expect(plan.change[0]!.detail).toContain('principal "Release CI" → "Release CI (prod)"');
    expect(plan.result.keys.map((k) => k.keyid)).toEqual([a.keyid, b.keyid]);
    expect(planTrustImport(current, { keys: [b] }, 'merge').result.keys.map((k) => k.keyid)).toEqual([a.keyid, b.keyid]);
  });

  it('replace removes unrevoked keys the file lacks and says so', () => {
    const plan = planTrustImport({ keys: [a] }, { keys: [b] }, 'replace');
    expect(plan.remove.map((i) => i.id)).toEqual([a.keyid]);
    expect(plan.result.keys.map((k) => k.keyid)).toEqual([b.keyid]);
  });

  it('a revocation survives an import that lacks it, merged or replaced', () => {
    const current: TrustStore = { keys: [revoked(a, '2026-11-01T00:00:00Z', 'key leaked')] };
    for (const mode of ['merge', 'replace'] as const) {
      const plan = planTrustImport(current, { keys: [b] }, mode);
      const kept = plan.result.keys.find((k) => k.keyid === a.keyid);
      expect(kept?.revoked_at).toBe('2026-11-01T00:00:00Z');
      expect(plan.remove).toHaveLength(0);
    }
  });

  it('a revoked key re-imported unrevoked stays revoked, and the plan says it is kept', () => {
    const current: TrustStore = { keys: [revoked(a, '2026-11-01T00:00:00Z', 'key leaked')] };
    for (const mode of ['merge', 'replace'] as const) {
      const plan = planTrustImport(current, { keys: [a] }, mode);
      expect(plan.result.keys[0]).toMatchObject({ revoked_at: '2026-11-01T00:00:00Z', revocation_reason: 'key leaked' });
      expect(plan.keptRevocations.map((i) => i.id)).toEqual([a.keyid]);
      expect(plan.revoke).toHaveLength(0);
    }
  });

  it('an imported revocation applies, and the earlier of two revocations wins', () => {
    const plan = planTrustImport({ keys: [a] }, { keys: [revoked(a, '2026-10-01T00:00:00Z', 'rotated')] }, 'merge');
    expect(plan.revoke.map((i) => i.id)).toEqual([a.keyid]);
    expect(plan.result.keys[0]!.revoked_at).toBe('2026-10-01T00:00:00Z');
    const later = planTrustImport(
      { keys: [revoked(a, '2026-10-01T00:00:00Z', 'rotated')] },
      { keys: [revoked(a, '2026-12-01T00:00:00Z', 'later')] },
      'merge',
    );
    expect(later.result.keys[0]).toMatchObject({ revoked_at: '2026-10-01T00:00:00Z', revocation_reason: 'rotated' });
  });

  it('identities follow the same rules, and trusted roots merge without duplicates', () => {
    const current: TrustStore = {
      keys: [],
      identities: [{ ...identity, revoked_at: '2026-11-02T00:00:00Z', revocation_reason: 'repo moved' }],
      trusted_roots: [{ r: 1 }],
    };
    const plan = planTrustImport(current, { keys: [], identities: [identity], trusted_roots: [{ r: 1 }, { r: 2 }] }, 'merge');
    expect(plan.result.identities?.[0]?.revoked_at).toBe('2026-11-02T00:00:00Z');
    expect(plan.result.trusted_roots).toEqual([{ r: 1 }, { r: 2 }]);
    expect(plan.rootsAdded).toBe(1);
  });

  it('an import of what is already there changes nothing', () => {
    expect(planIsEmpty(planTrustImport({ keys: [a, b] }, { keys: [a] }, 'merge'))).toBe(true);
  });
});
