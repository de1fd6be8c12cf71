// Sigstore bundles (protobuf-specs dev.sigstore.bundle.v1, JSON): media types v0.1, v0.2
// and v0.3, verification material (public-key hint, certificate, certificate chain),
// transparency-log entries, RFC 3161 timestamps, and the content (DSSE envelope or
// message signature). Parsing only: nothing here is trusted yet.

import { base64Decode } from '../encoding';

export class BundleFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleFormatError';
  }
}

const BUNDLE_MEDIA_TYPES: Record<string, '0.1' | '0.2' | '0.3'> = {
  'application/vnd.dev.sigstore.bundle+json;version=0.1': '0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2': '0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3': '0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json': '0.3',
};

export interface InclusionProof {
  logIndex: bigint;
  rootHash: Uint8Array;
  treeSize: bigint;
  hashes: Uint8Array[];
  /** The signed checkpoint; null when absent (then the proof proves nothing). */
  checkpoint: string | null;
}

export interface TlogEntry {
  logIndex: bigint;
  logId: Uint8Array;
  kind: string;
  version: string;
  /** Seconds since the epoch; null when absent or 0 (Rekor v2). */
  integratedTime: number | null;
  signedEntryTimestamp: Uint8Array | null;
  inclusionProof: InclusionProof | null;
  canonicalizedBody: Uint8Array;
}

export interface DsseContent {
  kind: 'dsse';
  payloadType: string;
  payload: Uint8Array;
  /** Exactly one signature. */
  keyid: string;
  sig: Uint8Array;
}

export interface MessageContent {
  kind: 'message';
  digestAlgorithm: string;
  digest: Uint8Array;
  signature: Uint8Array;
}

