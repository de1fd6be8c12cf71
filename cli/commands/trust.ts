// exhibit trust add|list|revoke|remove: manage the trust file the CLI and the app read
// (spec 6), under the rules of shared/evb/trust-store.ts: a key present is not replaced
// without --replace, a revocation is never undone or moved later.
import type { CliIo } from '../io';
import { CliError, NO_INPUT_EXIT_CODE, flag, parse, parseTime, required, runCommand, str, UsageError } from '../args';
import type { Parsed } from '../args';
import { exists, readText, resolvePath, writeFileAtomic } from '../files';
import { emptyTrustStore, entryName, readTrustFile, serializeTrustStore } from '../../shared/evb/trust';
import type { TrustFileProblem } from '../../shared/evb/trust';
import { TrustEditError, addTrustedKey, describeTrustEntry, removeTrustedKey, revokeKey } from '../../shared/evb/trust-store';
import { formatFingerprint, parsePublicKey } from '../../shared/evb/keys';
import { MAX_TRUST_FILE_BYTES } from '../../shared/evb/limits';
import type { TrustStore } from '../../shared/evb/crypto-types';
import { safe } from '../format';
import { IDENTITY_OPTIONS, IDENTITY_USAGE, listIdentities, runIdentitySubcommand } from './trust-identity';

export const USAGE = `usage: exhibit trust add PUB.pem --principal NAME [--roles a,b] [--from TIME] [--until TIME]
                       [--replace] --file FILE
       exhibit trust revoke KEYID --reason TEXT [--at TIME] --file FILE
       exhibit trust remove KEYID --file FILE
       exhibit trust list --file FILE
${IDENTITY_USAGE}
Keeps the trust file that 'exhibit verify --trust FILE' reads. A key may be an SPKI PEM or
an OpenSSH line (ssh-ed25519 or ecdsa-sha2-nistp256). --roles limits the roles a key may
sign as (empty: any). The file is created by the first 'add'.
  add        trust a key; a key already in the file is refused (nothing changes)
  --replace  with add: replace the principal, roles and window of a key already in the
             file; a revocation stays
  revoke     revoke a key as of --at (default now); a revocation is permanent: revoking
             again keeps the earliest time
  remove     take a key out of the file (also an entry the file cannot use)
  list       every key; an entry that cannot be used is named (index and keyid)
Exit codes: 0 done; 1 refused (the key is present, an unusable file); 64 usage error
(also an unknown keyid); 66 the file or the key cannot be read; 73 the file cannot be written.
`;

/** Exit code when a change is refused (the key is present). */
const REFUSED_EXIT_CODE = 1;

interface Loaded {
  store: TrustStore;
  problems: TrustFileProblem[];
  raw: unknown[];
}

async function load(io: CliIo, file: string, mustExist: boolean): Promise<Loaded> {
  if (!(await exists(resolvePath(io, file)))) {
    if (mustExist) throw new CliError(`${file} does not exist.`, NO_INPUT_EXIT_CODE);
    return { store: emptyTrustStore(), problems: [], raw: [] };
  }
  try {
    return await readTrustFile(await readText(io, file, 'trust file', MAX_TRUST_FILE_BYTES), file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message, NO_INPUT_EXIT_CODE);
  }
}

/** A change to a file with unusable entries would drop them silently: refused, with the way out. */
function refuseProblems(loaded: Loaded, file: string): void {
  if (loaded.problems.length === 0) return;
  const list = loaded.problems.map((p) => `  ${p.error.message}`).join('\n');
  throw new CliError(
    `${file} has ${loaded.problems.length} entr${loaded.problems.length === 1 ? 'y' : 'ies'} that cannot be used:\n${list}\nmend ${loaded.problems.length === 1 ? 'it' : 'them'} by hand, or take ${loaded.problems.length === 1 ? 'it' : 'them'} out with 'exhibit trust remove KEYID --file ${file}'.`,
    NO_INPUT_EXIT_CODE,
  );
}

