// The web build gives keyless signatures the same status as the CLI: each bundle of the
// keyless matrix (every 5.1 step broken in turn, unknown authorities, identity trust) is
// verified by Node and by the built verify worker in Chromium (its WebCrypto), and the
// two reports must agree on status, findings and the keyless record.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, openApp, serveBuild, waitForStatus } from './helpers/harness';
import { verifyBytes } from '../helpers/bundles';
import { makeTestInstance } from '../helpers/sigstore-instance';
import type { Breakage, TestInstance } from '../helpers/sigstore-instance';
import { githubIdentityEntry, keylessEvb } from '../helpers/keyless-bundles';
import type { TrustStore } from '../../shared/evb/crypto-types';
import type { VerificationReport } from '../../shared/evb/report';

let server: { origin: string; close: () => Promise<void> };
let browser: Browser;
let page: Page;
let instance: TestInstance;
const workerFile = readdirSync('out/renderer/assets').find((f) => f.startsWith('verify.worker-'))!;

beforeAll(async () => {
  server = await serveBuild();
  browser = await launch();
  page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  instance = await makeTestInstance();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Verifies bytes in the built verify worker of the web build. */
async function verifyInBrowser(bytes: Uint8Array, trust: TrustStore): Promise<VerificationReport> {
  return page.evaluate(
    async ({ url, data, trust }) => {
      const worker = new Worker(url, { type: 'module' });
      // The verify service's protocol (shared/ipc/verify-service.ts): progress, then one done or failed per job.
      const r = await new Promise<unknown>((resolve, reject) => {
        worker.onmessage = (e) => {
          const m = e.data as { type: string; value?: unknown; error?: { message: string } };
          if (m.type === 'failed') reject(new Error(m.error?.message));
          else if (m.type === 'done') resolve(m.value);
        };
        const source = { kind: 'blob', blob: new Blob([new Uint8Array(data)]), name: 'k.evb' };
        worker.postMessage({ type: 'verify', job: 'j1', bundle: 'b', source, trust, trustName: 'test', at: '2026-11-15T00:00:00Z' });
      });
      worker.terminate();
      return r as VerificationReport;
    },
    { url: `${server.origin}/assets/${workerFile}`, data: [...bytes], trust },
  );
}

const cases: Array<[string, Breakage, string]> = [
  ['all steps hold', {}, 'verified'],
  ['forged leaf', { forgedLeafSignature: true }, 'tampered'],
  ['no SCT', { noSct: true }, 'tampered'],
  ['bad SCT', { sctWrongKey: true }, 'tampered'],
  ['entry of another signature', { entryOtherSignature: true }, 'tampered'],
  ['corrupted proof', { corruptProof: true }, 'tampered'],
  ['checkpoint by unknown key', { checkpointUnknownKey: true }, 'tampered'],
  ['bad SET', { badSet: true }, 'tampered'],
  ['expired at signing time', { leafFrom: -900, leafUntil: -300 }, 'tampered'],
  ['signed by another key', { otherSigningKey: true }, 'tampered'],
  ['own root', { ownRoot: true }, 'untrusted-signer'],
  ['unknown CT log', { sctUnknownLog: true }, 'untrusted-signer'],
  ['unknown log', { unknownLog: true }, 'untrusted-signer'],
];

describe('keyless verification in the web build equals the CLI', () => {
  for (const [what, breakage, status] of cases) {
    it(`${what}: ${status} in both`, async () => {
      const bytes = await keylessEvb(instance, { breakage });
      const trust: TrustStore = { keys: [], identities: [githubIdentityEntry()], trusted_roots: [instance.trustedRoot] };
      const node = (await verifyBytes(bytes, trust)).report;
      const web = await verifyInBrowser(bytes, trust);
      expect(node.status).toBe(status);
      expect(web.status).toBe(node.status);
      expect(web.findings).toEqual(node.findings);
      expect(web.signatures[0]!.keyless).toEqual(node.signatures[0]!.keyless);
    });
  }

  it('with no trusted_roots (the built-in public-good root, bundled as JSON): not checkable in both', async () => {
    const bytes = await keylessEvb(instance);
    const trust: TrustStore = { keys: [], identities: [githubIdentityEntry()] };
    const web = await verifyInBrowser(bytes, trust);
    expect(web.status).toBe('untrusted-signer');
    expect(web.findings).toEqual((await verifyBytes(bytes, trust)).report.findings);
  });

  it('a revoked identity is key-revoked in both', async () => {
    const bytes = await keylessEvb(instance);
    const trust: TrustStore = {
      keys: [],
      identities: [githubIdentityEntry({ revoked_at: '2026-11-02T00:00:00Z' })],
      trusted_roots: [instance.trustedRoot],
    };
    expect((await verifyInBrowser(bytes, trust)).status).toBe((await verifyBytes(bytes, trust)).report.status);
  });
});

describe('keyless in the app', () => {
  it('an imported trust file with an identity and a trusted root makes a keyless bundle verified', async () => {
    const { context, page: app } = await openApp(browser, server.origin);
    try {
      const trust = { keys: [], identities: [githubIdentityEntry()], trusted_roots: [instance.trustedRoot] };
      await app.getByRole('button', { name: /Trust store/ }).click();
      await app
        .locator('input[data-purpose="trust-file"]')
        .setInputFiles({ name: 'trust.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(trust)) });
      // The import shows what it adds first; merging is the default.
      await app.getByRole('button', { name: 'Merge', exact: true }).click();
      await expect.poll(() => app.getByRole('alert').count()).toBe(0);
      const bytes = await keylessEvb(instance);
      await app
        .locator('[data-testid="open-file"]')
        .setInputFiles({ name: 'k.evb', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
      expect(await waitForStatus(app)).toBe('verified');
      // The signature panel gives the time the transparency log proves, and the signer's own claim as a claim (issue 18.2).
      await app.getByTestId('open-signatures').click();
      const panel = await app.getByTestId('signature-panel').innerText();
      expect(panel).toMatch(/Signed at\s+\S+Z proven by the transparency log · the signer claims \S+Z/);
      expect(panel).toContain('Certificate identity');
      expect(panel).not.toContain('not proven by any timestamp');
      await app.getByTestId('signature-panel').getByRole('button', { name: 'Close' }).click();
      // Reloaded, the app still holds the identity and the root (IndexedDB).
      await app.reload();
      await app
        .locator('[data-testid="open-file"]')
        .setInputFiles({ name: 'k.evb', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
      expect(await waitForStatus(app)).toBe('verified');
    } finally {
      await context.close();
    }
  });
});
