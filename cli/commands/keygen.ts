// exhibit keygen --out NAME: an Ed25519 key pair as NAME.key.pem (PKCS#8, private, 0600)
// and NAME.pub.pem (SPKI); prints the keyid.
import type { CliIo } from '../io';
import { flag, parse, required, runCommand } from '../args';
import { refuseOverwrite, writeFileAtomic } from '../files';
import { generateEd25519KeyPair, formatFingerprint } from '../../shared/evb/keys';

export const USAGE = `usage: exhibit keygen --out NAME [--force]

Makes an Ed25519 signing key pair: NAME.key.pem (private, PKCS#8, readable only by you)
and NAME.pub.pem (public, SPKI). Prints the keyid to give to whoever will trust it.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'keygen', USAGE, async () => {
    const p = parse(args, { out: { type: 'string' }, force: { type: 'boolean' } });
    if (flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    const out = required(p, 'out').replace(/\.(key|pub)\.pem$/, '');
    const privatePath = `${out}.key.pem`;
    const publicPath = `${out}.pub.pem`;
    await refuseOverwrite(io, privatePath, flag(p, 'force'));
    await refuseOverwrite(io, publicPath, flag(p, 'force'));
    const pair = await generateEd25519KeyPair();
    await writeFileAtomic(io, privatePath, pair.privatePem, 0o600);
    await writeFileAtomic(io, publicPath, pair.publicPem);
    io.stdout.write(
      `private key  ${privatePath} (keep it secret)\npublic key   ${publicPath}\nkeyid        ${pair.keyid}\nfingerprint  ${formatFingerprint(pair.fingerprint)}\n`,
    );
    return 0;
  });
}
