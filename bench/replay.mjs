#!/usr/bin/env node
// npm run bench:replay — indexing a 1,000,000-event replay, beside a reference in
// the same run: Python's zipfile + json.loads on every line into compact arrays
// (bench/reference_replay.py: no steps, names or offsets, so a floor, not a viewer).
// The bundle (200 chunks of 5,000 events, 2,000 cases) is generated at bench time.
//   Node     `exhibit replay BUNDLE --json --limit 1` (the bundled CLI; the index is built on a
//            worker thread): index time and the index's own size from its JSON, wall time
//            (verify included) and peak RSS from /usr/bin/time; best of RUNS, alternating with the
//            reference's runs.
//   Chromium the web build (npm run build) opens the bundle; the Replay tab indexes it in the
//            Web Worker; first screen after the index is ready; then a scripted scroll from
//            the first step to the last, one scroll position per animation frame, whose frame
//            times give p50/p95 (bench/replay-browser.ts).
//   Chromium, 200,000 events (issue 19): the same page on a 200,000-event bundle, the index
//            built in the background after verification, then the Replay tab opened, a
//            search and a compare; the page renderer's RSS after them.
// Goals: index under 10 s in Node and in the browser worker, index memory under 300 MB,
// first screen within 1 s of the index, scrolling responsive (frame p95 under 50 ms); on
// 200,000 events: indexed in the background, first screen within 1 s of opening the tab,
// scroll frame p95 under 32 ms, renderer under 400 MB after a search and a compare.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, generate, measureInterleaved, pad, root } from './lib.mjs';

const file = generate('replay');
const cli = buildCli();

const { node, ref } = measureInterleaved({
  node: ['node', [cli, 'replay', file, '--json', '--limit', '1']],
  ref: ['python3', [join(root, 'bench/reference_replay.py'), file, 'ra-candidate']],
});
const nodeRuns = node.outputs.map((o) => JSON.parse(o));
const nodeReport = nodeRuns[0];
const nodeIndexMs = Math.min(...nodeRuns.map((r) => r.index_ms));
const refSeconds = Math.min(...ref.outputs.map((o) => JSON.parse(o).seconds));

