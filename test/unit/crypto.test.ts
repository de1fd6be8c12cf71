// Signatures, keys, DSSE and trust (spec sections 5 and 6), against public vectors:
// Wycheproof Ed25519 and ECDSA P-256 (DER and raw), ed25519-speccheck, the DSSE vector.
import { existsSync, readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  derToP1363,
  generateEd25519KeyPair,
  generateP256KeyPair,
  importSigningKey,
  parsePublicKey,
  publicKeyFromSpki,
  verifySignature,
} from '../../shared/evb/keys';
import { makeSigstoreBundle, makeStatement, pae, parseSignatureFile, parseStatement, signEnvelope } from '../../shared/evb/dsse';
import {
  addTrustedKey,
  emptyTrustStore,
  evaluateTrust,
  parseTrustStore,
  revokeTrustedKey,
  serializeTrustStore,
} from '../../shared/evb/trust';
import { base64Decode } from '../../shared/evb/encoding';
import type { TrustEntry } from '../../shared/evb/crypto-types';

const CORPORA = join(__dirname, '../../../shared/corpora');
const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const enc = new TextEncoder();

interface WycheproofGroup {
  publicKeyDer: string;
  tests: Array<{ tcId: number; msg: string; sig: string; result: 'valid' | 'invalid' | 'acceptable'; flags: string[]; comment: string }>;
}

function load(file: string): WycheproofGroup[] {
  return JSON.parse(readFileSync(join(CORPORA, 'wycheproof', file), 'utf8')).testGroups;
}

describe.skipIf(!existsSync(CORPORA))('Wycheproof vectors', () => {
  for (const [file, label] of [
    ['ed25519_test.json', 'Ed25519'],
    ['ecdsa_secp256r1_sha256_test.json', 'ECDSA P-256, DER signatures'],
    ['ecdsa_secp256r1_sha256_p1363_test.json', 'ECDSA P-256, raw r||s signatures'],
  ] as const) {
    it(`${label}: every valid vector verifies and every invalid one does not`, async () => {
      let checked = 0;
      const wrong: string[] = [];
      for (const group of load(file)) {
        let key;
        try {
          key = await publicKeyFromSpki(hex(group.publicKeyDer));
        } catch {
          // A key our strict parser refuses can verify nothing; all its vectors must be invalid.
          for (const t of group.tests) if (t.result === 'valid') wrong.push(`tc${t.tcId}: key refused`);
          continue;
        }
        for (const t of group.tests) {
          const ok = await verifySignature(key, hex(t.msg), hex(t.sig));
          checked += 1;
          if (t.result === 'valid' && !ok) wrong.push(`tc${t.tcId} valid but refused (${t.comment})`);
          if (t.result === 'invalid' && ok) wrong.push(`tc${t.tcId} invalid but accepted (${t.comment})`);
        }
      }
      expect(wrong).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    }, 120_000);
  }

  it('"acceptable" P-256 DER vectors (BER encodings) are refused: only strict DER is accepted', async () => {
    const acceptable = load('ecdsa_secp256r1_sha256_test.json').flatMap((g) =>
      g.tests.filter((t) => t.result === 'acceptable').map((t) => ({ g, t })),
    );
    for (const { g, t } of acceptable) {
      const key = await publicKeyFromSpki(hex(g.publicKeyDer));
      expect(await verifySignature(key, hex(t.msg), hex(t.sig)), `tc${t.tcId}`).toBe(false);
    }
  });
});

