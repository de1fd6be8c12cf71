// Where the web build's verification time goes: builds the web build without
// minifying (so the profile names functions and rolldown's "// path" lines name source files)
// into bench/.work/profile/out/renderer, opens each bundle in Chromium with a V8 CPU profile
// of the verify worker (bench/web-cdp.ts), and sums the samples' self time by source file
// and native function (a native call counts under the source file that called it).
// The worker's "(idle)" time is time it waited: for Blob reads (the browser process), for
// WebCrypto digests (Chromium's thread pool) and for stream callbacks.
// Run: node --import tsx bench/web-profile.ts [CASES]   (default large,many; ANALYZE_ONLY=1
// sums the profiles of the last run again)
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generate, root } from './lib.mjs';
import type { CpuProfile } from './web-cdp';

const work = join(root, 'bench/.work/profile');
const outDir = join(work, 'out/renderer');
if (!process.env.ANALYZE_ONLY)
  execFileSync('npx', ['vite', 'build', '--minify', 'false', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: root,
    stdio: 'inherit',
  });
const workerJs = readdirSync(join(outDir, 'assets')).find((f) => /^verify\.worker-.*\.js$/.test(f))!;
const lines = readFileSync(join(outDir, 'assets', workerJs), 'utf8').split('\n');
/** Source file of each line of the worker bundle, from rolldown's "// shared/x.ts" lines. */
const regionOf: string[] = [];
let region = '(bundle)';
for (const line of lines) {
  const m = /^\/\/ (\S+\.[cm]?[jt]sx?)$/.exec(line);
  if (m) region = m[1]!.replace(/^.*?(shared|renderer|node_modules)\//, '$1/');
  regionOf.push(region);
}

function breakdown(p: CpuProfile): Array<[string, number]> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fileOf = (id: number | undefined): string => {
    for (let n = id; n != null; n = parent.get(n)) {
      const f = byId.get(n)!.callFrame;
      if (f.url.includes(workerJs)) return `${regionOf[f.lineNumber] ?? '(bundle)'} ${f.functionName || '(anonymous)'}`;
    }
    return '(no JS caller)';
  };
  /** The SHA-256 of the whole file or of the entries: hashWholeSource on the stack or not. */
  const hashOf = (id: number): string => {
    for (let n: number | undefined = id; n != null; n = parent.get(n))
      if (byId.get(n)!.callFrame.functionName === 'hashWholeSource') return ', whole file';
    return ', entries';
  };
  const sums = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]!)!;
    const f = node.callFrame;
    let key: string;
    const file = regionOf[f.lineNumber] ?? '(bundle)';
    if (f.url.includes(workerJs)) key = `${file} ${f.functionName || '(anonymous)'}${file.endsWith('sha256.ts') ? hashOf(node.id) : ''}`;
    else if (/^\((idle|garbage collector|program|root)\)$/.test(f.functionName)) key = f.functionName;
    else key = `${fileOf(node.id)}: native ${f.functionName || '(anonymous)'}`;
    sums.set(key, (sums.get(key) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
  }
  return [...sums].sort((a, b) => b[1] - a[1]);
}

const cases = (process.argv[2] ?? 'large,many').split(',');
const tsx = import.meta.resolve('tsx');
for (const kind of cases) {
  const file = generate(kind);
  const profile = join(work, `${kind}.cpuprofile`);
  if (!process.env.ANALYZE_ONLY) run(file, profile);
  const p = JSON.parse(readFileSync(profile, 'utf8')) as CpuProfile;
  const total = (p.endTime - p.startTime) / 1000;
  console.log(`\n${kind}: worker profile ${(total / 1000).toFixed(2)} s (the profiler slows the run)`);
  for (const [key, ms] of breakdown(p).slice(0, 20))
    console.log(`  ${(ms / 1000).toFixed(2).padStart(6)} s ${((ms / total) * 100).toFixed(0).padStart(3)}%  ${key}`);
}

/** One profiled run, from bench/.work/profile so that the harness serves the unminified build. */
function run(file: string, profile: string): void {
  const r = spawnSync('node', ['--import', tsx, join(root, 'bench/web-browser.ts'), file, '--profile', profile], {
    cwd: work,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr.slice(-3000));
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; status: string };
  console.log(`\n${file}: ${(out.ms / 1000).toFixed(2)} s to "${out.status}" with the profiler on`);
}
