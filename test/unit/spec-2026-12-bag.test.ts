// Issue 15, spec sections 2 and 7 as clarified in 2026-12: every manifest present is
// complete and a finding names the manifest that lacks (or lists) a file; no "./" in
// manifest paths; and a data/packet.json whose digest does not match is tampered, never
// judged as a packet (so a tamperer cannot pick `malformed`). Bags are the project's
// fixture, re-tagged and signed here with Node's crypto; verified through `exhibit verify`.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_ID, fixtureBag, zipFixture } from '../helpers/bundles';
import type { CliReport, NodeKey } from '../helpers/exhibit-cli';
import { dsseEnvelope, exhibitVerify, nodeKey, statement } from '../helpers/exhibit-cli';

type Bag = Map<string, Uint8Array>;
const enc = new TextEncoder();
const dec = new TextDecoder();
const work = mkdtempSync(join(tmpdir(), 'spec-bag-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const key: NodeKey = nodeKey('ed25519');
const pub = join(work, 'producer.pub.pem');
writeFileSync(pub, key.publicPem);

const digest = (alg: 'sha256' | 'sha512', bytes: Uint8Array) => createHash(alg).update(bytes).digest('hex');
const manifestText = (lines: Array<[string, string]>) =>
  lines
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([d, p]) => `${d}  ${p}\n`)
    .join('');

/** Rewrites Payload-Oxum and tagmanifest-sha256.txt after an edit, as a producer would. */
function retag(bag: Bag): void {
  const data = [...bag].filter(([p]) => p.startsWith('data/'));
  const octets = data.reduce((n, [, b]) => n + b.length, 0);
  const info = dec.decode(bag.get('bag-info.txt')!).replace(/Payload-Oxum: .*/, `Payload-Oxum: ${octets}.${data.length}`);
  bag.set('bag-info.txt', enc.encode(info));
  const tags = [...bag.keys()].filter((p) => p === 'bagit.txt' || p === 'bag-info.txt' || /^manifest-[^/]+\.txt$/.test(p));
  bag.set('tagmanifest-sha256.txt', enc.encode(manifestText(tags.map((p) => [digest('sha256', bag.get(p)!), p]))));
}

function sign(bag: Bag): void {
  bag.set(
    'signatures/producer.dsse.json',
    dsseEnvelope(statement({ bundleId: FIXTURE_ID, tagmanifest: bag.get('tagmanifest-sha256.txt')! }), key),
  );
}

/** A manifest-sha512.txt listing `paths` (default: every file under data/). */
function sha512Manifest(bag: Bag, paths = [...bag.keys()].filter((p) => p.startsWith('data/'))): Uint8Array {
  return enc.encode(manifestText(paths.map((p) => [bag.has(p) ? digest('sha512', bag.get(p)!) : '0'.repeat(128), p])));
}

let n = 0;
async function verify(bag: Bag): Promise<CliReport & { code: number }> {
  const file = join(work, `b${n++}.evb`);
  writeFileSync(file, await zipFixture(bag));
  const { code, report } = await exhibitVerify(file, ['--key', pub]);
  return { ...report, code };
}

/** The fixture, edited, re-tagged and signed. */
async function made(edit: (bag: Bag) => void): Promise<Bag> {
  const bag = await fixtureBag();
  edit(bag);
  retag(bag);
  sign(bag);
  return bag;
}

describe('manifests are complete and findings name the manifest (spec 2)', () => {
  it('a bag with a complete manifest-sha512.txt verifies (control)', async () => {
    const r = await verify(await made((bag) => bag.set('manifest-sha512.txt', sha512Manifest(bag))));
    expect([r.status, r.code]).toEqual(['verified', 0]);
  });

  it('a file in the bundle listed only in manifest-sha512.txt is tampered; the finding names manifest-sha256.txt as lacking it', async () => {
    const r = await verify(
      await made((bag) => {
        bag.set('data/attachments/extra.txt', enc.encode('listed in one manifest only\n'));
        bag.set('manifest-sha512.txt', sha512Manifest(bag));
      }),
    );
    expect(r.status).toBe('tampered');
    const f = r.findings.find((x) => x.entry === 'data/attachments/extra.txt');
    expect(f?.message).toContain('manifest-sha256.txt');
    expect(f?.message).not.toMatch(/manifest-sha256\.txt lists/);
  });

  it('a file absent from the bundle and listed only in manifest-sha512.txt is tampered; the finding names manifest-sha512.txt', async () => {
    const r = await verify(
      await made((bag) => {
        bag.set(
          'manifest-sha512.txt',
          sha512Manifest(bag, [...[...bag.keys()].filter((p) => p.startsWith('data/')), 'data/attachments/ghost.txt']),
        );
      }),
    );
    expect(r.status).toBe('tampered');
    const f = r.findings.find((x) => x.entry === 'data/attachments/ghost.txt');
    expect(f?.message).toContain('manifest-sha512.txt');
    expect(f?.message).not.toMatch(/manifest-sha256\.txt lists/);
  });

  it('a manifest-sha512.txt that leaves out a payload file is tampered; the finding names manifest-sha512.txt', async () => {
    const r = await verify(
      await made((bag) => {
        const paths = [...bag.keys()].filter((p) => p.startsWith('data/') && p !== 'data/replays/ra-baseline.jsonl');
        bag.set('manifest-sha512.txt', sha512Manifest(bag, paths));
      }),
    );
    expect(r.status).toBe('tampered');
    const f = r.findings.find((x) => x.entry === 'data/replays/ra-baseline.jsonl');
    expect(f?.severity).toBe('tampered');
    expect(f?.message).toContain('manifest-sha512.txt');
  });

  it('a "./" prefix in a manifest path is a finding naming the manifest and the path (malformed)', async () => {
    const r = await verify(
      await made((bag) => {
        const text = dec.decode(bag.get('manifest-sha256.txt')!).replace('  data/packet.json', '  ./data/packet.json');
        bag.set('manifest-sha256.txt', enc.encode(text));
      }),
    );
    expect(r.status).toBe('malformed');
    const f = r.findings.find((x) => x.entry === 'manifest-sha256.txt');
    expect(f?.message).toContain('./data/packet.json');
  });
});

describe('status only from bytes that matched: a tampered packet is not judged as a packet (spec 7)', () => {
  const forge = async (packet: string) => {
    const bag = await made(() => {});
    bag.set('data/packet.json', enc.encode(packet));
    return verify(bag);
  };
  const expectTamperedPacket = (r: CliReport & { code: number }) => {
    expect(r.status).toBe('tampered');
    expect(r.code).toBe(1);
    expect(r.files.find((f) => f.path === 'data/packet.json')?.result).toBe('mismatch');
    expect(r.findings.filter((f) => f.layer === 'packet' && f.severity !== 'warning')).toEqual([]);
  };

  it('a data/packet.json that fails its digest and is not JSON is tampered, not malformed', async () => {
    expectTamperedPacket(await forge('{ "bundle_id": "fixture-bundle-1", '));
  });

  it('a data/packet.json that fails its digest and breaks section 4.1 is tampered, not malformed', async () => {
    expectTamperedPacket(await forge(`${JSON.stringify({ bundle_id: FIXTURE_ID, schema: 'nonsense' })}\n`));
  });

  it('a forged data/packet.json listed by a forged manifest-sha256.txt (which fails the tag manifest) is not shown to match', async () => {
    const bag = await made(() => {});
    bag.set('data/packet.json', enc.encode('{ "bundle_id": "forged", '));
    const text = dec.decode(bag.get('manifest-sha256.txt')!);
    const forged = text.replace(/^[0-9a-f]{64}(?= {2}data\/packet\.json$)/m, digest('sha256', bag.get('data/packet.json')!));
    expect(forged).not.toBe(text);
    bag.set('manifest-sha256.txt', enc.encode(forged));
    const r = await verify(bag);
    expect([r.status, r.code]).toEqual(['tampered', 1]);
    expect(r.files.find((f) => f.path === 'manifest-sha256.txt')?.result).toBe('mismatch');
    expect(r.files.find((f) => f.path === 'data/packet.json')?.result).toBe('manifest-not-intact');
    expect(r.files.filter((f) => f.path.startsWith('data/')).every((f) => f.result !== 'ok')).toBe(true);
    expect(r.findings.filter((f) => f.layer === 'packet' && f.severity !== 'warning')).toEqual([]);
  });

  it('a data/packet.json that fails its digest and is still a valid packet is tampered', async () => {
    const bag = await made(() => {});
    const packet = JSON.parse(dec.decode(bag.get('data/packet.json')!)) as Record<string, unknown>;
    packet.title = 'A forged title';
    bag.set('data/packet.json', enc.encode(`${JSON.stringify(packet, null, 2)}\n`));
    const r = await verify(bag);
    expect(r.status).toBe('tampered');
    expect(r.files.find((f) => f.path === 'data/packet.json')?.result).toBe('mismatch');
  });
});
