// exhibit import agentclash --ci-dir DIR [--events FILE...] [--pack PACK.yaml]
//   [--ci-manifest ci.yaml] [--baseline-scorecard FILE] [--meta META.yaml] --id ID -o OUT.evb
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CliIo } from '../io';
import { CliError, NO_INPUT_EXIT_CODE, flag, list, parse, required, runCommand, str, UsageError } from '../args';
import { describeFsError, exists, refuseOverwrite, requireRegularFile, resolvePath, writeFileAtomic } from '../files';
import { ImportError, importAgentClash } from '../../shared/model/agentclash-import';
import type { Parsed } from '../../shared/model/agentclash-import';
import { BagWriteError, makeBag, zipBag } from '../../shared/evb/writer';

export const USAGE = `usage: exhibit import agentclash --ci-dir DIR --id ID -o OUT.evb [--events FILE...]
                    [--pack PACK.yaml] [--ci-manifest ci.yaml] [--baseline-scorecard FILE]
                    [--meta META.yaml] [--force]

Makes an unsigned evidence bundle from an AgentClash CI run: the artifacts of
'agentclash ci run --artifact-dir DIR' (run, scorecard, comparison, gate, result .json),
the event exports of 'agentclash run events export' (one run per file: the candidate's run
and the baseline's), the challenge pack YAML and the CI manifest. Everything upstream does
not record is derived and listed in the packet's "derived"; META.yaml supplies the decision,
owners and retention. A CI run that had no baseline or stopped before the release gate is
refused: there is no gate to import.
Sign it afterwards with 'exhibit sign'. See docs/agentclash-import.md for the mapping.
`;

async function readBytes(io: CliIo, path: string, what: string): Promise<Uint8Array> {
  await requireRegularFile(io, path, what); // a FIFO would block the read, /dev/zero never end
  try {
    return new Uint8Array(await readFile(resolvePath(io, path)));
  } catch (e) {
    throw new CliError(`cannot read ${what} ${path}: ${describeFsError(e)}`, NO_INPUT_EXIT_CODE);
  }
}

function parseDoc(file: string, bytes: Uint8Array, yaml: boolean): Parsed {
  const text = new TextDecoder().decode(bytes);
  try {
    return { file, doc: yaml ? parseYaml(text, { maxAliasCount: 100 }) : JSON.parse(text) };
  } catch (e) {
    throw new CliError(`${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`, 2);
  }
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'import', USAGE, async () => {
    const [source, ...rest] = args;
    if (source === '--help' || source === '-h') {
      io.stdout.write(USAGE);
      return 0;
    }
    if (source !== 'agentclash')
      throw new UsageError(
        source ? `unknown source "${source}"; Exhibit imports from agentclash.` : 'name the source: exhibit import agentclash ...',
      );
    const p = parse(rest, {
      'ci-dir': { type: 'string' },
      events: { type: 'string', multiple: true },
      pack: { type: 'string' },
      'ci-manifest': { type: 'string' },
      'baseline-scorecard': { type: 'string' },
      meta: { type: 'string' },
      id: { type: 'string' },
      out: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
    });
    if (flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    const ciDir = required(p, 'ci-dir');
    const events = list(p, 'events');
    const id = required(p, 'id');
    const out = required(p, 'out');
    await refuseOverwrite(io, out, flag(p, 'force'));

    const verbatim = new Map<string, Uint8Array>();
    const keep = (name: string, bytes: Uint8Array) => {
      if (verbatim.has(name)) throw new UsageError(`two inputs are both named ${name}; rename one.`);
      verbatim.set(name, bytes);
    };
    const ci: Record<string, Parsed> = {};
    for (const name of ['run', 'scorecard', 'comparison', 'gate', 'result']) {
      const path = join(ciDir, `${name}.json`);
      let bytes: Uint8Array;
      try {
        if (await exists(resolvePath(io, path))) await requireRegularFile(io, path, `CI artifact`);
        bytes = new Uint8Array(await readFile(resolvePath(io, path)));
      } catch (e) {
        if (e instanceof CliError) throw e;
        if (name === 'result') continue;
        throw new CliError(
          `cannot read ${path}: ${describeFsError(e)} (the --ci-dir of 'agentclash ci run --artifact-dir' holds run, scorecard, comparison and gate .json)`,
          NO_INPUT_EXIT_CODE,
        );
      }
      keep(`ci-${name}.json`, bytes);
      ci[name] = parseDoc(path, bytes, false);
    }
    const eventFiles = [];
    for (const path of events) {
      const bytes = await readBytes(io, path, 'event export');
      keep(basename(path).startsWith('events') ? basename(path) : `events-${basename(path)}`, bytes);
      eventFiles.push({ file: path, text: new TextDecoder().decode(bytes) });
    }
    const optional = async (option: string, what: string, yaml: boolean): Promise<Parsed | undefined> => {
      const path = str(p, option);
      if (path === undefined) return undefined;
      const bytes = await readBytes(io, path, what);
      if (option !== 'meta') keep(basename(path), bytes);
      return parseDoc(path, bytes, yaml);
    };
    const pack = await optional('pack', 'challenge pack', true);
    const ciManifest = await optional('ci-manifest', 'CI manifest', true);
    const baselineScorecard = await optional('baseline-scorecard', 'baseline scorecard', false);
    const meta = await optional('meta', 'meta file', true);

    try {
      const { payload, packet, notices } = importAgentClash({
        bundleId: id,
        ci: { run: ci.run!, scorecard: ci.scorecard!, comparison: ci.comparison!, gate: ci.gate!, result: ci.result },
        events: eventFiles,
        pack: pack ? { ...pack, file: basename(pack.file) } : undefined,
        ciManifest,
        baselineScorecard,
        meta,
        verbatim,
        now: io
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
      });
      const bag = await makeBag(payload, {
        bundleId: id,
        baggingDate: io.now().toISOString().slice(0, 10),
        softwareAgent: `Exhibit ${io.version} (import agentclash)`,
      });
      const zip = await zipBag(id, bag);
      await writeFileAtomic(io, out, zip);
      io.stdout.write(
        `wrote ${out}: ${payload.size} payload files, gate ${packet.gate.verdict}, recommendation ${packet.decision.recommendation}${packet.derived?.includes('/decision') ? ' (derived from the verdict; give --meta to state it)' : ''}\n` +
          `${packet.derived?.length ?? 0} fields derived rather than recorded (listed in the packet). Unsigned: sign it with 'exhibit sign'.\n`,
      );
      for (const n of notices) io.stderr.write(`note: ${n}\n`);
      return 0;
    } catch (e) {
      if (e instanceof ImportError || e instanceof BagWriteError) throw new CliError(e.message, 2);
      throw e;
    }
  });
}
