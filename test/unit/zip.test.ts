// The strict zip reader, rule by rule (spec section 1): what a bundle may hold, entry
// names, limits, and several findings from one archive. Archives are crafted byte by byte
// (test/helpers/zipcraft.ts). End records, layout and header cross-checks are in
// zip-records.test.ts; reading entries in zip-read.test.ts; other writers in
// zip-interop.test.ts; public corpora in zip-corpora.test.ts.
import { describe, expect, it } from 'vitest';
import { checkEntryName, DEFAULT_ZIP_LIMITS, MAX_FINDINGS, openZip, readEntryBytes, ZipEntryError } from '../../shared/evb/zip';
import { decodeName } from '../../shared/evb/zip-names';
import type { OpenZipOptions, ZipArchive } from '../../shared/evb/zip';
import type { Platform } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import { craftZip, extraField, recordingSource, unicodePathExtra } from '../helpers/zipcraft';
import type { CraftEntry, CraftOptions } from '../helpers/zipcraft';

const enc = new TextEncoder();
const text = (s: string) => enc.encode(s);

async function open(entries: CraftEntry[], options?: CraftOptions, open?: OpenZipOptions): Promise<ZipArchive> {
  return openZip(craftZip(entries, options).source(), open);
}
async function codes(entries: CraftEntry[], options?: CraftOptions, openOptions?: OpenZipOptions): Promise<string[]> {
  return (await open(entries, options, openOptions)).findings.map((f) => f.code);
}
async function readText(archive: ZipArchive, index = 0): Promise<string> {
  return new TextDecoder().decode(await readEntryBytes(archive, archive.entries[index]!, nodePlatform));
}

/** A Platform that counts inflation calls. */
function inflationSpy(): Platform & { inflations: number } {
  const spy = {
    ...nodePlatform,
    inflations: 0,
    inflateRaw(bytes: Uint8Array, max: number) {
      spy.inflations += 1;
      return nodePlatform.inflateRaw(bytes, max);
    },
    createInflateRaw(max: number) {
      spy.inflations += 1;
      return nodePlatform.createInflateRaw(max);
    },
  };
  return spy;
}

describe('a well-formed archive', () => {
  it('opens with stored and deflated entries, a directory entry, an empty file and its top-level directory', async () => {
    const a = await open([
      { name: 'b/', method: 0 },
      { name: 'b/one.txt', data: text('stored text'), method: 0 },
      { name: 'b/two.txt', data: text('deflated '.repeat(100)), method: 8 },
      { name: 'b/empty', method: 0 },
    ]);
    expect(a.findings).toEqual([]);
    expect(a.topLevelDirectory).toBe('b');
    expect(a.entries.map((e) => [e.name, e.method, e.isDirectory])).toEqual([
      ['b/', 0, true],
      ['b/one.txt', 0, false],
      ['b/two.txt', 8, false],
      ['b/empty', 0, false],
    ]);
    expect(await readText(a, 1)).toBe('stored text');
    expect(await readText(a, 2)).toBe('deflated '.repeat(100));
    expect(await readText(a, 3)).toBe('');
  });

  it('keeps the archive comment and reports where the central directory is', async () => {
    const crafted = craftZip([{ name: 'b/x', data: text('x') }], { comment: text('made by a test') });
    const a = await openZip(crafted.source());
    expect(a.findings).toEqual([]);
    expect(new TextDecoder().decode(a.comment)).toBe('made by a test');
    expect(a.centralDirectoryOffset).toBe(crafted.layout.cdOffset);
    expect(a.centralDirectorySize).toBe(crafted.layout.cdSize);
  });

  it('opens an empty archive (no entries, no top-level directory)', async () => {
    const a = await open([]);
    expect(a.findings).toEqual([]);
    expect(a.entries).toEqual([]);
    expect(a.topLevelDirectory).toBeNull();
  });

  it('takes UTF-8 names in NFC with flag bit 11', async () => {
    const a = await open([{ name: 'b/café/日本語 ünïcode.txt', data: text('ok') }]);
    expect(a.findings).toEqual([]);
    expect(a.entries[0]!.name).toBe('b/café/日本語 ünïcode.txt');
    expect(a.entries[0]!.flags & 0x0800).toBe(0x0800);
  });

  it('refuses an Info-ZIP Unicode path field even when it repeats the name (spec 1: a second name), once', async () => {
    const name = 'b/naïve.txt';
    const extra = unicodePathExtra(name, name);
    expect(await codes([{ name, data: text('x'), localExtra: extra, centralExtra: extra }])).toEqual(['zip-unicode-extra']);
  });

  it('reports no top-level directory when entries lie under two, or one lies at the top', async () => {
    expect(
      (
        await open([
          { name: 'b/x', data: text('x') },
          { name: 'c/y', data: text('y') },
        ])
      ).topLevelDirectory,
    ).toBeNull();
    expect(
      (
        await open([
          { name: 'b/x', data: text('x') },
          { name: 'top.txt', data: text('y') },
        ])
      ).topLevelDirectory,
    ).toBeNull();
  });
});

