// One test per status row of spec section 7, per precedence rule, and per structural rule
// of sections 2, 3, 5 and 6 that the verifier (not the zip reader) enforces.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_ID,
  fixtureBag,
  fixturePayload,
  minimalPacket,
  signer,
  testKeys,
  trustFor,
  verifyBytes,
  zipFixture,
} from '../helpers/bundles';
import type { SigningKey } from '../../shared/evb/keys';
import { revokeTrustedKey } from '../../shared/evb/trust';
import { zipBag } from '../../shared/evb/writer';
import { STATUS_TABLE, statusHeadline } from '../../shared/evb/status';
import type { SignatureCheck } from '../../shared/evb/report';
import { makeSigstoreBundle } from '../../shared/evb/dsse';
import { generateP256KeyPair, importSigningKey } from '../../shared/evb/keys';

let alice: SigningKey;
let bob: SigningKey;
const enc = new TextEncoder();

beforeAll(async () => {
  [alice, bob] = await testKeys();
});

const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code);

describe('status rows (spec section 7)', () => {
  it('verified: signed by a trusted, current key allowed the role', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer')] }));
    const { report } = await verifyBytes(bundle, trustFor([{ key: alice, roles: ['producer'] }]));
    expect(report.status).toBe('verified');
    expect(report.bundleId).toBe(FIXTURE_ID);
    expect(report.findings.filter((f) => f.severity !== 'warning')).toEqual([]);
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]).toMatchObject({
      math: 'valid',
      trust: 'trusted',
      keySource: 'trust-store',
      role: 'producer',
      algorithm: 'ed25519',
      statementMatches: true,
    });
    expect(report.files.every((f) => f.result === 'ok')).toBe(true);
    expect(report.fileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.tagmanifestSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('untrusted-signer: a signature by a key not in the store, with no key at hand', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice)] }));
    const { report } = await verifyBytes(bundle, trustFor([{ key: bob }]));
    expect(report.status).toBe('untrusted-signer');
    expect(report.signatures[0]).toMatchObject({ math: 'not-checked', trust: 'unknown-key', keySource: 'none', role: null });
  });

  it('untrusted-signer: a travelling key checks the mathematics but never makes the key trusted', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer', { travelKey: true })] }));
    const { report } = await verifyBytes(bundle);
    expect(report.status).toBe('untrusted-signer');
    expect(report.signatures[0]).toMatchObject({ math: 'valid', trust: 'unknown-key', keySource: 'travelling', role: 'producer' });
    expect(report.signatures[0]!.travellingKeyPem).toContain('BEGIN PUBLIC KEY');
  });

  it('unsigned: a valid bag with no signature', async () => {
    const { report } = await verifyBytes(await zipFixture(await fixtureBag()), trustFor([{ key: alice }]));
    expect(report.status).toBe('unsigned');
    expect(report.signatures).toEqual([]);
  });

  it('key-expired: the only verifying trusted key is outside its validity window', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice)] }));
    const { report } = await verifyBytes(bundle, trustFor([{ key: alice, validUntil: '2026-11-01T00:00:00Z' }]));
    expect(report.status).toBe('key-expired');
    expect(report.signatures[0]).toMatchObject({ math: 'valid', trust: 'expired-key' });
  });

  it('key-expired: also before valid_from', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice)] }));
    const { report } = await verifyBytes(bundle, trustFor([{ key: alice, validFrom: '2027-01-01T00:00:00Z' }]));
    expect(report.status).toBe('key-expired');
  });

  it('key-revoked: a verifying signature by a revoked key', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice)] }));
    const trust = revokeTrustedKey(trustFor([{ key: alice }]), alice.publicKey.keyid, '2026-11-10T00:00:00Z', 'laptop stolen');
    const { report } = await verifyBytes(bundle, trust);
    expect(report.status).toBe('key-revoked');
    expect(report.signatures[0]).toMatchObject({ math: 'valid', trust: 'revoked-key' });
    expect(report.signatures[0]!.trustDetail).toContain('laptop stolen');
  });

  it('tampered: a payload file whose digest does not match', async () => {
    const bag = await fixtureBag({ signers: [signer(alice)] });
    bag.set('data/replays/ra-baseline.jsonl', enc.encode('{"forged":true}\n'));
    const { report } = await verifyBytes(await zipFixture(bag), trustFor([{ key: alice }]));
    expect(report.status).toBe('tampered');
    expect(codes(report)).toContain('bag-digest-mismatch');
    const file = report.files.find((f) => f.path === 'data/replays/ra-baseline.jsonl')!;
    expect(file.result).toBe('mismatch');
    expect(file.expectedSha256).not.toBe(file.actualSha256);
  });

  it('malformed: not a zip at all', async () => {
    const { report } = await verifyBytes(enc.encode('this is not a zip file, just text'));
    expect(report.status).toBe('malformed');
    expect(report.findings[0]!.layer).toBe('container');
  });
});

