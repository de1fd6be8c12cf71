// Where the web build's CPU goes while it verifies one bundle, thread by thread: CPU time
// (user, system) and minor page faults of every thread of every Chromium process, from
// /proc, between the file input's change and the final status. Each dedicated worker is
// its own row (a thread of the page's renderer); threads that end meanwhile (the entry
// and file-hash workers) are sampled every 50 ms, so their last figures count.
// Run: node --import tsx bench/web-threads.ts bench/.work/large.evb [--timeline]   (after npx vite build)
// --timeline adds each busy thread's share of a core per half second: whether the cores idle.
import { readFileSync, readdirSync } from 'node:fs';
import { launch, serveBuild } from '../test/e2e/helpers/harness';
import { descendants } from './web-procs';

/** utime and stime (1/100 s) and minor faults, by "pid/tid", with a label. */
type Sample = Map<string, { user: number; sys: number; faults: number; label: string }>;

function sample(into: Sample): void {
  for (const p of descendants()) {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${p.pid}/task`);
    } catch {
      continue; // exited meanwhile
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const label = comm === 'DedicatedWorker' ? `${p.type} ${comm} ${tid}` : `${p.type} ${comm}`;
        into.set(`${p.pid}/${tid}`, { user: Number(f[11]), sys: Number(f[12]), faults: Number(f[7]), label });
      } catch {
        // exited meanwhile
      }
    }
  }
}

/** CPU per half second of the busiest threads: where the two cores sat idle, and who ran last. */
function printTimeline(frames: { t: number; s: Sample }[], before: Sample): void {
  const cpu = (s: Sample, key: string) => {
    const v = s.get(key) ?? before.get(key);
    return v ? v.user + v.sys : 0;
  };
  const last = frames.at(-1)?.s ?? new Map();
  const keys = [...last.keys()]
    .filter((k) => cpu(last, k) - cpu(before, k) >= 30)
    .sort((a, b) => cpu(last, b) - cpu(before, b) - (cpu(last, a) - cpu(before, a)));
  console.log(`t (s)  ${keys.map((k) => last.get(k)!.label.slice(-22).padStart(22)).join(' ')}   all`);
  let prev = { t: 0, s: before };
  for (let bucket = 0.5; ; bucket += 0.5) {
    const upTo = frames.filter((f) => f.t <= bucket * 1000).at(-1);
    if (!upTo || upTo === prev) continue;
    // ticks are 10 ms: ticks * 10 / elapsed ms is the share of one core, in % after * 100
    const pct = (k: string) => ((cpu(upTo.s, k) - cpu(prev.s, k)) * 1000) / (upTo.t - prev.t);
    const all = [...upTo.s.keys()].reduce((n, k) => n + pct(k), 0);
    const cells = keys.map((k) => `${pct(k).toFixed(0)}%`.padStart(22));
    console.log(`${(upTo.t / 1000).toFixed(2).padStart(5)}  ${cells.join(' ')}  ${all.toFixed(0).padStart(4)}%`);
    prev = upTo;
    if (upTo === frames.at(-1)) break;
  }
}

const bundle = process.argv[2];
const timeline = process.argv.includes('--timeline');
if (!bundle) throw new Error('usage: web-threads.ts BUNDLE [--timeline]');
const server = await serveBuild();
const browser = await launch();
try {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript(`
    window.__t = { change: null, final: null };
    document.addEventListener('change', () => { window.__t.change ??= performance.now(); }, true);
    new MutationObserver(() => {
      const t = window.__t, el = document.querySelector('[data-testid="bundle-status"]');
      if (t.final == null && t.change != null && el && el.getAttribute('data-status') !== 'verifying') t.final = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });`);
  await page.goto(`${server.origin}/`);
  await page.waitForLoadState('networkidle');
  await new Promise((r) => setTimeout(r, 1500)); // the prestarted workers load their code
  const before: Sample = new Map();
  sample(before);
  const after: Sample = new Map();
  const frames: { t: number; s: Sample }[] = [];
  const t0 = performance.now();
  const timer = setInterval(() => {
    sample(after);
    if (timeline) frames.push({ t: performance.now() - t0, s: new Map(after) });
  }, 50);
  await page.locator('input[type=file]').first().setInputFiles(bundle);
  await page.waitForFunction(() => (window as unknown as { __t: { final: number | null } }).__t.final != null, undefined, {
    timeout: 600_000,
    polling: 50,
  });
  clearInterval(timer);
  sample(after);
  const ms = Number(await page.evaluate('window.__t.final - window.__t.change'));
  const rows = new Map<string, { user: number; sys: number; faults: number }>();
  for (const [key, a] of after) {
    const b = before.get(key) ?? { user: 0, sys: 0, faults: 0 };
    const row = rows.get(a.label) ?? { user: 0, sys: 0, faults: 0 };
    rows.set(a.label, { user: row.user + a.user - b.user, sys: row.sys + a.sys - b.sys, faults: row.faults + a.faults - b.faults });
  }
  const status = await page.locator('[data-testid="bundle-status"]').getAttribute('data-status');
  console.log(`${bundle}: ${status} in ${(ms / 1000).toFixed(2)} s`);
  let user = 0;
  let sys = 0;
  for (const [label, r] of [...rows].sort((x, y) => y[1].user + y[1].sys - x[1].user - x[1].sys)) {
    user += r.user;
    sys += r.sys;
    if (r.user + r.sys >= 3)
      console.log(`${label.padEnd(40)} user ${(r.user / 100).toFixed(2)} s  sys ${(r.sys / 100).toFixed(2)} s  faults ${r.faults}`);
  }
  console.log(`all threads: user ${(user / 100).toFixed(2)} s, sys ${(sys / 100).toFixed(2)} s`);
  if (timeline) printTimeline(frames, before);
} finally {
  await browser.close();
  await server.close();
}
