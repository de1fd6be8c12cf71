// DSSE envelopes, Sigstore bundles with a public-key hint, and in-toto statements
// (spec section 5). Parsing is strict and bounded; the statement is parsed only from the
// exact payload bytes that verified.

import { CodedError, errorMessage } from '../platform/errors';
import { MAX_SIGNATURE_FILE_BYTES } from './limits';
import type { SignatureFindingCode } from './report';
import type { EvbStatement, ParsedSignatureFile } from './crypto-types';
import type { Person } from './report';
import type { SigningKey } from './keys';
import { base64Decode, base64Encode } from './encoding';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
const EVB_PREDICATE_TYPE = 'https://exhibit.dev/evidence-bundle/v1';
const SIGSTORE_MEDIA_TYPES = ['application/vnd.dev.sigstore.bundle.v0.3+json', 'application/vnd.dev.sigstore.bundle+json;version=0.3'];

export class SignatureFormatError extends CodedError<SignatureFindingCode> {
  constructor(
    code: SignatureFindingCode,
    readonly file: string,
    message: string,
  ) {
    super(code, `${file}: ${message}`);
    this.name = 'SignatureFormatError';
  }
}

export class StatementFormatError extends CodedError<SignatureFindingCode> {
  constructor(
    code: SignatureFindingCode,
    readonly field: string,
    message: string,
  ) {
    super(code, message);
    this.name = 'StatementFormatError';
  }
}

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** DSSE v1 pre-authentication encoding. */
export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = encoder.encode(payloadType);
  const head = encoder.encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

