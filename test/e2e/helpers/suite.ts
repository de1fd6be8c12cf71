// What every E2E file does around its tests: serve the web build and launch Chromium once
// for the file, and check that a page stayed clean (offline, no CSP violation, no error,
// no dialog) and accessible. Kept apart from harness.ts, which the benchmarks import
// outside Vitest.
import { afterAll, beforeAll, expect } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { axeScan, foreignRequests, launch, serveBuild, waitForStatus } from './harness';
import type { Recorder } from './harness';

export interface BrowserSuite {
  /** The served web build, e.g. http://127.0.0.1:PORT (set once beforeAll has run). */
  readonly origin: string;
  readonly browser: Browser;
}

/** Serves the build and launches Chromium before the file's tests; closes both after. */
export function browserSuite(): BrowserSuite {
  let server: { origin: string; close: () => Promise<void> } | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await serveBuild();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get origin() {
      if (!server) throw new Error('the suite has not started: use origin inside a test');
      return server.origin;
    },
    get browser() {
      if (!browser) throw new Error('the suite has not started: use browser inside a test');
      return browser;
    },
  };
}

/** Nothing left the origin, no CSP violation, no page or console error, no dialog. */
export async function expectCleanPage(rec: Recorder, origin: string): Promise<void> {
  expect(foreignRequests(rec, origin)).toEqual([]);
  expect(await rec.cspViolations()).toEqual([]);
  expect(rec.pageErrors).toEqual([]);
  expect(rec.dialogs).toEqual([]);
  expect(rec.consoleErrors).toEqual([]);
}

/** No serious or critical axe violation on what the page shows now. */
export async function expectAxeClean(page: Page, what: string): Promise<void> {
  const violations = (await axeScan(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(violations, `axe on ${what}`).toEqual([]);
}

/** Each cell of a header row: its text, its tooltip and whether its column cuts it short. */
async function headerCells(row: Locator): Promise<Array<{ text: string; title: string | null; truncated: boolean }>> {
  return row
    .locator(':scope > span')
    .evaluateAll((cells) =>
      cells.map((c) => ({ text: c.textContent ?? '', title: c.getAttribute('title'), truncated: c.scrollWidth > c.clientWidth })),
    );
}

/** Every labelled header cell carries its label as a tooltip, so one its column truncates ("Tool / …") can still be read. */
export async function expectHeaderTitles(row: Locator, what: string): Promise<void> {
  const cells = (await headerCells(row)).filter((c) => c.text.trim() !== '');
  expect(cells.length, what).toBeGreaterThan(0);
  for (const c of cells) expect(c.title, `${what}: "${c.text}"${c.truncated ? ' (truncated)' : ''}`).toBe(c.text);
}

/** Selects a tab and waits until it is selected; returns the tab panel. */
export async function selectTab(page: Page, name: string) {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
  return page.getByRole('tabpanel');
}

/** Opens the built-in demo bundle from the start screen; returns its status. */
export async function openDemo(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Open the demo bundle' }).click();
  return waitForStatus(page);
}
