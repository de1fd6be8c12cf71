// The keyless flow from the command line: a signature made elsewhere (here by the test's
// own Sigstore instance, as CI would with cosign) attached with `sign --attach`, identity
// and root added with `trust add-identity` / `add-root`, then `verify` shows who, where
// logged and when (proven).
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { FIXTURE_ID, fixtureBag, zipFixture } from '../helpers/bundles';
import { GITHUB_IDENTITY, makeTestInstance } from '../helpers/sigstore-instance';
import type { TestInstance } from '../helpers/sigstore-instance';
import { makeStatement } from '../../shared/evb/dsse';
import { sha256Hex } from '../../shared/evb/writer';

let dir: string;
let instance: TestInstance;
const enc = new TextEncoder();

async function exhibit(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => void (out += t), isTTY: false },
    stderr: { write: (t: string) => void (err += t), isTTY: false },
    cwd: dir,
    now: () => new Date('2026-11-15T00:00:00Z'),
    version: '0.0.0-test',
  };
  return { code: await main(args, io), out, err };
}

async function keylessSignatureFor(bundleId: string, tagmanifest: Uint8Array): Promise<string> {
  const statement = makeStatement({
    bundleId,
    tagmanifestSha256: await sha256Hex(tagmanifest),
    role: 'producer',
    signer: { name: 'Release CI', email: null },
    signedAt: '2026-11-01T12:00:00Z',
  });
  return JSON.stringify(await instance.sign(enc.encode(JSON.stringify(statement))));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-keyless-'));
  instance = await makeTestInstance();
  const bag = await fixtureBag();
  await writeFile(join(dir, 'b.evb'), await zipFixture(bag));
  await writeFile(join(dir, 'sig.sigstore.json'), await keylessSignatureFor(FIXTURE_ID, bag.get('tagmanifest-sha256.txt')!));
  await writeFile(join(dir, 'other.sigstore.json'), await keylessSignatureFor(FIXTURE_ID, enc.encode('another tagmanifest\n')));
  await writeFile(join(dir, 'root.json'), JSON.stringify(instance.trustedRoot));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('keyless signatures from the CLI', () => {
  it('refuses to attach a signature that cannot be checked (unknown instance) or signs another bundle', async () => {
    const unknown = await exhibit(['sign', 'b.evb', '--attach', 'sig.sigstore.json']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/refusing to attach sig\.sigstore\.json: .*not checkable/);
    expect((await exhibit(['trust', 'add-root', 'root.json', '--file', 'trust.json'])).code).toBe(0);
    const other = await exhibit(['sign', 'b.evb', '--attach', 'other.sigstore.json', '--trust', 'trust.json']);
    expect(other.code).toBe(1);
    expect(other.err).toMatch(/tagmanifest-sha256\.txt with digest/);
  });

  it('attaches a checked signature, then verify shows identity, log entry and proven time', async () => {
    const add = await exhibit([
      'trust',
      'add-identity',
      '--issuer',
      GITHUB_IDENTITY.issuer,
      '--subject',
      GITHUB_IDENTITY.san,
      '--principal',
      'Release workflow',
      '--roles',
      'producer',
      '--file',
      'trust.json',
    ]);
    expect(add.code, add.err).toBe(0);
    const before = await readFile(join(dir, 'b.evb'));
    const attach = await exhibit(['sign', 'b.evb', '--attach', 'sig.sigstore.json', '--trust', 'trust.json']);
    expect(attach.code, attach.err).toBe(0);
    expect(attach.out).toMatch(
      /attached signatures\/producer-[0-9a-f]{12}\.sigstore\.json: signed as producer by https:\/\/github\.com\/example-org/,
    );
    expect((await readFile(join(dir, 'b.evb'))).subarray(0, 30)).toEqual(before.subarray(0, 30));
    const v = await exhibit(['verify', 'b.evb', '--trust', 'trust.json']);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toContain(`identity ${GITHUB_IDENTITY.san}  issuer ${GITHUB_IDENTITY.issuer}`);
    expect(v.out).toContain('github   repository https://github.com/example-org/release  workflow');
    expect(v.out).toContain('log      https://rekor.test.invalid entry 1004 (inclusion-proof)');
    expect(v.out).toContain('signed at 2026-11-01T12:00:00.000Z (proven by the transparency log)');
    const json = JSON.parse((await exhibit(['verify', 'b.evb', '--trust', 'trust.json', '--json'])).out);
    expect(json.signatures[0].keyless).toMatchObject({ san: GITHUB_IDENTITY.san, provenTime: '2026-11-01T12:00:00.000Z' });
  });

  it('lists, revokes and never silently re-adds an identity', async () => {
    expect((await exhibit(['trust', 'list', '--file', 'trust.json'])).out).toMatch(
      /identity https:\/\/github\.com\/example-org\/.* Release workflow {2}roles: producer/,
    );
    const again = await exhibit([
      'trust',
      'add-identity',
      '--issuer',
      GITHUB_IDENTITY.issuer,
      '--subject',
      GITHUB_IDENTITY.san,
      '--principal',
      'X',
      '--file',
      'trust.json',
    ]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/--replace/);
    const revoke = await exhibit([
      'trust',
      'revoke-identity',
      '--issuer',
      GITHUB_IDENTITY.issuer,
      '--subject',
      GITHUB_IDENTITY.san,
      '--reason',
      'workflow compromised',
      '--at',
      '2026-11-10T00:00:00Z',
      '--file',
      'trust.json',
    ]);
    expect(revoke.code, revoke.err).toBe(0);
    expect((await exhibit(['verify', 'b.evb', '--trust', 'trust.json'])).code).toBe(1);
    const readd = await exhibit([
      'trust',
      'add-identity',
      '--replace',
      '--issuer',
      GITHUB_IDENTITY.issuer,
      '--subject',
      GITHUB_IDENTITY.san,
      '--principal',
      'X',
      '--file',
      'trust.json',
    ]);
    expect(readd.code).toBe(1);
    expect(readd.err).toMatch(/revoked/);
  });

  it('is a usage error to give both --subject and --subject-pattern', async () => {
    const r = await exhibit([
      'trust',
      'add-identity',
      '--issuer',
      GITHUB_IDENTITY.issuer,
      '--subject',
      'a',
      '--subject-pattern',
      'b',
      '--principal',
      'X',
      '--file',
      'trust.json',
    ]);
    expect(r.code).toBe(64);
  });
});