describe('precedence (malformed, tampered, key-revoked, verified, key-expired, untrusted-signer, unsigned)', () => {
  it('malformed wins over tampered', async () => {
    const bag = await fixtureBag({ signers: [signer(alice)] });
    bag.set('data/replays/ra-baseline.jsonl', enc.encode('changed\n'));
    bag.set('signatures/notes.txt', enc.encode('not a signature'));
    const { report } = await verifyBytes(await zipFixture(bag), trustFor([{ key: alice }]));
    expect(report.status).toBe('malformed');
    expect(codes(report)).toContain('signature-unknown-file');
  });

  it('tampered wins over verified (the signature is fine, a payload file is not)', async () => {
    const bag = await fixtureBag({ signers: [signer(alice)] });
    bag.set('data/replays/ra-candidate.jsonl', enc.encode('changed\n'));
    const { report } = await verifyBytes(await zipFixture(bag), trustFor([{ key: alice }]));
    expect(report.signatures[0]).toMatchObject({ math: 'valid', trust: 'trusted' });
    expect(report.status).toBe('tampered');
  });

  it('key-revoked wins over verified', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer'), signer(bob, 'approver')] }));
    const trust = revokeTrustedKey(trustFor([{ key: alice }, { key: bob }]), bob.publicKey.keyid, '2026-11-02T00:00:00Z', 'rotated');
    const { report } = await verifyBytes(bundle, trust);
    expect(report.status).toBe('key-revoked');
  });

  it('verified wins over key-expired', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer'), signer(bob, 'approver')] }));
    const trust = trustFor([{ key: alice }, { key: bob, validUntil: '2026-01-01T00:00:00Z' }]);
    const { report } = await verifyBytes(bundle, trust);
    expect(report.signatures.map((s) => s.trust).sort()).toEqual(['expired-key', 'trusted']);
    expect(report.status).toBe('verified');
  });

  it('key-expired wins over untrusted-signer', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer'), signer(bob, 'approver')] }));
    const { report } = await verifyBytes(bundle, trustFor([{ key: alice, validUntil: '2026-01-01T00:00:00Z' }]));
    expect(report.status).toBe('key-expired');
  });

  it('untrusted-signer wins over unsigned', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(bob)] }));
    const { report } = await verifyBytes(bundle);
    expect(report.status).toBe('untrusted-signer');
  });
});

