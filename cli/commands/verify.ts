// exhibit verify BUNDLE [--trust FILE] [--key PUB.pem ...] [--at TIME] [--json]
import type { CliIo } from '../io';
import { flag, list, parse, parseTime, runCommand, str, UsageError } from '../args';
import { loadTrust, verifyFile } from '../verify-file';
import { STATUS_EXIT_CODE } from '../../shared/evb/report';
import { formatReport } from '../format';

export const USAGE = `usage: exhibit verify BUNDLE [--trust FILE] [--key PUB.pem ...] [--at TIME] [--json]

Checks a bundle: the zip, every digest in the bag, the signatures and the trust in them.
  --trust FILE   trust store file (spec section 6); without it no signer is trusted
  --key PUB.pem  also trust this public key (PEM or OpenSSH line) for this run; repeatable
  --at TIME      check keys at this time (RFC 3339) instead of now
  --json         print the whole report as JSON (top-level "status")
Exit codes: 0 verified; 3 untrusted-signer, unsigned, key-expired; 1 key-revoked, tampered;
2 malformed; 64 usage error; 66 the bundle or a key cannot be read.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'verify', USAGE, async () => {
    const p = parse(args, {
      trust: { type: 'string' },
      key: { type: 'string', multiple: true },
      at: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (p.positionals.length !== 1)
      throw new UsageError(p.positionals.length === 0 ? 'name the bundle to verify.' : 'verify one bundle at a time.');
    const at = str(p, 'at') !== undefined ? parseTime(str(p, 'at')!, 'at') : io.now();
    const { trust, trustStoreName } = await loadTrust(io, str(p, 'trust'), list(p, 'key'));
    const { report } = await verifyFile(io, p.positionals[0]!, { trust, trustStoreName, at, progress: !flag(p, 'json') });
    io.stdout.write(flag(p, 'json') ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, io.stdout.isTTY));
    return STATUS_EXIT_CODE[report.status];
  });
}
