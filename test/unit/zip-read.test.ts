// Reading entries (readEntry, readEntryBytes): the declared size enforced while streaming
// (deflate bombs stop there), CRC-32 at the end, broken streams, cancellation, progress, and
// how few reads the reader makes (coalesced local headers, one central directory read,
// 4 MiB chunks for large entries).
import { randomBytes } from 'node:crypto';
import { constants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openZip, readEntry, readEntryBytes, ZipEntryError } from '../../shared/evb/zip';
import type { ZipArchive } from '../../shared/evb/zip';
import { CancelledError, bytesSource } from '../../shared/platform/ports';
import type { Platform } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import { craftZip, recordingSource } from '../helpers/zipcraft';
import type { CraftEntry } from '../helpers/zipcraft';

const enc = new TextEncoder();
const text = (s: string) => enc.encode(s);
const MiB = 1024 * 1024;

async function open(entries: CraftEntry[]): Promise<ZipArchive> {
  const a = await openZip(craftZip(entries).source());
  expect(a.findings).toEqual([]);
  return a;
}

/** A Platform that counts each way of inflating. */
function spyPlatform(): Platform & { oneShot: number; streams: number } {
  const spy = {
    ...nodePlatform,
    oneShot: 0,
    streams: 0,
    inflateRaw(bytes: Uint8Array, max: number) {
      spy.oneShot += 1;
      return nodePlatform.inflateRaw(bytes, max);
    },
    createInflateRaw(max: number) {
      spy.streams += 1;
      return nodePlatform.createInflateRaw(max);
    },
  };
  return spy;
}

async function drain(
  archive: ZipArchive,
  index: number,
  platform: Platform = nodePlatform,
  options: Parameters<typeof readEntry>[3] = {},
): Promise<number> {
  let n = 0;
  for await (const chunk of readEntry(archive, archive.entries[index]!, platform, options)) n += chunk.length;
  return n;
}

