// An AgentClash run imported with `exhibit import agentclash` (fixtures generated in
// upstream's shapes), signed, and opened in the web build: it verifies against the signer's
// key and shows the imported decision, gate, evidence tiers, CI run, provider failures and
// cost per correct, offline.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { foreignRequests, openApp, openBundleBytes, screenshot } from './helpers/harness';
import { browserSuite } from './helpers/suite';

const suite = browserSuite();
let dir: string;

function io(): CliIo {
  const quiet = { write: () => undefined, isTTY: false };
  return { stdout: quiet, stderr: quiet, cwd: dir, now: () => new Date('2026-05-11T09:00:00Z'), version: '0.0.0-e2e' };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-import-e2e-'));
  const fix = resolve('test/fixtures/agentclash');
  const run = async (args: string[]) => expect(await main(args, io())).toBe(0);
  await run([
    'import',
    'agentclash',
    '--ci-dir',
    join(fix, 'pinned/ci'),
    '--events',
    join(fix, 'pinned/events-candidate.jsonl'),
    '--events',
    join(fix, 'pinned/events-baseline.jsonl'),
    '--pack',
    join(fix, 'packs/swe-bug-fix.yaml'),
    '--ci-manifest',
    join(fix, 'ci-pinned.yaml'),
    '--meta',
    join(fix, 'meta.yaml'),
    '--id',
    'pr-412-gate',
    '-o',
    'pr.evb',
  ]);
  await run(['keygen', '--out', 'ci']);
  await run(['sign', 'pr.evb', '--key', 'ci.key.pem', '--role', 'producer', '--signer', 'AgentClash CI']);
  await run(['trust', 'add', 'ci.pub.pem', '--principal', 'AgentClash CI', '--roles', 'producer', '--file', 'trust.json']);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an imported AgentClash run in the web build', () => {
  it('verifies against the trusted signer and shows the imported decision, gate and tiers', async () => {
    const { context, page, rec } = await openApp(suite.browser, suite.origin);
    try {
      await page.getByRole('button', { name: /Trust store/ }).click();
      await page
        .locator('input[data-purpose="trust-file"]')
        .setInputFiles({ name: 'trust.json', mimeType: 'application/json', buffer: await readFile(join(dir, 'trust.json')) });
      // The import shows what it adds first; merging is the default.
      await page.getByRole('button', { name: 'Merge', exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: /Trust store \(1\)/ }).count()).toBe(1);
      expect(await openBundleBytes(page, 'pr.evb', new Uint8Array(await readFile(join(dir, 'pr.evb'))))).toBe('verified');
      const text = await page.getByRole('tabpanel').innerText();
      expect(text).toMatch(/conditional ship/i);
      expect(text).toContain('pr-candidate');
      expect(text).toContain('latency');
      expect(text).toMatch(/native.structured/i);
      await screenshot(page, 'imported-agentclash');
      await page.getByRole('tab', { name: 'Compliance' }).click();
      await expect.poll(() => page.getByRole('tabpanel').innerText()).toContain('acme/support-agent');
      const compliance = await page.getByRole('tabpanel').innerText();
      expect(compliance).toContain('9f2c4e1b7a3d5f6e8c0b1a2d3e4f5a6b7c8d9e0f');
      expect(compliance).toContain('baseline.run_id pins the exact accepted run');
      await page.getByRole('tab', { name: 'Engineering' }).click();
      await expect.poll(() => page.getByRole('tabpanel').innerText()).toContain('rate_limited');
      await page.getByRole('tab', { name: 'Finance' }).click();
      await expect.poll(() => page.getByRole('tabpanel').innerText()).toMatch(/Cost per correct/);
      expect(foreignRequests(rec, suite.origin)).toEqual([]);
      expect(rec.pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
