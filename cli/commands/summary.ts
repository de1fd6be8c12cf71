// exhibit summary BUNDLE --trust FILE -o OUT.pdf [--reviewer NAME --role ROLE --decision TEXT
//   --date DATE] [--at TIME] [--force]: the PDF gate summary.
import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../io';
import { CliError, NO_INPUT_EXIT_CODE, flag, list, parse, parseTime, required, runCommand, str, UsageError } from '../args';
import { exists, refuseOverwrite, resolvePath, writeFileAtomic } from '../files';
import { loadTrust, openVerified } from '../verify-file';
import { STATUS_EXIT_CODE } from '../../shared/evb/report';
import { openBundleModel } from '../../shared/model/open-bundle';
import type { GateSummaryInput } from '../../shared/report/gate-summary';
import { GateSummaryError, buildGateSummary } from '../../shared/report/gate-summary';

export const USAGE = `usage: exhibit summary BUNDLE --trust FILE -o OUT.pdf [--reviewer NAME] [--role ROLE]
                       [--decision TEXT] [--date DATE] [--at TIME] [--key PUB.pem ...] [--force]

Verifies the bundle, then writes its PDF gate summary: a one-page summary to sign, the
approval checklist, the stakeholder views, the cases that drove the verdict and the list
of files with their digests; packet.json, the signed statements and the verification
report are attached to the PDF. A bundle that is not verified carries its status on every
page; a malformed bundle gets no summary.
  --trust FILE       trust store file (spec section 6)
  --key PUB.pem      also trust this public key for this run; repeatable
  -o, --out OUT.pdf  where to write the PDF (never the bundle itself)
  --reviewer, --role, --decision, --date   fill in the sign-off block (empty lines otherwise)
  --at TIME          verification time and the PDF's date (RFC 3339) instead of now
  --force            replace OUT.pdf if it exists
Exit codes as 'exhibit verify': 0 verified; 3 untrusted-signer, unsigned, key-expired;
1 key-revoked, tampered; 2 malformed (no PDF written); 64 usage error; 66 unreadable input;
73 the PDF cannot be written.
`;

const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
  fallback: 'WenQuanYiMicroHei.ttf',
} as const;

/** Finds assets/fonts from this module upwards (a checkout, or a bundled CLI beside it). */
async function fontsDir(): Promise<string> {
  const fromEnv = process.env.EXHIBIT_FONTS_DIR;
  if (fromEnv) return fromEnv;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'assets', 'fonts');
    if (await exists(join(candidate, FONT_FILES.regular))) return candidate;
    dir = dirname(dir);
  }
  throw new CliError(
    'cannot find the fonts of the PDF (assets/fonts); set EXHIBIT_FONTS_DIR to the folder holding them.',
    NO_INPUT_EXIT_CODE,
  );
}

/** The fonts shipped with the project, as bytes. */
export async function loadSummaryFonts(): Promise<GateSummaryInput['fonts']> {
  const dir = await fontsDir();
  const read = async (name: string) => {
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch {
      throw new CliError(`cannot read the font ${join(dir, name)}.`, NO_INPUT_EXIT_CODE);
    }
  };
  return {
    regular: await read(FONT_FILES.regular),
    bold: await read(FONT_FILES.bold),
    mono: await read(FONT_FILES.mono),
    fallback: await read(FONT_FILES.fallback),
  };
}

async function samePath(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  try {
    return (await realpath(a)) === (await realpath(b));
  } catch {
    return false;
  }
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'summary', USAGE, async () => {
    const p = parse(args, {
      trust: { type: 'string' },
      key: { type: 'string', multiple: true },
      out: { type: 'string', short: 'o' },
      reviewer: { type: 'string' },
      role: { type: 'string' },
      decision: { type: 'string' },
      date: { type: 'string' },
      at: { type: 'string' },
      force: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    if (p.positionals.length !== 1)
      throw new UsageError(p.positionals.length === 0 ? 'name the bundle to summarize.' : 'summarize one bundle at a time.');
    const bundle = p.positionals[0]!;
    const out = required(p, 'out');
    if (str(p, 'trust') === undefined && list(p, 'key').length === 0)
      throw new UsageError('--trust is required: a summary states who is trusted to have signed the bundle.');
    if (await samePath(resolvePath(io, bundle), resolvePath(io, out)))
      throw new UsageError('the output would overwrite the bundle; choose another name with -o.');
    await refuseOverwrite(io, out, flag(p, 'force'));
    const at = str(p, 'at') !== undefined ? parseTime(str(p, 'at')!, 'at') : io.now();
    const fonts = await loadSummaryFonts();
    const { trust, trustStoreName } = await loadTrust(io, str(p, 'trust'), list(p, 'key'));

    const opened = await openVerified(io, bundle, { trust, trustStoreName, at, progress: true });
    try {
      const { report } = opened;
      if (report.status === 'malformed') {
        io.stderr.write(`exhibit summary: ${bundle} is malformed, so no summary was written: ${report.summary}\n`);
        for (const f of report.findings.filter((x) => x.severity === 'malformed').slice(0, 5))
          io.stderr.write(`  ${f.code}: ${f.message}\n`);
        return STATUS_EXIT_CODE.malformed;
      }
      const model = await openBundleModel(report, (path, maxBytes) => opened.readEntry(path, maxBytes));
      if (!model.ok)
        throw new CliError(
          `no summary of ${bundle} was written (status ${report.status}): ${model.message}`,
          STATUS_EXIT_CODE[report.status],
        );
      const { packet } = model;

      const signoff = { reviewer: str(p, 'reviewer'), role: str(p, 'role'), decision: str(p, 'decision'), date: str(p, 'date') };
      const result = await buildGateSummary({
        packet,
        report,
        fonts,
        signoff: Object.values(signoff).some((v) => v !== undefined) ? signoff : undefined,
        attachments: { packetJson: model.packetBytes },
        observations: await model.observations(),
        generatedAt: at,
        exhibitVersion: io.version,
      });
      await writeFileAtomic(io, out, result.bytes);
      if (result.missingGlyphs > 0) {
        io.stderr.write(
          `exhibit summary: warning: ${result.missingGlyphs} character(s) no font can draw (${result.missingCodePoints.slice(0, 10).join(', ')}${result.missingCodePoints.length > 10 ? ', …' : ''}) are shown as \uFFFD.\n`,
        );
      }
      io.stdout.write(
        `${out}: gate summary of ${report.bundleId ?? packet.bundle_id}, status ${report.status}, ${result.pageCount} pages, attached ${result.attachmentNames.join(', ')}\n`,
      );
      return STATUS_EXIT_CODE[report.status];
    } catch (e) {
      if (e instanceof GateSummaryError)
        throw new CliError(`${e.message} (${e.code})`, e.code === 'pdf-malformed-bundle' ? STATUS_EXIT_CODE.malformed : 1);
      throw e;
    } finally {
      await opened.close();
    }
  });
}