export interface ParsedBundle {
  version: '0.1' | '0.2' | '0.3';
  material: { kind: 'public-key'; hint: string } | { kind: 'certificate'; chain: Uint8Array[] };
  tlogEntries: TlogEntry[];
  timestamps: Uint8Array[];
  content: DsseContent | MessageContent;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Base64 as protobuf JSON writers produce it; line breaks (as `base64` emits) are ignored. */
function b64(v: unknown, where: string): Uint8Array {
  if (typeof v !== 'string') throw new BundleFormatError(`${where} must be a base64 string`);
  try {
    return base64Decode(v.replace(/\r?\n/g, ''));
  } catch (e) {
    throw new BundleFormatError(`${where} is ${(e as Error).message}`);
  }
}

function int(v: unknown, where: string, optional = false): bigint | null {
  if (v === undefined && optional) return null;
  if ((typeof v !== 'string' && typeof v !== 'number') || !/^\d{1,19}$/.test(String(v)))
    throw new BundleFormatError(`${where} must be a non-negative integer`);
  return BigInt(v);
}

function parseProof(v: unknown, where: string): InclusionProof {
  if (!isObject(v)) throw new BundleFormatError(`${where} must be an object`);
  const hashes = v.hashes ?? [];
  if (!Array.isArray(hashes) || hashes.length > 64) throw new BundleFormatError(`${where}.hashes must be an array of at most 64 hashes`);
  const cp = v.checkpoint;
  if (cp !== undefined && (!isObject(cp) || typeof cp.envelope !== 'string'))
    throw new BundleFormatError(`${where}.checkpoint.envelope must be a string`);
  return {
    logIndex: int(v.logIndex, `${where}.logIndex`)!,
    rootHash: b64(v.rootHash, `${where}.rootHash`),
    treeSize: int(v.treeSize, `${where}.treeSize`)!,
    hashes: hashes.map((h, i) => b64(h, `${where}.hashes[${i}]`)),
    checkpoint: cp === undefined ? null : (cp as { envelope: string }).envelope,
  };
}

function parseEntry(v: unknown, where: string): TlogEntry {
  if (!isObject(v) || !isObject(v.logId) || !isObject(v.kindVersion))
    throw new BundleFormatError(`${where} must have logId and kindVersion`);
  const { kind, version } = v.kindVersion;
  if (typeof kind !== 'string' || typeof version !== 'string')
    throw new BundleFormatError(`${where}.kindVersion must name kind and version`);
  const promise = v.inclusionPromise;
  const time = int(v.integratedTime, `${where}.integratedTime`, true);
  return {
    logIndex: int(v.logIndex, `${where}.logIndex`)!,
    logId: b64(v.logId.keyId, `${where}.logId.keyId`),
    kind,
    version,
    integratedTime: time === null || time === 0n ? null : Number(time),
    signedEntryTimestamp: isObject(promise) ? b64(promise.signedEntryTimestamp, `${where}.inclusionPromise.signedEntryTimestamp`) : null,
    inclusionProof: v.inclusionProof === undefined ? null : parseProof(v.inclusionProof, `${where}.inclusionProof`),
    canonicalizedBody: b64(v.canonicalizedBody, `${where}.canonicalizedBody`),
  };
}

function parseMaterial(m: Record<string, unknown>): ParsedBundle['material'] {
  if (isObject(m.publicKey)) {
    if (typeof m.publicKey.hint !== 'string') throw new BundleFormatError('verificationMaterial.publicKey.hint must be a string');
    return { kind: 'public-key', hint: m.publicKey.hint };
  }
  if (isObject(m.certificate))
    return { kind: 'certificate', chain: [b64(m.certificate.rawBytes, 'verificationMaterial.certificate.rawBytes')] };
  if (isObject(m.x509CertificateChain)) {
    const certs = m.x509CertificateChain.certificates;
    if (!Array.isArray(certs) || certs.length === 0)
      throw new BundleFormatError('verificationMaterial.x509CertificateChain.certificates must hold at least one certificate');
    return {
      kind: 'certificate',
      chain: certs.map((c, i) => b64(isObject(c) ? c.rawBytes : undefined, `x509CertificateChain.certificates[${i}].rawBytes`)),
    };
  }
  throw new BundleFormatError('verificationMaterial must hold a publicKey, certificate or x509CertificateChain');
}

function parseContent(json: Record<string, unknown>): ParsedBundle['content'] {
  const env = json.dsseEnvelope;
  const msg = json.messageSignature;
  if (isObject(env) === isObject(msg)) throw new BundleFormatError('a bundle must hold exactly one of dsseEnvelope and messageSignature');
  if (isObject(env)) {
    if (typeof env.payloadType !== 'string') throw new BundleFormatError('dsseEnvelope.payloadType must be a string');
    const sigs = env.signatures;
    if (!Array.isArray(sigs) || sigs.length !== 1 || !isObject(sigs[0]))
      throw new BundleFormatError('dsseEnvelope.signatures must hold exactly one signature');
    const keyid = sigs[0].keyid ?? '';
    if (typeof keyid !== 'string') throw new BundleFormatError('dsseEnvelope.signatures[0].keyid must be a string');
    return {
      kind: 'dsse',
      payloadType: env.payloadType,
      payload: b64(env.payload, 'dsseEnvelope.payload'),
      keyid,
      sig: b64(sigs[0].sig, 'dsseEnvelope.signatures[0].sig'),
    };
  }
  const m = msg as Record<string, unknown>;
  const d = m.messageDigest;
  if (!isObject(d) || typeof d.algorithm !== 'string')
    throw new BundleFormatError('messageSignature.messageDigest must name its algorithm');
  return {
    kind: 'message',
    digestAlgorithm: d.algorithm,
    digest: b64(d.digest, 'messageSignature.messageDigest.digest'),
    signature: b64(m.signature, 'messageSignature.signature'),
  };
}

/** Parses a Sigstore bundle JSON value. Throws BundleFormatError saying what is wrong. */
export function parseSigstoreBundle(json: unknown): ParsedBundle {
  if (!isObject(json)) throw new BundleFormatError('a Sigstore bundle must be a JSON object');
  const version = typeof json.mediaType === 'string' ? BUNDLE_MEDIA_TYPES[json.mediaType] : undefined;
  if (!version)
    throw new BundleFormatError(`"mediaType" ${JSON.stringify(json.mediaType)?.slice(0, 80)} is not a Sigstore bundle v0.1, v0.2 or v0.3`);
  const m = json.verificationMaterial;
  if (!isObject(m)) throw new BundleFormatError('"verificationMaterial" must be an object');
  const entries = m.tlogEntries ?? [];
  if (!Array.isArray(entries) || entries.length > 16)
    throw new BundleFormatError('verificationMaterial.tlogEntries must be an array of at most 16 entries');
  const tsData = isObject(m.timestampVerificationData) ? (m.timestampVerificationData.rfc3161Timestamps ?? []) : [];
  if (!Array.isArray(tsData) || tsData.length > 16) throw new BundleFormatError('rfc3161Timestamps must be an array of at most 16');
  const bundle: ParsedBundle = {
    version,
    material: parseMaterial(m),
    tlogEntries: entries.map((e, i) => parseEntry(e, `tlogEntries[${i}]`)),
    timestamps: tsData.map((t, i) => b64(isObject(t) ? t.signedTimestamp : undefined, `rfc3161Timestamps[${i}].signedTimestamp`)),
    content: parseContent(json),
  };
  if (version === '0.1' && bundle.tlogEntries.some((e) => !e.signedEntryTimestamp))
    throw new BundleFormatError('a v0.1 bundle needs an inclusion promise on every log entry');
  if (version !== '0.1' && bundle.tlogEntries.some((e) => !e.inclusionProof))
    throw new BundleFormatError(`a v${version} bundle needs an inclusion proof on every log entry`);
  return bundle;
}

/** Whether a parsed bundle JSON carries certificate material (keyless, spec 5.1). */
export function hasCertificateMaterial(json: unknown): boolean {
  if (!isObject(json) || !isObject(json.verificationMaterial)) return false;
  const m = json.verificationMaterial;
  return m.certificate !== undefined || m.x509CertificateChain !== undefined;
}
