// The Replay tab in Debian's Chromium against the web build, on the demo bundle: the
// timeline, finding the policy violation by search, opening it from the Security tab's
// link, the deep link round trip, a note listed on the Overview, keyboard navigation,
// and the compare view of a divergent case. Axe on each, offline throughout.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, openBundleBytes, screenshot, waitForStatus } from './helpers/harness';
import { browserSuite, expectAxeClean, expectCleanPage, expectHeaderTitles, openDemo, selectTab } from './helpers/suite';
import { DEMO_BUNDLE_ID, buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';
import { ReplayIndexBuilder } from '../../shared/model/replay-index';
import { compareAllCases, compareRows } from '../../shared/model/replay-compare';
import { stepDurationMs, stepKind } from '../../shared/model/replay-steps';
import { fixtureBag, zipFixture } from '../helpers/bundles';
import { STEPPED_CASE, withClockSteppedBack } from '../helpers/clock-step';

const suite = browserSuite();

const CANDIDATE = 'ra-cand-7d21';

/** The sequence number the opened step starts at (from the detail pane). */
async function openedSeq(page: Page): Promise<number> {
  const detail = page.getByTestId('step-detail');
  await detail.waitFor();
  const link = await page.locator('#step-link').inputValue();
  return Number(/\/(\d+)$/.exec(link)![1]);
}

describe('Replay tab', () => {
  it('finds the policy violation by search, opens it from the Security tab, and links to it', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      await openDemo(page);
      await selectTab(page, 'Replay');
      const stats = page.getByTestId('replay-stats');
      await expect.poll(() => stats.innerText(), { timeout: 30_000 }).toMatch(/\d+ events · \d+ steps · 1 file · indexed in/);
      const timeline = page.getByTestId('timeline');
      await expect.poll(() => timeline.getByRole('option').count()).toBeGreaterThan(10);
      expect(await timeline.innerText()).toContain('Run level (no case)');
      await expectAxeClean(page, 'the timeline');
      await screenshot(page, 'replay-1-timeline');

      // Search the payload text: the blocked pastebin request.
      await page.getByTestId('replay-search').fill('PASTEBIN.com');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect.poll(() => page.getByTestId('match-count').innerText()).toMatch(/^[1-9]\d* matching steps? · \d+ events?/);
      await page.getByTestId('next-match').click();
      await expect.poll(() => page.getByTestId('match-count').innerText()).toMatch(/\(1 of \d+\)/);
      // Step through the matches until the policy violation is open.
      let found = false;
      for (let i = 0; i < 6 && !found; i++) {
        const text = await page.getByTestId('step-detail').innerText();
        if (text.includes('policy violation')) found = true;
        else await page.getByTestId('next-match').click();
      }
      expect(found).toBe(true);
      const detail = await page.getByTestId('step-detail').innerText();
      expect(detail).toContain('http_request');
      expect(detail).toContain('referenced by the packet');
      expect(detail).toContain('blocked: host pastebin.com is not in the network allowlist');
      const policySeq = await openedSeq(page);
      expect(page.url()).toContain(`#replay/${CANDIDATE}/${policySeq}`);
      await expectAxeClean(page, 'the opened step');
      await screenshot(page, 'replay-2-policy-violation');

      // The payload as text, and back to the tree.
      await page.getByRole('button', { name: 'Text', exact: true }).last().click();
      expect(await page.locator('.payload-text').last().innerText()).toContain('"failure_origin": "policy"');

      // The Security tab's link to the same violation opens the same step.
      await selectTab(page, 'Overview');
      await selectTab(page, 'Security');
      await page
        .getByRole('button', { name: new RegExp(`^candidate · step ${policySeq}\\b`) })
        .first()
        .click();
      await expect.poll(() => page.getByRole('tab', { name: 'Replay' }).getAttribute('aria-selected')).toBe('true');
      expect(await openedSeq(page)).toBe(policySeq);
      expect(await page.getByTestId('step-detail').innerText()).toContain('policy violation');

      // A note on the step is listed on the Overview, as a link back to it.
      await page
        .getByLabel(/Your note on this step/)
        .fill('Egress attempt: ask the vendor why the agent fetched a template from pastebin.');
      await page.getByRole('button', { name: 'Save note' }).click();
      await expect.poll(() => page.getByTestId('step-detail').innerText()).toMatch(/Saved \d{4}-/);
      await selectTab(page, 'Overview');
      const notes = page.getByTestId('overview-notes');
      await expect.poll(() => notes.innerText()).toContain('ask the vendor why');
      await notes.getByRole('button', { name: `candidate · step ${policySeq}` }).click();
      expect(await openedSeq(page)).toBe(policySeq);
      await screenshot(page, 'replay-3-note');

      // Keyboard: j moves the cursor down, k up, Enter opens.
      await page.getByTestId('timeline').focus();
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      await page.keyboard.press('Enter');
      const moved = await openedSeq(page);
      expect(moved).toBeGreaterThan(policySeq);
      expect(page.url()).toContain(`#replay/${CANDIDATE}/${moved}`);

      // Editing the fragment while the bundle is open opens that step.
      await page.evaluate((seq) => {
        location.hash = `#replay/ra-cand-7d21/${seq}`;
      }, policySeq);
      await expect.poll(() => openedSeq(page)).toBe(policySeq);
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });

  it('opens a pasted deep link once the bundle is open', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      // Find the fallback step's sequence number first.
      await openDemo(page);
      await selectTab(page, 'Replay');
      await page.getByTestId('filter-status').selectOption('fallback');
      await expect.poll(() => page.getByTestId('timeline').getByRole('option', { selected: false }).count()).toBe(2);
      await page.getByTestId('timeline').locator('[data-seq]').first().click();
      const seq = await openedSeq(page);
      expect(await page.getByTestId('step-detail').innerText()).toContain('routing fallback');
      const link = await page.locator('#step-link').inputValue();
      expect(link).toBe(`${suite.origin}/#replay/${CANDIDATE}/${seq}`);

      // A fresh window at that link: open the bundle and land on the step.
      const second = await context.newPage();
      await second.goto(link);
      await second.getByRole('button', { name: 'Open the demo bundle' }).click();
      await waitForStatus(second);
      await expect.poll(() => second.getByRole('tab', { name: 'Replay' }).getAttribute('aria-selected'), { timeout: 30_000 }).toBe('true');
      expect(await openedSeq(second)).toBe(seq);
      expect(await second.getByTestId('step-detail').innerText()).toContain('rate_limited');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });

  it('compares baseline and candidate: the divergent cases, then one side by side with its first divergence and resync', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      await openDemo(page);
      await selectTab(page, 'Replay');
      await page.getByTestId('compare-mode').click();
      const summary = page.getByTestId('compare-summary');
      await expect.poll(() => summary.innerText(), { timeout: 30_000 }).toMatch(/first divergence/i);
      const rows = summary.locator('tbody tr');
      expect(await rows.count()).toBeGreaterThanOrEqual(3);
      expect(await page.getByTestId('compare-view').innerText()).toMatch(/\d+ of \d+ cases differ/);
      // The case with the routing fallback diverges at the fallback step.
      const fallbackRow = rows.filter({ hasText: 'Routing fallback' }).first();
      await fallbackRow.getByRole('button', { name: /Compare case/ }).click();
      const divergence = await page.getByTestId('divergence').innerText();
      expect(divergence).toMatch(/First divergence:.*candidate Routing fallback/);
      expect(divergence).toMatch(/Back in step:/);
      const sideBySide = page.getByTestId('compare-rows');
      expect(await sideBySide.innerText()).toContain('first divergence');
      expect(await sideBySide.innerText()).toContain('back in step');
      expect(await sideBySide.locator('[data-kind="insert"]').count()).toBeGreaterThanOrEqual(1);
      // Deltas on paired steps.
      expect(await sideBySide.innerText()).toMatch(/[+−]\d/);
      await expectAxeClean(page, 'the compare view');
      await screenshot(page, 'replay-4-compare');

      // A step in the compare view opens in the timeline.
      await sideBySide.locator('[data-kind="insert"] button').first().click();
      await expect.poll(() => page.getByTestId('step-detail').innerText()).toContain('routing fallback');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });
});

