// The rules for changing a trust store, shared by the CLI's `exhibit trust` and the app's
// trust store (issue 16): a key already present is never replaced by accident, a revocation
// is permanent (a second revocation keeps the earliest time), and no entry is written with a
// window that ends before it starts.

import type { PublicKeyInfo, TrustEntry, TrustStore } from './crypto-types';

/** Why a change to the trust store was refused. */
export class TrustEditError extends Error {
  constructor(
    readonly code: 'trust-key-present' | 'trust-bad-window' | 'trust-unknown-key' | 'trust-empty-principal',
    message: string,
    /** The entry already there, when the change concerns one. */
    readonly existing: TrustEntry | null = null,
  ) {
    super(message);
    this.name = 'TrustEditError';
  }
}

interface AddKeyOptions {
  principal: string;
  roles?: string[];
  validFrom?: string | null;
  validUntil?: string | null;
  /**
   * Replace the principal, roles and window of a key already present. Its revocation, if
   * any, stays: nothing un-revokes a key.
   */
  replace?: boolean;
}

/** One line saying what an entry is: principal, roles, window, revocation. */
export function describeTrustEntry(k: TrustEntry): string {
  const roles = k.roles.length ? k.roles.join(', ') : 'any role';
  const window = `valid ${k.valid_from ?? 'always'} .. ${k.valid_until ?? 'no end'}`;
  const revoked = k.revoked_at ? `, REVOKED ${k.revoked_at}${k.revocation_reason ? ` (${k.revocation_reason})` : ''}` : '';
  return `"${k.principal}" for ${roles}, ${window}${revoked}`;
}

/** Refuses a window whose end is before its start. */
function checkTrustWindow(validFrom: string | null, validUntil: string | null): void {
  if (validFrom !== null && validUntil !== null && Date.parse(validUntil) < Date.parse(validFrom)) {
    throw new TrustEditError('trust-bad-window', `the window ends (${validUntil}) before it starts (${validFrom}).`);
  }
}

/**
 * Adds a key. A key already present is refused, saying what is there, unless `replace`:
 * then its principal, roles and window are replaced and its revocation is kept.
 */
export function addTrustedKey(store: TrustStore, key: PublicKeyInfo, opts: AddKeyOptions): TrustStore {
  const validFrom = opts.validFrom ?? null;
  const validUntil = opts.validUntil ?? null;
  if (opts.principal.trim() === '') throw new TrustEditError('trust-empty-principal', 'a trusted key needs a principal (a name).');
  checkTrustWindow(validFrom, validUntil);
  const existing = store.keys.find((k) => k.keyid === key.keyid) ?? null;
  if (existing && !opts.replace) {
    throw new TrustEditError(
      'trust-key-present',
      `the key ${key.keyid} is already in the trust store: ${describeTrustEntry(existing)}. Nothing was changed.`,
      existing,
    );
  }
  const entry: TrustEntry = {
    keyid: key.keyid,
    public_key: existing?.public_key ?? key.pem,
    principal: opts.principal,
    roles: [...(opts.roles ?? [])],
    valid_from: validFrom,
    valid_until: validUntil,
    revoked_at: existing?.revoked_at ?? null,
    revocation_reason: existing?.revocation_reason ?? null,
  };
  return { ...store, keys: existing ? store.keys.map((k) => (k === existing ? entry : k)) : [...store.keys, entry] };
}

/** The earlier of two revocations of one key (a revocation only ever moves earlier). */
function earlierRevocation(a: TrustEntry, at: string, reason: string | null): { revoked_at: string; revocation_reason: string | null } {
  if (a.revoked_at !== null && Date.parse(a.revoked_at) <= Date.parse(at))
    return { revoked_at: a.revoked_at, revocation_reason: a.revocation_reason };
  return { revoked_at: at, revocation_reason: reason };
}

/**
 * Revokes a key as of `at`. A key revoked already keeps the earlier of the two times (and
 * that revocation's reason); `note` says which, for the user.
 */
export function revokeKey(store: TrustStore, keyid: string, at: string, reason: string): { store: TrustStore; note: string } {
  const existing = store.keys.find((k) => k.keyid === keyid);
  if (!existing) throw new TrustEditError('trust-unknown-key', `no key with keyid ${keyid} is in the trust store.`);
  const next = earlierRevocation(existing, at, reason);
  let note = `revoked ${keyid} as of ${next.revoked_at}`;
  if (existing.revoked_at !== null) {
    note =
      next.revoked_at === existing.revoked_at
        ? `${keyid} was already revoked as of ${existing.revoked_at}; that earlier revocation stays (a revocation never moves later)`
        : `${keyid} was revoked as of ${existing.revoked_at}; the revocation now dates from the earlier ${at}`;
  }
  return { store: { ...store, keys: store.keys.map((k) => (k === existing ? { ...k, ...next } : k)) }, note };
}

export function revokeTrustedKey(store: TrustStore, keyid: string, at: string, reason: string): TrustStore {
  return revokeKey(store, keyid, at, reason).store;
}

/** Removes a key (the only way to take a revoked key out of the store: deliberately). */
export function removeTrustedKey(store: TrustStore, keyid: string): TrustStore {
  if (!store.keys.some((k) => k.keyid === keyid))
    throw new TrustEditError('trust-unknown-key', `no key with keyid ${keyid} is in the trust store.`);
  return { ...store, keys: store.keys.filter((k) => k.keyid !== keyid) };
}

/**
 * `next` with every revocation `previous` holds for a key that is still in `next` (the
 * earlier time where both revoke it): replacing a store, e.g. by importing a trust file,
 * never un-revokes a key.
 */
export function keepRevocations(previous: TrustStore, next: TrustStore): TrustStore {
  const revoked = new Map(previous.keys.filter((k) => k.revoked_at !== null).map((k) => [k.keyid, k]));
  return {
    ...next,
    keys: next.keys.map((k) => {
      const old = revoked.get(k.keyid);
      return old ? { ...k, ...earlierRevocation(k, old.revoked_at!, old.revocation_reason) } : k;
    }),
  };
}
