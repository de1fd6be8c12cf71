// The `exhibit` command line: a thin dispatcher over cli/commands/<name>.ts, each of which
// exports `run(args, io): Promise<number>` (the exit code).

import { USAGE_EXIT_CODE } from '../shared/evb/report';
import type { CliIo } from './io';
import { nodeIo } from './io';
import { prestartFileWorkers } from '../shared/platform/node-digest';

export { exitWhenFlushed } from './io';

type CommandModule = { run(args: string[], io: CliIo): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  verify: { summary: 'check a bundle: zip, digests, signatures, trust', load: () => import('./commands/verify') },
  summary: { summary: 'write the PDF gate summary of a bundle', load: () => import('./commands/summary') },
  pack: { summary: 'make a bundle from a folder holding data/', load: () => import('./commands/pack') },
  sign: { summary: 'add a signature to a bundle', load: () => import('./commands/sign') },
  keygen: { summary: 'make an Ed25519 signing key pair', load: () => import('./commands/keygen') },
  trust: { summary: 'manage a trust file (trust add)', load: () => import('./commands/trust') },
  demo: { summary: 'write the demo bundle and its trust file', load: () => import('./commands/demo') },
  replay: {
    summary: "list a run agent's replay steps, one step's events, or where baseline and candidate diverge",
    load: () => import('./commands/replay'),
  },
  import: { summary: 'import AgentClash CI artifacts into a bundle (import agentclash)', load: () => import('./commands/import') },
  sigstore: {
    summary: "verify a Sigstore bundle for an artifact (sigstore verify-bundle, Sigstore's conformance protocol)",
    load: () => import('./commands/sigstore'),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: exhibit <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'exhibit <command> --help' for a command's options.\n`;
}

/** Commands that open a bundle file and verify it first. */
const READS_A_BUNDLE = new Set(['verify', 'summary', 'replay']);

/**
 * What the installed command does before `main`: for a command that reads a bundle, start
 * the file workers while the command's code loads (a core is otherwise idle then). Tests
 * call `main` alone.
 */
export function warmUp(argv: string[]): void {
  if (READS_A_BUNDLE.has(argv[0] ?? '') && !argv.includes('--help')) prestartFileWorkers();
}

export async function main(argv: string[], io: CliIo = nodeIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.stdout : io.stderr).write(usage());
    return name ? 0 : USAGE_EXIT_CODE;
  }
  if (name === '--version') {
    io.stdout.write(`${io.version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`exhibit: unknown command '${name}'\n\n${usage()}`);
    return USAGE_EXIT_CODE;
  }
  const module = await command.load();
  return module.run(rest, io);
}
