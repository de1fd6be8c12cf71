// exhibit sigstore verify-bundle: the verify-bundle subcommand of Sigstore's conformance
// CLI protocol (sigstore/sigstore-conformance docs/cli_protocol.md), offline, with the
// built-in public-good trusted root unless --trusted-root names another.
import type { CliIo } from '../io';
import { CliError, NO_INPUT_EXIT_CODE, flag, parse, runCommand, str, UsageError } from '../args';
import { exists, readText, resolvePath } from '../files';
import { readFile } from 'node:fs/promises';
import { verifyArtifactBundle } from '../../shared/evb/sigstore/artifact';
import type { ArtifactPolicy } from '../../shared/evb/sigstore/artifact';
import { publicGoodTrustedRoot } from '../../shared/evb/sigstore/public-good';
import type { TrustedRoot } from '../../shared/evb/sigstore/trusted-root';
import { parseTrustedRoot } from '../../shared/evb/sigstore/trusted-root';
import { safe } from '../format';
import { base64Decode } from '../../shared/evb/encoding';

export const USAGE = `usage: exhibit sigstore verify-bundle --bundle FILE --certificate-identity IDENTITY
                    --certificate-oidc-issuer URL [--trusted-root FILE] FILE_OR_DIGEST
       exhibit sigstore verify-bundle --bundle FILE --key PUB.pem [--trusted-root FILE] FILE_OR_DIGEST

Verifies a Sigstore bundle for an artifact offline, as Sigstore's conformance CLI protocol
asks: certificate chain to a CA of the trusted root, SCT, transparency-log entry and its
proof, signing time, signature, and the expected identity (SAN) and OIDC issuer.
FILE_OR_DIGEST is the artifact (for a DSSE bundle: a subject of its in-toto statement), or
its digest as sha256:<64 hex digits>. Without --trusted-root the built-in Sigstore
public-good root applies. No network is used: --staging needs --trusted-root.
Exit codes: 0 verified; 1 not verified; 64 usage error; 66 an input cannot be read.
`;

async function loadRoot(io: CliIo, file: string | undefined, staging: boolean): Promise<TrustedRoot> {
  if (file === undefined) {
    if (staging) throw new CliError('--staging needs --trusted-root: Exhibit ships only the public-good root and never fetches one.', 1);
    return publicGoodTrustedRoot();
  }
  try {
    return parseTrustedRoot(JSON.parse(await readText(io, file, 'trusted root')), file);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${file}: not a usable trusted root: ${(e as Error).message}`, 1);
  }
}

async function artifactOf(io: CliIo, arg: string): Promise<ArtifactPolicy['artifact']> {
  const digest = /^sha256:([0-9a-f]{64})$/.exec(arg);
  if (digest && !(await exists(resolvePath(io, arg)))) return { sha256: digest[1]! };
  try {
    return { bytes: new Uint8Array(await readFile(resolvePath(io, arg))) };
  } catch (e) {
    throw new CliError(`${arg}: cannot read the artifact (${(e as Error).message})`, NO_INPUT_EXIT_CODE);
  }
}

async function keyOf(io: CliIo, file: string): Promise<Uint8Array> {
  const text = await readText(io, file, 'public key');
  const m = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(text);
  if (!m) throw new CliError(`${file}: not a PEM public key.`, NO_INPUT_EXIT_CODE);
  try {
    return base64Decode(m[1]!.replace(/\s+/g, ''));
  } catch {
    throw new CliError(`${file}: the PEM body is not base64.`, NO_INPUT_EXIT_CODE);
  }
}

async function verifyBundleCommand(args: string[], io: CliIo): Promise<number> {
  const p = parse(args, {
    bundle: { type: 'string' },
    'certificate-identity': { type: 'string' },
    'certificate-oidc-issuer': { type: 'string' },
    'trusted-root': { type: 'string' },
    key: { type: 'string' },
    staging: { type: 'boolean' },
  });
  if (flag(p, 'help')) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (p.positionals.length !== 1) throw new UsageError('name one artifact or sha256: digest.');
  const bundleFile = str(p, 'bundle');
  if (!bundleFile) throw new UsageError('--bundle is required.');
  const identity = str(p, 'certificate-identity');
  const issuer = str(p, 'certificate-oidc-issuer');
  const keyFile = str(p, 'key');
  if (keyFile === undefined && (!identity || !issuer))
    throw new UsageError('--certificate-identity and --certificate-oidc-issuer are required (or --key for a managed-key bundle).');
  if (keyFile !== undefined && (identity || issuer))
    throw new UsageError('give --key or --certificate-identity with --certificate-oidc-issuer, not both.');
  const keySpki = keyFile === undefined ? undefined : await keyOf(io, keyFile);
  const root = await loadRoot(io, str(p, 'trusted-root'), flag(p, 'staging'));
  const bundleText = await readText(io, bundleFile, 'Sigstore bundle');
  const result = await verifyArtifactBundle(bundleText, root, {
    artifact: await artifactOf(io, p.positionals[0]!),
    identity,
    issuer,
    keySpki,
  });
  if (!result.ok) {
    io.stderr.write(`exhibit sigstore verify-bundle: not verified (${result.step}): ${safe(result.message, 600)}\n`);
    return 1;
  }
  const { proof } = result;
  io.stdout.write(
    `OK: ${proof.identity ? `${safe(proof.identity.san ?? '')} (${safe(proof.identity.issuer ?? '')})` : `key ${keyFile ?? ''}`}\n` +
      `  log ${safe(proof.log?.url ?? '')} entry ${proof.log?.logIndex ?? ''}; signed at ${proof.signingTime.time} (proven by ${proof.signingTime.source} ${safe(proof.signingTime.authority)})\n`,
  );
  return 0;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'sigstore', USAGE, async () => {
    const [sub, ...rest] = args;
    if (sub === '--help' || sub === '-h') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (sub !== 'verify-bundle')
      throw new UsageError(
        sub === undefined ? 'name a subcommand: verify-bundle.' : `unknown sigstore command "${sub}"; use verify-bundle.`,
      );
    return verifyBundleCommand(rest, io);
  });
}