describe('what a bundle may not hold', () => {
  it.each([
    ['traditional encryption (flag bit 0)', { flags: 0x0001 }],
    ['strong encryption (flag bit 6)', { flags: 0x0041 }],
    ['an encrypted central directory (flag bit 13)', { flags: 0x2000 }],
    ['AES (method 99)', { method: 99 }],
    [
      'an AES extra field (0x9901) with method 8',
      { centralExtra: extraField(0x9901, [2, 0, 0x41, 0x45, 3, 8, 0]), localExtra: extraField(0x9901, [2, 0, 0x41, 0x45, 3, 8, 0]) },
    ],
  ] as Array<[string, Partial<CraftEntry>]>)('refuses %s', async (_what, change) => {
    const found = await codes([{ name: 'b/secret', data: text('x'), ...change }]);
    expect(found[0]).toBe('zip-encrypted');
  });

  it.each([
    ['bzip2 (12)', 12],
    ['LZMA (14)', 14],
    ['Deflate64 (9)', 9],
    ['shrink (1)', 1],
  ])('refuses compression method %s', async (_what, method) => {
    expect(await codes([{ name: 'b/m', data: text('x'), method }])).toEqual(['zip-method']);
  });

  it('refuses reserved or unsupported flags (patched data, enhanced deflate, bit 12)', async () => {
    for (const flags of [0x0010, 0x0020, 0x1000])
      expect(await codes([{ name: 'b/f', data: text('x'), flags }]), `0x${flags.toString(16)}`).toEqual(['zip-flags']);
  });

  it('refuses a version needed that no specification defines', async () => {
    expect(await codes([{ name: 'b/v', data: text('x'), versionNeeded: 100 }])).toEqual(['zip-version']);
  });

  it('refuses a stored entry whose sizes differ', async () => {
    expect(await codes([{ name: 'b/s', data: text('abc'), method: 0, central: { compressed: 2 }, local: { compressed: 2 } }])).toContain(
      'zip-stored-size',
    );
  });

  it('refuses symbolic links and other special files from Unix hosts (3, and 19 for OS X)', async () => {
    const unix = (type: number, host = 3) => ({ madeBy: (host << 8) | 30, externalAttributes: ((type | 0o644) << 16) >>> 0 });
    expect(await codes([{ name: 'b/link', data: text('/etc/passwd'), method: 0, ...unix(0o120000) }])).toEqual(['zip-symlink']);
    expect(await codes([{ name: 'b/link', data: text('/etc/passwd'), method: 0, ...unix(0o120000, 19) }])).toEqual(['zip-symlink']);
    expect(await codes([{ name: 'b/fifo', method: 0, ...unix(0o010000) }])).toEqual(['zip-symlink']);
    expect(await codes([{ name: 'b/dev', method: 0, ...unix(0o060000) }])).toEqual(['zip-symlink']);
    expect(await codes([{ name: 'b/file', data: text('ok'), method: 0, ...unix(0o100000) }])).toEqual([]);
    expect(await codes([{ name: 'b/dir/', method: 0, ...unix(0o040000) }])).toEqual([]);
    // The same bits from an MS-DOS host mean nothing of the kind.
    expect(await codes([{ name: 'b/dos', data: text('ok'), method: 0, madeBy: 20, externalAttributes: (0o120777 << 16) >>> 0 }])).toEqual(
      [],
    );
  });

  it('refuses a directory entry with content', async () => {
    expect(await codes([{ name: 'b/dir/', data: text('x'), method: 0 }])).toEqual(['zip-directory-size']);
  });
});