if (!existsSync(join(root, 'out/renderer/index.html'))) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
/** One run of the web build in Chromium over `bundle` (bench/replay-browser.ts): its JSON line. */
function inBrowser(bundle) {
  const b = spawnSync('node', ['--import', 'tsx', join(root, 'bench/replay-browser.ts'), bundle], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (b.status !== 0) throw new Error(`bench/replay-browser.ts failed:\n${b.stderr.slice(-3000)}`);
  return JSON.parse(b.stdout.trim().split('\n').pop());
}
const browser = inBrowser(file);
const browser200k = inBrowser(generate('replay200k'));

const events = nodeReport.events;
console.log(
  `\nreplay index of ${events.toLocaleString('en')} events (${nodeReport.steps.toLocaleString('en')} steps), ${new Date().toISOString()}`,
);
console.log(`${'where'.padEnd(34)} ${pad('index s', 8)} ${pad('wall s', 7)} ${pad('memory MB', 10)}`);
console.log(
  `${'exhibit, Node worker thread'.padEnd(34)} ${pad((nodeIndexMs / 1000).toFixed(2), 8)} ${pad(node.secs.toFixed(2), 7)} ${pad((nodeReport.index_bytes / 1048576).toFixed(0), 10)}  (index; process peak RSS ${node.mb.toFixed(0)} MB, wall includes verify)`,
);
console.log(
  `${'exhibit, Chromium Web Worker'.padEnd(34)} ${pad((browser.indexMs / 1000).toFixed(2), 8)} ${pad('-', 7)} ${pad(browser.heapMb.toFixed(0), 10)}  (page JS heap holding the index; verify took ${(browser.verifyMs / 1000).toFixed(2)} s)`,
);
console.log(
  `${'reference: python json.loads'.padEnd(34)} ${pad(refSeconds.toFixed(2), 8)} ${pad(ref.secs.toFixed(2), 7)} ${pad(ref.mb.toFixed(0), 10)}  (peak RSS)`,
);
console.log(
  `first screen ${browser.firstPaintMs.toFixed(0)} ms after the index; scroll over ${browser.scroll.frames} frames to sequence ${browser.scroll.lastSeq}: p50 ${browser.scroll.p50.toFixed(1)} ms, p95 ${browser.scroll.p95.toFixed(1)} ms, max ${browser.scroll.max.toFixed(1)} ms per frame`,
);
console.log(
  `Replay tab to first screen ${(browser.tabToFirstScreenMs / 1000).toFixed(2)} s (indexed in the background in ${((browser.backgroundIndexMs ?? NaN) / 1000).toFixed(2)} s after verification); search ${(browser.searchMs / 1000).toFixed(2)} s (${browser.matches}); compare ${(browser.compareMs / 1000).toFixed(2)} s; page renderer RSS ${browser.rendererAfterVerifyMb.toFixed(0)} MB after verify, ${browser.rendererAfterSearchCompareMb.toFixed(0)} MB after a search and a compare (peak ${browser.rendererPeakMb.toFixed(0)} MB)`,
);
const b2 = browser200k;
console.log(
  `200,000 events in Chromium: verify ${(b2.verifyMs / 1000).toFixed(2)} s, indexed in the background ${((b2.backgroundIndexMs ?? NaN) / 1000).toFixed(2)} s after it; Replay tab to first screen ${b2.tabToFirstScreenMs} ms; scroll p95 ${b2.scroll.p95.toFixed(1)} ms; search ${(b2.searchMs / 1000).toFixed(2)} s, compare ${(b2.compareMs / 1000).toFixed(2)} s; page renderer ${b2.rendererAfterSearchCompareMb.toFixed(0)} MB after them (${b2.rendererMeasure})`,
);
console.log(
  'events in one trace, as published: Langfuse at most 20,000 observations; LangSmith 25,000 runs; Inspect designed around a 337,000-event sample',
);

const goals = [
  ['index under 10 s in Node', nodeIndexMs < 10_000, `${(nodeIndexMs / 1000).toFixed(2)} s`],
  ['index under 10 s in the browser worker', browser.indexMs < 10_000, `${(browser.indexMs / 1000).toFixed(2)} s`],
  ['index memory under 300 MB (Node)', nodeReport.index_bytes < 300 * 1048576, `${(nodeReport.index_bytes / 1048576).toFixed(0)} MB`],
  ['index memory under 300 MB (browser page heap)', browser.heapMb < 300, `${browser.heapMb.toFixed(0)} MB`],
  ['first screen within 1 s of the index', browser.firstPaintMs < 1000, `${browser.firstPaintMs.toFixed(0)} ms`],
  [
    'scroll first to last responsive (frame p95 under 50 ms)',
    browser.scroll.p95 < 50 && browser.scroll.lastSeq > events * 0.99,
    `p95 ${browser.scroll.p95.toFixed(1)} ms`,
  ],
  ['no page errors', browser.errors.length === 0, browser.errors.join('; ') || 'none'],
  ['200,000 events: indexed in the background after verification', b2.backgroundIndexMs !== null, `${b2.backgroundIndexMs} ms`],
  ['200,000 events: first screen within 1 s of opening the tab, once indexed', b2.tabToFirstScreenMs < 1000, `${b2.tabToFirstScreenMs} ms`],
  ['200,000 events: scroll frame p95 under 32 ms', b2.scroll.p95 < 32, `p95 ${b2.scroll.p95.toFixed(1)} ms`],
  [
    '200,000 events: page renderer under 400 MB after a search and a compare',
    b2.rendererAfterSearchCompareMb < 400,
    `${b2.rendererAfterSearchCompareMb.toFixed(0)} MB`,
  ],
  ['200,000 events: no page errors', b2.errors.length === 0, b2.errors.join('; ') || 'none'],
];
console.log('\ngoals');
for (const [name, ok, detail] of goals) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name} (${detail})`);
process.exit(goals.every(([, ok]) => ok) ? 0 : 1);
