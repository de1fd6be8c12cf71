// Keyless identities and trusted roots in the trust store (spec section 6): parsing and
// checking the `identities` and `trusted_roots` sections, adding and revoking identity
// entries, and deciding what an identity is worth for a keyless signature.

import type { CertificateIdentity } from './sigstore/x509';
import type { TrustedRoot } from './sigstore/trusted-root';
import { TrustedRootError, parseTrustedRoot } from './sigstore/trusted-root';
import { publicGoodTrustedRoot } from './sigstore/public-good';
import type { SignatureTrust } from './report';
import { CodedError } from '../platform/errors';

type IdentityFieldCode =
  'identity-bad-issuer' | 'identity-subject' | 'trust-bad-time' | 'trust-bad-window' | 'trust-field-type' | 'trust-missing-field';

/** An identity entry: an OIDC issuer and a certificate subject (exact or a full-match pattern). */
export interface IdentityEntry {
  issuer: string;
  subject: string | null;
  subject_pattern: string | null;
  principal: string;
  roles: string[];
  valid_from: string | null;
  valid_until: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
}

/** Why an `identities` or `trusted_roots` entry of a trust file cannot be used. */
export type IdentityTrustErrorCode =
  | 'identity-bad-pattern'
  | 'identity-exists'
  | 'identity-revoked'
  | 'trust-bad-root'
  | 'trust-duplicate-identity'
  | 'trust-shape'
  | IdentityFieldCode;

export class IdentityTrustError extends CodedError<IdentityTrustErrorCode> {
  constructor(
    code: IdentityTrustErrorCode,
    readonly field: string,
    message: string,
  ) {
    super(code, message);
    this.name = 'IdentityTrustError';
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_PATTERN = 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The compiled full-match form of a subject pattern; throws for an invalid expression. */
function compileSubjectPattern(pattern: string): RegExp {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN)
    throw new IdentityTrustError('identity-bad-pattern', 'subject_pattern', `a subject pattern must hold 1 to ${MAX_PATTERN} characters`);
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (e) {
    throw new IdentityTrustError(
      'identity-bad-pattern',
      'subject_pattern',
      `the subject pattern is not a valid regular expression (${(e as Error).message})`,
    );
  }
}

/** Checks one identity entry; throws IdentityTrustError naming the field. */
export function checkIdentityEntry(raw: unknown, at: string): IdentityEntry {
  const fail = (code: IdentityFieldCode, field: string, message: string) =>
    new IdentityTrustError(code, `${at}.${field}`, `${at}.${field} ${message}`);
  if (!isObject(raw)) throw new IdentityTrustError('trust-shape', at, `${at} must be an object`);
  const str = (field: string, nullable: boolean): string | null => {
    const v = raw[field];
    if (v === undefined || v === null) {
      if (nullable) return null;
      throw fail('trust-missing-field', field, 'is required.');
    }
    if (typeof v !== 'string') throw fail('trust-field-type', field, 'must be a string.');
    return v;
  };
  const time = (field: string): string | null => {
    const v = str(field, true);
    if (v !== null && (!RFC3339.test(v) || Number.isNaN(Date.parse(v))))
      throw fail('trust-bad-time', field, `is not an RFC 3339 time ("${v.slice(0, 60)}").`);
    return v;
  };
  const issuer = str('issuer', false)!;
  if (!/^https?:\/\/\S+$/.test(issuer)) throw fail('identity-bad-issuer', 'issuer', 'must be the OIDC issuer URL.');
  const subject = str('subject', true);
  const pattern = str('subject_pattern', true);
  if ((subject === null) === (pattern === null))
    throw fail('identity-subject', 'subject', 'or subject_pattern must be given, and not both.');
  if (subject !== null && subject.length === 0) throw fail('identity-subject', 'subject', 'must not be empty.');
  if (pattern !== null) compileSubjectPattern(pattern);
  const roles = raw.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string'))
    throw fail('trust-field-type', 'roles', 'must be an array of strings.');
  const entry: IdentityEntry = {
    issuer,
    subject,
    subject_pattern: pattern,
    principal: str('principal', false)!,
    roles: roles as string[],
    valid_from: time('valid_from'),
    valid_until: time('valid_until'),
    revoked_at: time('revoked_at'),
    revocation_reason: str('revocation_reason', true),
  };
  if (entry.valid_from && entry.valid_until && Date.parse(entry.valid_from) > Date.parse(entry.valid_until))
    throw fail('trust-bad-window', 'valid_until', 'is before valid_from.');
  return entry;
}

const sameIdentity = (a: IdentityEntry, b: IdentityEntry) =>
  a.issuer === b.issuer && a.subject === b.subject && a.subject_pattern === b.subject_pattern;

/** Parses the `identities` section (absent: none). Duplicates are refused. */
export function parseIdentities(value: unknown): IdentityEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new IdentityTrustError('trust-shape', 'identities', '"identities" must be an array.');
  const out: IdentityEntry[] = [];
  value.forEach((raw, i) => {
    const entry = checkIdentityEntry(raw, `identities[${i}]`);
    if (out.some((e) => sameIdentity(e, entry)))
      throw new IdentityTrustError(
        'trust-duplicate-identity',
        `identities[${i}]`,
        `identities[${i}] lists the same issuer and subject twice.`,
      );
    out.push(entry);
  });
  return out;
}

