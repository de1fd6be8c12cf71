// exhibit sigstore verify-bundle speaks Sigstore's conformance CLI protocol: every
// case of sigstore-conformance's bundle-verify assets (test/fixtures/
// sigstore-conformance, unedited) exits 0 when it must verify and 1 when it must fail.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const DIR = join(__dirname, '../fixtures/sigstore-conformance/bundle-verify');
const IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

async function exhibit(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => void (out += t), isTTY: false },
    stderr: { write: (t: string) => void (err += t), isTTY: false },
    cwd: DIR,
    now: () => new Date('2026-12-01T00:00:00Z'),
    version: '0.0.0-test',
  };
  return { code: await main(args, io), out, err };
}

function protocolArgs(c: string, artifact?: string): string[] {
  const has = (f: string) => existsSync(join(DIR, c, f));
  const text = (f: string, d: string) => (has(f) ? readFileSync(join(DIR, c, f), 'utf8').trim() : d);
  const who = has('key.pub')
    ? ['--key', `${c}/key.pub`]
    : ['--certificate-identity', text('identity', IDENTITY), '--certificate-oidc-issuer', text('issuer', ISSUER)];
  return [
    'sigstore',
    'verify-bundle',
    '--bundle',
    `${c}/bundle.sigstore.json`,
    ...who,
    ...(has('trusted_root.json') ? ['--trusted-root', `${c}/trusted_root.json`] : []),
    artifact ?? (has('artifact') ? `${c}/artifact` : 'a.txt'),
  ];
}

const all = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('exhibit sigstore verify-bundle (conformance protocol)', () => {
  // The protocol asks for non-zero on failure; a key file that is not a key cannot be read (66).
  const exitOf = (c: string) => (c === 'managed-key-wrong-key_fail' ? 66 : c.endsWith('_fail') ? 1 : 0);
  for (const c of all) {
    it(`${c}: exit ${exitOf(c)}`, async () => {
      const r = await exhibit(protocolArgs(c));
      expect(r.code, r.err).toBe(exitOf(c));
    });
  }

  it('takes the artifact as a sha256: digest (DSSE bundle)', async () => {
    const c = 'happy-path-intoto-in-dsse-v3';
    const digest = createHash('sha256')
      .update(readFileSync(join(DIR, 'a.txt')))
      .digest('hex');
    expect((await exhibit(protocolArgs(c, `sha256:${digest}`))).code).toBe(0);
    expect((await exhibit(protocolArgs(c, `sha256:${'0'.repeat(64)}`))).code).toBe(1);
  });

  it('refuses a wrong identity and a wrong issuer', async () => {
    const args = protocolArgs('happy-path-v0.3');
    const wrongId = [...args];
    wrongId[5] = 'https://github.com/someone/else/.github/workflows/x.yml@refs/heads/main';
    const r = await exhibit(wrongId);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not verified \(identity\)/);
    const wrongIssuer = [...args];
    wrongIssuer[7] = 'https://accounts.google.com';
    expect((await exhibit(wrongIssuer)).code).toBe(1);
  });

  it('prints who, the log entry and the proven time on success', async () => {
    const r = await exhibit(protocolArgs('happy-path-v0.3'));
    expect(r.out).toMatch(
      /^OK: https:\/\/github\.com\/sigstore-conformance\/.* \(https:\/\/token\.actions\.githubusercontent\.com\)\n {2}log https:\/\/rekor\.sigstore\.dev entry \d+; signed at .* \(proven by transparency-log/,
    );
  });

  it('is a usage error without --bundle, and refuses --staging without a root', async () => {
    expect((await exhibit(['sigstore', 'verify-bundle', 'a.txt'])).code).toBe(64);
    const staging = await exhibit([
      'sigstore',
      'verify-bundle',
      '--staging',
      '--bundle',
      'happy-path-v0.3/bundle.sigstore.json',
      '--certificate-identity',
      IDENTITY,
      '--certificate-oidc-issuer',
      ISSUER,
      'a.txt',
    ]);
    expect(staging.code).toBe(1);
    expect(staging.err).toMatch(/--staging needs --trusted-root/);
  });
});