describe('trust (spec section 6)', () => {
  it('a trusted key signing a role outside its roles is not trusted for that signature', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer')] }));
    const { report } = await verifyBytes(bundle, trustFor([{ key: alice, roles: ['approver'] }]));
    expect(report.signatures[0]!.trust).toBe('role-not-allowed');
    expect(report.status).toBe('untrusted-signer');
  });

  it('keys are checked at the chosen time, not now', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice)] }));
    const trust = trustFor([{ key: alice, validUntil: '2026-12-01T00:00:00Z' }]);
    expect((await verifyBytes(bundle, trust, { at: new Date('2026-11-20T00:00:00Z') })).report.status).toBe('verified');
    expect((await verifyBytes(bundle, trust, { at: new Date('2027-01-01T00:00:00Z') })).report.status).toBe('key-expired');
  });

  it('a key revoked after the verification time is not yet revoked at that time', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice)] }));
    const trust = revokeTrustedKey(trustFor([{ key: alice }]), alice.publicKey.keyid, '2026-12-01T00:00:00Z', 'later');
    expect((await verifyBytes(bundle, trust, { at: new Date('2026-11-20T00:00:00Z') })).report.status).toBe('verified');
    expect((await verifyBytes(bundle, trust, { at: new Date('2026-12-02T00:00:00Z') })).report.status).toBe('key-revoked');
  });

  it('a key in the trust store wins over a travelling one', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer', { travelKey: true })] }));
    const { report } = await verifyBytes(bundle, trustFor([{ key: alice, principal: 'Alice' }]));
    expect(report.signatures[0]).toMatchObject({ keySource: 'trust-store', principal: 'Alice', trust: 'trusted' });
    expect(report.status).toBe('verified');
  });
});

