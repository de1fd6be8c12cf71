// What the benchmarks share: generated bundles under bench/.work/, the CLI built as a
// packaged app runs it (esbuild, split per command, and the replay worker beside it), and wall time
// plus peak RSS of a command from /usr/bin/time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
export const work = join(root, 'bench/.work');
export const RUNS = Number(process.env.RUNS ?? 3);
mkdirSync(work, { recursive: true });

/** bench/.work/KIND.evb, written by make_bundle.py the first time it is asked for. */
export function generate(kind) {
  const file = join(work, `${kind}.evb`);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} ...\n`);
    execFileSync('python3', [join(root, 'bench/make_bundle.py'), file, kind], { stdio: 'inherit' });
  }
  return file;
}

/** Bundles cli/main.ts and its replay worker with esbuild; returns the entry to run with node. */
export function buildCli() {
  const out = join(work, 'cli');
  const esbuild = join(root, 'node_modules/.bin/esbuild');
  const common = ['--bundle', '--platform=node', '--format=esm', '--target=node20', '--external:jszip', '--log-level=error'];
  // Split per command, as the tsx run loads only the command it runs: one 3 MB file would
  // have every run compile the PDF writer and the importer too (about 50 ms measured).
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync(
    esbuild,
    [
      join(root, 'cli/main.ts'),
      ...common,
      '--splitting',
      `--outdir=${out}`,
      '--entry-names=exhibit-cli',
      '--chunk-names=chunk-[hash]',
      '--out-extension:.js=.mjs',
    ],
    { stdio: 'inherit' },
  );
  execFileSync(esbuild, [join(root, 'cli/replay-worker.ts'), ...common, `--outfile=${join(out, 'replay-worker.mjs')}`], {
    stdio: 'inherit',
  });
  // As bin/exhibit.mjs does, without tsx.
  writeFileSync(
    join(out, 'run.mjs'),
    "import { exitWhenFlushed, main, warmUp } from './exhibit-cli.mjs';\nconst argv = process.argv.slice(2);\nwarmUp(argv);\nawait exitWhenFlushed(await main(argv));\n",
  );
  return join(out, 'run.mjs');
}

/** One run: wall time (s), peak RSS (MB) and stdout, from /usr/bin/time. */
function runOnce(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // A verifier's exit code carries the status (unsigned is not 0), so only no output fails.
  if (r.signal || !r.stdout)
    throw new Error(`${cmd} ${args.join(' ')} gave no output (exit ${r.status}, ${r.signal ?? 'no signal'}): ${r.stderr.slice(-2000)}`);
  const [secs, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { secs, mb: kb / 1024, stdout: r.stdout };
}

/**
 * Best and median wall time (s) and highest peak RSS (MB) of several commands over `runs`
 * runs, with every run's stdout. The commands' runs alternate (a, b, a, b, ...), so that a
 * command and its reference see the same moments of a noisy machine. `commands` maps a name
 * to [cmd, args]; the result maps it to { secs (best), median, times, mb, stdout, outputs }.
 */
export function measureInterleaved(commands, runs = RUNS) {
  const results = Object.fromEntries(
    Object.keys(commands).map((name) => [name, { secs: Infinity, median: 0, times: [], mb: 0, stdout: '', outputs: [] }]),
  );
  for (let i = 0; i < runs; i++) {
    for (const [name, [cmd, args]] of Object.entries(commands)) {
      const r = runOnce(cmd, args);
      const into = results[name];
      into.times.push(r.secs);
      into.secs = Math.min(into.secs, r.secs);
      into.mb = Math.max(into.mb, r.mb);
      into.stdout = r.stdout;
      into.outputs.push(r.stdout);
    }
  }
  for (const r of Object.values(results)) r.median = [...r.times].sort((a, b) => a - b)[Math.floor((r.times.length - 1) / 2)];
  return results;
}

export const pad = (s, n) => String(s).padStart(n);
