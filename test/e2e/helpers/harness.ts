// E2E harness: serves out/renderer on an ephemeral 127.0.0.1 port and drives Debian's
// Chromium through playwright-core. Records every request, console error, page error,
// dialog and CSP violation so tests can assert the page stayed offline and inert.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { readFile, stat, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import axe from 'axe-core';

const ROOT = resolve('out/renderer');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export async function serveBuild(): Promise<{ origin: string; close: () => Promise<void> }> {
  await stat(join(ROOT, 'index.html')).catch(() => {
    throw new Error('out/renderer/index.html is missing: run "npm run build" before the E2E tests.');
  });
  const server: Server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(ROOT, path));
      if (!file.startsWith(ROOT + sep)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { origin: `http://127.0.0.1:${addr.port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

export interface Recorder {
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  cspViolations(): Promise<string[]>;
}

export async function openApp(
  browser: Browser,
  origin: string,
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<{ context: BrowserContext; page: Page; rec: Recorder }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1360, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const rec: Recorder = {
    requests: [],
    consoleErrors: [],
    pageErrors: [],
    dialogs: [],
    cspViolations: () => page.evaluate(() => ((window as unknown as { __csp?: string[] }).__csp ?? []).slice()),
  };
  context.on('request', (r) => rec.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') rec.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => rec.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    rec.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${origin}/`);
  return { context, page, rec };
}

/** Requests that went anywhere but the page's own origin (blob: and data: are in-page). */
export function foreignRequests(rec: Recorder, origin: string): string[] {
  return rec.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
}

export async function waitForStatus(page: Page, timeout = 60_000): Promise<string> {
  const badge = page.locator('[data-testid="bundle-status"]');
  await badge.waitFor({ timeout });
  await page.waitForFunction(
    () => {
      const el = document.querySelector('[data-testid="bundle-status"]');
      return el && el.getAttribute('data-status') !== 'verifying';
    },
    undefined,
    { timeout },
  );
  return (await badge.getAttribute('data-status')) ?? '';
}

export async function openBundleBytes(page: Page, name: string, bytes: Uint8Array): Promise<string> {
  await page
    .locator('input[type=file]')
    .first()
    .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  return waitForStatus(page);
}

export async function axeScan(
  page: Page,
): Promise<Array<{ id: string; impact: string | null | undefined; help: string; targets: string[] }>> {
  const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  // Evaluated over the DevTools protocol, which the page's CSP does not govern (an inline
  // <script> tag would be blocked and count as a violation).
  if (!injected) await page.evaluate(axe.source);
  const results = await page.evaluate(async () => {
    const a = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const r = await a.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return results;
}

const SCREENSHOTS = resolve('test-results/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