/** The demo, unsigned, with the candidate's clock set back 800 ms past the start of a model call both runs take alike in STEPPED_CASE. */
async function clockSteppedBundle(): Promise<{ bytes: Uint8Array; startSeq: number }> {
  const payload = buildDemoPayload();
  const packet = JSON.parse(new TextDecoder().decode(payload.get('data/packet.json')!)) as Packet;
  const indexOf = (role: string) => {
    const agent = packet.agents.find((a) => a.role === role)!;
    const b = new ReplayIndexBuilder(agent.run_agent_id);
    b.addEntry(agent.replay!, payload.get(agent.replay!)!);
    return b.finish();
  };
  const [base, cand] = [indexOf('baseline'), indexOf('candidate')];
  const c = compareAllCases(base, cand, packet).find((x) => x.caseKey === STEPPED_CASE)!;
  const row = compareRows(base, cand, c, packet.pricing).find(
    (r) => r.kind === 'equal' && stepKind(cand, r.candidateStep) === 'model.call',
  )!;
  const s = row.candidateStep;
  const stepped = withClockSteppedBack(payload, cand.runAgentId, cand.seq[cand.stepEnd[s]!]!, stepDurationMs(cand, s)! + 800);
  return {
    bytes: await zipFixture(await fixtureBag({ bundleId: DEMO_BUNDLE_ID, payload: stepped }), DEMO_BUNDLE_ID),
    startSeq: cand.seq[cand.stepStart[s]!]!,
  };
}

