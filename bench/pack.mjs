#!/usr/bin/env node
// npm run bench:pack — `exhibit pack` of a ~1 GiB payload folder (the `large` payload of
// bench:verify: 10 x 50 MiB JSONL + 10 x 50 MiB random, extracted from its generated bundle
// into bench/.work/pack-large/data/) beside Info-ZIP's `zip -r` (level 6, the default) and
// Python's zipfile (bench/reference_pack.py) on the same folder, in the same run.
// Exhibit does more than either: it hashes every file for the manifest first (a second
// read) and checks the packet. Goals (issue 16): no slower than `zip -r` (median of RUNS
// alternating runs), peak RSS under 300 MB; the packed bundle verifies (unsigned).
// Needs Info-ZIP's zip (apt-get install -y zip), python3 and /usr/bin/time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, generate, measureInterleaved, pad, root, work } from './lib.mjs';

const RUNS = Number(process.env.RUNS ?? 3);

if (spawnSync('zip', ['-v'], { stdio: 'ignore' }).status !== 0) {
  console.error('bench:pack needs Info-ZIP zip as the reference: apt-get install -y zip');
  process.exit(1);
}

/** bench/.work/pack-large/: data/ of the `large` bundle, extracted once. */
function payloadFolder() {
  const folder = join(work, 'pack-large');
  if (!existsSync(join(folder, 'data/packet.json'))) {
    const bundle = generate('large');
    process.stderr.write(`extracting the payload of ${bundle} into ${folder} ...\n`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    execFileSync(
      'python3',
      [
        '-c',
        'import sys, zipfile, os, shutil\nz = zipfile.ZipFile(sys.argv[1])\nfor i in z.infolist():\n  rel = i.filename.split("/", 1)[1]\n  if not rel.startswith("data/") or rel.endswith("/"): continue\n  p = os.path.join(sys.argv[2], rel); os.makedirs(os.path.dirname(p), exist_ok=True)\n  with z.open(i) as s, open(p, "wb") as d: shutil.copyfileobj(s, d, 1 << 20)',
        bundle,
        folder,
      ],
      { stdio: 'inherit' },
    );
  }
  return folder;
}

const folder = payloadFolder();
const payloadBytes = Number(execFileSync('du', ['-sb', join(folder, 'data')], { encoding: 'utf8' }).split('\t')[0]);
const cli = buildCli();
const out = (name) => join(work, `pack-out.${name}`);
const { ex, zip, py } = measureInterleaved(
  {
    ex: ['node', [cli, 'pack', folder, '--id', 'bench-large', '-o', out('evb'), '--date', '2026-11-01', '--force']],
    // zip -r adds to an archive that exists: start from none. `echo` gives the output lib.mjs wants.
    zip: ['sh', ['-c', `rm -f "${out('zip')}" && cd "${folder}" && zip -r -q "${out('zip')}" data && echo ok`]],
    py: ['python3', [join(root, 'bench/reference_pack.py'), folder, out('py.zip')]],
  },
  RUNS,
);
const verified = JSON.parse(spawnSync('node', [cli, 'verify', out('evb'), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);

console.log(
  `\nexhibit pack vs zip -r and python zipfile, ${(payloadBytes / 1048576).toFixed(0)} MiB payload, ${RUNS} alternating runs, median (best), ${new Date().toISOString()}`,
);
const row = (name, m, file) =>
  console.log(
    `${name.padEnd(18)} ${pad(`${m.median.toFixed(2)} (${m.secs.toFixed(2)})`, 16)} ${pad(m.mb.toFixed(0), 8)} ${pad((statSync(file).size / 1048576).toFixed(1), 10)}`,
  );
console.log(`${'command'.padEnd(18)} ${pad('seconds', 16)} ${pad('peak MB', 8)} ${pad('output MiB', 10)}`);
row('exhibit pack', ex, out('evb'));
row('zip -r (Info-ZIP)', zip, out('zip'));
row('python zipfile', py, out('py.zip'));
const goals = [
  ['no slower than zip -r (median)', ex.median <= zip.median, `${ex.median.toFixed(2)} s vs ${zip.median.toFixed(2)} s`],
  ['peak memory under 300 MB', ex.mb < 300, `${ex.mb.toFixed(0)} MB`],
  ['the packed bundle verifies (unsigned: no signature yet)', verified.status === 'unsigned', `status ${verified.status}`],
];
console.log('\ngoals');
for (const [name, ok, detail] of goals) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name} (${detail})`);