describe.skipIf(!existsSync(CORPORA))('ed25519-speccheck: the libsodium policy, the same on every host', () => {
  it('each of the 12 cases gives the answer of the LibSodium column', async () => {
    const cases = JSON.parse(readFileSync(join(CORPORA, 'ed25519-speccheck/cases.json'), 'utf8')) as Array<{
      message: string;
      pub_key: string;
      signature: string;
    }>;
    const row = readFileSync(join(CORPORA, 'ed25519-speccheck/results.md'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('|LibSodium'))!;
    const expected = row
      .split('|')
      .slice(2, 14)
      .map((c) => c.trim() === 'V');
    expect(expected).toHaveLength(12);
    const got: boolean[] = [];
    for (const c of cases) {
      const spki = Uint8Array.from([...hex('302a300506032b6570032100'), ...hex(c.pub_key)]);
      let ok = false;
      try {
        ok = await verifySignature(await publicKeyFromSpki(spki), hex(c.message), hex(c.signature));
      } catch {
        ok = false;
      }
      got.push(ok);
    }
    expect(got).toEqual(expected);
  });
});

describe.skipIf(!existsSync(CORPORA))('DSSE', () => {
  it('PAE matches the protocol document, and its P-256 signature verifies', async () => {
    const body = enc.encode('hello world');
    expect(new TextDecoder().decode(pae('http://example.com/HelloWorld', body))).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
    const doc = readFileSync(join(CORPORA, 'dsse/protocol.md'), 'utf8');
    const x = BigInt(/X: (\d+)/.exec(doc)![1]!);
    const y = BigInt(/Y: (\d+)/.exec(doc)![1]!);
    const sig = /"sig": "([^"]+)"/.exec(doc)![1]!;
    const point = hex(`04${x.toString(16).padStart(64, '0')}${y.toString(16).padStart(64, '0')}`);
    const key = await publicKeyFromSpki(Uint8Array.from([...hex('3059301306072a8648ce3d020106082a8648ce3d030107034200'), ...point]));
    expect(await verifySignature(key, pae('http://example.com/HelloWorld', body), base64Decode(sig))).toBe(true);
    expect(await verifySignature(key, pae('http://example.com/HelloWorld', enc.encode('hello World')), base64Decode(sig))).toBe(false);
  });

  it('PAE counts bytes, not characters', () => {
    expect(new TextDecoder().decode(pae('t', enc.encode('é')))).toBe('DSSEv1 1 t 2 é');
  });
});

describe('keys', () => {
  it('an OpenSSH line and its PEM give the same keyid, for Ed25519 and P-256', async () => {
    for (const type of ['ed25519', 'ec'] as const) {
      const { publicKey } = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const jwk = publicKey.export({ format: 'jwk' });
      const sshString = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
      const blob =
        type === 'ed25519'
          ? Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(Buffer.from(jwk.x!, 'base64url'))])
          : Buffer.concat([
              sshString(Buffer.from('ecdsa-sha2-nistp256')),
              sshString(Buffer.from('nistp256')),
              sshString(Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')])),
            ]);
      const line = `${type === 'ed25519' ? 'ssh-ed25519' : 'ecdsa-sha2-nistp256'} ${blob.toString('base64')} someone@laptop`;
      const a = await parsePublicKey(pem);
      const b = await parsePublicKey(line);
      expect(b.keyid).toBe(a.keyid);
      expect(b.algorithm).toBe(type === 'ed25519' ? 'ed25519' : 'ecdsa-p256-sha256');
      expect(a.keyid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    }
  });

  it('refuses what is not an Ed25519 or P-256 public key, saying what it is', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const priv = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(parsePublicKey(rsa)).rejects.toMatchObject({ code: 'key-unsupported-algorithm', message: expect.stringContaining('RSA') });
    await expect(parsePublicKey(p384)).rejects.toMatchObject({
      code: 'key-unsupported-algorithm',
      message: expect.stringContaining('P-384'),
    });
    await expect(parsePublicKey(priv)).rejects.toMatchObject({ code: 'key-not-public' });
    await expect(parsePublicKey('hello')).rejects.toMatchObject({ code: 'key-not-pem' });
    await expect(parsePublicKey(`${rsa}\n${rsa}`)).rejects.toMatchObject({ code: 'key-several-blocks' });
    await expect(parsePublicKey('ssh-rsa AAAAB3NzaC1yc2E= x')).rejects.toMatchObject({ code: 'key-unsupported-algorithm' });
    await expect(parsePublicKey('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== x')).rejects.toMatchObject({ code: 'key-bad-openssh' });
  });

  it('signing keys round trip for both algorithms; P-256 signs strict DER', async () => {
    for (const pair of [await generateEd25519KeyPair(), await generateP256KeyPair()]) {
      const key = await importSigningKey(pair.privatePem);
      expect(key.publicKey.keyid).toBe(pair.keyid);
      const sig = await key.sign(enc.encode('data'));
      expect(await verifySignature(key.publicKey, enc.encode('data'), sig)).toBe(true);
      expect(await verifySignature(key.publicKey, enc.encode('Data'), sig)).toBe(false);
      if (key.algorithm !== 'ed25519') expect(derToP1363(sig)).not.toBeNull();
    }
  });

  it('strict DER: long-form lengths, leading zeros, negative integers and trailing bytes are refused', () => {
    const r = '01'.repeat(32);
    const good = hex(`3044022001${r.slice(2)}0220${r}`);
    expect(derToP1363(good)).not.toBeNull();
    expect(derToP1363(hex(`308144022001${r.slice(2)}0220${r}`))).toBeNull(); // long-form length
    expect(derToP1363(hex(`304502210001${r.slice(2)}0220${r}`))).toBeNull(); // non-minimal zero
    expect(derToP1363(hex(`3044022081${r.slice(2)}0220${r}`))).toBeNull(); // negative
    expect(derToP1363(hex(`3046022001${r.slice(2)}0220${r}0000`))).toBeNull(); // trailing bytes
  });
});

