// The trust store (spec section 6): parsing the CLI's trust file and deciding what a key
// is worth at a verification time. The rules for changing a store are in trust-store.ts.

import type { TrustDecision, TrustEntry, TrustStore } from './crypto-types';
import type { PublicKeyInfo } from './crypto-types';
import { parsePublicKey } from './keys';
import { CodedError, errorMessage } from '../platform/errors';
import { MAX_TRUST_FILE_BYTES } from './limits';
import type { IdentityTrustErrorCode } from './identity-trust';
import { IdentityTrustError, parseIdentities, parseTrustedRootsSection, serializeIdentities } from './identity-trust';

export { addTrustedKey, revokeTrustedKey } from './trust-store';

/** Why a trust file cannot be used. */
export type TrustErrorCode =
  | 'trust-bad-key'
  | 'trust-bad-time'
  | 'trust-bad-window'
  | 'trust-duplicate-key'
  | 'trust-field-type'
  | 'trust-keyid-mismatch'
  | 'trust-missing-field'
  | 'trust-not-json'
  | 'trust-shape'
  | 'trust-too-large'
  | IdentityTrustErrorCode;

class TrustStoreError extends CodedError<TrustErrorCode> {
  constructor(
    code: TrustErrorCode,
    readonly source: string,
    readonly field: string | null,
    message: string,
  ) {
    super(code, `${source}: ${message}`);
    this.name = 'TrustStoreError';
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function emptyTrustStore(): TrustStore {
  return { keys: [] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An entry of a trust file that cannot be used, named by its index and keyid. */
export interface TrustFileProblem {
  index: number;
  /** The keyid the entry names, when it names one as a string. */
  keyid: string | null;
  error: TrustStoreError;
}

/** The `keys[i] (keyid X)` prefix that names an entry in messages. */
export function entryName(index: number, keyid: string | null): string {
  return `keys[${index}]${keyid !== null ? ` (keyid ${keyid.slice(0, 60)})` : ''}`;
}

/** Parses one entry of `keys`; throws a TrustStoreError naming the entry and the field. */
async function parseTrustEntry(raw: unknown, i: number, sourceName: string): Promise<TrustEntry> {
  const keyidText = isObject(raw) && typeof raw.keyid === 'string' ? raw.keyid : null;
  const fail = (code: TrustErrorCode, field: string | null, message: string) =>
    new TrustStoreError(code, sourceName, field, `${entryName(i, keyidText)}: ${message}`);
  const at = (field: string) => `keys[${i}].${field}`;
  if (!isObject(raw)) throw fail('trust-shape', `keys[${i}]`, 'must be an object.');
  const str = (field: string, nullable: boolean): string | null => {
    const v = raw[field];
    if (v === undefined || v === null) {
      if (nullable) return null;
      throw fail('trust-missing-field', at(field), `${at(field)} is required.`);
    }
    if (typeof v !== 'string') throw fail('trust-field-type', at(field), `${at(field)} must be a string.`);
    return v;
  };
  const time = (field: string): string | null => {
    const v = str(field, true);
    if (v !== null && (!RFC3339.test(v) || Number.isNaN(Date.parse(v))))
      throw fail('trust-bad-time', at(field), `${at(field)} is not an RFC 3339 time ("${v.slice(0, 60)}").`);
    return v;
  };
  const keyid = str('keyid', false)!;
  const publicKey = str('public_key', false)!;
  const principal = str('principal', false)!;
  const roles = raw.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string'))
    throw fail('trust-field-type', at('roles'), `${at('roles')} must be an array of strings.`);
  let key: PublicKeyInfo;
  try {
    key = await parsePublicKey(publicKey);
  } catch (e) {
    throw fail('trust-bad-key', at('public_key'), `${at('public_key')}: ${errorMessage(e)}`);
  }
  if (key.keyid !== keyid)
    throw fail('trust-keyid-mismatch', at('keyid'), `${at('keyid')} is "${keyid.slice(0, 60)}" but the key's keyid is "${key.keyid}".`);
  const entry: TrustEntry = {
    keyid,
    public_key: publicKey,
    principal,
    roles: roles as string[],
    valid_from: time('valid_from'),
    valid_until: time('valid_until'),
    revoked_at: time('revoked_at'),
    revocation_reason: str('revocation_reason', true),
  };
  if (entry.valid_from && entry.valid_until && Date.parse(entry.valid_from) > Date.parse(entry.valid_until)) {
    throw fail('trust-bad-window', at('valid_until'), `${at('valid_until')} is before ${at('valid_from')}.`);
  }
  return entry;
}

/**
 * Parses a trust file entry by entry: the usable entries, and each unusable one named by
 * index and keyid (so `exhibit trust list` can show the rest and `trust remove` mend it).
 * Throws only when the file as a whole is not a trust file.
 */
export async function readTrustFile(
  text: string,
  sourceName: string,
): Promise<{ store: TrustStore; problems: TrustFileProblem[]; raw: unknown[] }> {
  const fail = (code: TrustErrorCode, field: string | null, message: string) => new TrustStoreError(code, sourceName, field, message);
  if (text.length > MAX_TRUST_FILE_BYTES)
    throw fail('trust-too-large', null, `is larger than ${MAX_TRUST_FILE_BYTES / 1048576} MiB; that is not a trust file.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw fail('trust-not-json', null, `is not valid JSON (${errorMessage(e).slice(0, 120)}).`);
  }
  if (!isObject(json) || !Array.isArray(json.keys)) throw fail('trust-shape', 'keys', 'must be a JSON object with a "keys" array.');
  const keys: TrustEntry[] = [];
  const problems: TrustFileProblem[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of (json.keys as unknown[]).entries()) {
    const keyid = isObject(raw) && typeof raw.keyid === 'string' ? raw.keyid : null;
    try {
      const entry = await parseTrustEntry(raw, i, sourceName);
      if (seen.has(entry.keyid))
        throw fail('trust-duplicate-key', `keys[${i}].keyid`, `${entryName(i, keyid)}: the key ${entry.keyid} is listed twice.`);
      seen.add(entry.keyid);
      keys.push(entry);
    } catch (e) {
      if (!(e instanceof TrustStoreError)) throw e;
      problems.push({ index: i, keyid, error: e });
    }
  }
  return { store: withKeylessSections({ keys }, json, fail), problems, raw: json.keys as unknown[] };
}

/** Parses and checks a trust file; every key is parsed and its keyid recomputed. The first bad entry throws. */
export async function parseTrustStore(text: string, sourceName: string): Promise<TrustStore> {
  const { store, problems } = await readTrustFile(text, sourceName);
  if (problems.length > 0) throw problems[0]!.error;
  return store;
}

/** Adds the optional `identities` and `trusted_roots` sections (spec 6), checked. */
function withKeylessSections(
  store: TrustStore,
  json: Record<string, unknown>,
  fail: (code: TrustErrorCode, field: string | null, message: string) => TrustStoreError,
): TrustStore {
  try {
    const identities = parseIdentities(json.identities);
    const roots = parseTrustedRootsSection(json.trusted_roots);
    if (json.identities !== undefined) store.identities = identities;
    if (json.trusted_roots !== undefined) store.trusted_roots = roots;
    return store;
  } catch (e) {
    if (e instanceof IdentityTrustError) throw fail(e.code, e.field, e.message);
    throw e;
  }
}

/** The trust file's text: stable, pretty, newline-terminated. */
export function serializeTrustStore(store: TrustStore): string {
  const keys = store.keys.map((k) => ({
    keyid: k.keyid,
    public_key: k.public_key,
    principal: k.principal,
    roles: k.roles,
    valid_from: k.valid_from,
    valid_until: k.valid_until,
    revoked_at: k.revoked_at,
    revocation_reason: k.revocation_reason,
  }));
  const out: Record<string, unknown> = { keys };
  if (store.identities !== undefined) out.identities = serializeIdentities(store.identities);
  if (store.trusted_roots !== undefined) out.trusted_roots = store.trusted_roots;
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function findTrustEntry(store: TrustStore, keyid: string): TrustEntry | null {
  return store.keys.find((k) => k.keyid === keyid) ?? null;
}

/**
 * What a trusted key is worth for a signature in `role` at time `at`: revoked first, then
 * a role it may not sign as (spec 6: whatever its window says), then outside its window.
 */
export function evaluateTrust(entry: TrustEntry, role: string, at: Date): TrustDecision {
  const t = at.getTime();
  if (entry.revoked_at !== null && Date.parse(entry.revoked_at) <= t) {
    return {
      trust: 'revoked-key',
      detail: `revoked on ${entry.revoked_at}${entry.revocation_reason ? `: ${entry.revocation_reason}` : ''}`,
    };
  }
  if (entry.roles.length > 0 && !entry.roles.includes(role)) {
    return { trust: 'role-not-allowed', detail: `trusted only as ${entry.roles.join(', ')}, but signed as ${role}` };
  }
  if (entry.valid_from !== null && t < Date.parse(entry.valid_from)) {
    return { trust: 'expired-key', detail: `not valid before ${entry.valid_from}` };
  }
  if (entry.valid_until !== null && t > Date.parse(entry.valid_until)) {
    return { trust: 'expired-key', detail: `expired on ${entry.valid_until}` };
  }
  return { trust: 'trusted', detail: `trusted as ${entry.principal}` };
}
