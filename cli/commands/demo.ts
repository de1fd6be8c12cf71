// exhibit demo -o demo.evb: writes the built-in demo bundle and its trust file.
import type { CliIo } from '../io';
import { flag, parse, required, runCommand, str } from '../args';
import { refuseOverwrite, writeFilesAtomic } from '../files';
import { buildDemoBundle } from '../../shared/model/demo-bundle';

export const USAGE = `usage: exhibit demo -o demo.evb [--trust-out demo.trust.json] [--force]

Writes a realistic sample evidence bundle (a baseline and a candidate agent, replays with a
policy violation, a routing fallback and a sandbox failure, scorecards, gate, owners),
signed with the demo key, and the trust file that trusts that key: beside the bundle, named
after it (-o X.evb writes X.trust.json), unless --trust-out names it. Both files are
written, or neither.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  return runCommand(io, 'demo', USAGE, async () => {
    const p = parse(args, { out: { type: 'string', short: 'o' }, 'trust-out': { type: 'string' }, force: { type: 'boolean' } });
    if (flag(p, 'help')) {
      io.stdout.write(USAGE);
      return 0;
    }
    const out = required(p, 'out');
    const trustOut = str(p, 'trust-out') ?? `${out.replace(/\.evb$/i, '')}.trust.json`;
    await refuseOverwrite(io, out, flag(p, 'force'));
    await refuseOverwrite(io, trustOut, flag(p, 'force'));
    const demo = await buildDemoBundle();
    // Both or neither: a bundle without its trust file (or the reverse) is of no use.
    await writeFilesAtomic(io, [
      { path: out, bytes: demo.bundle },
      { path: trustOut, bytes: demo.trust },
    ]);
    io.stdout.write(
      `wrote ${out} (${demo.bundle.length} bytes, bundle id ${demo.bundleId})\nwrote ${trustOut} (trusts the demo key)\ntry: exhibit verify ${out} --trust ${trustOut}\n`,
    );
    return 0;
  });
}