describe('signature files', () => {
  const statement = makeStatement({
    bundleId: 'b1',
    tagmanifestSha256: 'a'.repeat(64),
    role: 'approver',
    signer: { name: 'Ann', email: null },
    signedAt: '2026-11-01T10:00:00Z',
  });

  it('a DSSE envelope and a Sigstore bundle with a key hint parse to the same payload', async () => {
    const key = await importSigningKey((await generateEd25519KeyPair()).privatePem);
    const { envelope } = await signEnvelope(statement, key);
    const dsse = parseSignatureFile('signatures/a.dsse.json', envelope);
    const sigstore = parseSignatureFile('signatures/a.sigstore.json', makeSigstoreBundle(envelope, key.publicKey.keyid));
    expect(sigstore.payload).toEqual(dsse.payload);
    expect(sigstore.publicKeyHint).toBe(key.publicKey.keyid);
    expect(await verifySignature(key.publicKey, pae(dsse.payloadType, dsse.payload), dsse.sig)).toBe(true);
    expect(parseStatement(dsse.payload).predicate.role).toBe('approver');
  });

  const broken: Array<[string, unknown, string]> = [
    ['not JSON', '{', 'signature-not-json'],
    [
      'two signatures',
      {
        payloadType: 'application/vnd.in-toto+json',
        payload: 'e30=',
        signatures: [
          { keyid: 'k', sig: 'AA==' },
          { keyid: 'k', sig: 'AA==' },
        ],
      },
      'envelope-signature-count',
    ],
    [
      'another payload type',
      { payloadType: 'text/plain', payload: 'e30=', signatures: [{ keyid: 'k', sig: 'AA==' }] },
      'envelope-payload-type',
    ],
    [
      'bad base64',
      { payloadType: 'application/vnd.in-toto+json', payload: 'e30=!', signatures: [{ keyid: 'k', sig: 'AA==' }] },
      'envelope-base64',
    ],
    ['no keyid', { payloadType: 'application/vnd.in-toto+json', payload: 'e30=', signatures: [{ sig: 'AA==' }] }, 'envelope-field'],
  ];
  it.each(broken)('refuses an envelope with %s, naming the field', (_what, value, code) => {
    const bytes = enc.encode(typeof value === 'string' ? value : JSON.stringify(value));
    expect(() => parseSignatureFile('signatures/x.dsse.json', bytes)).toThrowError(
      expect.objectContaining({ code, file: 'signatures/x.dsse.json' }),
    );
  });

  it('refuses a Sigstore bundle with certificate material or no hint', () => {
    const env = { payloadType: 'application/vnd.in-toto+json', payload: 'e30=', signatures: [{ keyid: 'k', sig: 'AA==' }] };
    const mt = 'application/vnd.dev.sigstore.bundle.v0.3+json';
    expect(() =>
      parseSignatureFile(
        's/x.sigstore.json',
        enc.encode(JSON.stringify({ mediaType: mt, verificationMaterial: { certificate: { rawBytes: 'AA==' } }, dsseEnvelope: env })),
      ),
    ).toThrowError(expect.objectContaining({ code: 'sigstore-certificate' }));
    expect(() =>
      parseSignatureFile('s/x.sigstore.json', enc.encode(JSON.stringify({ mediaType: mt, verificationMaterial: {}, dsseEnvelope: env }))),
    ).toThrowError(expect.objectContaining({ code: 'sigstore-field' }));
  });

  it('refuses statements that are not EVB in-toto statements, naming the field', () => {
    type Edited = {
      _type: string;
      predicateType: string;
      subject: Array<{ digest: Record<string, string> }>;
      predicate: Record<string, unknown>;
    };
    const bad = (patch: (s: Edited) => void) => {
      const s = JSON.parse(JSON.stringify(statement));
      patch(s);
      return () => parseStatement(enc.encode(JSON.stringify(s)));
    };
    expect(bad((s) => (s._type = 'x'))).toThrowError(expect.objectContaining({ field: '_type' }));
    expect(bad((s) => (s.predicateType = 'x'))).toThrowError(expect.objectContaining({ field: 'predicateType' }));
    expect(bad((s) => (s.predicate.signed_at = 'yesterday'))).toThrowError(expect.objectContaining({ field: 'predicate.signed_at' }));
    expect(bad((s) => (s.subject = []))).toThrowError(expect.objectContaining({ field: 'subject' }));
    expect(bad((s) => (s.subject[0]!.digest.sha256 = 'ABC'))).toThrowError(expect.objectContaining({ field: 'subject[0].digest.sha256' }));
  });

  it('base64 decoding is strict but accepts both alphabets', () => {
    expect(base64Decode('-_8=')).toEqual(Uint8Array.from([0xfb, 0xff]));
    expect(base64Decode('+/8=')).toEqual(Uint8Array.from([0xfb, 0xff]));
    expect(base64Decode('+/8')).toEqual(Uint8Array.from([0xfb, 0xff]));
    expect(() => base64Decode('+/9=')).toThrow(); // stray bits
    expect(() => base64Decode('+_8=')).toThrow(); // mixed alphabets
    expect(() => base64Decode('a b=')).toThrow();
  });
});

