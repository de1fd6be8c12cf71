// The trust store in Debian's Chromium (issue 18 section 6, and the non-bundle drop of
// section 7): a trust file import is shown first and merged by default; a key revoked as of
// a chosen day stays revoked through an import that lacks the revocation (merged or
// replacing); a key is removed deliberately; a PNG dropped on the window is refused and not
// recorded among the recent bundles.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { parseTrustStore } from '../../shared/evb/trust';
import { generateEd25519KeyPair } from '../../shared/evb/keys';
import { openApp, openBundleBytes } from './helpers/harness';
import { browserSuite, expectAxeClean, expectCleanPage } from './helpers/suite';

const suite = browserSuite();

async function importTrust(page: Page, name: string, text: string) {
  await page.locator('input[data-purpose="trust-file"]').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
  await page.getByTestId('trust-import').waitFor();
}

const revokedPills = (page: Page) => page.getByTestId('trust-key').filter({ hasText: 'revoked' });

describe('trust store', () => {
  it('merges an import by default, revokes as of a chosen day, never un-revokes on import, removes a key', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin, { viewport: { width: 1280, height: 720 } });
    try {
      const demo = await buildDemoBundle();
      const file = await parseTrustStore(demo.trust, 'demo-trust.json');
      expect(file.keys).toHaveLength(2);
      await page.getByRole('button', { name: /Trust store/ }).click();

      // The import says what it adds before anything changes.
      await importTrust(page, 'demo-trust.json', demo.trust);
      expect(await page.getByTestId('import-summary').innerText()).toContain('2 added, 0 changed, 0 revoked');
      expect(await page.getByRole('button', { name: /Trust store \(0\)/ }).count()).toBe(1);
      await expectAxeClean(page, 'the import preview');
      await page.getByRole('button', { name: 'Merge', exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: /Trust store \(2\)/ }).count()).toBe(1);
      // One form of fingerprint: hex, the base64 keyid on demand.
      const fp = page.getByTestId('fingerprint').first();
      expect(await fp.innerText()).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
      await page.getByRole('button', { name: 'show as base64 keyid' }).first().click();
      expect(file.keys.map((k) => k.keyid)).toContain(await fp.innerText());

      // Revoke the first key as of a chosen day, with a reason.
      const first = page.getByTestId('trust-key').first();
      const principal = (await first.locator('strong').innerText()).trim();
      await first.getByRole('button', { name: 'Revoke…' }).click();
      // Dates are typed and shown as ISO 8601, not in the locale's date picker (issue 18.4).
      expect(await first.getByTestId('revoke-date').getAttribute('type')).toBe('text');
      expect(await first.getByTestId('revoke-date').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await page.getByText('Add a key').click();
      expect(await page.getByTestId('add-key-valid-until').getAttribute('placeholder')).toBe('YYYY-MM-DD');
      expect(await page.locator('input[type="date"], input[type="datetime-local"]').count()).toBe(0);
      await first.getByTestId('revoke-date').fill('2026-11-01');
      await first.getByTestId('revoke-reason').fill('laptop stolen');
      await first.getByRole('button', { name: 'Revoke', exact: true }).click();
      await expect.poll(() => first.innerText()).toContain('Revoked as of 2026-11-01T00:00:00Z: laptop stolen');

      // The same file again (no revocation in it) changes nothing: the revocation is kept.
      await importTrust(page, 'demo-trust.json', demo.trust);
      expect(await page.getByTestId('import-summary').innerText()).toContain('changes nothing');
      expect(await page.getByTestId('import-kept').innerText()).toContain(principal);
      await page.getByRole('button', { name: 'Cancel', exact: true }).click();
      // A file that renames the revoked key's principal (and has no revocation): merged, still revoked.
      const renamed = { keys: file.keys.map((k) => (k.principal === principal ? { ...k, principal: `${principal} (renamed)` } : k)) };
      await importTrust(page, 'renamed.json', JSON.stringify(renamed));
      expect(await page.getByTestId('import-summary').innerText()).toContain('0 added, 1 changed, 0 revoked');
      expect(await page.getByTestId('import-kept').innerText()).toContain(principal);
      await page.getByRole('button', { name: 'Merge', exact: true }).click();
      await expect.poll(() => page.getByTestId('trust-import').count()).toBe(0);
      expect(await revokedPills(page).count()).toBe(1);
      expect(await revokedPills(page).innerText()).toContain(`${principal} (renamed)`);
      expect(await revokedPills(page).innerText()).toContain('2026-11-01T00:00:00Z');

      // Replacing with a file that lacks the revoked key keeps it (revoked); the other is removed.
      const other = file.keys.find((k) => k.principal !== principal)!;
      const fresh = await generateEd25519KeyPair();
      const freshEntry = { ...other, keyid: fresh.keyid, public_key: fresh.publicPem, principal: 'Release bot' };
      await importTrust(page, 'fresh.json', JSON.stringify({ keys: [freshEntry] }));
      await page.getByTestId('import-replace').click();
      expect(await page.getByTestId('import-kept').innerText()).toContain(principal);
      expect(await page.getByTestId('import-remove').innerText()).toContain(other.principal);
      await page.getByRole('button', { name: 'Replace', exact: true }).click();
      await expect.poll(() => page.getByTestId('trust-import').count()).toBe(0);
      expect(await page.getByTestId('trust-key').count()).toBe(2);
      expect(await revokedPills(page).count()).toBe(1);
      expect(await page.getByTestId('trust-key').filter({ hasText: other.principal }).count()).toBe(0);

      // Removing is deliberate: asked, then done.
      const bot = page.getByTestId('trust-key').filter({ hasText: 'Release bot' });
      await bot.getByRole('button', { name: 'Remove…' }).click();
      await bot.getByRole('button', { name: 'Remove', exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: /Trust store \(1\)/ }).count()).toBe(1);
      // Kept after a reload (IndexedDB), still revoked.
      await page.reload();
      await page.getByRole('button', { name: /Trust store \(1\)/ }).click();
      expect(await revokedPills(page).count()).toBe(1);
      await expectAxeClean(page, 'the trust store');
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });

  it('refuses a dropped PNG without recording it as a malformed bundle', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin, { viewport: { width: 1024, height: 768 } });
    try {
      const png = await readFile('build/evb.png');
      await page.evaluate(
        (bytes) => {
          const dt = new DataTransfer();
          dt.items.add(new File([new Uint8Array(bytes)], 'screenshot.png', { type: 'image/png' }));
          window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        },
        [...png],
      );
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'not an evidence bundle' }).count()).toBe(1);
      expect(await page.getByRole('status').filter({ hasText: 'not an evidence bundle' }).innerText()).toContain('screenshot.png');
      expect(await page.locator('[data-testid="bundle-status"]').count()).toBe(0);
      expect(await page.getByTestId('recent').count()).toBe(0);
      await page.reload();
      expect(await page.getByTestId('recent').count()).toBe(0);
      // A bundle opened with the file input is recorded; with no file handle kept, its row says to open the file again.
      const demo = await buildDemoBundle();
      await openBundleBytes(page, 'demo.evb', demo.bundle);
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      const row = page.getByTestId('recent').getByRole('row').nth(1);
      expect(await row.innerText()).toContain('open the file again to reopen it');
      expect(await page.getByTestId('reopen').count()).toBe(0);
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });
});
