// What importing a trust file into a trust store does, shown before it is done (issue 18
// section 6): the keys and identities it adds, the ones whose entry it changes, the ones it
// revokes, and (only when the user chooses to replace the store) the ones it removes.
// Merging is the default. Under either, a revocation already in the store is never undone:
// an imported entry for a revoked key or identity keeps the earlier revocation (the rules
// of shared/evb/trust-store.ts), and replacing the store keeps revoked keys and identities
// the file does not list, so a later import cannot bring them back as trusted.

import type { TrustEntry, TrustStore } from './crypto-types';
import type { IdentityEntry } from './identity-trust';
import { keepRevocations } from './trust-store';

export type ImportMode = 'merge' | 'replace';

/** One entry the import touches: a key (by keyid) or an identity (issuer and subject). */
export interface ImportItem {
  kind: 'key' | 'identity';
  /** keyid for a key; "issuer subject" for an identity. */
  id: string;
  principal: string;
  /** What changes, in words (for `change`), or the revocation (for `revoke`). */
  detail: string;
}

export interface ImportPlan {
  mode: ImportMode;
  add: ImportItem[];
  change: ImportItem[];
  revoke: ImportItem[];
  remove: ImportItem[];
  /** Revocations in the store that the file would undo and that are kept. */
  keptRevocations: ImportItem[];
  /** Trusted roots in the file that the store does not have yet (compared as JSON). */
  rootsAdded: number;
  result: TrustStore;
}

type Entry = TrustEntry | IdentityEntry;
const identityId = (e: IdentityEntry) => `${e.issuer} ${e.subject ?? e.subject_pattern ?? ''}`;

/** What differs between two entries' principal, roles and window, in words; '' when nothing. */
function entryChanges(a: Entry, b: Entry): string {
  const out: string[] = [];
  if (a.principal !== b.principal) out.push(`principal "${a.principal}" → "${b.principal}"`);
  if (a.roles.join(',') !== b.roles.join(',')) out.push(`roles ${a.roles.join(', ') || 'any'} → ${b.roles.join(', ') || 'any'}`);
  if (a.valid_from !== b.valid_from) out.push(`valid from ${a.valid_from ?? 'always'} → ${b.valid_from ?? 'always'}`);
  if (a.valid_until !== b.valid_until) out.push(`valid until ${a.valid_until ?? 'no end'} → ${b.valid_until ?? 'no end'}`);
  return out.join('; ');
}

/** The earlier of the two revocations (a revocation only ever moves earlier). */
function mergedRevocation(old: Entry | undefined, incoming: Entry): Pick<Entry, 'revoked_at' | 'revocation_reason'> {
  const o = old?.revoked_at ?? null;
  const n = incoming.revoked_at;
  if (o !== null && (n === null || Date.parse(o) <= Date.parse(n))) return { revoked_at: o, revocation_reason: old!.revocation_reason };
  return { revoked_at: n, revocation_reason: incoming.revocation_reason };
}

/** Plans one family of entries (keys or identities) under the mode; returns the entries after. */
function planEntries<T extends Entry>(
  kind: ImportItem['kind'],
  current: readonly T[],
  incoming: readonly T[],
  idOf: (e: T) => string,
  mode: ImportMode,
  plan: ImportPlan,
): T[] {
  const byId = new Map(current.map((e) => [idOf(e), e]));
  const seen = new Set<string>();
  const out: T[] = [];
  for (const inc of incoming) {
    const id = idOf(inc);
    seen.add(id);
    const old = byId.get(id);
    const item = (detail: string): ImportItem => ({ kind, id, principal: inc.principal, detail });
    const next = { ...inc, ...mergedRevocation(old, inc) };
    if (!old) plan.add.push(item(next.revoked_at ? `added as revoked (${next.revoked_at})` : 'added'));
    else {
      const changes = entryChanges(old, inc);
      if (changes) plan.change.push(item(changes));
      if (old.revoked_at === null && next.revoked_at !== null)
        plan.revoke.push(item(`revoked as of ${next.revoked_at}${next.revocation_reason ? `: ${next.revocation_reason}` : ''}`));
      if (old.revoked_at !== null && (inc.revoked_at === null || Date.parse(inc.revoked_at) > Date.parse(old.revoked_at)))
        plan.keptRevocations.push(item(`stays revoked as of ${old.revoked_at}`));
    }
    out.push(next);
  }
  for (const old of current) {
    const id = idOf(old);
    if (seen.has(id)) continue;
    if (mode === 'merge') out.push(old);
    else if (old.revoked_at !== null) {
      plan.keptRevocations.push({ kind, id, principal: old.principal, detail: `not in the file; kept, revoked as of ${old.revoked_at}` });
      out.push(old);
    } else plan.remove.push({ kind, id, principal: old.principal, detail: 'not in the file' });
  }
  // Entries the store had keep their place; new ones follow in the file's order.
  const order = new Map(current.map((e, i) => [idOf(e), i]));
  return out.sort((a, b) => (order.get(idOf(a)) ?? Infinity) - (order.get(idOf(b)) ?? Infinity));
}

/** Trusted roots after the import: merged (the store's, then the file's new ones) or the file's. */
function planRoots(current: readonly unknown[], incoming: readonly unknown[], mode: ImportMode): { roots: unknown[]; added: number } {
  const known = new Set(current.map((r) => JSON.stringify(r)));
  const fresh = incoming.filter((r) => !known.has(JSON.stringify(r)));
  return { roots: mode === 'merge' ? [...current, ...fresh] : [...incoming], added: fresh.length };
}

/** What importing `incoming` into `current` does under `mode`, and the store it gives. */
export function planTrustImport(current: TrustStore, incoming: TrustStore, mode: ImportMode): ImportPlan {
  const plan: ImportPlan = { mode, add: [], change: [], revoke: [], remove: [], keptRevocations: [], rootsAdded: 0, result: { keys: [] } };
  const keys = planEntries('key', current.keys, incoming.keys, (k) => k.keyid, mode, plan);
  const identities = planEntries('identity', current.identities ?? [], incoming.identities ?? [], identityId, mode, plan);
  const roots = planRoots(current.trusted_roots ?? [], incoming.trusted_roots ?? [], mode);
  plan.rootsAdded = roots.added;
  // The shared rule once more, over the whole key list: nothing here un-revokes a key.
  const result: TrustStore = keepRevocations(current, { keys });
  if (identities.length) result.identities = identities;
  if (roots.roots.length) result.trusted_roots = roots.roots;
  plan.result = result;
  return plan;
}

/** True when the import would change nothing. */
export function planIsEmpty(plan: ImportPlan): boolean {
  return !plan.add.length && !plan.change.length && !plan.revoke.length && !plan.remove.length && !plan.rootsAdded;
}
