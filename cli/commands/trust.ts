// exhibit trust add|list|revoke: manage the trust file the CLI and the app read (spec 6).
import type { CliIo } from '../io';
import { CliError, NO_INPUT_EXIT_CODE, flag, parse, parseTime, required, runCommand, str, UsageError } from '../args';
import { exists, readText, resolvePath, writeFileAtomic } from '../files';
import { addTrustedKey, emptyTrustStore, parseTrustStore, revokeTrustedKey, serializeTrustStore } from '../../shared/evb/trust';
import { formatFingerprint, parsePublicKey } from '../../shared/evb/keys';
import type { TrustStore } from '../../shared/evb/crypto-types';
import { safe } from '../format';
import { IDENTITY_OPTIONS, IDENTITY_USAGE, listIdentities, runIdentitySubcommand } from './trust-identity';

export const USAGE = `usage: exhibit trust add PUB.pem --principal NAME [--roles a,b] [--from TIME] [--until TIME] --file FILE
       exhibit trust revoke KEYID --reason TEXT [--at TIME] --file FILE
       exhibit trust list --file FILE
${IDENTITY_USAGE}
Keeps the trust file that 'exhibit verify --trust FILE' reads. A key may be an SPKI PEM or
an OpenSSH line (ssh-ed25519 or ecdsa-sha2-nistp256). --roles limits the roles a key may
sign as (empty: any). The file is created by the first 'add'.
`;

async function load(io: CliIo, file: string, mustExist: boolean): Promise<TrustStore> {
  if (!(await exists(resolvePath(io, file)))) {
    if (mustExist) throw new CliError(`${file} does not exist.`, NO_INPUT_EXIT_CODE);
    return emptyTrustStore();
  }
  try {
    return await parseTrustStore(await readText(io, file, 'trust file'), file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message, NO_INPUT_EXIT_CODE);
  }
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'trust', USAGE, async () => {
    const [sub, ...rest] = args;
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
    if (sub === undefined || sub === '--help' || sub === '-h' || flag(p, 'help')) {
      io.stdout.write(USAGE);
      return sub === undefined ? 64 : 0;
    }
    const file = required(p, 'file');
    const iso = (name: string) =>
      str(p, name) !== undefined
        ? parseTime(str(p, name)!, name)
            .toISOString()
            .replace(/\.000Z$/, 'Z')
        : null;
    const keyless = ['add-identity', 'revoke-identity', 'add-root'].includes(sub)
      ? await runIdentitySubcommand(
          sub,
          p,
          io,
          await load(io, file, sub === 'revoke-identity'),
          iso,
          io
            .now()
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z'),
        )
      : null;
    if (keyless) {
      await writeFileAtomic(io, file, serializeTrustStore(keyless.store));
      io.stdout.write(`${keyless.note}in ${file}\n`);
      return 0;
    }
    if (sub === 'add') {
      if (p.positionals.length !== 1) throw new UsageError('name the public key file to trust.');
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
      const store = addTrustedKey(await load(io, file, false), key, {
        principal: required(p, 'principal'),
        roles,
        validFrom: iso('from'),
        validUntil: iso('until'),
      });
      await writeFileAtomic(io, file, serializeTrustStore(store));
      io.stdout.write(
        `trusted ${safe(required(p, 'principal'))}${roles.length ? ` for ${roles.join(', ')}` : ' for any role'}: keyid ${key.keyid}\nfingerprint ${formatFingerprint(key.fingerprint)}\nin ${file} (${store.keys.length} ${store.keys.length === 1 ? 'key' : 'keys'})\n`,
      );
      return 0;
    }
    if (sub === 'revoke') {
      if (p.positionals.length !== 1) throw new UsageError('name the keyid to revoke.');
      const store = await load(io, file, true);
      const keyid = p.positionals[0]!;
      if (!store.keys.some((k) => k.keyid === keyid)) throw new CliError(`${file} has no key with keyid ${keyid}.`, 1);
      const at =
        iso('at') ??
        io
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z');
      await writeFileAtomic(io, file, serializeTrustStore(revokeTrustedKey(store, keyid, at, required(p, 'reason'))));
      io.stdout.write(`revoked ${keyid} as of ${at}\n`);
      return 0;
    }
    if (sub === 'list') {
      const store = await load(io, file, true);
      for (const k of store.keys) {
        const window = `${k.valid_from ?? 'always'} .. ${k.valid_until ?? 'no end'}`;
        io.stdout.write(
          `${k.keyid}  ${safe(k.principal)}  roles: ${k.roles.length ? k.roles.join(', ') : 'any'}  valid: ${window}${k.revoked_at ? `  REVOKED ${k.revoked_at}: ${safe(k.revocation_reason ?? '')}` : ''}\n`,
        );
      }
      if (store.keys.length === 0) io.stdout.write('(no keys)\n');
      io.stdout.write(listIdentities(store));
      return 0;
    }
    throw new UsageError(`unknown trust command "${sub}"; use add, revoke or list.`);
  });
}