describe('signatures (spec section 5)', () => {
  it('a Sigstore bundle with a public-key hint verifies against the trusted key', async () => {
    const bag = await fixtureBag({ signers: [signer(alice, 'approver')] });
    const path = [...bag.keys()].find((p) => p.endsWith('.dsse.json'))!;
    bag.set(path.replace('.dsse.json', '.sigstore.json'), makeSigstoreBundle(bag.get(path)!, alice.publicKey.keyid));
    bag.delete(path);
    const { report } = await verifyBytes(await zipFixture(bag), trustFor([{ key: alice, roles: ['approver'] }]));
    expect(report.signatures[0]).toMatchObject({ format: 'sigstore', math: 'valid', trust: 'trusted' });
    expect(report.status).toBe('verified');
  });

  it('an ECDSA P-256 signature (DER) verifies like an Ed25519 one', async () => {
    const p256 = await importSigningKey((await generateP256KeyPair()).privatePem);
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(p256, 'auditor')] }));
    const { report } = await verifyBytes(bundle, trustFor([{ key: p256 }]));
    expect(report.signatures[0]).toMatchObject({ algorithm: 'ecdsa-p256-sha256', math: 'valid', trust: 'trusted', role: 'auditor' });
    expect(report.status).toBe('verified');
  });

  it('a signature that fails under the trusted key its keyid names is tampered', async () => {
    const bag = await fixtureBag({ signers: [signer(alice)] });
    const path = [...bag.keys()].find((p) => p.endsWith('.dsse.json'))!;
    const env = JSON.parse(new TextDecoder().decode(bag.get(path)!));
    const sig = Uint8Array.from(atob(env.signatures[0].sig), (c) => c.charCodeAt(0));
    sig[0]! ^= 1;
    env.signatures[0].sig = btoa(String.fromCharCode(...sig));
    bag.set(path, enc.encode(JSON.stringify(env)));
    const { report } = await verifyBytes(await zipFixture(bag), trustFor([{ key: alice }]));
    expect(report.signatures[0]!.math).toBe('invalid');
    expect(codes(report)).toContain('signature-invalid');
    expect(report.status).toBe('tampered');
  });

  it('a signature that fails under its travelling key is tampered too', async () => {
    const bag = await fixtureBag({ signers: [signer(alice, 'producer', { travelKey: true })] });
    const path = [...bag.keys()].find((p) => p.endsWith('.dsse.json'))!;
    const env = JSON.parse(new TextDecoder().decode(bag.get(path)!));
    env.payload = btoa(atob(env.payload).replace('producer', 'approver'));
    bag.set(path, enc.encode(JSON.stringify(env)));
    const { report } = await verifyBytes(await zipFixture(bag));
    expect(report.signatures[0]).toMatchObject({ math: 'invalid', keySource: 'travelling' });
    expect(report.status).toBe('tampered');
  });

  it('a statement whose subject is another tagmanifest is tampered', async () => {
    // Sign a different bag's tagmanifest and move the signature over.
    const other = await fixtureBag({
      payload: fixturePayload(FIXTURE_ID, { ...minimalPacket(), title: 'Another decision' }),
      signers: [signer(alice)],
    });
    const bag = await fixtureBag();
    for (const [p, b] of other) if (p.startsWith('signatures/')) bag.set(p, b);
    const { report } = await verifyBytes(await zipFixture(bag), trustFor([{ key: alice }]));
    expect(codes(report)).toContain('signature-subject-mismatch');
    expect(report.signatures[0]!.statementMatches).toBe(false);
    expect(report.status).toBe('tampered');
  });

  it('a statement for another bundle id is tampered', async () => {
    const other = await fixtureBag({ bundleId: 'another-bundle', payload: fixturePayload('another-bundle'), signers: [signer(alice)] });
    const bag = await fixtureBag();
    // Same tagmanifest bytes are impossible across ids, so also carry the tagmanifest digest over: the id check must still fire.
    for (const [p, b] of other) if (p.startsWith('signatures/')) bag.set(p, b);
    const { report } = await verifyBytes(await zipFixture(bag), trustFor([{ key: alice }]));
    expect(report.findings.some((f) => f.code === 'bundle-id-mismatch' && f.entry?.startsWith('signatures/'))).toBe(true);
    expect(report.status).toBe('tampered');
  });

  it('a file in signatures/ that is not an envelope, bundle or key is malformed', async () => {
    const bag = await fixtureBag({ signers: [signer(alice)] });
    bag.set('signatures/readme.txt', enc.encode('hello'));
    const { report } = await verifyBytes(await zipFixture(bag), trustFor([{ key: alice }]));
    expect(report.status).toBe('malformed');
    expect(report.findings.find((f) => f.code === 'signature-unknown-file')!.entry).toBe('signatures/readme.txt');
  });

  it('an unparseable envelope is malformed', async () => {
    const bag = await fixtureBag();
    bag.set('signatures/broken.dsse.json', enc.encode('{"payloadType": 3}'));
    const { report } = await verifyBytes(await zipFixture(bag));
    expect(report.status).toBe('malformed');
    expect(report.findings.some((f) => f.entry === 'signatures/broken.dsse.json')).toBe(true);
  });

  it('an unparseable travelling key is malformed', async () => {
    const bag = await fixtureBag({ signers: [signer(alice)] });
    bag.set('signatures/producer.pub.pem', enc.encode('-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----\n'));
    const { report } = await verifyBytes(await zipFixture(bag));
    expect(report.status).toBe('malformed');
    expect(codes(report)).toContain('signature-bad-key-file');
  });

  it('signatures/ lies outside every manifest: adding a signature changes no digest', async () => {
    const unsigned = await fixtureBag();
    const signed = await fixtureBag({ signers: [signer(alice)] });
    expect(signed.get('tagmanifest-sha256.txt')).toEqual(unsigned.get('tagmanifest-sha256.txt'));
    const { report } = await verifyBytes(await zipFixture(signed), trustFor([{ key: alice }]));
    expect(report.files.some((f) => f.path.startsWith('signatures/'))).toBe(false);
  });
});

