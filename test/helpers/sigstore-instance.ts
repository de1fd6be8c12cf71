// A Sigstore instance of the test's own: a Fulcio-like CA (root and intermediate), a CT
// log, a Rekor v1-like transparency log, each with keys generated at test time by
// WebCrypto. Certificates are built field by field as Fulcio issues them (empty subject,
// critical SAN, OIDC issuer extension 1.3.6.1.4.1.57264.1.8, GitHub Actions extensions,
// an embedded SCT over the precertificate), log entries as Rekor's dsse v0.0.1 type
// writes them, signed entry timestamps and checkpoints as Rekor signs them. Options break
// one step at a time.

import { tlv } from '../../shared/evb/sigstore/der';
import { base64Encode } from '../../shared/evb/encoding';
import { hexEncode } from '../../shared/platform/hex';
import { pae } from '../../shared/evb/dsse';

const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();

type Pair = { key: CryptoKeyPair; spki: Uint8Array; curve: 'P-256' | 'P-384' };

async function ecKey(curve: 'P-256' | 'P-384' = 'P-256'): Promise<Pair> {
  const key = (await subtle.generateKey({ name: 'ECDSA', namedCurve: curve }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return { key, spki: new Uint8Array(await subtle.exportKey('spki', key.publicKey)), curve };
}

function derInt(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && !(bytes[i + 1]! & 0x80)) i++;
  const v = bytes.subarray(i);
  return tlv(0x02, v[0]! & 0x80 ? Uint8Array.of(0, ...v) : v);
}

/** ECDSA signature, DER-encoded as X.509, CT, Rekor and checkpoints carry it. */
async function ecSign(p: Pair, data: Uint8Array): Promise<Uint8Array> {
  const raw = new Uint8Array(
    await subtle.sign(
      { name: 'ECDSA', hash: p.curve === 'P-384' ? 'SHA-384' : 'SHA-256' },
      p.key.privateKey,
      data as Uint8Array<ArrayBuffer>,
    ),
  );
  const n = raw.length / 2;
  return tlv(0x30, derInt(raw.subarray(0, n)), derInt(raw.subarray(n)));
}

const sha256 = async (...parts: Uint8Array[]) =>
  new Uint8Array(await subtle.digest('SHA-256', Uint8Array.from(parts.flatMap((p) => [...p]))));

function oid(text: string): Uint8Array {
  const [a, b, ...rest] = text.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const bytes = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, Uint8Array.from(out));
}

const utf8 = (s: string) => tlv(0x0c, enc.encode(s));
const printable = (s: string) => tlv(0x13, enc.encode(s));
function name(org: string, cn: string): Uint8Array {
  return tlv(0x30, tlv(0x31, tlv(0x30, oid('2.5.4.10'), printable(org))), tlv(0x31, tlv(0x30, oid('2.5.4.3'), printable(cn))));
}
function utcTime(d: Date): Uint8Array {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14);
  return tlv(0x17, enc.encode(`${s}Z`));
}
function ext(id: string, value: Uint8Array, critical = false): Uint8Array {
  return tlv(0x30, oid(id), ...(critical ? [Uint8Array.of(0x01, 0x01, 0xff)] : []), tlv(0x04, value));
}

interface CertSpec {
  serial: number;
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  spki: Uint8Array;
  extensions: Uint8Array[];
}

function sigAlg(signer: Pair): Uint8Array {
  return tlv(0x30, oid(signer.curve === 'P-384' ? '1.2.840.10045.4.3.3' : '1.2.840.10045.4.3.2'));
}

function tbsOf(c: CertSpec, signer: Pair): Uint8Array {
  return tlv(
    0x30,
    tlv(0xa0, tlv(0x02, Uint8Array.of(2))),
    tlv(0x02, Uint8Array.of(0x10, c.serial & 0xff, (c.serial >> 8) & 0xff)),
    sigAlg(signer),
    c.issuer,
    tlv(0x30, utcTime(c.notBefore), utcTime(c.notAfter)),
    c.subject,
    c.spki,
    ...(c.extensions.length ? [tlv(0xa3, tlv(0x30, ...c.extensions))] : []),
  );
}

async function certificate(c: CertSpec, signer: Pair): Promise<Uint8Array> {
  const tbs = tbsOf(c, signer);
  return tlv(0x30, tbs, sigAlg(signer), tlv(0x03, Uint8Array.of(0), await ecSign(signer, tbs)));
}

