// The Replay tab as a place to work (issue 18 section 5), in Debian's Chromium at 1280x720
// and 1024x768 on the demo bundle: a deep link opened before its bundle says it waits, then
// lands on a screen showing the list and its step side by side; a bad link says what is
// wrong; the case filter is a searchable picker; the match count follows typing.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, screenshot, waitForStatus } from './helpers/harness';
import { browserSuite, expectAxeClean, expectCleanPage, expectHeaderTitles, openDemo, selectTab } from './helpers/suite';

const suite = browserSuite();
const CANDIDATE = 'ra-cand-7d21';
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1024, height: 768 },
];

/** Whether the element's box lies inside the viewport (at least its top 40 px). */
async function inView(page: Page, el: Locator): Promise<boolean> {
  const box = await el.boundingBox();
  const vp = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + 40 <= vp.height && box.x >= 0 && box.x + 40 <= vp.width;
}

/** The sequence number of the demo's routing-fallback step (found through the status filter). */
async function fallbackSeq(page: Page): Promise<number> {
  await openDemo(page);
  await selectTab(page, 'Replay');
  await page.getByTestId('filter-status').selectOption('fallback');
  await page.getByTestId('timeline').locator('[data-seq]').first().click();
  const link = await page.locator('#step-link').inputValue();
  return Number(/\/(\d+)$/.exec(link)![1]);
}

describe('Replay tab as a workspace', () => {
  for (const viewport of SIZES) {
    it(`a deep link waits for its bundle, then shows its step beside the list at ${viewport.width}x${viewport.height}`, async () => {
      const { context, page, rec } = await openApp(suite.browser, suite.origin, { viewport });
      try {
        const seq = await fallbackSeq(page);
        const second = await context.newPage();
        await second.goto(`${suite.origin}/#replay/${CANDIDATE}/${seq}`);
        expect(await second.getByTestId('waiting-link').innerText()).toContain(`step ${seq} of run agent ${CANDIDATE}`);
        await second.getByRole('button', { name: 'Open the demo bundle' }).click();
        await waitForStatus(second);
        await expect
          .poll(() => second.getByRole('tab', { name: 'Replay' }).getAttribute('aria-selected'), { timeout: 30_000 })
          .toBe('true');
        const detail = second.getByTestId('step-detail');
        await detail.waitFor();
        expect(await second.getByTestId('waiting-link').count()).toBe(0);
        const row = second.locator(`[data-testid="timeline"] [data-seq="${seq}"]`);
        await expect.poll(() => inView(second, detail)).toBe(true);
        expect(await inView(second, row)).toBe(true);
        // Side by side: the detail starts right of the list.
        const listBox = (await second.getByTestId('timeline').boundingBox())!;
        const detailBox = (await detail.boundingBox())!;
        expect(detailBox.x).toBeGreaterThanOrEqual(listBox.x + listBox.width);
        // The split fills the pane and no more: its bottom (the list's last rows, the legend) is in the window.
        const split = (await second.getByTestId('replay-split').boundingBox())!;
        expect(split.y + split.height).toBeLessThanOrEqual(viewport.height);
        expect(split.height).toBeGreaterThan(viewport.height * 0.6);
        expect(await second.getByTestId('marks-legend').innerText()).toContain('policy violation');
        await expectHeaderTitles(second.getByTestId('timeline-head'), `the step list header at ${viewport.width}`);
        await expectAxeClean(second, `the deep-linked step at ${viewport.width}`);
        await screenshot(second, `replay-deeplink-${viewport.width}`);
        await expectCleanPage(rec, suite.origin);
      } finally {
        await context.close();
      }
    });
  }

  it('indexes the replays in the background once verified, so the Replay tab opens on a ready index', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin, { viewport: SIZES[1] });
    try {
      await openDemo(page);
      // Still on the Overview: the strip's line says when both run agents' replays are indexed.
      const status = page.getByTestId('replay-index-status');
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
      expect(await status.innerText()).toBe('Replays indexed (2 run agents).');
      expect(await page.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe('true');
      await selectTab(page, 'Replay');
      // The index is already there: its figures at once, never "Indexing…".
      expect(await page.getByTestId('replay-stats').innerText()).toMatch(/^[\d,]+ events · [\d,]+ steps · 1 file · indexed in /);
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });

  it('says so when a link names an agent or a step the bundle does not have', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin, { viewport: SIZES[1] });
    try {
      await openDemo(page);
      await page.evaluate(() => {
        location.hash = '#replay/ra-nobody/5';
      });
      await expect.poll(() => page.getByTestId('bad-step-link').count()).toBe(1);
      expect(await page.getByTestId('bad-step-link').innerText()).toContain('ra-nobody');
      await page.evaluate((id) => {
        location.hash = `#replay/${id}/987654`;
      }, CANDIDATE);
      await expect.poll(() => page.getByTestId('replay-note').count(), { timeout: 30_000 }).toBe(1);
      expect(await page.getByTestId('replay-note').innerText()).toContain('Step 987654 is not in this replay');
      expect(await page.getByTestId('bad-step-link').count()).toBe(0);
      await expectAxeClean(page, 'a bad step link');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });

  it('filters by case with a searchable picker, and counts matches while typing', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin, { viewport: SIZES[0] });
    try {
      await openDemo(page);
      await selectTab(page, 'Replay');
      const picker = page.getByTestId('filter-case');
      expect(await picker.evaluate((el) => el.tagName)).toBe('INPUT');
      await picker.click();
      await picker.press('ArrowDown');
      const options = page.getByTestId('case-options').getByRole('option');
      const labels = await options.allInnerTexts();
      expect(labels.slice(0, 2)).toEqual(['all cases', 'run level']);
      const caseKey = labels[2]!;
      // Typing part of a key narrows the list to the keys containing it.
      await picker.fill(caseKey.slice(1));
      await expect.poll(() => options.allInnerTexts()).toContain(caseKey);
      expect((await options.allInnerTexts()).every((t) => t.includes(caseKey.slice(1)))).toBe(true);
      await options.filter({ hasText: caseKey }).first().click();
      await expect.poll(() => page.getByTestId('timeline').innerText()).toContain(`Case ${caseKey}`);
      expect(await page.getByTestId('timeline').innerText()).not.toContain('Run level (no case)');
      expect(await picker.inputValue()).toBe(caseKey);
      await page.getByRole('button', { name: 'Clear filters' }).click();

      // The search runs when typing pauses: no Enter, no button.
      await page.getByTestId('replay-search').pressSequentially('PASTEBIN', { delay: 20 });
      await expect.poll(() => page.getByTestId('match-count').innerText(), { timeout: 30_000 }).toMatch(/^[1-9]\d* matching steps?/);
      await page.getByTestId('replay-search').pressSequentially('.com/raw', { delay: 20 });
      await expect.poll(() => page.getByTestId('match-count').innerText(), { timeout: 30_000 }).toMatch(/matching step/);
      await expectAxeClean(page, 'the case picker and search');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });
});
