// bench:web in Debian's Chromium: the web build (out/renderer) opens one bundle through the
// file input and verifies it in its Web Worker. Prints one JSON line for bench/web.mjs:
//   ms        from the input's change event to the status badge leaving "verifying",
//             measured in the page (performance.now()); wallMs is the same from Node
//   digestMs  from the same event to the file's SHA-256 being in (the web build computes
//             it after the status: the app's data-file-hash leaves "hashing")
//   memory    peak RSS of the page's renderer process (dedicated workers are threads of
//             it), read from /proc every 100 ms (VmRSS), and the kernel's own peak (VmHWM);
//             the browser process and the other children are reported beside, not counted
//   progress  the progress bar's value sampled every 250 ms, to see where it stalls
// Run: node --import tsx bench/web-browser.ts BUNDLE [--profile OUT.cpuprofile]
import { writeFileSync } from 'node:fs';
import { launch, serveBuild } from '../test/e2e/helpers/harness';
import { attachWorkerProfiler } from './web-cdp';
import { descendants, statusKb } from './web-procs';

const bundle = process.argv[2];
if (!bundle) throw new Error('usage: web-browser.ts BUNDLE [--profile OUT.cpuprofile]');
const profileAt = process.argv.indexOf('--profile');
const profileOut = profileAt > 0 ? process.argv[profileAt + 1] : undefined;

const server = await serveBuild();
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Plain strings for page code: tsx would name functions with a helper the page lacks.
  await page.addInitScript(`
    window.__bench = { change: null, final: null, digest: null, samples: [] };
    document.addEventListener('change', () => { window.__bench.change ??= performance.now(); }, true);
    setInterval(() => {
      const b = window.__bench;
      const el = document.querySelector('[data-testid="bundle-status"]');
      if (b.final == null && el && el.getAttribute('data-status') !== 'verifying' && b.change != null) b.final = performance.now();
      const p = document.querySelector('progress');
      if (b.change != null && b.final == null && p) b.samples.push([Math.round(performance.now() - b.change), p.value]);
    }, 250);
    new MutationObserver(() => {
      const b = window.__bench;
      const el = document.querySelector('[data-testid="bundle-status"]');
      if (b.final == null && b.change != null && el && el.getAttribute('data-status') !== 'verifying') b.final = performance.now();
      const app = document.querySelector('[data-file-hash]');
      const hash = app && app.getAttribute('data-file-hash');
      if (b.digest == null && b.final != null && (hash === 'in-report' || hash === 'failed')) b.digest = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-file-hash'] });
  `);
  await page.goto(`${server.origin}/`);
  await page.waitForLoadState('networkidle');
  const profiler = profileOut ? await attachWorkerProfiler(page) : null;

  const peak = new Map<number, { type: string; rss: number }>();
  let rendererSum = 0;
  const poll = () => {
    let sum = 0;
    for (const p of descendants()) {
      const rss = statusKb(p.pid, 'VmRSS');
      const was = peak.get(p.pid);
      if (!was || rss > was.rss) peak.set(p.pid, { type: p.type, rss });
      if (p.type === 'renderer') sum += rss;
    }
    rendererSum = Math.max(rendererSum, sum);
  };
  poll();
  const timer = setInterval(poll, 100);
  const t0 = Date.now();
  await page.locator('input[type=file]').first().setInputFiles(bundle);
  await page.waitForFunction(() => (window as unknown as { __bench: { final: number | null } }).__bench.final != null, undefined, {
    timeout: 600_000,
    polling: 100,
  });
  const wallMs = Date.now() - t0;
  await page.waitForFunction(() => (window as unknown as { __bench: { digest: number | null } }).__bench.digest != null, undefined, {
    timeout: 600_000,
    polling: 100,
  });
  clearInterval(timer);
  poll();
  const hwm = descendants()
    .filter((p) => p.type === 'renderer')
    .map((p) => statusKb(p.pid, 'VmHWM'));
  const cpuProfile = profiler ? await profiler.stop() : null;
  if (cpuProfile && profileOut) writeFileSync(profileOut, JSON.stringify(cpuProfile));
  const bench = (await page.evaluate('window.__bench')) as {
    change: number;
    final: number;
    digest: number;
    samples: Array<[number, number]>;
  };
  const status = await page.locator('[data-testid="bundle-status"]').getAttribute('data-status');
  const processes = [...peak.values()].reduce<Record<string, number>>((acc, p) => {
    acc[p.type] = Math.max(acc[p.type] ?? 0, p.rss / 1024);
    return acc;
  }, {});
  console.log(
    JSON.stringify({
      status,
      ms: bench.final - bench.change,
      digestMs: bench.digest - bench.change,
      fileHash: await page.locator('[data-file-hash]').first().getAttribute('data-file-hash'),
      wallMs,
      rendererPeakMb: rendererSum / 1024,
      rendererHwmMb: Math.max(...hwm) / 1024,
      renderers: hwm.length,
      peakByTypeMb: processes,
      progress: bench.samples,
      errors,
    }),
  );
} finally {
  await browser.close();
  await server.close();
}
