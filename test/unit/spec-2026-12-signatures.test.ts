// Issue 15, spec sections 5 and 6 as clarified in 2026-12: DSSE keyid optional (absent or ""
// means no hint), exactly one statement subject, strict Ed25519 keys (small-order keys never
// verify and are refused by `trust add`), the role check before the validity window, and a
// travelling key whose keyid differs from the signature's is not used. Envelopes are made
// with Node's crypto (OpenSSL) as any producer would; verified through `exhibit verify`.
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ID, fixtureBag, zipFixture } from '../helpers/bundles';
import type { CliReport, NodeKey } from '../helpers/exhibit-cli';
import {
  IN_TOTO,
  dsseEnvelope,
  exhibit,
  exhibitVerify,
  keyidOfPem,
  nodeKey,
  pae,
  statement,
  tagmanifestSubject,
  writeTrustFile,
} from '../helpers/exhibit-cli';

type Bag = Map<string, Uint8Array>;
const CORPORA = join(__dirname, '../../../shared/corpora');
const work = mkdtempSync(join(tmpdir(), 'spec-sig-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let ed: NodeKey;
let p256: NodeKey;
let other: NodeKey;
let base: Bag;
beforeAll(async () => {
  [ed, p256, other] = [nodeKey('ed25519'), nodeKey('p256'), nodeKey('ed25519')];
  base = await fixtureBag();
});

const tagmanifest = () => base.get('tagmanifest-sha256.txt')!;
const stmt = (extra: Partial<Parameters<typeof statement>[0]> = {}) =>
  statement({ bundleId: FIXTURE_ID, tagmanifest: tagmanifest(), ...extra });

let n = 0;
/** The fixture bag with these signature files, zipped, verified with `args` (trust). */
async function verifyWith(signatures: Record<string, Uint8Array | string>, args: string[]): Promise<CliReport & { code: number }> {
  const bag = new Map(base);
  for (const [name, bytes] of Object.entries(signatures))
    bag.set(`signatures/${name}`, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  const file = join(work, `s${n++}.evb`);
  writeFileSync(file, await zipFixture(bag));
  const { code, report } = await exhibitVerify(file, args);
  return { ...report, code };
}

function pemFile(name: string, pem: string): string {
  const path = join(work, name);
  writeFileSync(path, pem);
  return path;
}

const trustAll = (...keys: NodeKey[]) => [
  '--trust',
  writeTrustFile(
    join(work, `trust${n++}.json`),
    keys.map((k) => ({ pem: k.publicPem })),
  ),
];

describe('DSSE keyid is optional (spec 5)', () => {
  it('an envelope with its own keyid verifies (control)', async () => {
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt(), ed) }, trustAll(other, ed));
    expect([r.status, r.code]).toEqual(['verified', 0]);
  });

  it('keyid "" verifies with a trusted key, found by trying each trusted key of the algorithm', async () => {
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt(), ed, '') }, trustAll(other, p256, ed));
    expect([r.status, r.code]).toEqual(['verified', 0]);
    expect(r.signatures[0]).toMatchObject({ math: 'valid', trust: 'trusted', keySource: 'trust-store' });
  });

  it('an absent keyid verifies with a trusted key (P-256, DER signature)', async () => {
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt(), p256, null) }, trustAll(other, ed, p256));
    expect([r.status, r.code]).toEqual(['verified', 0]);
  });

  it('a Sigstore bundle whose envelope has keyid "" verifies through its publicKey hint', async () => {
    const envelope = JSON.parse(Buffer.from(dsseEnvelope(stmt(), ed, '')).toString('utf8')) as unknown;
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: ed.keyid }, tlogEntries: [] },
      dsseEnvelope: envelope,
    };
    const r = await verifyWith({ 'p.sigstore.json': JSON.stringify(bundle) }, trustAll(ed));
    expect([r.status, r.code]).toEqual(['verified', 0]);
  });

  it('keyid "" with a travelling key: the key is used, the bundle is untrusted-signer', async () => {
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt(), ed, ''), 'p.pub.pem': ed.publicPem }, []);
    expect(r.status).toBe('untrusted-signer');
    expect(r.signatures[0]).toMatchObject({ math: 'valid', keySource: 'travelling' });
  });
});