describe('trust store (spec section 6)', () => {
  const entry = (over: Partial<TrustEntry> = {}): TrustEntry => ({
    keyid: 'k',
    public_key: '',
    principal: 'Ann',
    roles: [],
    valid_from: null,
    valid_until: null,
    revoked_at: null,
    revocation_reason: null,
    ...over,
  });
  const at = new Date('2026-06-01T00:00:00Z');

  it('evaluates each branch: revoked, not yet valid, expired, role not allowed, trusted', () => {
    expect(evaluateTrust(entry({ revoked_at: '2026-05-01T00:00:00Z', revocation_reason: 'stolen' }), 'a', at)).toEqual({
      trust: 'revoked-key',
      detail: expect.stringContaining('stolen'),
    });
    expect(evaluateTrust(entry({ revoked_at: '2026-07-01T00:00:00Z' }), 'a', at).trust).toBe('trusted');
    expect(evaluateTrust(entry({ valid_from: '2026-07-01T00:00:00Z' }), 'a', at).trust).toBe('expired-key');
    expect(evaluateTrust(entry({ valid_until: '2026-05-31T23:59:59Z' }), 'a', at).trust).toBe('expired-key');
    expect(evaluateTrust(entry({ valid_until: '2026-06-01T00:00:00Z' }), 'a', at).trust).toBe('trusted');
    expect(evaluateTrust(entry({ roles: ['approver'] }), 'producer', at).trust).toBe('role-not-allowed');
    expect(evaluateTrust(entry({ roles: ['approver'] }), 'approver', at).trust).toBe('trusted');
    // Revocation is checked before the window and the role.
    expect(
      evaluateTrust(entry({ revoked_at: '2026-01-01T00:00:00Z', valid_until: '2026-02-01T00:00:00Z', roles: ['x'] }), 'y', at).trust,
    ).toBe('revoked-key');
  });

  it('round trips a trust file, and refuses a bad one with the key index and field', async () => {
    const key = await parsePublicKey((await generateEd25519KeyPair()).publicPem);
    const store = revokeTrustedKey(
      addTrustedKey(emptyTrustStore(), key, { principal: 'Ann', roles: ['approver'], validUntil: '2027-01-01T00:00:00Z' }),
      key.keyid,
      '2026-03-01T00:00:00Z',
      'rotated',
    );
    const text = serializeTrustStore(store);
    expect(await parseTrustStore(text, 't.json')).toEqual(store);
    const json = JSON.parse(text);
    json.keys[0].valid_until = 'next year';
    await expect(parseTrustStore(JSON.stringify(json), 't.json')).rejects.toMatchObject({
      field: 'keys[0].valid_until',
      message: expect.stringContaining('t.json'),
    });
    json.keys[0].valid_until = null;
    json.keys[0].keyid = 'forged';
    await expect(parseTrustStore(JSON.stringify(json), 't.json')).rejects.toMatchObject({ code: 'trust-keyid-mismatch' });
    await expect(parseTrustStore('[]', 't.json')).rejects.toMatchObject({ code: 'trust-shape' });
  });
});
