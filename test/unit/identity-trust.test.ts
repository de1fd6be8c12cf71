// The trust file's keyless sections (spec 6): identities and trusted_roots, parsed,
// checked, written back; identity entries added and revoked with the keys' integrity rules.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrustStore, serializeTrustStore } from '../../shared/evb/trust';
import type { IdentityEntry } from '../../shared/evb/identity-trust';
import { addIdentity, evaluateIdentity, revokeIdentity } from '../../shared/evb/identity-trust';

const root = JSON.parse(readFileSync(join(__dirname, '../../shared/evb/sigstore/public-good-trusted-root.json'), 'utf8')) as unknown;
const entry: IdentityEntry = {
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
const id = { san: entry.subject, sanType: 'uri' as const, issuer: entry.issuer, github: null };

describe('trust file with identities and trusted_roots', () => {
  it('parses and writes back both sections unchanged', async () => {
    const text = JSON.stringify({ keys: [], identities: [entry], trusted_roots: [root] });
    const store = await parseTrustStore(text, 'trust.json');
    expect(store.identities).toEqual([entry]);
    expect(store.trusted_roots).toEqual([root]);
    expect(JSON.parse(serializeTrustStore(store))).toEqual(JSON.parse(text));
  });

  it('a file without the sections stays without them', async () => {
    expect(serializeTrustStore(await parseTrustStore('{"keys":[]}', 't'))).toBe('{\n  "keys": []\n}\n');
  });

  const bad: Array<[string, unknown, string, RegExp]> = [
    ['both subject and pattern', { ...entry, subject_pattern: '.*' }, 'identity-subject', /identities\[0\]\.subject/],
    ['neither subject nor pattern', { ...entry, subject: null }, 'identity-subject', /subject_pattern must be given/],
    ['an invalid pattern', { ...entry, subject: null, subject_pattern: '(' }, 'identity-bad-pattern', /regular expression/],
    ['an issuer that is not a URL', { ...entry, issuer: 'github' }, 'identity-bad-issuer', /OIDC issuer URL/],
    ['a bad time', { ...entry, valid_from: 'yesterday' }, 'trust-bad-time', /valid_from/],
  ];
  for (const [what, raw, code, message] of bad) {
    it(`refuses ${what}`, async () => {
      const p = parseTrustStore(JSON.stringify({ keys: [], identities: [raw] }), 'trust.json');
      await expect(p).rejects.toMatchObject({ code });
      await expect(p).rejects.toThrow(message);
    });
  }

  it('refuses a duplicate identity and a malformed trusted root, naming where', async () => {
    await expect(parseTrustStore(JSON.stringify({ keys: [], identities: [entry, entry] }), 't')).rejects.toMatchObject({
      code: 'trust-duplicate-identity',
    });
    const noStart = structuredClone(root) as { tlogs: Array<{ publicKey: { validFor: Record<string, string> } }> };
    delete noStart.tlogs[0]!.publicKey.validFor.start;
    await expect(parseTrustStore(JSON.stringify({ keys: [], trusted_roots: [noStart] }), 't')).rejects.toThrow(
      /trusted_roots\[0\]: tlogs\[0\]\.publicKey\.validFor\.start/,
    );
  });
});

describe('adding and revoking identities', () => {
  it('refuses to replace an entry silently, and never un-revokes', () => {
    const list = addIdentity([], entry);
    expect(() => addIdentity(list, { ...entry, roles: [] })).toThrow(/--replace/);
    expect(addIdentity(list, { ...entry, roles: [] }, true)[0]!.roles).toEqual([]);
    const { entries, count } = revokeIdentity(list, { issuer: entry.issuer, subject: entry.subject! }, '2026-11-01T00:00:00Z', 'leaked');
    expect(count).toBe(1);
    expect(() => addIdentity(entries, entry, true)).toThrow(/revoked/);
    const again = revokeIdentity(entries, { issuer: entry.issuer, subject: entry.subject! }, '2026-12-01T00:00:00Z', 'later');
    expect(again.entries[0]!.revoked_at).toBe('2026-11-01T00:00:00Z');
  });

  it('of several matching entries, a revoked one wins over a trusted one', () => {
    const pattern: IdentityEntry = { ...entry, subject: null, subject_pattern: 'https://github\\.com/example-org/.*' };
    const revoked = { ...entry, revoked_at: '2026-01-01T00:00:00Z' };
    const at = new Date('2026-11-15T00:00:00Z');
    expect(evaluateIdentity([pattern, revoked], id, 'producer', at, at).trust).toBe('revoked-key');
    expect(evaluateIdentity([pattern], id, 'producer', at, at).trust).toBe('trusted');
  });
});
