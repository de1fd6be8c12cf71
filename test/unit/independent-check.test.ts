// Issue 15, section 5: an independent implementation of the format (test/independent/
// evb_check.py: Python's zipfile, hashlib and `cryptography`, written from the spec) must
// agree with `exhibit verify` on bundles the project writes: sound (Ed25519), signed with a
// P-256 key made by openssl, tampered, unsigned, and signed by a key nobody trusts. This is
// how a third party checks a bundle without Exhibit; it must keep working.
import { execFileSync, spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ID, fixtureBag, fixturePayload, signer, testKeys, zipFixture } from '../helpers/bundles';
import { IN_TOTO, dsseEnvelope, exhibit, exhibitVerify, keyidOfPem, nodeKey, statement, tagmanifestSubject } from '../helpers/exhibit-cli';
import type { CraftEntry, CraftOptions } from '../helpers/zipcraft';
import { craftZip, extraField, le, unicodePathExtra } from '../helpers/zipcraft';
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
  it.skipIf(!sevenZip.available())('on the bundle re-zipped by 7-Zip: verified', async () => {
    const file = await write(await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer')] })));
    await expectAgreement(rezip(sevenZip, file, work), ['--key', alicePub], 'verified');
  });
});

describe.skipIf(!checkerPython)('evb_check.py reads the 2026-12 clarifications as the spec states them (the oracle for issue 15)', () => {
  const enc = new TextEncoder();
  type Bag = Map<string, Uint8Array>;
  const crafted = (bag: Bag, change: (path: string) => Partial<CraftEntry> | undefined = () => undefined, options: CraftOptions = {}) =>
    write(
      craftZip(
        [...bag].map(([path, data]) => ({ name: `${FIXTURE_ID}/${path}`, data, ...change(path) })),
        options,
      ).bytes(),
    );
  const signed = () => fixtureBag({ signers: [signer(alice, 'producer')] });
  const verdict = async (file: Promise<string>, args?: string[]) => independentCheck(await file, args ?? ['--key', alicePub]).status;
  const NTFS = extraField(0x000a, [...le(4, 0), ...le(2, 1), ...le(2, 24), ...le(8, 1n << 56n), ...le(8, 1n << 56n), ...le(8, 1n << 56n)]);

  it('verified: extra fields in one header only, differing time and date, version needed 0x0314, ZIP64 end-record markers', async () => {
    const bag = await signed();
    expect(await verdict(crafted(bag))).toBe('verified'); // the crafted control
    expect(await verdict(crafted(bag, () => ({ centralExtra: NTFS })))).toBe('verified');
    expect(await verdict(crafted(bag, () => ({ local: { time: 0x6000, date: 0x5021 } })))).toBe('verified');
    expect(await verdict(crafted(bag, () => ({ versionNeeded: 0x0314, madeBy: 0x0314 })))).toBe('verified');
    expect(await verdict(crafted(bag, () => undefined, { zip64Eocd: true }))).toBe('verified');
  });

  it('malformed: Unicode Path extra, Windows-aliased name, second top-level directory, bytes before, between or after entries, headers that disagree on a name', async () => {
    const bag = await signed();
    const target = `${FIXTURE_ID}/data/packet.json`;
    const upath = unicodePathExtra(target, target);
    expect(await verdict(crafted(bag, (p) => (p === 'data/packet.json' ? { localExtra: upath, centralExtra: upath } : undefined)))).toBe(
      'malformed',
    );
    const payload = fixturePayload();
    payload.set('data/attachments/con.txt', enc.encode('x\n'));
    expect(await verdict(crafted(await fixtureBag({ payload, signers: [signer(alice, 'producer')] })))).toBe('malformed');
    const second = craftZip([
      ...[...bag].map(([path, data]) => ({ name: `${FIXTURE_ID}/${path}`, data })),
      { name: 'second-dir/x.txt', data: enc.encode('x') },
    ]);
    expect(await verdict(write(second.bytes()))).toBe('malformed');
    expect(await verdict(crafted(bag, () => undefined, { prefix: enc.encode('junk') }))).toBe('malformed');
    expect(await verdict(crafted(bag, () => undefined, { suffix: enc.encode('junk') }))).toBe('malformed');
    expect(await verdict(crafted(bag, (p) => (p === 'bagit.txt' ? { after: enc.encode('gap') } : undefined)))).toBe('malformed');
    expect(
      await verdict(crafted(bag, (p) => (p === 'bagit.txt' ? { local: { name: enc.encode(`${FIXTURE_ID}/bagit.TXT`) } } : undefined))),
    ).toBe('malformed');
  });

  it('tampered: entry data failing its CRC-32, a packet failing its digest (even as invalid JSON)', async () => {
    const bag = await signed();
    expect(
      await verdict(crafted(bag, (p) => (p === 'data/replays/ra-baseline.jsonl' ? { central: { crc: 1 }, local: { crc: 1 } } : undefined))),
    ).toBe('tampered');
    const forged = new Map(bag);
    forged.set('data/packet.json', enc.encode('{ not json'));
    expect(await verdict(write(await zipFixture(forged)))).toBe('tampered');
  });

  it('DSSE: keyid "" and absent verify; two subjects are malformed; the identity key never verifies', async () => {
    const key = nodeKey('ed25519');
    const pub = join(work, `oracle-${n++}.pem`);
    writeFileSync(pub, key.publicPem);
    const base = await fixtureBag();
    const withSig = (envelope: Uint8Array) => {
      const bag = new Map(base);
      bag.set('signatures/p.dsse.json', envelope);
      return zipFixture(bag).then(write);
    };
    const st = (subject?: ReturnType<typeof tagmanifestSubject>[]) =>
      statement({ bundleId: FIXTURE_ID, tagmanifest: base.get('tagmanifest-sha256.txt')!, ...(subject ? { subject } : {}) });
    expect(await verdict(withSig(dsseEnvelope(st(), key, '')), ['--key', pub])).toBe('verified');
    expect(await verdict(withSig(dsseEnvelope(st(), key, null)), ['--key', pub])).toBe('verified');
    const one = tagmanifestSubject(base.get('tagmanifest-sha256.txt')!);
    expect(await verdict(withSig(dsseEnvelope(st([one, one]), key)), ['--key', pub])).toBe('malformed');
    // The identity point as a travelling key, with R = identity and S = 0: OpenSSL accepts it, libsodium's rules do not.
    const identity = createPublicKey({
      key: Buffer.from(`302a300506032b6570032100${'01'.padEnd(64, '0')}`, 'hex'),
      format: 'der',
      type: 'spki',
    });
    const pem = identity.export({ type: 'spki', format: 'pem' }).toString();
    const payload = Buffer.from(JSON.stringify(st()));
    const forged = {
      payloadType: IN_TOTO,
      payload: payload.toString('base64'),
      signatures: [{ keyid: keyidOfPem(pem), sig: Buffer.from(`01${'00'.repeat(63)}`, 'hex').toString('base64') }],
    };
    const bag = new Map(base);
    bag.set('signatures/p.dsse.json', Buffer.from(JSON.stringify(forged)));
    bag.set('signatures/p.pub.pem', Buffer.from(pem));
    expect(await verdict(zipFixture(bag).then(write), [])).toBe('tampered');
  });
});
