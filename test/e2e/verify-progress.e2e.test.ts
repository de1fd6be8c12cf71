// Progress and cancel on a large bundle (issue 19), without timing assertions: the bar
// moves through many values and never back while the web build verifies a 140 MB bundle
// (256 MiB of payload, written by Python's zipfile through bench/make_bundle.py "medium"),
// the card shows the time elapsed, and Cancel mid-way returns to the start screen with the
// notice, after which the same file verifies to its status.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, waitForStatus } from './helpers/harness';
import { browserSuite, expectCleanPage } from './helpers/suite';

const suite = browserSuite();
let dir = '';
let bundle = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-progress-e2e-'));
  bundle = join(dir, 'medium.evb');
  execFileSync('python3', [join(import.meta.dirname, '../../bench/make_bundle.py'), bundle, 'medium'], { stdio: 'inherit' });
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Records the bar's value on every animation frame from the moment a file is chosen. */
async function recordBar(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __bar: number[] };
    w.__bar = [];
    const tick = () => {
      const bar = document.querySelector('[data-testid="verify-progress"] progress') as HTMLProgressElement | null;
      if (bar && w.__bar.at(-1) !== bar.value) w.__bar.push(bar.value / bar.max);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

describe('verification progress on a large bundle', () => {
  it('moves forward through many values, shows the time elapsed, and ends at the status', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      await page.locator('input[type=file]').first().waitFor({ state: 'attached' });
      await recordBar(page);
      await page.locator('input[type=file]').first().setInputFiles(bundle);
      const card = page.getByTestId('verify-progress');
      await expect.poll(() => card.getByTestId('verify-elapsed').innerText()).toMatch(/^\d+:\d\d elapsed$/);
      expect(await waitForStatus(page, 300_000)).toBe('unsigned');
      const bar = await page.evaluate(() => (window as unknown as { __bar: number[] }).__bar);
      expect(new Set(bar).size, `bar values ${bar.join(' ')}`).toBeGreaterThan(5);
      for (let i = 1; i < bar.length; i++) expect(bar[i]!, `bar value ${i}`).toBeGreaterThanOrEqual(bar[i - 1]!);
      expect(Math.max(...bar)).toBeLessThanOrEqual(1);
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  }, 400_000);

  it('cancels mid-way back to the start screen, and the same file then verifies', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      await page.locator('input[type=file]').first().setInputFiles(bundle);
      // Wait until some of the work is done, then cancel.
      await page.waitForFunction(
        () => {
          const bar = document.querySelector('[data-testid="verify-progress"] progress') as HTMLProgressElement | null;
          return bar !== null && bar.value > 0;
        },
        undefined,
        { timeout: 120_000, polling: 'raf' },
      );
      await page.getByTestId('verify-progress').getByRole('button', { name: 'Cancel' }).click();
      await page.getByText('Verification cancelled.').waitFor({ timeout: 60_000 });
      expect(await page.getByTestId('verify-progress').count()).toBe(0);
      expect(await page.locator('[data-testid="bundle-status"]').count()).toBe(0);

      await page.locator('input[type=file]').first().setInputFiles(bundle);
      expect(await waitForStatus(page, 300_000)).toBe('unsigned');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  }, 400_000);

  it("shows the status first, then the file's SHA-256 as Node computes it, and remembers the bundle under it", async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      // Whether the page ever said the digest was being computed (the first view of the
      // status does: the hash starts once the status is decided).
      await page.evaluate(() => {
        const w = window as unknown as { __hashing: boolean };
        w.__hashing = false;
        new MutationObserver(() => {
          const button = document.querySelector('[data-testid="export-pdf"]');
          if (button?.textContent?.includes("Computing the file's SHA-256")) w.__hashing = true;
        }).observe(document, { subtree: true, childList: true, characterData: true });
      });
      await page.locator('input[type=file]').first().setInputFiles(bundle);
      expect(await waitForStatus(page, 300_000)).toBe('unsigned');
      const expected = createHash('sha256')
        .update(await readFile(bundle))
        .digest('hex');
      await page.getByRole('tab', { name: 'Integrity' }).click();
      await expect.poll(() => page.locator('.integrity code.digest').first().innerText(), { timeout: 120_000 }).toBe(expected);
      expect(await page.evaluate(() => (window as unknown as { __hashing: boolean }).__hashing)).toBe(true);
      await page.getByRole('tab', { name: 'Overview' }).click();
      await expect.poll(() => page.getByTestId('export-pdf').isEnabled()).toBe(true);
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      await expect.poll(() => page.getByTestId('recent').innerText()).toContain('medium.evb');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  }, 400_000);
});
