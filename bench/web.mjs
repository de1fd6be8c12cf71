#!/usr/bin/env node
// npm run bench:web — the web build verifying in Debian's Chromium beside `exhibit verify` on
// the same file in the same run. Builds the web build (vite build), generates the
// verify bench's bundles under bench/.work/ (kept between runs), then for each case runs
// the CLI and the browser alternately RUNS times (default 3):
//   cli      the bundled CLI (bench/lib.mjs buildCli), `verify FILE --json`, wall time from
//            /usr/bin/time
//   web      bench/web-browser.ts: a fresh Chromium opens the file through the file input;
//            time from the input's change event to the final status badge (in the page), and
//            to the file's SHA-256, which the web build computes after the status (the CLI's
//            report has it), and the peak RSS of the page's renderer process (its dedicated
//            workers are threads of it) until then, from /proc, sampled every 100 ms
//   floor    bench/web-levers.ts --floor: the CPU the entry workers' own primitives need
//            for the file's bytes before the status (SHA-256, CRC-32, inflate at the rates
//            measured in Chromium on its real bytes), over this machine's cores, and the file
//            hash's after it. The web build cannot be faster; what it takes beyond is reads,
//            messages and the page.
// Goals: large and many within 3x of the CLI (medians), renderer peak under 600 MB.
// CASES=large,many RUNS=3 by default; SKIP_BUILD=1 keeps out/renderer as it is.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, generate, measureInterleaved, pad, root } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const cases = (process.env.CASES ?? 'large,many').split(',');

if (!process.env.SKIP_BUILD) {
  const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('vite build failed');
}
const cli = buildCli();