describe('the statement holds exactly one subject (spec 5)', () => {
  const subjects: Record<string, () => Array<{ name: string; digest: { sha256: string } }>> = {
    'the same subject twice': () => [tagmanifestSubject(tagmanifest()), tagmanifestSubject(tagmanifest())],
    'the tagmanifest, then another name': () => [
      tagmanifestSubject(tagmanifest()),
      { name: 'other.txt', digest: { sha256: 'a'.repeat(64) } },
    ],
    'another name, then the tagmanifest': () => [
      { name: 'other.txt', digest: { sha256: 'a'.repeat(64) } },
      tagmanifestSubject(tagmanifest()),
    ],
    'the tagmanifest name twice, the wrong digest first': () => [
      { name: 'tagmanifest-sha256.txt', digest: { sha256: 'b'.repeat(64) } },
      tagmanifestSubject(tagmanifest()),
    ],
  };
  it.each(Object.keys(subjects))('%s: the signature file is malformed, and the finding names it', async (what) => {
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt({ subject: subjects[what]!() }), ed) }, trustAll(ed));
    expect(r.status).toBe('malformed');
    expect(r.code).toBe(2);
    expect(r.findings.some((f) => f.severity === 'malformed' && f.entry === 'signatures/p.dsse.json')).toBe(true);
  });

  it('a single subject with another name is not an EVB signature (not verified)', async () => {
    const r = await verifyWith(
      {
        'p.dsse.json': dsseEnvelope(
          stmt({ subject: [{ name: 'other.txt', digest: { sha256: tagmanifestSubject(tagmanifest()).digest.sha256 } }] }),
          ed,
        ),
      },
      trustAll(ed),
    );
    expect(['malformed', 'tampered']).toContain(r.status);
  });
});

/** SPKI PEM of a raw 32-byte Ed25519 public key. */
const ed25519Pem = (hex: string) =>
  createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(hex, 'hex')]),
    format: 'der',
    type: 'spki',
  })
    .export({ type: 'spki', format: 'pem' })
    .toString();

const IDENTITY = `01${'00'.repeat(31)}`;
/** Small-order (and non-canonical) public keys: the identity, and those of ed25519-speccheck. */
function smallOrderKeys(): string[] {
  const keys = [IDENTITY, '00'.repeat(32), '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'];
  const cases = join(CORPORA, 'ed25519-speccheck/cases.json');
  if (existsSync(cases)) {
    const all = JSON.parse(readFileSync(cases, 'utf8')) as Array<{ pub_key: string }>;
    // Cases 0-1 (a small-order key, order 8) and 10-11 (a small-order key, non-canonical).
    for (const i of [0, 10]) keys.push(all[i]!.pub_key);
  }
  return keys;
}

describe('strict Ed25519 keys (spec 5)', () => {
  it('a signature by the identity key (R = identity, S = 0) never verifies, though OpenSSL accepts it', async () => {
    const pem = ed25519Pem(IDENTITY);
    const payload = Buffer.from(JSON.stringify(stmt()));
    const sig = Buffer.from(`${IDENTITY}${'00'.repeat(32)}`, 'hex');
    expect(nodeVerify(null, pae(IN_TOTO, payload), createPublicKey(pem), sig)).toBe(true); // a lax verifier says valid
    const envelope = {
      payloadType: IN_TOTO,
      payload: payload.toString('base64'),
      signatures: [{ keyid: keyidOfPem(pem), sig: sig.toString('base64') }],
    };
    const r = await verifyWith({ 'p.dsse.json': JSON.stringify(envelope), 'p.pub.pem': pem }, []);
    expect(r.signatures.filter((s) => s.math === 'valid')).toEqual([]);
    expect(['tampered', 'malformed']).toContain(r.status);
  });

  it.each(smallOrderKeys())('exhibit trust add refuses the small-order key %s and writes no trust file', async (hex) => {
    const file = `t-${hex.slice(0, 8)}-${n++}.json`;
    const r = await exhibit(work, [
      'trust',
      'add',
      pemFile(`k-${hex.slice(0, 8)}.pem`, ed25519Pem(hex)),
      '--principal',
      'Nobody',
      '--file',
      file,
    ]);
    expect(r.code).not.toBe(0);
    expect(r.err).not.toBe('');
    expect(existsSync(join(work, file))).toBe(false);
  });
});

