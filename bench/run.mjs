#!/usr/bin/env node
// npm run bench — every benchmark in turn; each prints its figures beside a reference
// measured in the same run.
import { spawnSync } from 'node:child_process';

const benches = ['verify.mjs', 'replay.mjs', 'pdf.mjs', 'pack.mjs', 'web.mjs'];
let failed = 0;
for (const b of benches) {
  console.log(`\n== bench/${b}`);
  const r = spawnSync('node', [new URL(b, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
