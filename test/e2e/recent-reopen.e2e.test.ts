// Recent bundles reopen on click (issue 18 section 7), in Debian's Chromium against the web
// build: a bundle chosen with "Choose a bundle…" comes through the handle picker
// (showOpenFilePicker), its handle is kept with the recent row in IndexedDB, and after a
// reload the row reopens the same file. Headless Chromium cannot show the system picker, so
// the page's picker is replaced by one that returns a real FileSystemFileHandle of the
// origin-private file system holding the demo bundle's bytes; everything after it (the
// IndexedDB round trip of the handle, the permission query, getFile) is the browser's own.
import { describe, expect, it } from 'vitest';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { openApp, waitForStatus } from './helpers/harness';
import { browserSuite, expectAxeClean, expectCleanPage } from './helpers/suite';

const suite = browserSuite();

describe('recent bundles', () => {
  it('a bundle chosen with the picker reopens from the recent list after a reload', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin, { viewport: { width: 1024, height: 768 } });
    try {
      const demo = await buildDemoBundle();
      await page.evaluate(async (base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const dir = await navigator.storage.getDirectory();
        const handle = await dir.getFileHandle('picked.evb', { create: true });
        const w = await handle.createWritable();
        await w.write(bytes);
        await w.close();
        (window as unknown as { showOpenFilePicker: () => Promise<unknown[]> }).showOpenFilePicker = async () => [handle];
      }, Buffer.from(demo.bundle).toString('base64'));

      await page.getByText('Choose a bundle…').click();
      const status = await waitForStatus(page);
      expect(status).not.toBe('malformed');
      await page.getByRole('button', { name: 'Close', exact: true }).click();

      await page.reload();
      const rows = page.getByTestId('recent').getByRole('row');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.nth(1).innerText()).not.toContain('open the file again');
      await expectAxeClean(page, 'the start screen with a reopenable row');
      await page.getByTestId('reopen').click();
      expect(await waitForStatus(page)).toBe(status);
      expect(await page.getByRole('status').filter({ hasText: 'could not be read again' }).count()).toBe(0);
      await expectCleanPage(rec, suite.origin);
    } finally {
      await context.close();
    }
  });
});