const caExtensions = () => [
  ext('2.5.29.19', tlv(0x30, Uint8Array.of(0x01, 0x01, 0xff)), true),
  ext('2.5.29.15', Uint8Array.of(0x03, 0x02, 0x01, 0x06), true),
];

export interface Identity {
  san: string;
  issuer: string;
  repository?: string;
  workflow?: string;
  ref?: string;
}

export const GITHUB_IDENTITY: Identity = {
  san: 'https://github.com/example-org/release/.github/workflows/evidence.yml@refs/heads/main',
  issuer: 'https://token.actions.githubusercontent.com',
  repository: 'https://github.com/example-org/release',
  workflow: 'https://github.com/example-org/release/.github/workflows/evidence.yml@refs/heads/main',
  ref: 'refs/heads/main',
};

function pem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${base64Encode(der)
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** RFC 6962 tree hash and audit path of `index` among `leaves`. */
async function merkle(leaves: Uint8Array[], index: number): Promise<{ root: Uint8Array; path: Uint8Array[] }> {
  const hashLeaf = (l: Uint8Array) => sha256(Uint8Array.of(0), l);
  const node = (a: Uint8Array, b: Uint8Array) => sha256(Uint8Array.of(1), a, b);
  const mth = async (ls: Uint8Array[]): Promise<Uint8Array> => {
    if (ls.length === 1) return hashLeaf(ls[0]!);
    const k = 2 ** Math.floor(Math.log2(ls.length - 1));
    return node(await mth(ls.slice(0, k)), await mth(ls.slice(k)));
  };
  const path = async (m: number, ls: Uint8Array[]): Promise<Uint8Array[]> => {
    if (ls.length === 1) return [];
    const k = 2 ** Math.floor(Math.log2(ls.length - 1));
    return m < k
      ? [...(await path(m, ls.slice(0, k))), await mth(ls.slice(k))]
      : [...(await path(m - k, ls.slice(k))), await mth(ls.slice(0, k))];
  };
  return { root: await mth(leaves), path: await path(index, leaves) };
}

/** What a test may break, one step of spec 5.1 at a time. */
export interface Breakage {
  /** Leaf validity relative to the integrated time (seconds): default -60 .. +540. */
  leafFrom?: number;
  leafUntil?: number;
  /** The leaf is signed by a key that is not the intermediate's (same issuer name). */
  forgedLeafSignature?: boolean;
  /** No SCT; or an SCT signed by a key the CT log does not have; or by a log the root does not know. */
  noSct?: boolean;
  sctWrongKey?: boolean;
  sctUnknownLog?: boolean;
  /** The log entry records another signature. */
  entryOtherSignature?: boolean;
  /** One hash of the inclusion proof has a flipped bit. */
  corruptProof?: boolean;
  /** The checkpoint is signed by a key the trusted root does not know. */
  checkpointUnknownKey?: boolean;
  /** The SET does not verify. */
  badSet?: boolean;
  /** The entry comes from a log the trusted root does not know. */
  unknownLog?: boolean;
  /** The envelope's signature is by another key (and the log records that signature). */
  otherSigningKey?: boolean;
  /** The leaf is issued by a CA the bundle supplies itself, with its own root. */
  ownRoot?: boolean;
  /** Omit the signed entry timestamp (a v0.3 bundle proven by its inclusion proof alone). */
  noSet?: boolean;
}

export interface TestInstance {
  trustedRoot: Record<string, unknown>;
  integratedTime: number;
  /** Makes a Sigstore bundle v0.3 whose content is a DSSE envelope of `payload`. */
  sign(payload: Uint8Array, identity?: Identity, breakage?: Breakage): Promise<Record<string, unknown>>;
}

const LOG_URL = 'https://rekor.test.invalid';
const CT_URL = 'https://ct.test.invalid';
const CA_URI = 'https://fulcio.test.invalid';

/**
 * A new instance; `integratedTime` (seconds) is when its log integrates entries. Longer
 * than one screen: its inner functions (leaf, SCT, log entry) close over the instance's
 * keys and names, which is what makes them one instance.
 */
export async function makeTestInstance(integratedTime = Date.parse('2026-11-01T12:00:00Z') / 1000): Promise<TestInstance> {
  const [rootKey, interKey, ctKey, logKey, otherKey] = await Promise.all([ecKey('P-384'), ecKey('P-384'), ecKey(), ecKey(), ecKey()]);
  const t0 = new Date(Date.parse('2026-01-01T00:00:00Z'));
  const t1 = new Date(Date.parse('2036-01-01T00:00:00Z'));
  const rootName = name('test.invalid', 'test-root');
  const interName = name('test.invalid', 'test-intermediate');
  const rootCert = await certificate(
    { serial: 1, issuer: rootName, subject: rootName, notBefore: t0, notAfter: t1, spki: rootKey.spki, extensions: caExtensions() },
    rootKey,
  );
  const interCert = await certificate(
    { serial: 2, issuer: rootName, subject: interName, notBefore: t0, notAfter: t1, spki: interKey.spki, extensions: caExtensions() },
    rootKey,
  );
  const keyEntry = (url: string, p: Pair) => async () => ({
    baseUrl: url,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: base64Encode(p.spki), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2026-01-01T00:00:00Z' } },
    logId: { keyId: base64Encode(await sha256(p.spki)) },
  });
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [await keyEntry(LOG_URL, logKey)()],
    certificateAuthorities: [
      {
        subject: { organization: 'test.invalid', commonName: 'test-intermediate' },
        uri: CA_URI,
        certChain: { certificates: [{ rawBytes: base64Encode(interCert) }, { rawBytes: base64Encode(rootCert) }] },
        validFor: { start: '2026-01-01T00:00:00Z' },
      },
    ],
    ctlogs: [await keyEntry(CT_URL, ctKey)()],
    timestampAuthorities: [],
  };

  async function leafCert(identity: Identity, leaf: Pair, b: Breakage): Promise<{ leaf: Uint8Array; chain: Uint8Array[] }> {
    let issuerKey = b.forgedLeafSignature ? otherKey : interKey;
    let issuerName = interName;
    let chain: Uint8Array[] = [];
    if (b.ownRoot) {
      const ownRootKey = await ecKey('P-384');
      const ownName = name('attacker.invalid', 'own-root');
      chain = [
        await certificate(
          { serial: 9, issuer: ownName, subject: ownName, notBefore: t0, notAfter: t1, spki: ownRootKey.spki, extensions: caExtensions() },
          ownRootKey,
        ),
      ];
      issuerKey = ownRootKey;
      issuerName = ownName;
    }
    const exts = [
      ext('2.5.29.15', Uint8Array.of(0x03, 0x02, 0x07, 0x80), true),
      ext('2.5.29.37', tlv(0x30, oid('1.3.6.1.5.5.7.3.3'))),
      ext('2.5.29.17', tlv(0x30, tlv(0x86, enc.encode(identity.san))), true),
      ext('1.3.6.1.4.1.57264.1.8', utf8(identity.issuer)),
      ...(identity.repository ? [ext('1.3.6.1.4.1.57264.1.12', utf8(identity.repository))] : []),
      ...(identity.ref ? [ext('1.3.6.1.4.1.57264.1.14', utf8(identity.ref))] : []),
      ...(identity.workflow ? [ext('1.3.6.1.4.1.57264.1.18', utf8(identity.workflow))] : []),
    ];
    const spec: CertSpec = {
      serial: 3,
      issuer: issuerName,
      subject: tlv(0x30),
      notBefore: new Date((integratedTime + (b.leafFrom ?? -60)) * 1000),
      notAfter: new Date((integratedTime + (b.leafUntil ?? 540)) * 1000),
      spki: leaf.spki,
      extensions: exts,
    };
    if (!b.noSct)
      spec.extensions = [...exts, ext('1.3.6.1.4.1.11129.2.4.2', tlv(0x04, await sct(tbsOf(spec, issuerKey), issuerKey.spki, b)))];
    return { leaf: await certificate(spec, issuerKey), chain };
  }

  async function sct(precertTbs: Uint8Array, issuerSpki: Uint8Array, b: Breakage): Promise<Uint8Array> {
    const log = b.sctWrongKey || b.sctUnknownLog ? otherKey : ctKey;
    const logId = await sha256(b.sctUnknownLog ? otherKey.spki : ctKey.spki);
    const ts = BigInt(integratedTime * 1000 - 5000);
    const tsBytes = Uint8Array.from({ length: 8 }, (_, i) => Number((ts >> BigInt(8 * (7 - i))) & 0xffn));
    const len = Uint8Array.of((precertTbs.length >> 16) & 0xff, (precertTbs.length >> 8) & 0xff, precertTbs.length & 0xff);
    const signed = Uint8Array.from([0, 0, ...tsBytes, 0, 1, ...(await sha256(issuerSpki)), ...len, ...precertTbs, 0, 0]);
    const sig = await ecSign(log, signed);
    const body = Uint8Array.from([0, ...logId, ...tsBytes, 0, 0, 4, 3, sig.length >> 8, sig.length & 0xff, ...sig]);
    const list = Uint8Array.from([body.length >> 8, body.length & 0xff, ...body]);
    return Uint8Array.from([list.length >> 8, list.length & 0xff, ...list]);
  }

  async function sign(payload: Uint8Array, identity: Identity = GITHUB_IDENTITY, b: Breakage = {}): Promise<Record<string, unknown>> {
    const leafKey = await ecKey();
    const { leaf, chain } = await leafCert(identity, leafKey, b);
    const payloadType = 'application/vnd.in-toto+json';
    const sig = await ecSign(b.otherSigningKey ? otherKey : leafKey, pae(payloadType, payload));
    const envelope = { payload: base64Encode(payload), payloadType, signatures: [{ sig: base64Encode(sig), keyid: '' }] };
    const recordedSig = b.entryOtherSignature ? await ecSign(leafKey, enc.encode('something else')) : sig;
    const body = enc.encode(
      JSON.stringify({
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: {
          envelopeHash: { algorithm: 'sha256', value: hexEncode(await sha256(enc.encode(JSON.stringify(envelope)))) },
          payloadHash: { algorithm: 'sha256', value: hexEncode(await sha256(payload)) },
          signatures: [{ signature: base64Encode(recordedSig), verifier: base64Encode(enc.encode(pem(leaf))) }],
        },
      }),
    );
    const log = b.unknownLog ? otherKey : logKey;
    const logId = await sha256(log.spki);
    const others = Array.from({ length: 6 }, (_, i) => enc.encode(`{"other":${i}}`));
    const index = 4;
    const leaves = [...others.slice(0, index), body, ...others.slice(index)];
    const { root, path } = await merkle(leaves, index);
    if (b.corruptProof) path[1]![3]! ^= 0x01;
    const note = `rekor.test.invalid - 42\n${leaves.length}\n${base64Encode(root)}\n`;
    const cpKey = b.checkpointUnknownKey ? otherKey : log;
    const cpSig = await ecSign(cpKey, enc.encode(note));
    const hint = (await sha256(cpKey.spki)).subarray(0, 4);
    const checkpoint = `${note}\n\u2014 rekor.test.invalid ${base64Encode(Uint8Array.from([...hint, ...cpSig]))}\n`;
    const logIndex = 1000 + index;
    const setPayload = `{"body":"${base64Encode(body)}","integratedTime":${integratedTime},"logID":"${hexEncode(logId)}","logIndex":${logIndex}}`;
    const set = await ecSign(b.badSet ? otherKey : log, enc.encode(setPayload));
    const entry: Record<string, unknown> = {
      logIndex: String(logIndex),
      logId: { keyId: base64Encode(logId) },
      kindVersion: { kind: 'dsse', version: '0.0.1' },
      integratedTime: String(integratedTime),
      inclusionProof: {
        logIndex: String(index),
        rootHash: base64Encode(root),
        treeSize: String(leaves.length),
        hashes: path.map(base64Encode),
        checkpoint: { envelope: checkpoint },
      },
      canonicalizedBody: base64Encode(body),
    };
    if (!b.noSet) entry.inclusionPromise = { signedEntryTimestamp: base64Encode(set) };
    const material = chain.length
      ? { x509CertificateChain: { certificates: [leaf, ...chain].map((c) => ({ rawBytes: base64Encode(c) })) } }
      : { certificate: { rawBytes: base64Encode(leaf) } };
    return {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { ...material, tlogEntries: [entry] },
      dsseEnvelope: envelope,
    };
  }

  return { trustedRoot, integratedTime, sign };
}
