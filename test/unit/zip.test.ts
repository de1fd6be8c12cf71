// The strict zip reader, rule by rule (spec section 1), on archives crafted byte by byte.
import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { openZip, readEntry, readEntryBytes, ZipEntryError } from '../../shared/evb/zip';
import type { ZipArchive } from '../../shared/evb/zip';
import { bytesSource } from '../../shared/platform/ports';
import type { Platform } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import { craftZip } from '../helpers/zipcraft';
import type { CraftEntry, CraftOptions } from '../helpers/zipcraft';

const enc = new TextEncoder();
const text = (s: string) => enc.encode(s);

async function open(entries: CraftEntry[], options?: CraftOptions, limits?: Parameters<typeof openZip>[1]) {
  return openZip(craftZip(entries, options).source(), limits);
}
async function codeOf(entries: CraftEntry[], options?: CraftOptions): Promise<string | null> {
  return (await open(entries, options)).findings[0]?.code ?? null;
}
async function readAll(archive: ZipArchive, index = 0, platform: Platform = nodePlatform) {
  return new TextDecoder().decode(await readEntryBytes(archive, archive.entries[index]!, platform));
}

describe('well-formed archives', () => {
  it('reads stored and deflated entries, with their top-level directory', async () => {
    const a = await open([
      { name: 'b/one.txt', data: text('stored text'), method: 0 },
      { name: 'b/two.txt', data: text('deflated '.repeat(100)), method: 8 },
    ]);
    expect(a.findings).toEqual([]);
    expect(a.topLevelDirectory).toBe('b');
    expect(await readAll(a, 0)).toBe('stored text');
    expect(await readAll(a, 1)).toBe('deflated '.repeat(100));
  });

  it('reads what jszip writes (the project writer)', async () => {
    const zip = new JSZip();
    zip.file('b/x.json', '{"a":1}', { createFolders: false });
    zip.file('b/data/y.txt', 'y'.repeat(5000), { createFolders: false, compression: 'DEFLATE' });
    const a = await openZip(bytesSource(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' })));
    expect(a.findings).toEqual([]);
    expect(a.entries.map((e) => e.name)).toEqual(['b/x.json', 'b/data/y.txt']);
  });

  it('accepts ZIP64 records and extra fields on small entries', async () => {
    const a = await open([{ name: 'b/z.txt', data: text('zip64 '.repeat(50)), zip64: true }], { zip64Eocd: true });
    expect(a.findings).toEqual([]);
    expect(await readAll(a)).toBe('zip64 '.repeat(50));
  });

  it('accepts data descriptors, with and without their signature, that match the directory', async () => {
    for (const descriptor of ['signed', 'unsigned'] as const) {
      const a = await open([{ name: 'b/d.txt', data: text('described'), descriptor }, { name: 'b/e.txt', data: text('next') }]);
      expect(a.findings, descriptor).toEqual([]);
      expect(await readAll(a, 1)).toBe('next');
    }
  });

  it('handles offsets beyond 4 GiB (a sparse 5 GiB archive)', async () => {
    const big = 5 * 1024 ** 3;
    const crafted = craftZip([{ name: 'b/huge.bin', virtualSize: big, method: 0, zip64: true }, { name: 'b/after.txt', data: text('after the 5 GiB entry'), zip64: true }], { zip64Eocd: true });
    expect(crafted.size).toBeGreaterThan(big);
    const a = await openZip(crafted.source(), { limits: { maxEntryUncompressed: 8 * 1024 ** 3 } });
    expect(a.findings).toEqual([]);
    expect(a.entries[1]!.localHeaderOffset).toBeGreaterThan(2 ** 32);
    expect(await readAll(a, 1)).toBe('after the 5 GiB entry');
  });
});

describe('version needed', () => {
  it('accepts a local 2.0 beside a central 4.5 when only the central record needs ZIP64, for the offset (as Python writes)', async () => {
    const big = 5 * 1024 ** 3;
    const crafted = craftZip(
      [
        { name: 'b/huge.bin', virtualSize: big, method: 0, zip64: true },
        { name: 'b/after.txt', data: text('after'), versionNeeded: 45, zip64OffsetOnly: true, local: { versionNeeded: 20 } },
      ],
      { zip64Eocd: true },
    );
    const a = await openZip(crafted.source(), { limits: { maxEntryUncompressed: 8 * 1024 ** 3 } });
    expect(a.findings).toEqual([]);
    expect(await readAll(a, 1)).toBe('after');
  });

  it('refuses any other disagreement', async () => {
    expect(await codeOf([{ name: 'b/a', data: text('a'), versionNeeded: 45, local: { versionNeeded: 20 } }])).toBe('zip-local-mismatch');
    expect(await codeOf([{ name: 'b/a', data: text('a'), versionNeeded: 20, local: { versionNeeded: 21 } }])).toBe('zip-local-mismatch');
  });
});

describe('end records and layout', () => {
  it('refuses bytes before the first entry', async () => {
    expect(await codeOf([{ name: 'b/a', data: text('a') }], { prefix: text('MZ junk') })).toMatch(/zip-prefix-bytes|zip-cd-bounds/);
  });
  it('refuses bytes after the end record', async () => {
    expect(await codeOf([{ name: 'b/a', data: text('a') }], { suffix: text('trailing') })).toBe('zip-eocd-comment-length');
  });
  it('refuses a gap before the central directory', async () => {
    expect(await codeOf([{ name: 'b/a', data: text('a') }], { gapBeforeCd: text('hidden bytes') })).toBe('zip-gap');
  });
  it('refuses a second end record hidden in the comment', async () => {
    const fake = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    expect(await codeOf([{ name: 'b/a', data: text('a') }], { comment: fake })).toBe('zip-multiple-eocd');
  });
});

describe('central directory against local headers', () => {
  const cases: Array<[string, Partial<CraftEntry>, string]> = [
    ['local CRC-32', { local: { crc: 1 } }, 'zip-local-mismatch'],
    ['local compressed size', { local: { compressed: 3 } }, 'zip-local-mismatch'],
    ['local method', { local: { method: 0 } }, 'zip-local-mismatch'],
    ['local flags', { local: { flags: 0x0002 } }, 'zip-local-mismatch'],
    ['local time', { local: { time: 1234 } }, 'zip-local-mismatch'],
    ['local name', { local: { name: text('b/other') } }, 'zip-local-name'],
    ['local extra-field ids', { localExtra: Uint8Array.from([0x55, 0x54, 1, 0, 0]) }, 'zip-local-mismatch'],
    ['duplicate extra ids', { centralExtra: Uint8Array.from([0x55, 0x54, 1, 0, 0, 0x55, 0x54, 1, 0, 0]), localExtra: Uint8Array.from([0x55, 0x54, 1, 0, 0, 0x55, 0x54, 1, 0, 0]) }, 'zip-extra-duplicate'],
    ['an extra chain that overruns', { centralExtra: Uint8Array.from([0x55, 0x54, 9, 0, 0]) }, 'zip-extra-malformed'],
  ];
  it.each(cases)('refuses a disagreeing %s', async (_what, change, code) => {
    expect(await codeOf([{ name: 'b/a.txt', data: text('content '.repeat(20)), ...change }])).toBe(code);
  });

  it('refuses a data descriptor that disagrees with the directory', async () => {
    expect(await codeOf([{ name: 'b/d', data: text('x'), descriptor: 'signed', central: { crc: 5 } }])).toBe('zip-descriptor');
  });

  it('refuses a stored entry whose sizes differ', async () => {
    expect(await codeOf([{ name: 'b/s', data: text('abc'), method: 0, central: { compressed: 2 }, local: { compressed: 2 } }])).toBe('zip-stored-size');
  });
});

describe('what a bundle may not hold', () => {
  it('refuses encryption', async () => {
    expect(await codeOf([{ name: 'b/e', data: text('x'), flags: 0x0001 }])).toBe('zip-encrypted');
  });
  it('refuses methods other than stored and deflate', async () => {
    expect(await codeOf([{ name: 'b/m', data: text('x'), method: 12 }])).toBe('zip-method');
  });
  it('refuses symbolic links and other special files', async () => {
    expect(await codeOf([{ name: 'b/link', data: text('/etc/passwd'), method: 0, madeBy: 0x0314, externalAttributes: (0o120777 << 16) >>> 0 }])).toBe('zip-symlink');
    expect(await codeOf([{ name: 'b/fifo', data: text(''), method: 0, madeBy: 0x0314, externalAttributes: (0o010644 << 16) >>> 0 }])).toBe('zip-symlink');
    expect(await codeOf([{ name: 'b/file', data: text('ok'), method: 0, madeBy: 0x0314, externalAttributes: (0o100644 << 16) >>> 0 }])).toBeNull();
  });
  it('refuses a directory entry with content', async () => {
    expect(await codeOf([{ name: 'b/dir/', data: text('x'), method: 0 }])).toBe('zip-directory-size');
  });
});

describe('names (spec section 1)', () => {
  const bad: Array<[string, string | Uint8Array, string]> = [
    ['a backslash', 'b\\evil.txt', 'zip-name-backslash'],
    ['a drive letter', 'C:/b/x', 'zip-name-absolute'],
    ['a leading slash', '/b/x', 'zip-name-absolute'],
    ['a NUL', 'b/x\u0000.txt', 'zip-name-control'],
    ['a control character', 'b/x\u001b[2J', 'zip-name-control'],
    ['a ".." segment', 'b/../../etc/passwd', 'zip-name-segment'],
    ['a "." segment', 'b/./x', 'zip-name-segment'],
    ['an empty segment', 'b//x', 'zip-name-segment'],
    ['a decomposed (non-NFC) name', 'b/cafe\u0301', 'zip-name-not-nfc'],
    ['non-ASCII bytes without the UTF-8 flag', Uint8Array.from([0x62, 0x2f, 0xe9]), 'zip-name-encoding'],
  ];
  it.each(bad)('refuses %s', async (_what, name, code) => {
    expect(await codeOf([{ name, data: text('x') }])).toBe(code);
  });

  it('refuses invalid UTF-8 even when flagged', async () => {
    expect(await codeOf([{ name: Uint8Array.from([0x62, 0x2f, 0xff, 0xfe]), data: text('x'), flags: 0x0800 }])).toBe('zip-name-encoding');
  });

  it.each([
    ['b/A.txt', 'b/a.TXT'],
    ['b/straße', 'b/STRASSE'],
    ['b/É', 'b/é'],
    ['b/dir/', 'b/DIR'],
  ])('refuses %s beside %s (equal after NFC and case folding)', async (first, second) => {
    expect(await codeOf([{ name: first, data: first.endsWith('/') ? undefined : text('1'), method: 0 }, { name: second, data: text('2') }])).toBe('zip-name-duplicate');
  });

  it('reports no top-level directory when entries lie under two', async () => {
    const a = await open([{ name: 'b/x', data: text('x') }, { name: 'c/y', data: text('y') }]);
    expect(a.findings).toEqual([]);
    expect(a.topLevelDirectory).toBeNull();
  });
});

describe('limits, before any inflation', () => {
  it('refuses more entries than the limit', async () => {
    const a = await open([{ name: 'b/1', data: text('1') }, { name: 'b/2', data: text('2') }, { name: 'b/3', data: text('3') }], undefined, { limits: { maxEntries: 2 } });
    expect(a.findings[0]).toMatchObject({ code: 'limit-entries', layer: 'limit' });
  });
  it('refuses an entry declaring more than the per-entry limit', async () => {
    const a = await open([{ name: 'b/big', data: text('x'.repeat(2000)) }], undefined, { limits: { maxEntryUncompressed: 1000 } });
    expect(a.findings[0]!.code).toBe('limit-entry-size');
  });
  it('refuses entries declaring more than the total limit', async () => {
    const a = await open([{ name: 'b/1', data: text('x'.repeat(600)) }, { name: 'b/2', data: text('y'.repeat(600)) }], undefined, { limits: { maxTotalUncompressed: 1000 } });
    expect(a.findings[0]!.code).toBe('limit-total-size');
  });
});

describe('streaming enforcement', () => {
  const spy = (): Platform & { inflated: number } => {
    const p = {
      ...nodePlatform,
      inflated: 0,
      inflateRaw: async (bytes: Uint8Array, max: number) => {
        p.inflated += 1;
        return nodePlatform.inflateRaw(bytes, max);
      },
      createInflateRaw: (max: number) => {
        p.inflated += 1;
        return nodePlatform.createInflateRaw(max);
      },
    };
    return p;
  };

  it('a small deflate bomb (declared 100 bytes, inflates to 10 MB) stops at the declared size', async () => {
    const bomb = new Uint8Array(10 * 1024 * 1024);
    const a = await open([{ name: 'b/bomb', data: bomb, central: { uncompressed: 100 }, local: { uncompressed: 100 } }]);
    expect(a.findings).toEqual([]);
    await expect(readEntryBytes(a, a.entries[0]!, nodePlatform)).rejects.toMatchObject({ code: 'entry-size-mismatch' });
  });

  it('a streamed bomb (over 1 MiB compressed) is stopped while streaming, not after', async () => {
    const noise = randomBytes(3 * 1024 * 1024);
    const a = await open([{ name: 'b/noise', data: noise, central: { uncompressed: 1024 }, local: { uncompressed: 1024 } }]);
    let yielded = 0;
    await expect(
      (async () => {
        for await (const chunk of readEntry(a, a.entries[0]!, nodePlatform, { chunkSize: 256 * 1024 })) yielded += chunk.length;
      })(),
    ).rejects.toBeInstanceOf(ZipEntryError);
    expect(yielded).toBeLessThanOrEqual(1024);
  });

  it('a CRC-32 that does not match the content is refused', async () => {
    const a = await open([{ name: 'b/c', data: text('hello'), central: { crc: 0x1234 }, local: { crc: 0x1234 } }]);
    await expect(readEntryBytes(a, a.entries[0]!, nodePlatform)).rejects.toMatchObject({ code: 'entry-crc-mismatch' });
  });

  it('a deflate stream with bytes after its end is refused (hidden data)', async () => {
    const stream = new Uint8Array(deflateRawSync(text('tail')));
    const a = await open([{ name: 'b/t', data: text('tail'), method: 8, compressedData: Uint8Array.from([...stream, 0x41, 0x42]) }]);
    expect(a.findings).toEqual([]);
    await expect(readEntryBytes(a, a.entries[0]!, nodePlatform)).rejects.toMatchObject({ code: 'entry-inflate-failed' });
  });

  it('a truncated deflate stream is refused', async () => {
    const stream = new Uint8Array(deflateRawSync(text('truncated '.repeat(50))));
    const a = await open([{ name: 'b/t', data: text('truncated '.repeat(50)), method: 8, compressedData: stream.subarray(0, stream.length - 3) }]);
    await expect(readEntryBytes(a, a.entries[0]!, nodePlatform)).rejects.toMatchObject({ code: 'entry-inflate-failed' });
  });

  it('never inflates anything while opening, and a limit finding means no entry is readable', async () => {
    const p = spy();
    const a = await open([{ name: 'b/1', data: text('x'.repeat(5000)) }], undefined, { limits: { maxEntryUncompressed: 10 } });
    expect(a.findings[0]!.code).toBe('limit-entry-size');
    expect(a.entries).toEqual([]);
    expect(p.inflated).toBe(0);
  });

  it('honours cancellation', async () => {
    const a = await open([{ name: 'b/1', data: randomBytes(5 * 1024 * 1024), method: 0 }]);
    const controller = new AbortController();
    controller.abort();
    await expect(readEntryBytes(a, a.entries[0]!, nodePlatform, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});