describe('bag (spec section 2) through the verifier', () => {
  const tamper = async (edit: (bag: Map<string, Uint8Array>) => void) => {
    const bag = await fixtureBag({ signers: [signer(alice)] });
    edit(bag);
    return (await verifyBytes(await zipFixture(bag), trustFor([{ key: alice }]))).report;
  };

  it('a file listed in the manifest but absent is tampered (missing)', async () => {
    const report = await tamper((bag) => bag.delete('data/replays/ra-baseline.jsonl'));
    expect(report.status).toBe('tampered');
    expect(report.files.find((f) => f.path === 'data/replays/ra-baseline.jsonl')!.result).toBe('missing');
  });

  it('a payload file no manifest lists is tampered (unlisted)', async () => {
    const report = await tamper((bag) => bag.set('data/extra.txt', enc.encode('slipped in')));
    expect(report.status).toBe('tampered');
    expect(report.files.find((f) => f.path === 'data/extra.txt')!.result).toBe('unlisted');
  });

  it('an extra tag file not in the tagmanifest is tampered', async () => {
    const report = await tamper((bag) => bag.set('notes.txt', enc.encode('unlisted tag file')));
    expect(report.status).toBe('tampered');
    expect(codes(report)).toContain('bag-unlisted-file');
  });

  it('a Payload-Oxum that does not match is tampered', async () => {
    const report = await tamper((bag) => {
      // Rewrite bag-info.txt and the tagmanifest so only the Oxum is wrong; the signature then fails too.
      const info = new TextDecoder().decode(bag.get('bag-info.txt')!).replace(/Payload-Oxum: \d+/, 'Payload-Oxum: 1');
      bag.set('bag-info.txt', enc.encode(info));
    });
    expect(report.status).toBe('tampered');
    expect(codes(report)).toContain('bag-payload-oxum-mismatch');
  });

  it('a missing bagit.txt is malformed', async () => {
    const report = await tamper((bag) => bag.delete('bagit.txt'));
    expect(report.status).toBe('malformed');
    expect(report.findings[0]).toMatchObject({ code: 'bag-required-file-missing', entry: `${FIXTURE_ID}/bagit.txt` });
  });

  it('a missing data/packet.json is malformed', async () => {
    const report = await tamper((bag) => bag.delete('data/packet.json'));
    expect(report.status).toBe('malformed');
  });

  it('a bagit.txt declaring another BagIt version is malformed', async () => {
    const report = await tamper((bag) => bag.set('bagit.txt', enc.encode('BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n')));
    expect(report.status).toBe('malformed');
    expect(codes(report)).toContain('bag-version');
  });

  it('a fetch.txt is malformed: a bundle is complete on its own', async () => {
    const report = await tamper((bag) => bag.set('fetch.txt', enc.encode('http://example.com/x 10 data/x\n')));
    expect(report.status).toBe('malformed');
    expect(codes(report)).toContain('bag-fetch-txt');
  });

  it('a bag-info.txt without a required label is malformed', async () => {
    const report = await tamper((bag) => {
      const info = new TextDecoder().decode(bag.get('bag-info.txt')!).replace(/Bag-Software-Agent:.*\n/, '');
      bag.set('bag-info.txt', enc.encode(info));
    });
    expect(report.status).toBe('malformed');
    expect(codes(report)).toContain('bag-info-missing-label');
  });

  it('a manifest line that leaves the bag is malformed', async () => {
    const report = await tamper((bag) => {
      const m = new TextDecoder().decode(bag.get('manifest-sha256.txt')!);
      bag.set('manifest-sha256.txt', enc.encode(`${m}${'0'.repeat(64)}  data/../../etc/passwd\n`));
    });
    expect(report.status).toBe('malformed');
    expect(codes(report)).toContain('bag-manifest-path');
  });
});

