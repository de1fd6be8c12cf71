// Sigstore's own conformance cases (sigstore/sigstore-conformance @ a73de49, test/assets/
// bundle-verify, copied unedited into test/fixtures/sigstore-conformance): real bundles
// from the public-good and staging instances. A case whose name ends in _fail must fail.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArtifactBundle } from '../../shared/evb/sigstore/artifact';
import { publicGoodTrustedRoot } from '../../shared/evb/sigstore/public-good';
import { parseTrustedRoot } from '../../shared/evb/sigstore/trusted-root';

const DIR = join(__dirname, '../fixtures/sigstore-conformance/bundle-verify');
const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

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
  for (const c of cases.filter((x) => !x.startsWith('managed-key') && !existsSync(join(DIR, x, 'key.pub')))) {
    it(c, async () => {
      const result = await run(c);
      expect(result.ok, JSON.stringify(result)).toBe(!c.endsWith('_fail'));
    });
  }
});