describe('declared size, enforced while streaming', () => {
  it('stops a small deflate bomb (declared 100 bytes, inflates to 10 MiB) at the declared size', async () => {
    const a = await open([
      { name: 'b/bomb', data: new Uint8Array(10 * MiB), central: { uncompressed: 100 }, local: { uncompressed: 100 } },
    ]);
    expect(a.entries[0]!.compressedSize).toBeLessThan(MiB);
    const err = await readEntryBytes(a, a.entries[0]!, nodePlatform).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZipEntryError);
    expect(err).toMatchObject({ code: 'entry-size-mismatch', entry: 'b/bomb' });
    expect((err as Error).message).toMatch(/^Entry "b\/bomb": the entry inflates to more than its declared 100 bytes/);
  });

  it('stops a streamed bomb (over 1 MiB compressed, 1 GiB inflated) before yielding more than declared', async () => {
    // 1,100 copies of a non-final deflate block of 1 MiB of zeros, then a final empty block:
    // a valid stream of over 1 MiB that inflates to 1.1 GB.
    const block = deflateRawSync(new Uint8Array(MiB), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
    const bomb = Buffer.concat([...Array.from({ length: 1100 }, () => block), Buffer.from([0x03, 0x00])]);
    expect(bomb.length).toBeGreaterThan(MiB);
    const declared = 4096;
    const a = await open([
      {
        name: 'b/bomb',
        data: text('x'),
        compressedData: new Uint8Array(bomb),
        central: { uncompressed: declared, crc: 0 },
        local: { uncompressed: declared, crc: 0 },
      },
    ]);
    const platform = spyPlatform();
    let yielded = 0;
    let chunks = 0;
    const started = performance.now();
    const err = await (async () => {
      for await (const chunk of readEntry(a, a.entries[0]!, platform, { chunkSize: 64 * 1024 })) {
        yielded += chunk.length;
        chunks += 1;
      }
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'entry-size-mismatch' });
    expect(yielded).toBeLessThanOrEqual(declared);
    expect(platform.streams).toBe(1);
    expect(chunks).toBeLessThanOrEqual(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stops random data declared smaller than it is, while streaming', async () => {
    const a = await open([{ name: 'b/noise', data: randomBytes(3 * MiB), central: { uncompressed: 1024 }, local: { uncompressed: 1024 } }]);
    let yielded = 0;
    const err = await (async () => {
      for await (const chunk of readEntry(a, a.entries[0]!, nodePlatform, { chunkSize: 256 * 1024 })) yielded += chunk.length;
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'entry-size-mismatch' });
    expect(yielded).toBeLessThanOrEqual(1024);
  });

  it('refuses an entry that inflates to fewer bytes than declared', async () => {
    const a = await open([{ name: 'b/short', data: text('short'), central: { uncompressed: 6 }, local: { uncompressed: 6 } }]);
    await expect(readEntryBytes(a, a.entries[0]!, nodePlatform)).rejects.toMatchObject({ code: 'entry-size-mismatch' });
  });
});

describe('content checks', () => {
  it('refuses a CRC-32 that does not match the content (deflated and stored)', async () => {
    for (const method of [0, 8]) {
      const a = await open([{ name: 'b/c', data: text('hello'), method, central: { crc: 0x1234 }, local: { crc: 0x1234 } }]);
      const err = await readEntryBytes(a, a.entries[0]!, nodePlatform).catch((e: unknown) => e);
      expect(err, `method ${method}`).toMatchObject({ code: 'entry-crc-mismatch', entry: 'b/c' });
      expect((err as Error).message).toMatch(/CRC-32 of its content is 3610a686, but the archive declares 00001234/);
    }
  });

  it('refuses bytes after the end of the deflate stream (hidden data), in one shot and streamed', async () => {
    const stream = deflateRawSync(text('tail'));
    const a = await open([{ name: 'b/t', data: text('tail'), method: 8, compressedData: Uint8Array.from([...stream, 0x41, 0x42]) }]);
    await expect(readEntryBytes(a, a.entries[0]!, nodePlatform)).rejects.toMatchObject({ code: 'entry-inflate-failed' });
    const big = randomBytes(2 * MiB);
    const bigStream = deflateRawSync(big);
    const b = await open([{ name: 'b/t', data: big, method: 8, compressedData: Uint8Array.from([...bigStream, 0x41]) }]);
    await expect(drain(b, 0)).rejects.toMatchObject({ code: 'entry-inflate-failed' });
  });

  it('refuses a truncated or corrupt deflate stream', async () => {
    const stream = deflateRawSync(text('truncated '.repeat(50)));
    const a = await open([{ name: 'b/t', data: text('truncated '.repeat(50)), compressedData: stream.subarray(0, stream.length - 3) }]);
    await expect(readEntryBytes(a, a.entries[0]!, nodePlatform)).rejects.toMatchObject({ code: 'entry-inflate-failed' });
    const b = await open([{ name: 'b/t', data: text('x'), compressedData: Uint8Array.from([0xff, 0xff, 0xff, 0xff]) }]);
    await expect(readEntryBytes(b, b.entries[0]!, nodePlatform)).rejects.toMatchObject({ code: 'entry-inflate-failed' });
  });

  it('refuses to read a whole entry above maxBytes, before reading anything', async () => {
    const crafted = craftZip([{ name: 'b/big', data: text('y'.repeat(5000)) }]);
    const a = await openZip(crafted.source());
    const source = recordingSource(crafted.source());
    const platform = spyPlatform();
    await expect(readEntryBytes({ ...a, source }, a.entries[0]!, platform, { maxBytes: 4999 })).rejects.toMatchObject({
      code: 'entry-too-large',
    });
    expect(source.reads).toEqual([]);
    expect(platform.oneShot + platform.streams).toBe(0);
    expect(await readEntryBytes(a, a.entries[0]!, platform, { maxBytes: 5000 })).toHaveLength(5000);
  });
});

describe('progress and cancellation', () => {
  it('reports every compressed byte through onBytes, in one shot and streamed', async () => {
    const big = randomBytes(9 * MiB);
    const a = await open([
      { name: 'b/small', data: text('small '.repeat(1000)) },
      { name: 'b/big', data: big, method: 8 },
      { name: 'b/stored', data: big.subarray(0, 5 * MiB), method: 0 },
    ]);
    for (let i = 0; i < 3; i++) {
      let consumed = 0;
      await drain(a, i, nodePlatform, { onBytes: (n) => (consumed += n) });
      expect(consumed, a.entries[i]!.name).toBe(a.entries[i]!.compressedSize);
    }
  });

  it('throws CancelledError when aborted before or during reading', async () => {
    const a = await open([{ name: 'b/1', data: randomBytes(9 * MiB), method: 0 }]);
    const before = new AbortController();
    before.abort();
    const err = await readEntryBytes(a, a.entries[0]!, nodePlatform, { signal: before.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    const during = new AbortController();
    let chunks = 0;
    const err2 = await (async () => {
      for await (const _ of readEntry(a, a.entries[0]!, nodePlatform, { signal: during.signal })) {
        chunks += 1;
        during.abort();
      }
    })().catch((e: unknown) => e);
    expect(err2).toBeInstanceOf(CancelledError);
    expect(chunks).toBe(1);
  });

  it('openZip honours an aborted signal', async () => {
    const aborted = new AbortController();
    aborted.abort();
    await expect(openZip(craftZip([{ name: 'b/x', data: text('x') }]).source(), { signal: aborted.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });
});

describe('few reads', () => {
  it('opens 10,000 small entries with a handful of reads: the tail, the directory, coalesced local-header windows', async () => {
    const entries: CraftEntry[] = Array.from({ length: 10_000 }, (_, i) => ({
      name: `b/data/file-${String(i).padStart(5, '0')}.json`,
      data: text(`{"i":${i}}`),
      method: 0,
    }));
    const crafted = craftZip(entries);
    const source = recordingSource(bytesSource(crafted.bytes()));
    const started = performance.now();
    const a = await openZip(source);
    const elapsed = performance.now() - started;
    expect(a.findings).toEqual([]);
    expect(a.entries).toHaveLength(10_000);
    // About 600 KB of entries: one window; the directory (about 700 KB) in one read.
    expect(source.reads.length).toBeLessThanOrEqual(4);
    expect(source.reads.filter(([, length]) => length === crafted.layout.cdSize || length >= 64 * 1024).length).toBe(source.reads.length);
    expect(elapsed).toBeLessThan(2000);
  });

  it('covers larger archives in 1 MiB windows, not one read per entry', async () => {
    const entries: CraftEntry[] = Array.from({ length: 2000 }, (_, i) => ({ name: `b/f${i}`, data: randomBytes(2000), method: 0 }));
    const source = recordingSource(bytesSource(craftZip(entries).bytes()));
    const a = await openZip(source);
    expect(a.findings).toEqual([]);
    // 4 MB of entries: about four windows, plus tail and directory.
    expect(source.reads.length).toBeLessThanOrEqual(8);
  });

  it('streams a large entry in 4 MiB chunks, and inflates small ones in one call', async () => {
    const big = randomBytes(9 * MiB);
    const crafted = craftZip([
      { name: 'b/stored', data: big, method: 0 },
      { name: 'b/deflated', data: big, method: 8 },
      { name: 'b/small', data: text('small '.repeat(100)), method: 8 },
    ]);
    const a = await openZip(crafted.source());
    const source = recordingSource(crafted.source());
    const reading = { ...a, source };
    const platform = spyPlatform();
    expect(await drain(reading, 0, platform)).toBe(9 * MiB);
    expect(source.reads.map(([, length]) => length)).toEqual([4 * MiB, 4 * MiB, MiB]);
    source.reads.length = 0;
    expect(await drain(reading, 1, platform)).toBe(9 * MiB);
    expect(source.reads.every(([, length]) => length <= 4 * MiB)).toBe(true);
    expect(platform.streams).toBe(1);
    expect(await drain(reading, 2, platform)).toBe(600);
    expect(platform.oneShot).toBe(1);
    expect(platform.streams).toBe(1);
  });
});

describe('readEntryBytes keeps one copy of an entry', () => {
  it("returns a deflated entry inflated in one piece as that piece, and copies a stored entry's bytes", async () => {
    const data = text('{"sequence_number":1}\n'.repeat(2000));
    const a = await open([
      { name: 'b/deflated', data },
      { name: 'b/stored', data, method: 0 },
    ]);
    let piece: Uint8Array | null = null;
    const platform: Platform = {
      ...nodePlatform,
      inflateRaw: async (bytes, max) => {
        const out = await nodePlatform.inflateRaw(bytes, max);
        piece = new Uint8Array(out);
        return piece;
      },
    };
    const deflated = await readEntryBytes(a, a.entries[0]!, platform);
    expect(deflated).toEqual(data);
    expect(deflated.buffer).toBe(piece!.buffer);
    expect(Object.getPrototypeOf(deflated)).toBe(Uint8Array.prototype);
    // A stored entry's bytes come from the source, which may keep them: they are copied.
    const stored = await readEntryBytes(a, a.entries[1]!, platform);
    expect(stored).toEqual(data);
    expect(stored.byteLength).toBe(stored.buffer.byteLength);
  });
});