describe('trust (spec 6)', () => {
  it('a key both expired and outside its roles is role-not-allowed for that signature', async () => {
    const trust = writeTrustFile(join(work, 'roles.json'), [
      { pem: ed.publicPem, roles: ['approver'], validUntil: '2026-01-01T00:00:00Z' },
    ]);
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt({ role: 'producer' }), ed) }, ['--trust', trust]);
    expect(r.signatures[0]?.trust).toBe('role-not-allowed');
    expect(r.status).toBe('untrusted-signer');
  });

  it('a key within its window and outside its roles is role-not-allowed (control)', async () => {
    const trust = writeTrustFile(join(work, 'roles2.json'), [{ pem: ed.publicPem, roles: ['approver'] }]);
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt({ role: 'producer' }), ed) }, ['--trust', trust]);
    expect(r.signatures[0]?.trust).toBe('role-not-allowed');
    expect(r.status).toBe('untrusted-signer');
  });
});

describe('the CLI words role-not-allowed as what it is (issue 15, section 4)', () => {
  it('the headline names the role problem, never advises trusting the key, and says its advice once', async () => {
    const bag = new Map(base);
    bag.set('signatures/p.dsse.json', dsseEnvelope(stmt({ role: 'producer' }), ed));
    const file = join(work, `words${n++}.evb`);
    writeFileSync(file, await zipFixture(bag));
    const trust = writeTrustFile(join(work, 'words.json'), [{ pem: ed.publicPem, roles: ['approver'] }]);
    const r = await exhibit(work, ['verify', file, '--trust', trust, '--at', '2026-11-15T00:00:00Z']);
    expect(r.code).toBe(3);
    const head = r.out.split('bundle id')[0]!;
    expect(head.toLowerCase()).toContain('signed by a trusted key, but as a role that key may not sign');
    expect(head).not.toMatch(/then trust it/);
    const sentences = head
      .split(/(?<=[.!?])\s+/)
      .map((x) => x.trim())
      .filter((x) => x.length > 20);
    expect(sentences.length).toBe(new Set(sentences).size);
  });
});

describe('a travelling key whose keyid differs from the signature keyid (spec 5)', () => {
  it('is not used, and a warning says so', async () => {
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt(), ed, other.keyid), 'p.pub.pem': ed.publicPem }, []);
    expect(r.signatures[0]).toMatchObject({ keySource: 'none', math: 'not-checked' });
    expect(r.status).toBe('untrusted-signer');
    expect(
      r.findings.some((f) => f.severity === 'warning' && ['signatures/p.dsse.json', 'signatures/p.pub.pem'].includes(f.entry ?? '')),
    ).toBe(true);
  });

  it('with the same keyid it is used for the mathematics and never trusted (control)', async () => {
    const r = await verifyWith({ 'p.dsse.json': dsseEnvelope(stmt(), ed), 'p.pub.pem': ed.publicPem }, []);
    expect(r.signatures[0]).toMatchObject({ keySource: 'travelling', math: 'valid', trust: 'unknown-key' });
    expect(r.status).toBe('untrusted-signer');
  });
});
