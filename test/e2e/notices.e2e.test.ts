// The third-party notices the builds write (build/notices.ts): readable from the start screen
// of the web build, and complete. Completeness is checked against another account of the
// same bundles: the source maps of a build made with them, whose sources name every file
// of every package that went into any chunk or worker.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { packageDirOf } from '../../build/notices';
import { BRIDGE_GLOBAL } from '../../shared/ipc/contract';
import { openApp } from './helpers/harness';
import { browserSuite, expectAxeClean, expectCleanPage } from './helpers/suite';

const root = join(import.meta.dirname, '../..');
const suite = browserSuite();

/** The packages (name@version) named by the sources of every source map under `dir`. */
function packagesInSourceMaps(dir: string): Set<string> {
  const found = new Set<string>();
  const maps = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map'));
  expect(maps.length).toBeGreaterThan(0);
  for (const map of maps) {
    const { sources } = JSON.parse(readFileSync(join(dir, map), 'utf8')) as { sources: string[] };
    for (const source of sources) {
      // Relative to where the build's root would put the map, so read from node_modules/ on.
      const at = source.indexOf('node_modules/');
      const pkg = at < 0 ? null : packageDirOf(join(root, source.slice(at)));
      if (!pkg) continue;
      const { name, version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { name: string; version: string };
      found.add(`${name}@${version}`);
    }
  }
  return found;
}

/** The packages (name@version) a notices file lists. */
function packagesInNotices(text: string): Set<string> {
  return new Set([...text.matchAll(/^-{78}\n(\S+) (\d\S*) \(/gm)].map((m) => `${m[1]}@${m[2]}`));
}

describe('third-party notices', () => {
  it('can be read from the start screen of the web build', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      const licences = page.getByTestId('licences');
      await licences.locator('summary').click();
      const text = licences.locator('pre');
      await expect.poll(() => text.innerText().catch(() => '')).toContain('zlib-streams 1.0.4 (BSD-3-Clause)');
      const shown = await text.innerText();
      expect(shown).toMatch(
        /^Third-party software and fonts in Exhibit's page \(the web build, and the desktop app's window\), with their licences\./,
      );
      for (const part of ['react 19', 'pdf-lib 1.17.1 (MIT)', 'hash-wasm', 'Copyright (c) 2025-2026, Gildas Lormeau', 'DejaVuSans.ttf'])
        expect(shown).toContain(part);
      await expectAxeClean(page, 'the start screen with the licences open');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });

  describe('in the desktop app', () => {
    // The desktop app's own bundles, built as the installer carries them.
    let outDir = '';
    beforeAll(async () => {
      outDir = mkdtempSync(join(tmpdir(), 'exhibit-notices-desktop-'));
      for (const mode of ['main', 'preload', 'worker'])
        await build({ configFile: join(root, 'electron/vite.electron.config.ts'), mode, logLevel: 'silent', build: { outDir } });
    }, 120_000);
    afterAll(() => rmSync(outDir, { recursive: true, force: true }));

    /**
     * The start screen as the desktop app shows it, with the licences open: the preload's
     * bridge as far as the start screen uses it, and app://'s names beside the renderer
     * (electron/policy.ts, tested in test/unit/electron) served here from `outDir`, but for
     * `missing`.
     */
    async function desktopLicences(page: Page, missing: string[] = []) {
      await page.addInitScript((global) => {
        (window as unknown as Record<string, unknown>)[global] = { kind: 'electron', onOpenRequest: () => () => undefined };
      }, BRIDGE_GLOBAL);
      await page.route(/\/THIRD-PARTY-NOTICES\.(main|preload|worker)\.txt$/, (route) => {
        const name = basename(new URL(route.request().url()).pathname);
        return missing.includes(name)
          ? route.fulfill({ status: 404, body: 'Not found' })
          : route.fulfill({ contentType: 'text/plain; charset=utf-8', body: readFileSync(join(outDir, name)) });
      });
      await page.reload();
      const licences = page.getByTestId('licences');
      await licences.locator('summary').click();
      const text = licences.locator('pre');
      await expect.poll(() => text.innerText().catch(() => '')).toContain("Exhibit's verify-worker.cjs");
      return { licences, shown: await text.innerText() };
    }

    it("adds its processes' notices, which app:// serves from beside main", async () => {
      const { context, page, rec } = await openApp(suite.browser, suite.origin);
      try {
        const { shown } = await desktopLicences(page);
        const worker = readFileSync(join(outDir, 'THIRD-PARTY-NOTICES.worker.txt'), 'utf8');
        for (const pkg of packagesInNotices(worker)) expect(shown).toContain(pkg.replace(/@(?=[^@]*$)/, ' '));
        expect(shown).toContain('readable-stream 2.3.8 (MIT)'); // in the verification process only
        expect(shown).toContain('react 19');
        expect(shown).toContain("Exhibit's main.cjs: none");
        expect(shown).toContain("Exhibit's preload.cjs: none");
        await expectAxeClean(page, 'the desktop start screen with the licences open');
        await expectCleanPage(rec, suite.origin);
      } finally {
        await context.close();
      }
    });

    it('shows the files it could read and names the one it could not', async () => {
      const { context, page } = await openApp(suite.browser, suite.origin);
      try {
        const { licences, shown } = await desktopLicences(page, ['THIRD-PARTY-NOTICES.preload.txt']);
        expect(shown).toContain('react 19');
        expect(shown).not.toContain("Exhibit's preload.cjs");
        await expect
          .poll(() => licences.getByTestId('licences-unread').innerText())
          .toBe(
            'Not all the licences could be read (THIRD-PARTY-NOTICES.preload.txt: answered 404). The files are beside the Exhibit program.',
          );
        await expectAxeClean(page, 'the desktop licences with one file missing');
      } finally {
        await context.close();
      }
    });
  });

  it('names every package whose code is in the web build, its workers included, as its source maps do', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'exhibit-notices-'));
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true, sourcemap: true } });
    const mapped = packagesInSourceMaps(outDir);
    const listed = packagesInNotices(readFileSync(join(outDir, 'THIRD-PARTY-NOTICES.txt'), 'utf8'));
    rmSync(outDir, { recursive: true });
    expect(mapped).toContain('zlib-streams@1.0.4'); // a worker's, through ?inline
    expect(mapped).toContain('react-dom@19.3.1');
    expect([...mapped].filter((p) => !listed.has(p))).toEqual([]);
    expect([...listed].filter((p) => !mapped.has(p))).toEqual([]);
  });

  it("names every package in the desktop app's verification process, as its source map does", async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'exhibit-notices-electron-'));
    await build({
      configFile: join(root, 'electron/vite.electron.config.ts'),
      mode: 'worker',
      logLevel: 'silent',
      build: { outDir, sourcemap: true },
    });
    const mapped = packagesInSourceMaps(outDir);
    const listed = packagesInNotices(readFileSync(join(outDir, 'THIRD-PARTY-NOTICES.worker.txt'), 'utf8'));
    rmSync(outDir, { recursive: true });
    expect(mapped).toContain('jszip@3.10.2');
    expect([...mapped].filter((p) => !listed.has(p))).toEqual([]);
  });
});