describe('bundle id (spec section 3)', () => {
  it('External-Identifier disagreeing with the top-level directory is tampered', async () => {
    const bag = await fixtureBag();
    const info = new TextDecoder()
      .decode(bag.get('bag-info.txt')!)
      .replace(`External-Identifier: ${FIXTURE_ID}`, 'External-Identifier: other-id');
    bag.set('bag-info.txt', enc.encode(info));
    const { report } = await verifyBytes(await zipFixture(bag));
    expect(report.status).toBe('tampered');
    expect(report.findings.some((f) => f.code === 'bundle-id-mismatch' && f.field === 'External-Identifier')).toBe(true);
  });

  it('packet bundle_id disagreeing with the top-level directory is tampered', async () => {
    const bag = await fixtureBag({ payload: fixturePayload(FIXTURE_ID, minimalPacket('someone-else')) });
    const { report } = await verifyBytes(await zipFixture(bag));
    expect(report.status).toBe('tampered');
    expect(report.findings.some((f) => f.code === 'bundle-id-mismatch' && f.field === '/bundle_id')).toBe(true);
  });

  it('a top-level directory that is not a valid bundle id is malformed', async () => {
    const bag = await fixtureBag();
    const { report } = await verifyBytes(await zipBag('-starts-with-dash', bag));
    expect(report.status).toBe('malformed');
    expect(codes(report)).toContain('bundle-id-syntax');
  });
});

describe('packet (spec section 4.1) through the verifier', () => {
  it('a packet that is not JSON is malformed, and the finding names data/packet.json', async () => {
    const payload = fixturePayload();
    payload.set('data/packet.json', enc.encode('{ not json'));
    const { report } = await verifyBytes(await zipFixture(await fixtureBag({ payload })));
    expect(report.status).toBe('malformed');
    expect(report.findings.some((f) => f.layer === 'packet' && f.entry === 'data/packet.json')).toBe(true);
  });

  it('a packet path naming an unlisted file is malformed and the finding names the field', async () => {
    const packet = minimalPacket();
    (packet.agents as Array<Record<string, unknown>>)[0]!.replay = 'data/replays/nowhere.jsonl';
    const { report } = await verifyBytes(await zipFixture(await fixtureBag({ payload: fixturePayload(FIXTURE_ID, packet) })));
    expect(report.status).toBe('malformed');
    expect(report.findings.some((f) => f.layer === 'packet' && f.field === '/agents/0/replay')).toBe(true);
  });
});

describe('progress and cancellation', () => {
  it('reports progress in bytes up to the total', async () => {
    const bundle = await zipFixture(await fixtureBag({ signers: [signer(alice)] }));
    const seen: Array<{ done: number; total: number }> = [];
    await verifyBytes(bundle, trustFor([{ key: alice }]), { onProgress: (p) => seen.push({ done: p.done, total: p.total }) });
    expect(seen.length).toBeGreaterThan(1);
    const last = seen[seen.length - 1]!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBeGreaterThan(0);
  });

  it('an aborted signal rejects with a CancelledError', async () => {
    const bundle = await zipFixture(await fixtureBag());
    const controller = new AbortController();
    controller.abort();
    await expect(verifyBytes(bundle, undefined, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('statusHeadline: role-not-allowed is worded as what it is (issue 15)', () => {
  const sig = (over: Partial<SignatureCheck>) =>
    ({ math: 'valid', statementMatches: true, trust: 'role-not-allowed', keySource: 'trust-store', ...over }) as SignatureCheck;
  it('a trusted key in a role it may not sign; a trusted identity likewise; otherwise the status headline', () => {
    expect(statusHeadline({ status: 'untrusted-signer', signatures: [sig({})] })).toMatch(
      /^Signed by a trusted key, but as a role that key may not sign/,
    );
    expect(statusHeadline({ status: 'untrusted-signer', signatures: [sig({ keySource: 'certificate' })] })).toMatch(
      /^Signed by a trusted identity, but as a role that identity may not sign/,
    );
    expect(statusHeadline({ status: 'untrusted-signer', signatures: [sig({ trust: 'unknown-key' })] })).toBe(
      STATUS_TABLE['untrusted-signer'].headline,
    );
    // A signature that did not verify says nothing about roles.
    expect(statusHeadline({ status: 'untrusted-signer', signatures: [sig({ math: 'invalid' })] })).toBe(
      STATUS_TABLE['untrusted-signer'].headline,
    );
  });
});
