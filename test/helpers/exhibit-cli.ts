// `exhibit verify` as the CLI runs it (cli/main, in-process, with a captured CliIo), and what
// the issue-15 tests need around it: keys, DSSE envelopes and trust files made with Node's
// crypto (OpenSSL) the way any producer would, not with the project's own signer.
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';

export const VERIFY_AT = '2026-11-15T00:00:00Z';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `exhibit ARGS` in `cwd` with a pinned clock; stdout and stderr captured. */
export async function exhibit(cwd: string, args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => void (out += t), isTTY: false },
    stderr: { write: (t: string) => void (err += t), isTTY: false },
    cwd,
    now: () => new Date(VERIFY_AT),
    version: '0.0.0-test',
  };
  const code = await main(args, io);
  return { code, out, err };
}

export interface CliReport {
  status: string;
  findings: Array<{ code: string; severity: string; message: string; entry?: string; field?: string; layer: string }>;
  files: Array<{ path: string; result: string; manifest: string | null }>;
  signatures: Array<{ file: string; keyid: string; math: string; trust: string; keySource: string; role: string | null }>;
}

/** `exhibit verify FILE --json --at VERIFY_AT [extra]`: the exit code and the parsed report. */
export async function exhibitVerify(file: string, extra: string[] = []): Promise<{ code: number; report: CliReport; err: string }> {
  const r = await exhibit(join(file, '..'), ['verify', file, '--json', '--at', VERIFY_AT, ...extra]);
  let report: CliReport;
  try {
    report = JSON.parse(r.out) as CliReport;
  } catch {
    throw new Error(`exhibit verify ${file} printed no JSON report (exit ${r.code}): ${r.err.slice(0, 500)}`);
  }
  return { code: r.code, report, err: r.err };
}

export interface NodeKey {
  algorithm: 'ed25519' | 'p256';
  privateKey: KeyObject;
  publicPem: string;
  spki: Buffer;
  /** base64(SHA-256(DER SubjectPublicKeyInfo)), spec section 5. */
  keyid: string;
}

function keyFromPublic(privateKey: KeyObject, publicKey: KeyObject, algorithm: NodeKey['algorithm']): NodeKey {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    algorithm,
    privateKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    spki,
    keyid: createHash('sha256').update(spki).digest('base64'),
  };
}

export function nodeKey(algorithm: NodeKey['algorithm'] = 'ed25519'): NodeKey {
  const pair = algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return keyFromPublic(pair.privateKey, pair.publicKey, algorithm);
}

/** The keyid of a PEM public key. */
export function keyidOfPem(pem: string): string {
  return createHash('sha256')
    .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
    .digest('base64');
}

export const IN_TOTO = 'application/vnd.in-toto+json';

/** DSSE v1 PAE. */
export function pae(payloadType: string, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${payload.length} `), Buffer.from(payload)]);
}

export interface StatementArgs {
  bundleId: string;
  tagmanifest: Uint8Array;
  role?: string;
  /** Replaces the one subject the spec asks for. */
  subject?: Array<{ name: string; digest: { sha256: string } }>;
}

export function tagmanifestSubject(tagmanifest: Uint8Array) {
  return { name: 'tagmanifest-sha256.txt', digest: { sha256: createHash('sha256').update(tagmanifest).digest('hex') } };
}

/** An in-toto Statement v1 with the EVB predicate (spec section 5). */
export function statement(args: StatementArgs): Record<string, unknown> {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: args.subject ?? [tagmanifestSubject(args.tagmanifest)],
    predicateType: 'https://exhibit.dev/evidence-bundle/v1',
    predicate: {
      bundle_id: args.bundleId,
      role: args.role ?? 'producer',
      signer: { name: 'Node signer', email: null },
      signed_at: '2026-11-01T12:00:00Z',
      comment: null,
    },
  };
}

/**
 * A DSSE envelope over `stmt`, signed by `key` (Ed25519, or P-256 with a DER signature).
 * `keyid`: the key's own (default), "" or a given string, or `null` to leave the field out.
 */
export function dsseEnvelope(stmt: Record<string, unknown>, key: NodeKey, keyid: string | null = key.keyid): Uint8Array {
  const payload = Buffer.from(JSON.stringify(stmt));
  const data = pae(IN_TOTO, payload);
  const sig = key.algorithm === 'ed25519' ? sign(null, data, key.privateKey) : sign('sha256', data, key.privateKey);
  const entry: Record<string, string> = { sig: sig.toString('base64') };
  if (keyid !== null) entry.keyid = keyid;
  return Buffer.from(`${JSON.stringify({ payloadType: IN_TOTO, payload: payload.toString('base64'), signatures: [entry] }, null, 2)}\n`);
}

export interface TrustKey {
  pem: string;
  principal?: string;
  roles?: string[];
  validFrom?: string | null;
  validUntil?: string | null;
  revokedAt?: string | null;
}

/** Writes a trust file in the format of spec section 6 and returns its path. */
export function writeTrustFile(path: string, keys: TrustKey[]): string {
  const json = {
    keys: keys.map((k) => ({
      keyid: keyidOfPem(k.pem),
      public_key: k.pem,
      principal: k.principal ?? 'Test signer',
      roles: k.roles ?? [],
      valid_from: k.validFrom ?? null,
      valid_until: k.validUntil ?? null,
      revoked_at: k.revokedAt ?? null,
      revocation_reason: k.revokedAt ? 'test' : null,
    })),
  };
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  return path;
}