/** JSON.parse of untrusted bytes: strict UTF-8, bounded size, and a plain object. */
function parseJsonObject(bytes: Uint8Array, onError: (message: string) => Error): Record<string, unknown> {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw onError('is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw onError(`is not valid JSON (${errorMessage(e).slice(0, 120)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw onError('must be a JSON object');
  return value as Record<string, unknown>;
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseEnvelope(file: string, env: Record<string, unknown>, where: string): Omit<ParsedSignatureFile, 'format' | 'publicKeyHint'> {
  const bad = (code: SignatureFindingCode, message: string) => new SignatureFormatError(code, file, message);
  const payloadType = own(env, 'payloadType');
  if (typeof payloadType !== 'string') throw bad('envelope-field', `${where}"payloadType" must be a string.`);
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE)
    throw bad('envelope-payload-type', `${where}"payloadType" must be "${IN_TOTO_PAYLOAD_TYPE}", not "${payloadType.slice(0, 80)}".`);
  const payloadText = own(env, 'payload');
  if (typeof payloadText !== 'string' || payloadText.length === 0)
    throw bad('envelope-field', `${where}"payload" must be a non-empty base64 string.`);
  let payload: Uint8Array;
  try {
    payload = base64Decode(payloadText);
  } catch (e) {
    throw bad('envelope-base64', `${where}"payload" is ${errorMessage(e)}.`);
  }
  const signatures = own(env, 'signatures');
  if (!Array.isArray(signatures)) throw bad('envelope-field', `${where}"signatures" must be an array.`);
  if (signatures.length !== 1)
    throw bad('envelope-signature-count', `${where}"signatures" must hold exactly one signature, found ${signatures.length}.`);
  const sigEntry = signatures[0];
  if (!isObject(sigEntry)) throw bad('envelope-field', `${where}"signatures"[0] must be an object.`);
  // DSSE's keyid is optional (spec 5): absent or "" is no hint, and becomes "".
  const keyid = own(sigEntry, 'keyid') ?? '';
  if (typeof keyid !== 'string' || keyid.length > 512)
    throw bad('envelope-field', `${where}"signatures"[0].keyid must be a string (at most 512 characters) when present.`);
  const sigText = own(sigEntry, 'sig');
  if (typeof sigText !== 'string' || sigText.length === 0)
    throw bad('envelope-field', `${where}"signatures"[0].sig must be a non-empty base64 string.`);
  let sig: Uint8Array;
  try {
    sig = base64Decode(sigText);
  } catch (e) {
    throw bad('envelope-base64', `${where}"signatures"[0].sig is ${errorMessage(e)}.`);
  }
  return { payloadType, payload, keyid, sig };
}

/** Parses `*.dsse.json` (a DSSE envelope) or `*.sigstore.json` (a Sigstore bundle v0.3 with a public-key hint). */
export function parseSignatureFile(fileName: string, bytes: Uint8Array): ParsedSignatureFile {
  if (bytes.length > MAX_SIGNATURE_FILE_BYTES)
    throw new SignatureFormatError(
      'signature-too-large',
      fileName,
      `is ${bytes.length} bytes, more than the ${MAX_SIGNATURE_FILE_BYTES} a signature file may hold.`,
    );
  const json = parseJsonObject(bytes, (m) => new SignatureFormatError('signature-not-json', fileName, m));
  if (fileName.endsWith('.dsse.json')) {
    return { format: 'dsse', publicKeyHint: null, ...parseEnvelope(fileName, json, '') };
  }
  if (!fileName.endsWith('.sigstore.json'))
    throw new SignatureFormatError('signature-unknown-kind', fileName, 'is neither a .dsse.json nor a .sigstore.json file.');
  const mediaType = own(json, 'mediaType');
  if (typeof mediaType !== 'string' || !SIGSTORE_MEDIA_TYPES.includes(mediaType)) {
    throw new SignatureFormatError('sigstore-media-type', fileName, `"mediaType" must be "${SIGSTORE_MEDIA_TYPES[0]}".`);
  }
  const material = own(json, 'verificationMaterial');
  if (!isObject(material)) throw new SignatureFormatError('sigstore-field', fileName, '"verificationMaterial" must be an object.');
  if (own(material, 'certificate') !== undefined || own(material, 'x509CertificateChain') !== undefined) {
    throw new SignatureFormatError(
      'sigstore-certificate',
      fileName,
      'certificate-based verification material is not supported; use a publicKey hint.',
    );
  }
  const publicKey = own(material, 'publicKey');
  const hint = isObject(publicKey) ? own(publicKey, 'hint') : undefined;
  if (typeof hint !== 'string' || hint.length === 0)
    throw new SignatureFormatError('sigstore-field', fileName, '"verificationMaterial.publicKey.hint" must be a non-empty string.');
  const envelope = own(json, 'dsseEnvelope');
  if (!isObject(envelope)) throw new SignatureFormatError('sigstore-field', fileName, 'the bundle must carry a "dsseEnvelope".');
  return { format: 'sigstore', publicKeyHint: hint, ...parseEnvelope(fileName, envelope, 'dsseEnvelope.') };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses the exact verified payload bytes as an in-toto Statement v1 with the EVB predicate. */
export function parseStatement(payload: Uint8Array): EvbStatement {
  const bad = (field: string, message: string) =>
    new StatementFormatError('statement-invalid', field, `The signed statement's ${field} ${message}`);
  const st = parseJsonObject(payload, (m) => new StatementFormatError('statement-not-json', '', `The signed statement ${m}.`));
  if (own(st, '_type') !== STATEMENT_TYPE) throw bad('_type', `must be "${STATEMENT_TYPE}".`);
  const subject = own(st, 'subject');
  // Spec 5: exactly one subject, the tag manifest; anything else is not an EVB signature.
  if (!Array.isArray(subject) || subject.length !== 1)
    throw bad(
      'subject',
      `must hold exactly one entry, tagmanifest-sha256.txt${Array.isArray(subject) ? `; it holds ${subject.length}` : ''}.`,
    );
  subject.forEach((s, i) => {
    if (!isObject(s) || typeof own(s, 'name') !== 'string') throw bad(`subject[${i}].name`, 'must be a string.');
    const digest = own(s, 'digest');
    if (!isObject(digest)) throw bad(`subject[${i}].digest`, 'must be an object.');
    const sha = own(digest, 'sha256');
    if (sha !== undefined && (typeof sha !== 'string' || !/^[0-9a-f]{64}$/.test(sha)))
      throw bad(`subject[${i}].digest.sha256`, 'must be 64 lowercase hex digits.');
  });
  if (own(subject[0] as Record<string, unknown>, 'name') !== 'tagmanifest-sha256.txt')
    throw bad('subject[0].name', 'must be "tagmanifest-sha256.txt".');
  if (own(st, 'predicateType') !== EVB_PREDICATE_TYPE) throw bad('predicateType', `must be "${EVB_PREDICATE_TYPE}".`);
  const p = own(st, 'predicate');
  if (!isObject(p)) throw bad('predicate', 'must be an object.');
  if (typeof own(p, 'bundle_id') !== 'string') throw bad('predicate.bundle_id', 'must be a string.');
  const role = own(p, 'role');
  if (typeof role !== 'string' || role.length === 0 || role.length > 128) throw bad('predicate.role', 'must be a non-empty string.');
  const signer = own(p, 'signer');
  if (!isObject(signer) || typeof own(signer, 'name') !== 'string') throw bad('predicate.signer.name', 'must be a string.');
  const email = own(signer, 'email');
  if (email !== undefined && email !== null && typeof email !== 'string') throw bad('predicate.signer.email', 'must be a string or null.');
  const signedAt = own(p, 'signed_at');
  if (typeof signedAt !== 'string' || !RFC3339.test(signedAt)) throw bad('predicate.signed_at', 'must be an RFC 3339 time.');
  const comment = own(p, 'comment');
  if (comment !== undefined && comment !== null && typeof comment !== 'string') throw bad('predicate.comment', 'must be a string or null.');
  const statement = st as unknown as EvbStatement;
  statement.predicate.signer = { name: own(signer, 'name') as string, email: (email as string | null | undefined) ?? null };
  statement.predicate.comment = (comment as string | null | undefined) ?? null;
  return statement;
}

export function makeStatement(args: {
  bundleId: string;
  tagmanifestSha256: string;
  role: string;
  signer: Person;
  signedAt: string;
  comment?: string | null;
}): EvbStatement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: 'tagmanifest-sha256.txt', digest: { sha256: args.tagmanifestSha256 } }],
    predicateType: EVB_PREDICATE_TYPE,
    predicate: {
      bundle_id: args.bundleId,
      role: args.role,
      signer: args.signer,
      signed_at: args.signedAt,
      comment: args.comment ?? null,
    },
  };
}

/** Signs a statement into a DSSE envelope (pretty JSON bytes). */
export async function signEnvelope(statement: EvbStatement, key: SigningKey): Promise<{ envelope: Uint8Array; keyid: string }> {
  const payload = encoder.encode(JSON.stringify(statement));
  const sig = await key.sign(pae(IN_TOTO_PAYLOAD_TYPE, payload));
  const envelope = {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: base64Encode(payload),
    signatures: [{ keyid: key.publicKey.keyid, sig: base64Encode(sig) }],
  };
  return { envelope: encoder.encode(`${JSON.stringify(envelope, null, 2)}\n`), keyid: key.publicKey.keyid };
}

/** Wraps a DSSE envelope into a Sigstore bundle v0.3 with a public-key hint. */
export function makeSigstoreBundle(envelopeJson: Uint8Array, hint: string): Uint8Array {
  const envelope = JSON.parse(new TextDecoder().decode(envelopeJson)) as Record<string, unknown>;
  const bundle = {
    mediaType: SIGSTORE_MEDIA_TYPES[0],
    verificationMaterial: { publicKey: { hint }, tlogEntries: [] },
    dsseEnvelope: envelope,
  };
  return encoder.encode(`${JSON.stringify(bundle, null, 2)}\n`);
}