/** Checks the `trusted_roots` section (absent: none); returns the raw roots, each parsed once to check it. */
export function parseTrustedRootsSection(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new IdentityTrustError('trust-shape', 'trusted_roots', '"trusted_roots" must be an array.');
  value.forEach((root, i) => {
    try {
      parseTrustedRoot(root, `trusted_roots[${i}]`);
    } catch (e) {
      if (e instanceof TrustedRootError)
        throw new IdentityTrustError('trust-bad-root', `trusted_roots[${i}]`, `trusted_roots[${i}]: ${e.message}`);
      throw e;
    }
  });
  return value;
}

/** The trusted roots a verification uses: the store's, or the built-in public-good root when it has none. */
export function trustedRootsOf(raw: readonly unknown[] | undefined): TrustedRoot[] {
  if (!raw || raw.length === 0) return [publicGoodTrustedRoot()];
  return raw.map((r, i) => parseTrustedRoot(r, `trusted root ${i + 1} of the trust store`));
}

function identityMatches(entry: IdentityEntry, id: CertificateIdentity): boolean {
  if (id.issuer === null || id.san === null || entry.issuer !== id.issuer) return false;
  if (entry.subject !== null) return entry.subject === id.san;
  return compileSubjectPattern(entry.subject_pattern!).test(id.san);
}

export interface IdentityDecision {
  trust: SignatureTrust;
  detail: string;
  entry: IdentityEntry | null;
}

/**
 * What the trust store says of a verified keyless identity signing as `role`: revoked
 * (at the verification time) first, then a role it may not sign as, then its window at
 * the proven signing time. Of several matching entries the most severe revocation wins,
 * then a trusted one.
 */
export function evaluateIdentity(
  entries: readonly IdentityEntry[],
  id: CertificateIdentity,
  role: string,
  signedAt: Date,
  at: Date,
): IdentityDecision {
  const matching = entries.filter((e) => identityMatches(e, id));
  if (matching.length === 0)
    return {
      trust: 'unknown-key',
      detail: `no identity entry in the trust store for ${id.san ?? '(no subject)'} from ${id.issuer ?? '(no issuer)'}`,
      entry: null,
    };
  const decide = (e: IdentityEntry): IdentityDecision => {
    if (e.revoked_at !== null && Date.parse(e.revoked_at) <= at.getTime())
      return {
        trust: 'revoked-key',
        detail: `identity revoked on ${e.revoked_at}${e.revocation_reason ? `: ${e.revocation_reason}` : ''}`,
        entry: e,
      };
    if (e.roles.length > 0 && !e.roles.includes(role))
      return { trust: 'role-not-allowed', detail: `trusted only as ${e.roles.join(', ')}, but signed as ${role}`, entry: e };
    const t = signedAt.getTime();
    if (e.valid_from !== null && t < Date.parse(e.valid_from))
      return {
        trust: 'expired-key',
        detail: `identity not valid before ${e.valid_from} (signed ${signedAt.toISOString()}, proven)`,
        entry: e,
      };
    if (e.valid_until !== null && t > Date.parse(e.valid_until))
      return { trust: 'expired-key', detail: `identity expired on ${e.valid_until} (signed ${signedAt.toISOString()}, proven)`, entry: e };
    return { trust: 'trusted', detail: `trusted as ${e.principal}`, entry: e };
  };
  const decisions = matching.map(decide);
  for (const t of ['revoked-key', 'trusted', 'expired-key', 'role-not-allowed'] as const) {
    const d = decisions.find((x) => x.trust === t);
    if (d) return d;
  }
  return decisions[0]!;
}

/** Adds an identity entry; refuses to replace an existing one silently (a revoked one is never un-revoked). */
export function addIdentity(entries: readonly IdentityEntry[], entry: IdentityEntry, replace = false): IdentityEntry[] {
  checkIdentityEntry(entry, 'identity');
  const existing = entries.find((e) => sameIdentity(e, entry));
  if (existing && existing.revoked_at !== null)
    throw new IdentityTrustError(
      'identity-revoked',
      'identity',
      `this identity was revoked on ${existing.revoked_at}; a revoked identity is never trusted again by adding it.`,
    );
  if (existing && !replace)
    throw new IdentityTrustError(
      'identity-exists',
      'identity',
      'this identity is already in the trust store; use --replace to change its entry.',
    );
  return [...entries.filter((e) => !sameIdentity(e, entry)), entry];
}

/** Revokes the entries of an issuer and subject (or pattern); returns how many were revoked. */
export function revokeIdentity(
  entries: readonly IdentityEntry[],
  match: { issuer: string; subject: string },
  at: string,
  reason: string,
): { entries: IdentityEntry[]; count: number } {
  let count = 0;
  const next = entries.map((e) => {
    if (e.issuer !== match.issuer || (e.subject ?? e.subject_pattern) !== match.subject) return e;
    count += 1;
    return e.revoked_at !== null && Date.parse(e.revoked_at) <= Date.parse(at) ? e : { ...e, revoked_at: at, revocation_reason: reason };
  });
  return { entries: next, count };
}

/** The identity entries as the trust file writes them (stable field order). */
export function serializeIdentities(entries: readonly IdentityEntry[]): IdentityEntry[] {
  return entries.map((e) => ({
    issuer: e.issuer,
    subject: e.subject,
    subject_pattern: e.subject_pattern,
    principal: e.principal,
    roles: e.roles,
    valid_from: e.valid_from,
    valid_until: e.valid_until,
    revoked_at: e.revoked_at,
    revocation_reason: e.revocation_reason,
  }));
}
