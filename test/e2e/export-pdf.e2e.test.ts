// "Export PDF" on Overview: the PDF is built in the page with the sign-off fields, downloaded
// (the web build's save), recorded in the export log with both digests, and its text is real.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, openApp, waitForStatus } from './helpers/harness';
import { browserSuite } from './helpers/suite';

const suite = browserSuite();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-pdf-e2e-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Export PDF in the web build', () => {
  it('downloads the gate summary with the sign-off, and logs it with the PDF and bundle digests', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      await page.getByRole('button', { name: 'Open the demo bundle' }).click();
      expect(await waitForStatus(page)).toBe('untrusted-signer');
      await page.getByText('Add a sign-off to the PDF').click();
      await page.getByTestId('signoff-reviewer').fill('Jordan Reviewer');
      await page.getByTestId('signoff-role').fill('Compliance officer');
      await page.getByTestId('signoff-decision').fill('Approved with conditions');
      // The date is ISO 8601, and a day that does not exist is refused, not rolled over.
      expect(await page.getByTestId('signoff-date').getAttribute('type')).toBe('text');
      await page.getByTestId('signoff-date').fill('2026-02-30');
      await page.getByTestId('export-pdf').click();
      await expect.poll(() => page.getByTestId('export-pdf-message').innerText()).toContain('"2026-02-30" is not a date');
      await page.getByTestId('signoff-date').fill('2026-11-20');
      const download = page.waitForEvent('download');
      await page.getByTestId('export-pdf').click();
      const file = await download;
      const path = join(dir, file.suggestedFilename());
      await file.saveAs(path);
      const pdf = await readFile(path);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = execFileSync('pdftotext', [path, '-']).toString();
      expect(text).toContain('demo-support-agent-2026-11');
      expect(text).toContain('Jordan Reviewer');
      expect(text).toContain('2026-11-20');
      expect(text).toMatch(/UNTRUSTED SIGNER/);
      const digest = createHash('sha256').update(pdf).digest('hex');
      await expect.poll(async () => (await page.getByTestId('pdf-exports').textContent()) ?? '').toContain(digest);
      expect(await page.getByTestId('pdf-exports').textContent()).toContain('Jordan Reviewer');
      expect(foreignRequests(rec, suite.origin)).toEqual([]);
      expect(rec.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
