// The web entry digests (shared/platform/web-digest.ts): with zlib in WebAssembly every CRC-32
// is computed here; through DecompressionStream a large deflated entry is framed as a gzip
// member so the browser's zlib checks its CRC-32, and only when that fails is the entry read
// again with the CRC-32 computed here, for the exact finding. A platform whose CRC-32 counts the bytes it sees shows which path ran.
import { describe, expect, it } from 'vitest';
import { craftZip } from '../helpers/zipcraft';
import { digestJobOf } from '../helpers/digest-job';
import type { CraftEntry } from '../helpers/zipcraft';
import { openZip } from '../../shared/evb/zip';
import type { ZipEntry } from '../../shared/evb/zip';
import { bytesSource } from '../../shared/platform/ports';
import type { EntryDigestJob, Platform } from '../../shared/platform/ports';
import { createWebPlatform } from '../../shared/platform/web';
import { digestJobs } from '../../shared/platform/web-digest';
import { createHash } from 'node:crypto';

function noise(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}
/** Base64 of random bytes: deflate shrinks it by a quarter, so its stream stays above 1 MiB. */
const text = new TextEncoder().encode(Buffer.from(noise(1.8 * 1024 * 1024)).toString('base64'));
const random = noise(1.5 * 1024 * 1024);

async function jobsOf(entries: CraftEntry[]): Promise<{ blob: Blob; jobs: EntryDigestJob[] }> {
  const bytes = craftZip(entries).bytes();
  const ready: ZipEntry[] = [];
  await openZip(bytesSource(bytes), { onEntryReady: (e) => ready.push(e) });
  const jobs = ready.map(digestJobOf);
  return { blob: new Blob([bytes as Uint8Array<ArrayBuffer>]), jobs };
}

async function counting(): Promise<{ platform: Platform; crcBytes: () => number }> {
  const base = await createWebPlatform();
  let bytes = 0;
  return {
    platform: { ...base, crc32: (b, prev) => ((bytes += b.length), base.crc32(b, prev)) },
    crcBytes: () => bytes,
  };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// zlib in WebAssembly (web-zlib.ts), and DecompressionStream where WebAssembly is refused.
describe.each([
  ['WebAssembly zlib', undefined],
  ['DecompressionStream', null],
] as const)('web entry digests of large entries (%s)', (_name, zlib) => {
  it("sound: right digests; the CRC-32 computed here for the stored entry, and for the deflated one unless the browser's zlib checked it", async () => {
    const { blob, jobs } = await jobsOf([
      { name: 'b/data/stored.bin', data: random, method: 0 },
      { name: 'b/data/events.jsonl', data: text, method: 8 },
    ]);
    expect(jobs.every((j) => j.compressedSize > 1024 * 1024)).toBe(true);
    const { platform, crcBytes } = await counting();
    const results = await digestJobs(blob, jobs, platform, { zlib });
    expect(results).toEqual([
      { path: 'b/data/stored.bin', sha256: sha(random), size: random.length },
      { path: 'b/data/events.jsonl', sha256: sha(text), size: text.length },
    ]);
    expect(crcBytes()).toBe(zlib === null ? random.length : random.length + text.length);
  });

  it('reports every compressed byte, a mebibyte or more at a time rather than a message a piece', async () => {
    const { blob, jobs } = await jobsOf([
      { name: 'b/data/stored.bin', data: random, method: 0 },
      { name: 'b/data/events.jsonl', data: text, method: 8 },
    ]);
    const reports: number[] = [];
    await digestJobs(blob, jobs, (await counting()).platform, { zlib, onBytes: (n) => reports.push(n) });
    expect(reports.reduce((a, b) => a + b, 0)).toBe(jobs.reduce((n, j) => n + j.compressedSize, 0));
    expect(reports.length).toBeLessThanOrEqual(jobs.reduce((n, j) => n + Math.ceil(j.compressedSize / (1024 * 1024)), 0));
  });

  it('small entries, out of one window: right digests', async () => {
    const lines = (n: number) => new TextEncoder().encode(`{"seq":${n},"type":"tool.call.completed"}\n`.repeat(500));
    const entries: CraftEntry[] = [0, 1, 2].map((n) => ({ name: `b/data/${n}.jsonl`, data: lines(n), method: 8 }));
    entries.push({ name: 'b/data/tiny.bin', data: random.subarray(0, 999), method: 0 });
    const { blob, jobs } = await jobsOf(entries);
    const results = await digestJobs(blob, jobs, (await counting()).platform, { zlib });
    expect(results).toEqual([
      ...[0, 1, 2].map((n) => ({ path: `b/data/${n}.jsonl`, sha256: sha(lines(n)), size: lines(n).length })),
      { path: 'b/data/tiny.bin', sha256: sha(random.subarray(0, 999)), size: 999 },
    ]);
  });

  it('a wrong CRC-32 on a deflated entry: the exact finding, from a CRC-32 computed here', async () => {
    const { blob, jobs } = await jobsOf([{ name: 'b/data/events.jsonl', data: text, method: 8, central: { crc: 1 }, local: { crc: 1 } }]);
    const { platform, crcBytes } = await counting();
    const [result] = await digestJobs(blob, jobs, platform, { zlib });
    expect(result!.error?.code).toBe('entry-crc-mismatch');
    expect(result!.error?.message).toMatch(/^CRC-32 of its content is [0-9a-f]{8}, but the archive declares 00000001$/);
    expect(crcBytes()).toBe(text.length);
  });
});
