// exhibit trust add-identity | revoke-identity | add-root: the keyless parts of the trust
// file (spec 6). The trust command dispatches here; the file is read and written by it.
import type { Parsed } from '../args';
import { CliError, NO_INPUT_EXIT_CODE, flag, required, str, UsageError } from '../args';
import type { CliIo } from '../io';
import { readText } from '../files';
import type { TrustStore } from '../../shared/evb/crypto-types';
import type { IdentityEntry } from '../../shared/evb/identity-trust';
import { IdentityTrustError, addIdentity, checkIdentityEntry, revokeIdentity } from '../../shared/evb/identity-trust';
import { parseTrustedRoot } from '../../shared/evb/sigstore/trusted-root';
import { safe } from '../format';

export const IDENTITY_USAGE = `       exhibit trust add-identity --issuer URL (--subject S | --subject-pattern RE) --principal NAME
                                  [--roles a,b] [--from TIME] [--until TIME] [--replace] --file FILE
       exhibit trust revoke-identity --issuer URL --subject S|RE --reason TEXT [--at TIME] --file FILE
       exhibit trust add-root TRUSTED_ROOT.json --file FILE
`;

/** Options the identity subcommands add to the trust command's. */
export const IDENTITY_OPTIONS = {
  issuer: { type: 'string' },
  subject: { type: 'string' },
  'subject-pattern': { type: 'string' },
  replace: { type: 'boolean' },
} as const;

type Store = { store: TrustStore; note: string };

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof IdentityTrustError) throw new CliError(e.message, 1);
    throw e;
  }
}

function addIdentityCommand(p: Parsed, store: TrustStore, iso: (name: string) => string | null): Store {
  const roles = (str(p, 'roles') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const subject = str(p, 'subject') ?? null;
  const pattern = str(p, 'subject-pattern') ?? null;
  if ((subject === null) === (pattern === null)) throw new UsageError('give --subject or --subject-pattern (one of them).');
  const entry: IdentityEntry = {
    issuer: required(p, 'issuer'),
    subject,
    subject_pattern: pattern,
    principal: required(p, 'principal'),
    roles,
    valid_from: iso('from'),
    valid_until: iso('until'),
    revoked_at: null,
    revocation_reason: null,
  };
  const identities = wrap(() => addIdentity(store.identities ?? [], checkIdentityEntry(entry, 'identity'), flag(p, 'replace')));
  const who = subject ?? `pattern ${pattern}`;
  return {
    store: { ...store, identities },
    note: `trusted ${safe(entry.principal)}${roles.length ? ` for ${roles.join(', ')}` : ' for any role'}: ${safe(who)} from ${safe(entry.issuer)}\n`,
  };
}

function revokeIdentityCommand(p: Parsed, store: TrustStore, at: string): Store {
  const { entries, count } = revokeIdentity(
    store.identities ?? [],
    { issuer: required(p, 'issuer'), subject: required(p, 'subject') },
    at,
    required(p, 'reason'),
  );
  if (count === 0) throw new CliError(`the trust file has no identity ${str(p, 'subject')} from ${str(p, 'issuer')}.`, 1);
  return { store: { ...store, identities: entries }, note: `revoked ${count} identity ${count === 1 ? 'entry' : 'entries'} as of ${at}\n` };
}

async function addRootCommand(p: Parsed, io: CliIo, store: TrustStore): Promise<Store> {
  if (p.positionals.length !== 1) throw new UsageError('name the trusted_root.json to add.');
  const file = p.positionals[0]!;
  let json: unknown;
  let root;
  try {
    json = JSON.parse(await readText(io, file, 'trusted root'));
    root = parseTrustedRoot(json, file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: not a usable Sigstore trusted root: ${(e as Error).message}`, NO_INPUT_EXIT_CODE);
  }
  const roots = store.trusted_roots ?? [];
  if (roots.some((r) => JSON.stringify(r) === JSON.stringify(json))) throw new CliError(`${file} is in the trust file already.`, 1);
  return {
    store: { ...store, trusted_roots: [...roots, json] },
    note: `added trusted root ${file}: ${root.certificateAuthorities.length} CAs, ${root.tlogs.length} logs, ${root.ctlogs.length} CT logs, ${root.timestampAuthorities.length} timestamp authorities\n(with trusted_roots in the file, the built-in public-good root applies only if it is listed too)\n`,
  };
}

/** Runs a keyless trust subcommand; null when `sub` is not one. */
export async function runIdentitySubcommand(
  sub: string,
  p: Parsed,
  io: CliIo,
  store: TrustStore,
  iso: (name: string) => string | null,
  now: string,
): Promise<Store | null> {
  if (sub === 'add-identity') return addIdentityCommand(p, store, iso);
  if (sub === 'revoke-identity') return revokeIdentityCommand(p, store, iso('at') ?? now);
  if (sub === 'add-root') return addRootCommand(p, io, store);
  return null;
}

/** Lines of `trust list` for identities and roots. */
export function listIdentities(store: TrustStore): string {
  const lines = (store.identities ?? []).map((e) => {
    const window = `${e.valid_from ?? 'always'} .. ${e.valid_until ?? 'no end'}`;
    const who = e.subject !== null ? safe(e.subject) : `pattern ${safe(e.subject_pattern ?? '')}`;
    return `identity ${who} from ${safe(e.issuer)}  ${safe(e.principal)}  roles: ${e.roles.length ? e.roles.join(', ') : 'any'}  valid: ${window}${e.revoked_at ? `  REVOKED ${e.revoked_at}: ${safe(e.revocation_reason ?? '')}` : ''}\n`;
  });
  const roots = store.trusted_roots?.length ?? 0;
  lines.push(
    roots ? `${roots} trusted ${roots === 1 ? 'root' : 'roots'} (Sigstore)\n` : 'Sigstore trusted root: the built-in public-good root\n',
  );
  return lines.join('');
}
