// Issue 15, section 5: an independent implementation of the format (test/independent/
// evb_check.py: Python's zipfile, hashlib and `cryptography`, written from the spec) must
// agree with `exhibit verify` on bundles the project writes: sound (Ed25519), signed with a
// P-256 key made by openssl, tampered, unsigned, and signed by a key nobody trusts. This is
// how a third party checks a bundle without Exhibit; it must keep working.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBag, signer, testKeys, zipFixture } from '../helpers/bundles';
import { exhibit, exhibitVerify } from '../helpers/exhibit-cli';
import { checkerPython, independentCheck } from '../helpers/independent';
import { realWriter, rezip } from '../helpers/real-writers';
import type { SigningKey } from '../../shared/evb/keys';

const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
const work = mkdtempSync(join(tmpdir(), 'independent-check-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let alice: SigningKey;
let alicePub: string;
beforeAll(async () => {
  [alice] = await testKeys();
  alicePub = join(work, 'alice.pub.pem');
  writeFileSync(alicePub, alice.publicKey.pem);
});

/** Both verdicts on one bundle, and the status they should share. */
async function expectAgreement(file: string, args: string[], status: string) {
  const ours = await exhibitVerify(file, args);
  const theirs = independentCheck(file, args);
  expect({ status: theirs.status, code: theirs.code }).toEqual({ status: ours.report.status, code: ours.code });
  expect(ours.report.status).toBe(status);
}

let n = 0;
async function write(bytes: Uint8Array): Promise<string> {
  const file = join(work, `b${n++}.evb`);
  writeFileSync(file, bytes);
  return file;
}

describe.skipIf(!checkerPython)('evb_check.py (Python zipfile + hashlib + cryptography) agrees with exhibit verify', () => {
  it('on a sound bundle signed with Ed25519: verified', async () => {
    const file = await write(await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer')] })));
    await expectAgreement(file, ['--key', alicePub], 'verified');
  });

  it.skipIf(!hasOpenssl)('on a bundle signed by exhibit sign with a P-256 key made by openssl genpkey: verified', async () => {
    const file = await write(await zipFixture(await fixtureBag()));
    const key = join(work, 'p256.key.pem');
    const pub = join(work, 'p256.pub.pem');
    execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    execFileSync('openssl', ['pkey', '-in', key, '-pubout', '-out', pub]);
    const signed = await exhibit(work, [
      'sign',
      file,
      '--key',
      key,
      '--role',
      'approver',
      '--signer',
      'P-256 signer',
      '--at',
      '2026-11-02T09:00:00Z',
    ]);
    expect(signed.code, signed.err).toBe(0);
    await expectAgreement(file, ['--key', pub], 'verified');
  });

  it('on a tampered bundle (a replay changed after signing): tampered', async () => {
    const bag = await fixtureBag({ signers: [signer(alice, 'producer')] });
    bag.set('data/replays/ra-baseline.jsonl', new TextEncoder().encode('{"forged":true}\n'));
    await expectAgreement(await write(await zipFixture(bag)), ['--key', alicePub], 'tampered');
  });

  it('on an unsigned bundle: unsigned', async () => {
    await expectAgreement(await write(await zipFixture(await fixtureBag())), ['--key', alicePub], 'unsigned');
  });

  it('on a bundle signed by a key nobody trusts: untrusted-signer', async () => {
    const file = await write(await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer', { travelKey: true })] })));
    await expectAgreement(file, [], 'untrusted-signer');
  });

  it('on a file that is not a zip: malformed', async () => {
    await expectAgreement(await write(new TextEncoder().encode('PK\u0003\u0004 not a zip at all')), [], 'malformed');
  });

  const sevenZip = realWriter('7zip');
  // issue 15: fails until the verifier accepts 7-Zip's central-only NTFS extra field; the
  // independent checker, written from spec 1, already says verified.
  it.skipIf(!sevenZip.available()).fails('on the bundle re-zipped by 7-Zip: verified', async () => {
    const file = await write(await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer')] })));
    await expectAgreement(rezip(sevenZip, file, work), ['--key', alicePub], 'verified');
  });
});