function editError(e: unknown): never {
  if (e instanceof TrustEditError) {
    if (e.code === 'trust-key-present')
      throw new CliError(`${e.message}\nTo change its principal, roles or window, add it again with --replace.`, REFUSED_EXIT_CODE);
    throw new UsageError(e.message);
  }
  throw e;
}

const isoOf = (p: Parsed, name: string): string | null =>
  str(p, name) !== undefined
    ? parseTime(str(p, name)!, name)
        .toISOString()
        .replace(/\.000Z$/, 'Z')
    : null;

async function add(p: Parsed, io: CliIo, file: string): Promise<number> {
  if (p.positionals.length !== 1) throw new UsageError('name the public key file to trust.');
  const principal = required(p, 'principal');
  const validFrom = isoOf(p, 'from');
  const validUntil = isoOf(p, 'until');
  const text = await readText(io, p.positionals[0]!, 'public key');
  let key;
  try {
    key = await parsePublicKey(text);
  } catch (e) {
    throw new CliError(`${p.positionals[0]}: ${(e as Error).message}`, NO_INPUT_EXIT_CODE);
  }
  const roles = (str(p, 'roles') ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const loaded = await load(io, file, false);
  refuseProblems(loaded, file);
  const before = loaded.store.keys.find((k) => k.keyid === key.keyid);
  let store: TrustStore;
  try {
    store = addTrustedKey(loaded.store, key, { principal, roles, validFrom, validUntil, replace: flag(p, 'replace') });
  } catch (e) {
    editError(e);
  }
  await writeFileAtomic(io, file, serializeTrustStore(store));
  const after = store.keys.find((k) => k.keyid === key.keyid)!;
  io.stdout.write(
    `${before ? 'replaced' : 'trusted'} ${safe(principal)}${roles.length ? ` for ${roles.join(', ')}` : ' for any role'}: keyid ${key.keyid}\nfingerprint ${formatFingerprint(key.fingerprint)}\n` +
      (before ? `was ${safe(describeTrustEntry(before))}\n` : '') +
      (after.revoked_at ? `still REVOKED as of ${after.revoked_at}: a revocation is permanent\n` : '') +
      `in ${file} (${store.keys.length} ${store.keys.length === 1 ? 'key' : 'keys'})\n`,
  );
  return 0;
}

async function revoke(p: Parsed, io: CliIo, file: string): Promise<number> {
  if (p.positionals.length !== 1) throw new UsageError('name the keyid to revoke.');
  const reason = required(p, 'reason');
  const at =
    isoOf(p, 'at') ??
    io
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  const loaded = await load(io, file, true);
  refuseProblems(loaded, file);
  const keyid = p.positionals[0]!;
  let result: { store: TrustStore; note: string };
  try {
    result = revokeKey(loaded.store, keyid, at, reason);
  } catch (e) {
    editError(
      e instanceof TrustEditError && e.code === 'trust-unknown-key'
        ? new TrustEditError(e.code, `${file} has no key with keyid ${keyid}.`)
        : e,
    );
  }
  await writeFileAtomic(io, file, serializeTrustStore(result.store));
  io.stdout.write(`${result.note}\n`);
  return 0;
}

async function remove(p: Parsed, io: CliIo, file: string): Promise<number> {
  if (p.positionals.length !== 1) throw new UsageError('name the keyid to remove.');
  const keyid = p.positionals[0]!;
  const loaded = await load(io, file, true);
  const unknown = () => new UsageError(`${file} has no key with keyid ${keyid}.`);
  if (loaded.problems.length === 0) {
    if (!loaded.store.keys.some((k) => k.keyid === keyid)) throw unknown();
    const store = removeTrustedKey(loaded.store, keyid);
    await writeFileAtomic(io, file, serializeTrustStore(store));
    io.stdout.write(`removed ${keyid} from ${file} (${store.keys.length} ${store.keys.length === 1 ? 'key' : 'keys'} left)\n`);
    return 0;
  }
  // Unusable entries are taken out of the file as written; every other entry stays as it is.
  const kept = loaded.raw.filter((raw) => !(typeof raw === 'object' && raw !== null && (raw as { keyid?: unknown }).keyid === keyid));
  if (kept.length === loaded.raw.length) throw unknown();
  const text = `${JSON.stringify({ keys: kept }, null, 2)}\n`;
  await writeFileAtomic(io, file, text);
  const left = await readTrustFile(text, file);
  io.stdout.write(
    `removed ${loaded.raw.length - kept.length} entr${loaded.raw.length - kept.length === 1 ? 'y' : 'ies'} with keyid ${keyid} from ${file} (${left.store.keys.length} usable ${left.store.keys.length === 1 ? 'key' : 'keys'} left${left.problems.length ? `, ${left.problems.length} still unusable` : ''})\n`,
  );
  return 0;
}

async function listKeys(io: CliIo, file: string): Promise<number> {
  const { store, problems } = await load(io, file, true);
  for (const k of store.keys) {
    const window = `${k.valid_from ?? 'always'} .. ${k.valid_until ?? 'no end'}`;
    io.stdout.write(
      `${k.keyid}  ${safe(k.principal)}  roles: ${k.roles.length ? k.roles.join(', ') : 'any'}  valid: ${window}${k.revoked_at ? `  REVOKED ${k.revoked_at}: ${safe(k.revocation_reason ?? '')}` : ''}\n`,
    );
  }
  if (store.keys.length === 0 && problems.length === 0) io.stdout.write('(no keys)\n');
  io.stdout.write(listIdentities(store));
  for (const q of problems) {
    io.stderr.write(`exhibit trust: ${safe(q.error.message)}\n`);
  }
  if (problems.length) {
    io.stderr.write(
      `exhibit trust: ${problems.length} unusable entr${problems.length === 1 ? 'y' : 'ies'} (${problems.map((q) => entryName(q.index, q.keyid)).join(', ')}); 'exhibit verify' refuses this file until they are mended or removed with 'exhibit trust remove KEYID --file ${file}'.\n`,
    );
    return NO_INPUT_EXIT_CODE;
  }
  return 0;
}

const KEYLESS_SUBCOMMANDS = ['add-identity', 'revoke-identity', 'add-root'];

/** The keyless parts of the trust file (identities, trusted roots): trust-identity.ts. */
async function keyless(sub: string, p: Parsed, io: CliIo, file: string): Promise<number> {
  const loaded = await load(io, file, sub === 'revoke-identity');
  refuseProblems(loaded, file);
  const iso = (name: string) => (str(p, name) !== undefined ? isoTime(parseTime(str(p, name)!, name)) : null);
  const done = await runIdentitySubcommand(sub, p, io, loaded.store, iso, isoTime(io.now()));
  if (!done) throw new UsageError(`unknown trust command "${sub}".`);
  await writeFileAtomic(io, file, serializeTrustStore(done.store));
  io.stdout.write(`${done.note}in ${file}\n`);
  return 0;
}

function isoTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'trust', USAGE, async () => {
    const [sub, ...rest] = args;
    if (sub === undefined) {
      io.stderr.write(USAGE);
      return 64;
    }
    const p = parse(rest, {
      principal: { type: 'string' },
      roles: { type: 'string' },
      from: { type: 'string' },
      until: { type: 'string' },
      reason: { type: 'string' },
      at: { type: 'string' },
      file: { type: 'string' },
      ...IDENTITY_OPTIONS,
    });
    if (sub === '--help' || sub === '-h' || flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (!['add', 'revoke', 'remove', 'list', ...KEYLESS_SUBCOMMANDS].includes(sub))
      throw new UsageError(`unknown trust command "${sub}"; use add, revoke, remove, list, ${KEYLESS_SUBCOMMANDS.join(', ')}.`);
    const file = required(p, 'file');
    if (KEYLESS_SUBCOMMANDS.includes(sub)) return keyless(sub, p, io, file);
    if (sub === 'add') return add(p, io, file);
    if (sub === 'revoke') return revoke(p, io, file);
    if (sub === 'remove') return remove(p, io, file);
    return listKeys(io, file);
  });
}