function floorOf(file) {
  const r = spawnSync('node', ['--import', 'tsx', join(root, 'bench/web-levers.ts'), '--floor', file], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/web-levers.ts --floor failed:\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function webRun(file) {
  const r = spawnSync('node', ['--import', 'tsx', join(root, 'bench/web-browser.ts'), file], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench/web-browser.ts failed:\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** The longest time (s) the progress bar kept one value while the page was still verifying. */
function longestStall(samples) {
  let longest = 0;
  let since = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i][1] !== samples[i - 1][1]) since = samples[i][0];
    else longest = Math.max(longest, samples[i][0] - since);
  }
  return longest / 1000;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const rows = [];
for (const kind of cases) {
  const file = generate(kind);
  const cliTimes = [];
  const webRuns = [];
  let cliStatus = '';
  let cliMb = 0;
  for (let i = 0; i < RUNS; i++) {
    const { ex } = measureInterleaved({ ex: ['node', [cli, 'verify', file, '--json']] }, 1);
    cliTimes.push(ex.secs);
    cliMb = Math.max(cliMb, ex.mb);
    cliStatus = JSON.parse(ex.stdout).status;
    const w = webRun(file);
    process.stderr.write(
      `${kind} run ${i + 1}: cli ${ex.secs.toFixed(2)} s, web ${(w.ms / 1000).toFixed(2)} s (file SHA-256 in at ${(w.digestMs / 1000).toFixed(2)} s), ${w.rendererHwmMb.toFixed(0)} MB\n`,
    );
    webRuns.push(w);
  }
  const webTimes = webRuns.map((w) => w.ms / 1000);
  const digestTimes = webRuns.map((w) => w.digestMs / 1000);
  rows.push({
    kind,
    floor: floorOf(file),
    size: statSync(file).size,
    cli: { median: median(cliTimes), best: Math.min(...cliTimes), mb: cliMb, status: cliStatus },
    web: {
      median: median(webTimes),
      best: Math.min(...webTimes),
      digest: { median: median(digestTimes), best: Math.min(...digestTimes) },
      fileHash: [...new Set(webRuns.map((w) => w.fileHash))].join(','),
      mb: Math.max(...webRuns.map((w) => w.rendererHwmMb)),
      allRenderersMb: Math.max(...webRuns.map((w) => w.rendererPeakMb)),
      browserMb: Math.max(...webRuns.map((w) => w.peakByTypeMb.browser ?? 0)),
      stall: Math.max(...webRuns.map((w) => longestStall(w.progress))),
      statuses: [...new Set(webRuns.map((w) => w.status))].join(','),
      errors: webRuns.flatMap((w) => w.errors),
    },
  });
}

console.log(`\nweb build in Chromium vs exhibit verify, ${RUNS} alternating runs, median (best), ${new Date().toISOString()}`);
console.log(
  `${'case'.padEnd(6)} ${pad('file MB', 8)} ${pad('cli s', 12)} ${pad('web s', 14)} ${pad('ratio', 6)} ${pad('web+sha s', 14)} ${pad('cli MB', 7)} ${pad('renderer MB', 12)} ${pad('stall s', 8)}  status cli / web`,
);
const both = (m) => `${m.median.toFixed(2)} (${m.best.toFixed(2)})`;
for (const r of rows)
  console.log(
    `${r.kind.padEnd(6)} ${pad((r.size / 1048576).toFixed(0), 8)} ${pad(both(r.cli), 12)} ${pad(both(r.web), 14)} ${pad((r.web.median / r.cli.median).toFixed(1), 6)} ${pad(both(r.web.digest), 14)} ${pad(r.cli.mb.toFixed(0), 7)} ${pad(r.web.mb.toFixed(0), 12)} ${pad(r.web.stall.toFixed(1), 8)}  ${r.cli.status} / ${r.web.statuses}`,
  );
console.log(
  'renderer MB: peak RSS (VmHWM) of the page renderer process, which holds the page and its dedicated workers;',
  rows
    .map((r) => `${r.kind}: all renderers together ${r.web.allRenderersMb.toFixed(0)} MB, browser process ${r.web.browserMb.toFixed(0)} MB`)
    .join('; '),
);
console.log(
  "web s: to the final status; web+sha s: to the file's SHA-256, which the web build computes after the status (the CLI's report has it)",
);
console.log('stall s: the longest time the progress bar kept one value while verification went on');
for (const { kind, floor: f, cli: c } of rows)
  console.log(
    `floor ${kind}: ${f.cpuS.toFixed(2)} s of CPU to the status in the primitives alone (SHA-256 of ${f.mb.entries.toFixed(0)} MB of entries at ${f.rates.sha256.toFixed(0)} MB/s, CRC-32 at ${f.rates.crc32.toFixed(0)}, inflate of ${f.mb.deflated.toFixed(0)} MB at ${f.rates.inflate.toFixed(0)}), ${f.floorS.toFixed(2)} s on ${f.cores} cores = ${(f.floorS / c.median).toFixed(1)}x the CLI; then the file's SHA-256, ${f.mb.file.toFixed(0)} MB, ${f.fileCpuS.toFixed(2)} s of CPU on one thread`,
  );

const goals = [];
for (const r of rows) {
  const ratio = r.web.median / r.cli.median;
  goals.push([
    `${r.kind}: web within 3x of the CLI (medians)`,
    ratio <= 3,
    `${ratio.toFixed(1)}x: ${r.web.median.toFixed(2)} s vs ${r.cli.median.toFixed(2)} s`,
  ]);
  goals.push([`${r.kind}: renderer peak memory under 600 MB`, r.web.mb < 600, `${r.web.mb.toFixed(0)} MB`]);
  goals.push([
    `${r.kind}: same status as the CLI, the file's SHA-256 in, no page errors`,
    r.web.statuses === r.cli.status && r.web.fileHash === 'in-report' && r.web.errors.length === 0,
    `${r.cli.status} / ${r.web.statuses}${r.web.errors.length ? `; ${r.web.errors.join('; ')}` : ''}`,
  ]);
}
console.log('\ngoals');
for (const [name, ok, detail] of goals) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name} (${detail})`);
process.exit(goals.every(([, ok]) => ok) ? 0 : 1);
