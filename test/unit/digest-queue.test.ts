// The queue the verifier feeds entry digest jobs into while it is still reading the
// container, and the file workers take batches from.
import { describe, expect, it } from 'vitest';
import { DigestQueue } from '../../shared/platform/ports';
import type { EntryDigestJob } from '../../shared/platform/ports';

const job = (path: string, compressedSize: number): EntryDigestJob => ({
  path,
  dataOffset: 0,
  compressedSize,
  uncompressedSize: compressedSize,
  method: 0,
  crc32: 0,
});
const paths = (batch: EntryDigestJob[] | null) => batch?.map((j) => j.path) ?? null;

describe('DigestQueue', () => {
  it('hands out batches of about batchBytes as they fill, the rest once closed, then null', async () => {
    const queue = new DigestQueue(100);
    const first = queue.take();
    let settled = false;
    void first.then(() => (settled = true));
    queue.push(job('a', 60));
    await Promise.resolve();
    expect(settled).toBe(false); // 60 of 100 bytes: still waiting
    queue.push(job('b', 60));
    queue.push(job('c', 10));
    expect(paths(await first)).toEqual(['a', 'b']);
    const second = queue.take();
    queue.close();
    expect(paths(await second)).toEqual(['c']);
    expect(await queue.take()).toBeNull();
  });

  it('serves several takers, each batch once, and gives a job larger than a batch a batch of its own', async () => {
    const queue = new DigestQueue(100);
    const takers = [queue.take(), queue.take()];
    queue.push(job('big', 500));
    queue.push(job('x', 50));
    queue.push(job('y', 50));
    const batches = await Promise.all(takers);
    expect(batches.map(paths)).toEqual([['big'], ['x', 'y']]);
    queue.close();
    expect(await queue.take()).toBeNull();
  });

  it('refuses a push after close, and still hands out what it holds', async () => {
    const queue = new DigestQueue();
    queue.push(job('a', 1));
    queue.push(job('b', 2));
    queue.close();
    expect(() => queue.push(job('c', 1))).toThrow(/closed/);
    expect(paths(await queue.take())).toEqual(['a', 'b']);
    expect(await queue.take()).toBeNull();
  });
});