describe('entry names (spec section 1)', () => {
  it('refuses Windows-aliased names on the non-ASCII path too, and only those (spec 1, 2026-12)', () => {
    for (const name of ['b/café /x.txt', 'b/ça:va.txt', 'b/日本/CON.txt', 'b/日本/lpt1 .log', 'b/über.', 'b/über?'])
      expect([name, checkEntryName(name, false)?.code]).toEqual([name, 'zip-name-windows']);
    expect(checkEntryName('b/日本/con/', true)?.code).toBe('zip-name-windows');
    for (const name of ['b/café/console.txt', 'b/日本/com0.txt', 'b/über.txt', 'b/.hidden', 'b/a..b'])
      expect([name, checkEntryName(name, false)]).toEqual([name, null]);
  });

  const bad: Array<[string, string | Uint8Array, string]> = [
    ['a backslash', 'b\\evil.txt', 'zip-name-backslash'],
    ['Windows-style traversal', 'b\\..\\..\\evil.txt', 'zip-name-backslash'],
    ['a drive letter', 'C:/b/x', 'zip-name-absolute'],
    ['a drive letter without a slash', 'c:x', 'zip-name-absolute'],
    ['a leading slash', '/b/x', 'zip-name-absolute'],
    ['a NUL', 'b/x\u0000.txt', 'zip-name-control'],
    ['an escape sequence', 'b/x\u001b[2J', 'zip-name-control'],
    ['a newline', 'b/x\ny', 'zip-name-control'],
    ['DEL', 'b/x\u007f', 'zip-name-control'],
    ['a C1 control (NEL)', 'b/x\u0085y', 'zip-name-control'],
    ['a C1 control (CSI)', 'b/x\u009b', 'zip-name-control'],
    ['a ".." segment', 'b/../../etc/passwd', 'zip-name-segment'],
    ['a ".." segment at the end', 'b/x/..', 'zip-name-segment'],
    ['a "." segment', 'b/./x', 'zip-name-segment'],
    ['an empty segment', 'b//x', 'zip-name-segment'],
    ['an empty name', '', 'zip-name-segment'],
    ['a directory of two slashes', 'b//', 'zip-name-segment'],
    ['a decomposed (non-NFC) name', 'b/cafe\u0301', 'zip-name-not-nfc'],
    ['non-ASCII bytes without the UTF-8 flag', Uint8Array.from([0x62, 0x2f, 0xe9]), 'zip-name-encoding'],
    ['UTF-8 bytes without the UTF-8 flag', Uint8Array.from([0x62, 0x2f, 0xc3, 0xa9]), 'zip-name-encoding'],
  ];
  it.each(bad)('refuses %s', async (_what, name, code) => {
    expect(await codes([{ name, data: text('x'), method: 0 }])).toEqual([code]);
  });

  it.each([
    ['invalid bytes', [0x62, 0x2f, 0xff, 0xfe]],
    ['an overlong encoding of "/"', [0x62, 0xc0, 0xaf, 0x78]],
    ['an encoded surrogate', [0x62, 0x2f, 0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0x62, 0x2f, 0xe6, 0x97]],
  ])('refuses a name flagged UTF-8 with %s', async (_what, bytes) => {
    expect(await codes([{ name: Uint8Array.from(bytes), data: text('x'), flags: 0x0800, method: 0 }])).toEqual(['zip-name-encoding']);
  });

  it('says which name, with its control characters made visible', async () => {
    const a = await open([{ name: 'b/x\u0000\u001b.txt', data: text('x') }]);
    expect(a.findings[0]).toMatchObject({
      code: 'zip-name-control',
      layer: 'container',
      severity: 'malformed',
      entry: 'b/x\u0000\u001b.txt',
    });
    expect(a.findings[0]!.message).toContain('Entry "b/x\\u{0000}\\u{001b}.txt"');
  });

  it.each([
    ['A/x', 'a/X'],
    ['b/A.txt', 'b/a.TXT'],
    ['b/straße', 'b/STRASSE'],
    ['b/É', 'b/é'],
    ['b/ǅ', 'b/ǆ'],
    ['b/ﬁle', 'b/FILE'],
    ['b/dir/', 'b/DIR'],
  ])('refuses %s beside %s (equal after NFC and case folding)', async (first, second) => {
    const found = await codes([
      { name: first, data: first.endsWith('/') ? undefined : text('1'), method: 0 },
      { name: second, data: text('2'), method: 0 },
    ]);
    expect(found).toContain('zip-name-duplicate');
    expect(found.filter((c) => c !== 'zip-name-duplicate' && c !== 'zip-name-not-nfc')).toEqual([]);
  });

  it('refuses a precomposed é beside a decomposed one: the second is not NFC, and is the same name', async () => {
    const a = await open([
      { name: 'b/caf\u00e9', data: text('1'), method: 0 },
      { name: 'b/cafe\u0301', data: text('2'), method: 0 },
    ]);
    expect(a.findings.map((f) => [f.code, f.entry])).toEqual([
      ['zip-name-not-nfc', 'b/cafe\u0301'],
      ['zip-name-duplicate', 'b/cafe\u0301'],
    ]);
    expect(a.findings[1]!.message).toContain('b/caf\u00e9');
  });

  it('refuses a file that other entries lie under as if it were a directory', async () => {
    const found = await codes([
      { name: 'b/x', data: text('file'), method: 0 },
      { name: 'b/X/y', data: text('under it'), method: 0 },
    ]);
    expect(found).toEqual(['zip-name-conflict']);
  });

  it('finds "." and ".." segments in plain names exactly as splitting at "/" does', () => {
    // Every plain name of up to 7 characters over "a", "." and "/": the rule for plain ASCII
    // names against the definition (a segment equal to "." or "..", a directory's "/" aside).
    const bySplit = (name: string, dir: boolean) => (dir ? name.slice(0, -1) : name).split('/').some((s) => s === '.' || s === '..');
    let names = [''];
    let checked = 0;
    for (let length = 1; length <= 7; length++) {
      names = names.flatMap((n) => ['a', '.', '/'].map((c) => n + c));
      for (const name of names) {
        if (!/^[a.]+(?:\/[a.]+)*\/?$/.test(name)) continue; // plain names only: no empty segment
        const dir = name.endsWith('/');
        // A segment ending in "." that is not "." or ".." is a Windows alias (spec 1).
        const alias = (dir ? name.slice(0, -1) : name).split('/').some((s) => s.endsWith('.'));
        const expected = bySplit(name, dir) ? 'zip-name-segment' : alias ? 'zip-name-windows' : null;
        expect([name, checkEntryName(name, dir)?.code ?? null]).toEqual([name, expected]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('decodes long ASCII names and names at the direct-decoding bound alike', () => {
    for (const length of [1, 1023, 1024, 1025, 65535]) {
      const name = 'b/' + 'x'.repeat(length - 2 > 0 ? length - 2 : 0);
      expect(decodeName(new TextEncoder().encode(name), 0, 0)).toEqual({ name, problem: null });
    }
  });

  it('takes names that only look alike (no folding beyond case)', async () => {
    expect(
      await codes([
        { name: 'b/a-b', data: text('1') },
        { name: 'b/a_b', data: text('2') },
        { name: 'b/ab', data: text('3') },
      ]),
    ).toEqual([]);
  });
});

describe('several findings from one archive', () => {
  it('reports every bad name and a local-header mismatch together, and then has no entries', async () => {
    const a = await open([
      { name: 'b\\x', data: text('1') },
      { name: 'b/ok', data: text('2'), local: { crc: 7 } },
      { name: 'b/../y', data: text('3') },
    ]);
    expect(a.findings.map((f) => [f.code, f.entry])).toEqual([
      ['zip-name-backslash', 'b\\x'],
      ['zip-name-segment', 'b/../y'],
      ['zip-local-mismatch', 'b/ok'],
    ]);
    expect(a.entries).toEqual([]);
    expect(a.topLevelDirectory).toBeNull();
  });

  it(`stops after ${MAX_FINDINGS} findings`, async () => {
    const entries = Array.from({ length: MAX_FINDINGS + 50 }, (_, i) => ({ name: `b\\${i}`, data: text('x') }));
    const a = await open(entries);
    expect(a.findings).toHaveLength(MAX_FINDINGS + 1);
    expect(a.findings.at(-1)!.code).toBe('zip-too-many-findings');
  });

  it('stops at the first problem it cannot read past', async () => {
    const found = await codes([
      { name: 'b\\x', data: text('1') },
      { name: 'b/y', data: text('2'), central: { signature: 0x02014b51 } },
    ]);
    expect(found).toEqual(['zip-name-backslash', 'zip-cd-signature']);
  });
});

describe('entries handed out as their local headers pass (onEntryReady)', () => {
  it('announces every entry of a good archive in file order, with its data offset, before openZip returns', async () => {
    const seen: Array<[string, number]> = [];
    const a = await open(
      [
        { name: 'b/', method: 0 },
        { name: 'b/1', data: text('one') },
        { name: 'b/2', data: text('two'.repeat(50)) },
      ],
      undefined,
      { onEntryReady: (e) => seen.push([e.name, e.dataOffset]) },
    );
    expect(a.findings).toEqual([]);
    expect(seen).toEqual(a.entries.map((e) => [e.name, e.dataOffset]));
    expect(seen.every(([, at]) => at > 0)).toBe(true);
  });

  it('announces nothing after the first finding, and nothing at all when the central directory has one', async () => {
    const seen: string[] = [];
    const onEntryReady = (e: { name: string }) => seen.push(e.name);
    const late = await codes(
      [
        { name: 'b/1', data: text('1') },
        { name: 'b/2', data: text('2'), local: { crc: 7 } },
        { name: 'b/3', data: text('3') },
      ],
      undefined,
      { onEntryReady },
    );
    expect(late).toEqual(['zip-local-mismatch']);
    expect(seen).toEqual(['b/1']);
    seen.length = 0;
    expect(
      await codes(
        [
          { name: 'b/1', data: text('1') },
          { name: 'b/../2', data: text('2') },
        ],
        undefined,
        { onEntryReady },
      ),
    ).toEqual(['zip-name-segment']);
    expect(seen).toEqual([]);
  });
});

describe('limits, before anything is inflated', () => {
  it('refuses more entries than the limit without reading the central directory', async () => {
    const crafted = craftZip([
      { name: 'b/1', data: text('1') },
      { name: 'b/2', data: text('2') },
      { name: 'b/3', data: text('3') },
    ]);
    const source = recordingSource(crafted.source());
    const a = await openZip(source, { limits: { maxEntries: 2 } });
    expect(a.findings).toEqual([expect.objectContaining({ code: 'limit-entries', layer: 'limit', severity: 'malformed' })]);
    expect(source.reads).toEqual([[0, crafted.size]]);
  });

  it('refuses an entry declaring more than the per-entry limit, naming it', async () => {
    const a = await open(
      [
        { name: 'b/small', data: text('x') },
        { name: 'b/big', data: text('x'.repeat(2000)) },
      ],
      undefined,
      { limits: { maxEntryUncompressed: 1000 } },
    );
    expect(a.findings).toEqual([expect.objectContaining({ code: 'limit-entry-size', layer: 'limit', entry: 'b/big' })]);
  });

  it('refuses entries declaring more than the total limit, once', async () => {
    const entries = ['1', '2', '3'].map((n) => ({ name: `b/${n}`, data: text(n.repeat(600)) }));
    const a = await open(entries, undefined, { limits: { maxTotalUncompressed: 1000 } });
    expect(a.findings).toEqual([expect.objectContaining({ code: 'limit-total-size', layer: 'limit', entry: 'b/2' })]);
  });

  it('checks declared sizes, not data: a virtual 5 GiB entry is refused by the default per-entry limit with no data read', async () => {
    const crafted = craftZip([{ name: 'b/huge', virtualSize: 5 * 1024 ** 3, method: 0, zip64: true }], { zip64Eocd: true });
    const source = recordingSource(crafted.source());
    const a = await openZip(source);
    expect(a.findings.map((f) => f.code)).toEqual(['limit-entry-size']);
    expect(DEFAULT_ZIP_LIMITS.maxEntryUncompressed).toBe(4 * 1024 ** 3);
    // The tail, then the local header window; no read reaches into the entry's data.
    expect(source.reads.every(([offset, length]) => length <= 1024 * 1024 || offset > 5 * 1024 ** 3)).toBe(true);
  });

  it('reads local headers through windows of many small entries, and only the header between large ones', async () => {
    const small = craftZip(Array.from({ length: 2000 }, (_, i) => ({ name: `b/data/${i}.json`, data: text(`{"n":${i}}`.repeat(50)) })));
    const smallReads = recordingSource(small.source());
    expect((await openZip(smallReads)).findings).toEqual([]);
    expect(smallReads.reads.length).toBeLessThan(10);
    const big = new Uint8Array(6 * 1024 * 1024).fill(7);
    const large = craftZip([0, 1, 2].map((i) => ({ name: `b/data/${i}.bin`, data: big, method: 0 as const })));
    const largeReads = recordingSource(large.source());
    const archive = await openZip(largeReads);
    expect(archive.findings).toEqual([]);
    const headers = new Set(archive.entries.map((e) => e.localHeaderOffset));
    const headerReads = largeReads.reads.filter(([offset]) => headers.has(offset));
    expect(headerReads.map(([, length]) => length)).toEqual([4096, 4096, 4096]);
  });

  it('refuses a central directory above the bound before reading it (explicit, or 1 KiB per allowed entry)', async () => {
    const crafted = craftZip([{ name: `b/${'x'.repeat(1100)}`, data: text('x') }]);
    const explicit = recordingSource(crafted.source());
    expect((await openZip(explicit, { limits: { maxCentralDirectory: 100 } })).findings.map((f) => f.code)).toEqual([
      'limit-central-directory',
    ]);
    expect(explicit.reads).toHaveLength(1);
    expect((await openZip(crafted.source(), { limits: { maxEntries: 1 } })).findings.map((f) => f.code)).toEqual([
      'limit-central-directory',
    ]);
    expect((await openZip(crafted.source(), { limits: { maxEntries: 2 } })).findings).toEqual([]);
  });

  it('inflates nothing while opening, and nothing at all once a limit is exceeded', async () => {
    const platform = inflationSpy();
    const a = await open([{ name: 'b/1', data: text('x'.repeat(5000)) }], undefined, { limits: { maxEntryUncompressed: 10 } });
    expect(a.findings[0]!.code).toBe('limit-entry-size');
    expect(a.entries).toEqual([]);
    const sound = await open([{ name: 'b/1', data: text('x'.repeat(5000)) }]);
    const err = await readEntryBytes(a, sound.entries[0]!, platform).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZipEntryError);
    expect(err).toMatchObject({ code: 'entry-unreadable' });
    expect(platform.inflations).toBe(0);
    expect(await readEntryBytes(sound, sound.entries[0]!, platform)).toHaveLength(5000);
    expect(platform.inflations).toBe(1);
  });
});
