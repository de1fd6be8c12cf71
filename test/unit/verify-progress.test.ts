// Verification progress follows the work left (issue 19): the bag's files streamed here count
// their inflated bytes, not their compressed ones, so a 10:1 JSONL file is not passed over in
// a tenth of the bar.
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../shared/evb/verify';
import { openZip } from '../../shared/evb/zip';
import { parsePacket } from '../../shared/model/packet';
import { buildDemoBundle } from '../../shared/model/demo-bundle';
import { parseTrustStore } from '../../shared/evb/trust';
import { nodePlatform } from '../../shared/platform/node';
import { bytesSource } from '../../shared/platform/ports';
import type { Progress } from '../../shared/platform/ports';
import { PayloadProgress } from '../../shared/evb/verify-payload';

let demo: Awaited<ReturnType<typeof buildDemoBundle>>;
beforeAll(async () => {
  demo = await buildDemoBundle();
}, 120_000);

describe('payload progress', () => {
  it('counts the inflated bytes of every bag file, and only grows', async () => {
    const archive = await openZip(bytesSource(demo.bundle, 'demo.evb'));
    const files = archive.entries.filter((e) => !e.isDirectory);
    const inflated = files.reduce((n, e) => n + e.uncompressedSize, 0);
    const compressed = files.reduce((n, e) => n + e.compressedSize, 0);
    expect(inflated).toBeGreaterThan(compressed); // the demo's JSON and JSONL deflate well
    const seen: Progress[] = [];
    const trust = await parseTrustStore(demo.trust, 'demo.trust.json');
    const { report } = await verifyBundle(bytesSource(demo.bundle, 'demo.evb'), {
      platform: nodePlatform,
      trust,
      checkPacket: parsePacket,
      onProgress: (p) => seen.push({ ...p }),
    });
    expect(report.status).toBe('verified');
    const payload = seen.filter((p) => p.phase === 'payload');
    expect(payload.at(-1)).toMatchObject({ done: inflated, total: inflated });
    for (let i = 1; i < payload.length; i++) expect(payload[i]!.done).toBeGreaterThanOrEqual(payload[i - 1]!.done);
    expect(seen.at(-1)).toMatchObject({ phase: 'report', done: inflated, total: inflated });
  });

  it("moves while the container is still read: the workers' bytes count against the file's size until the total is known", () => {
    const seen: Progress[] = [];
    const progress = new PayloadProgress((p) => seen.push({ ...p }), 1000);
    progress.add(300);
    progress.add(900); // more than the file: held at its size
    progress.start(1500);
    progress.add(100);
    expect(seen).toEqual([
      { phase: 'container', done: 300, total: 1000 },
      { phase: 'container', done: 1000, total: 1000 },
      { phase: 'payload', done: 1200, total: 1500 },
      { phase: 'payload', done: 1300, total: 1500 },
    ]);
  });
});
