// exhibit sign BUNDLE --key PRIV.pem --role ROLE [--signer NAME] [--email E] [--comment C]
//   [--travel-key] [--at TIME]: adds a signature file to the bundle and rewrites nothing else.
import type { CliIo } from '../io';
import { CliError, NO_INPUT_EXIT_CODE, flag, parse, parseTime, required, runCommand, str, UsageError } from '../args';
import { lstat, realpath } from 'node:fs/promises';
import { openSource, readText, requireRegularFile, resolvePath, writeAtomic } from '../files';
import { verifyBundle } from '../../shared/evb/verify';
import { parsePacket } from '../../shared/model/packet';
import { openZip } from '../../shared/evb/zip';
import { planAppend } from '../../shared/evb/zip-append';
import { makeSignatureFiles } from '../../shared/evb/writer';
import { importSigningKey, formatFingerprint } from '../../shared/evb/keys';
import type { SigningKey } from '../../shared/evb/keys';
import { loadTrust } from '../verify-file';
import { attachedSignature } from './sign-attach';
import { emptyTrustStore } from '../../shared/evb/trust';
import { nodePlatform } from '../../shared/platform/node';
import { STATUS_EXIT_CODE } from '../../shared/evb/report';
import type { ByteSource } from '../../shared/platform/ports';

export const USAGE = `usage: exhibit sign BUNDLE --key PRIV.pem --role ROLE [--signer NAME] [--email EMAIL]
                    [--comment TEXT] [--travel-key] [--at TIME]
       exhibit sign BUNDLE --attach SIG.sigstore.json [--trust FILE]

Signs the bundle's tagmanifest with an in-toto statement in a DSSE envelope and adds it as
signatures/<role>-<key>.dsse.json. Every other byte of the bundle stays as it was, and so
does its file mode; a symbolic link stays a link and the file it points to is signed. The
bundle must be intact (not tampered or malformed) to be signed. Interrupted (Ctrl-C), it
leaves the bundle as it was.
  --role ROLE     producer, approver, auditor, or another role name
  --signer NAME   who signs (default: the role); --email adds an address
  --travel-key    also add the public key, so others can check the mathematics
  --at TIME       the signing time to claim (default: now)
  --attach FILE   add a keyless Sigstore bundle made elsewhere (CI), after checking it signs
                  this bundle and holds against the trusted roots of --trust (default: the
                  built-in public-good root); see docs/keyless.md
`;

async function loadKey(io: CliIo, file: string): Promise<SigningKey> {
  try {
    return await importSigningKey(await readText(io, file, 'private key'));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: ${(e as Error).message}`, NO_INPUT_EXIT_CODE);
  }
}

/**
 * The file to sign: a link is followed, and the file it points to is signed in place (its
 * mode kept), so the link stays a link.
 */
async function bundleFile(io: CliIo, bundlePath: string): Promise<{ mode: number; target: string; linked: boolean }> {
  const mode = (await requireRegularFile(io, bundlePath, 'bundle')).mode & 0o7777;
  const target = await realpath(resolvePath(io, bundlePath));
  const linked = (await lstat(resolvePath(io, bundlePath))).isSymbolicLink();
  return { mode, target, linked };
}

/** Writes the bundle again from its plan: new bytes, and ranges copied from the old file (8 MiB at a time). */
async function writePieces(
  io: CliIo,
  source: ByteSource,
  pieces: ReturnType<typeof planAppend>,
  to: { target: string; mode: number; shownAs: string },
): Promise<void> {
  await writeAtomic(
    io,
    to.target,
    async (write) => {
      for (const piece of pieces) {
        if ('bytes' in piece) {
          await write(piece.bytes);
          continue;
        }
        const chunk = 8 * 1024 * 1024;
        for (let at = 0; at < piece.copy.length; at += chunk) {
          await write(await source.read(piece.copy.offset + at, Math.min(chunk, piece.copy.length - at)));
        }
      }
    },
    to.mode,
    to.shownAs,
  );
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'sign', USAGE, async () => {
    const p = parse(args, {
      key: { type: 'string' },
      role: { type: 'string' },
      signer: { type: 'string' },
      email: { type: 'string' },
      comment: { type: 'string' },
      'travel-key': { type: 'boolean' },
      at: { type: 'string' },
      attach: { type: 'string' },
      trust: { type: 'string' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (p.positionals.length !== 1) throw new UsageError('name the bundle to sign.');
    const bundlePath = p.positionals[0]!;
    const attach = str(p, 'attach');
    if (attach !== undefined && (str(p, 'key') !== undefined || str(p, 'role') !== undefined))
      throw new UsageError('--attach adds a signature made elsewhere: give it without --key and --role.');
    const role = attach !== undefined ? 'attached' : required(p, 'role');
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(role)) throw new UsageError(`--role "${role}" must be 1 to 64 letters, digits, ".", "_" or "-".`);
    const key = attach !== undefined ? null : await loadKey(io, required(p, 'key'));
    const { trust } = attach !== undefined ? await loadTrust(io, str(p, 'trust'), []) : { trust: emptyTrustStore() };
    const signedAt = (str(p, 'at') !== undefined ? parseTime(str(p, 'at')!, 'at') : io.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');

    const { mode, target, linked } = await bundleFile(io, bundlePath);
    const source = await openSource(io, target);
    try {
      const { report, readEntry, paths } = await verifyBundle(source, {
        platform: nodePlatform,
        trust: emptyTrustStore(),
        trustStoreName: 'none',
        checkPacket: parsePacket,
      });
      if (report.status === 'malformed' || report.status === 'tampered') {
        const first = report.findings.find((f) => f.severity === report.status);
        throw new CliError(
          `refusing to sign a ${report.status} bundle: ${first?.message ?? report.summary}`,
          STATUS_EXIT_CODE[report.status],
        );
      }
      const bundleId = report.bundleId!;
      const tagmanifest = await readEntry('tagmanifest-sha256.txt');
      const attached = attach !== undefined ? await attachedSignature(io, attach, report, trust, io.now()) : null;
      const files =
        attached?.files ??
        (await makeSignatureFiles(bundleId, tagmanifest, key!, {
          role,
          signer: { name: str(p, 'signer') ?? role, email: str(p, 'email') ?? null },
          signedAt,
          comment: str(p, 'comment') ?? null,
          travelKey: flag(p, 'travel-key'),
        }));
      const existing = new Set(paths());
      for (const name of files.keys()) {
        if (existing.has(name)) throw new CliError(`${bundlePath} already holds ${name}: this key has signed as ${role} already.`, 1);
      }
      const archive = await openZip(source);
      if (archive.centralDirectoryOffset === undefined) throw new Error('the zip reader did not report where the central directory is');
      const pieces = planAppend(
        {
          centralDirectoryOffset: archive.centralDirectoryOffset,
          centralDirectorySize: archive.centralDirectorySize,
          entryCount: archive.entries.length,
          comment: archive.comment,
        },
        [...files].map(([name, bytes]) => ({ name: `${bundleId}/${name}`, bytes })),
        nodePlatform.crc32,
      );
      await writePieces(io, source, pieces, { target, mode, shownAs: bundlePath });
      if (attached) {
        io.stdout.write(attached.note);
        return 0;
      }
      io.stdout.write(
        `signed ${bundlePath}${linked ? ` (the file it links to, ${target})` : ''} as ${role}: added ${[...files.keys()].join(', ')}\nkeyid ${key!.publicKey.keyid}  fingerprint ${formatFingerprint(key!.publicKey.fingerprint)}\n`,
      );
      return 0;
    } finally {
      await source.close?.();
    }
  });
}