describe('a step whose end is timed before its start', () => {
  it('shows the anomaly, not a latency delta, in the compare view, as its timeline row and step detail do', async () => {
    const { bytes, startSeq } = await clockSteppedBundle();
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      expect(await openBundleBytes(page, 'clock-stepped.evb', bytes)).toBe('unsigned');
      await selectTab(page, 'Replay');
      await page.getByTestId('compare-mode').click();
      const summary = page.getByTestId('compare-summary');
      await expect.poll(() => summary.innerText(), { timeout: 30_000 }).toMatch(/first divergence/i);
      // The case is one both runs take alike: list every case, then compare it.
      await page.getByLabel(/Only cases that diverged/).uncheck();
      await summary.getByRole('button', { name: `Compare case ${STEPPED_CASE} side by side` }).click();
      const sideBySide = page.getByTestId('compare-rows');
      const row = sideBySide
        .getByRole('listitem')
        .filter({ hasText: `#${startSeq} ` })
        .last();
      const latency = row.locator('.tl-num').first();
      expect(await latency.innerText()).toBe('⚠ end before start');
      expect(await latency.getAttribute('title')).toBe(
        "Candidate: The step's last event is timed 800 ms before its first: the recorded timestamps are inconsistent.",
      );
      await expectHeaderTitles(page.getByTestId('compare-head'), 'the side-by-side header');
      // Every other paired row keeps its signed delta.
      expect(await sideBySide.locator('.tl-num.warn-text').count()).toBe(1);
      await expectAxeClean(page, 'the compare view with an end-before-start step');

      // The same step in the timeline and its detail say the same.
      await row.locator('.cmp-cell').last().click();
      await expect.poll(() => page.getByTestId('step-detail').innerText()).toContain('timed 800 ms before its first');
      const timelineRow = page.getByTestId('timeline').locator(`[data-seq="${startSeq}"]`);
      expect(await timelineRow.innerText()).toContain('end before start');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });
});
