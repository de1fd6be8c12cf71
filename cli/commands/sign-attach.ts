// exhibit sign BUNDLE --attach SIG.sigstore.json: a keyless signature made elsewhere (CI
// with cosign or sigstore-js, spec 5.1) is checked against this bundle before it is added
// to signatures/. Exhibit never signs keylessly itself: that needs the network.
import type { CliIo } from '../io';
import { CliError, NO_INPUT_EXIT_CODE } from '../args';
import { readFile } from 'node:fs/promises';
import { resolvePath } from '../files';
import type { TrustStore } from '../../shared/evb/crypto-types';
import type { VerificationReport } from '../../shared/evb/report';
import { checkKeylessSignature, isKeylessBundle } from '../../shared/evb/sigstore/evb-signature';
import { signatureStem } from '../../shared/evb/writer';
import { safe } from '../format';

const MAX_SIGNATURE_FILE = 1024 * 1024;

/** Reads and checks the Sigstore bundle; returns the signatures/ entry to add and a line for the user. */
export async function attachedSignature(
  io: CliIo,
  file: string,
  report: VerificationReport,
  trust: TrustStore,
  at: Date,
): Promise<{ files: Map<string, Uint8Array>; note: string }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(resolvePath(io, file)));
  } catch (e) {
    throw new CliError(`${file}: cannot read the Sigstore bundle (${(e as Error).message})`, NO_INPUT_EXIT_CODE);
  }
  if (bytes.length > MAX_SIGNATURE_FILE) throw new CliError(`${file} is larger than a signature file may be (1 MiB).`, 1);
  if (!isKeylessBundle(bytes)) throw new CliError(`${file} is not a Sigstore bundle with a certificate (keyless signature).`, 1);
  const { check, findings } = await checkKeylessSignature(`signatures/${file}`, bytes, {
    trustedRoots: trust.trusted_roots,
    identities: trust.identities ?? [],
    at,
    bundleId: report.bundleId!,
    tagmanifestSha256: report.tagmanifestSha256,
  });
  const problem = findings.find((f) => f.severity !== 'warning') ?? findings[0];
  if (check.math !== 'valid' || check.statementMatches !== true)
    throw new CliError(
      `refusing to attach ${file}: ${problem?.message.replace(/^signatures\/[^:]*: /, '') ?? 'it does not sign this bundle'}`,
      1,
    );
  const name = `signatures/${signatureStem(check.role!, check.keyFingerprint!)}.sigstore.json`;
  const k = check.keyless!;
  return {
    files: new Map([[name, bytes]]),
    note: `attached ${name}: signed as ${safe(check.role!)} by ${safe(k.san ?? '?')} (${safe(k.issuer ?? '?')}), ${k.log ? `log ${safe(k.log.url)} entry ${k.log.logIndex}, ` : ''}signed at ${k.provenTime} (proven)\ntrust: ${check.trust}${check.trustDetail ? ` (${safe(check.trustDetail)})` : ''}\n`,
  };
}
