// The strict zip reader's structure checks on crafted archives: end records (EOCD, ZIP64),
// the central directory's bounds, the contiguous layout, every local header against its
// central record, extra fields, data descriptors, and offsets past 4 GiB.
import { describe, expect, it } from 'vitest';
import { openZip, readEntryBytes } from '../../shared/evb/zip';
import type { ZipArchive } from '../../shared/evb/zip';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import { craftZip, extraField, le, unicodePathExtra } from '../helpers/zipcraft';
import type { CraftEntry, CraftOptions } from '../helpers/zipcraft';

const enc = new TextEncoder();
const text = (s: string) => enc.encode(s);
const GiB = 1024 ** 3;
const BIG = { limits: { maxEntryUncompressed: 8 * GiB } };

async function codes(entries: CraftEntry[], options?: CraftOptions): Promise<string[]> {
  return (await openZip(craftZip(entries, options).source())).findings.map((f) => f.code);
}
async function readText(archive: ZipArchive, index = 0): Promise<string> {
  return new TextDecoder().decode(await readEntryBytes(archive, archive.entries[index]!, nodePlatform));
}
const two: CraftEntry[] = [
  { name: 'b/a.txt', data: text('first entry '.repeat(10)) },
  { name: 'b/b.txt', data: text('second'), method: 0 },
];

describe('end of central directory', () => {
  it('refuses a file too short to be a zip, and one without an end record', async () => {
    expect((await openZip(bytesSource(new Uint8Array(21)))).findings.map((f) => f.code)).toEqual(['zip-too-short']);
    expect((await openZip(bytesSource(new Uint8Array(100_000)))).findings.map((f) => f.code)).toEqual(['zip-no-eocd']);
  });

  it('refuses an end record more than 65,557 bytes from the end (no comment is that long)', async () => {
    expect(await codes(two, { suffix: new Uint8Array(70_000) })).toEqual(['zip-no-eocd']);
  });

  it('refuses bytes after the archive, and a comment length that does not reach the end exactly', async () => {
    expect(await codes(two, { suffix: text('trailing') })).toEqual(['zip-eocd-comment-length']);
    expect(await codes(two, { comment: text('abc'), eocd: { commentLength: 4 } })).toEqual(['zip-eocd-comment-length']);
    expect(await codes(two, { comment: text('abc'), eocd: { commentLength: 2 } })).toEqual(['zip-eocd-comment-length']);
  });

  it('refuses a second end record hidden in the comment', async () => {
    const fake = Uint8Array.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    expect(await codes(two, { comment: fake })).toEqual(['zip-multiple-eocd']);
  });

  it.each([
    ['this disk', { disk: 1 }],
    ['the directory disk', { cdDisk: 1 }],
    ['entries on this disk', { entriesOnDisk: 1 }],
  ])('refuses a split archive (%s)', async (_what, eocd) => {
    expect(await codes(two, { eocd })).toEqual(['zip-multidisk']);
  });

  it('refuses a central directory whose size or offset misses the end record', async () => {
    const { layout } = craftZip(two);
    expect(await codes(two, { eocd: { cdSize: layout.cdSize + 1 } })).toEqual(['zip-cd-bounds']);
    expect(await codes(two, { eocd: { cdSize: layout.cdSize - 1 } })).toEqual(['zip-cd-bounds']);
    expect(await codes(two, { eocd: { cdOffset: layout.cdOffset - 1 } })).toEqual(['zip-cd-bounds']);
    expect(await codes(two, { eocd: { cdOffset: layout.cdOffset + 1, cdSize: layout.cdSize - 1 } })).toEqual(['zip-cd-signature']);
    expect(await codes(two, { gapAfterCd: text('gap') })).toEqual(['zip-cd-bounds']);
  });

  it('refuses an entry count the directory does not hold', async () => {
    expect(await codes(two, { eocd: { entries: 3, entriesOnDisk: 3 } })).toEqual(['zip-entry-count']);
    expect(await codes(two, { eocd: { entries: 1, entriesOnDisk: 1 } })).toEqual(['zip-entry-count', 'zip-gap']);
    expect(await codes(two, { eocd: { entries: 0, entriesOnDisk: 0 } })).toEqual(['zip-entry-count']);
  });

  it('refuses a central record without its signature, or running past the directory', async () => {
    expect(await codes([two[0]!, { ...two[1]!, central: { signature: 0x01014b50 } }])).toEqual(['zip-cd-signature']);
    const crafted = craftZip([{ name: 'b/a', data: text('x'), comment: text('c') }]);
    const bytes = crafted.bytes();
    bytes.set(le(2, 100), crafted.layout.cdOffset + 32);
    expect((await openZip(bytesSource(bytes))).findings.map((f) => f.code)).toEqual(['zip-cd-overflow']);
  });
});

describe('ZIP64 end records', () => {
  it('accepts ZIP64 records, with markers in the end record or with the values kept (as Python writes)', async () => {
    expect(await codes(two, { zip64Eocd: true })).toEqual([]);
    expect(await codes(two, { zip64Eocd: true, eocdKeepsValues: true })).toEqual([]);
  });

  it('refuses markers without a locator', async () => {
    expect(await codes(two, { eocd: { entries: 0xffff, entriesOnDisk: 0xffff } })).toEqual(['zip-eocd64']);
    expect(await codes(two, { eocd: { cdOffset: 0xffffffff } })).toEqual(['zip-eocd64']);
  });

  it('refuses a locator pointing elsewhere, a record not right before the locator, or one of another size', async () => {
    const { layout } = craftZip(two);
    const recordAt = layout.cdOffset + layout.cdSize;
    expect(await codes(two, { zip64Eocd: true, locator: { offset: recordAt - 4 } })).toEqual(['zip-eocd64']);
    expect(await codes(two, { zip64Eocd: true, locator: { offset: recordAt + 4 } })).toEqual(['zip-eocd64']);
    expect(await codes(two, { zip64Eocd: true, gapBeforeLocator: new Uint8Array(4) })).toEqual(['zip-eocd64']);
    expect(await codes(two, { zip64Eocd: true, eocd64: { recordSize: 40 } })).toEqual(['zip-eocd64']);
    expect(
      await codes(two, { zip64Eocd: true, eocd64: { recordSize: 52, extensible: new Uint8Array(8) }, locator: { offset: recordAt } }),
    ).toEqual(['zip-eocd64']);
    expect(await codes(two, { zip64Eocd: true, eocd64: { signature: 0x06064b51 } })).toEqual(['zip-eocd64']);
  });

  it('refuses a ZIP64 record that disagrees with the end record, or with the directory', async () => {
    const { layout } = craftZip(two);
    expect(await codes(two, { zip64Eocd: true, eocdKeepsValues: true, eocd64: { cdSize: layout.cdSize + 1 } })).toEqual(['zip-eocd64']);
    expect(await codes(two, { zip64Eocd: true, eocdKeepsValues: true, eocd64: { entries: 3, entriesOnDisk: 3 } })).toEqual(['zip-eocd64']);
    expect(await codes(two, { zip64Eocd: true, eocd64: { entries: 3, entriesOnDisk: 3 } })).toEqual(['zip-entry-count']);
    expect(await codes(two, { zip64Eocd: true, eocd64: { cdOffset: layout.cdOffset + 1 } })).toEqual(['zip-cd-bounds']);
  });

  it('refuses ZIP64 records that describe a split archive', async () => {
    expect(await codes(two, { zip64Eocd: true, locator: { disk: 1 } })).toEqual(['zip-multidisk']);
    expect(await codes(two, { zip64Eocd: true, locator: { totalDisks: 2 } })).toEqual(['zip-multidisk']);
    expect(await codes(two, { zip64Eocd: true, eocd64: { disk: 1 } })).toEqual(['zip-multidisk']);
    expect(await codes(two, { zip64Eocd: true, eocd64: { entriesOnDisk: 1 } })).toEqual(['zip-multidisk']);
  });
});

describe('layout: contiguous, from byte 0 to the central directory', () => {
  it('refuses bytes before the first entry', async () => {
    expect(await codes(two, { prefix: text('MZ junk') })).toEqual(['zip-prefix-bytes']);
  });

  it('refuses bytes between entries, and between the last entry and the directory', async () => {
    expect(await codes([{ ...two[0]!, after: text('hidden') }, two[1]!])).toEqual(['zip-gap']);
    expect(await codes(two, { gapBeforeCd: text('hidden bytes') })).toEqual(['zip-gap']);
  });

  it('refuses entries that overlap, or two records sharing one local header', async () => {
    const { layout } = craftZip(two);
    expect(await codes([two[0]!, { ...two[1]!, central: { offset: layout.localHeaders[1]! - 2 } }])).toEqual([
      'zip-overlap',
      'zip-local-signature',
    ]);
    const shared = await codes([two[0]!, { ...two[1]!, central: { offset: 0 } }]);
    expect(shared).toContain('zip-overlap');
    expect(shared).toContain('zip-local-name');
  });

  it('refuses data running into the central directory', async () => {
    expect(
      await codes([
        {
          name: 'b/s',
          data: text('abc'),
          method: 0,
          central: { compressed: 500, uncompressed: 500 },
          local: { compressed: 500, uncompressed: 500 },
        },
      ]),
    ).toEqual(['zip-entry-bounds']);
  });

  it('refuses a record pointing where there is no local header', async () => {
    expect(await codes([two[0]!, { ...two[1]!, local: { signature: 0x04034b51 } }])).toEqual(['zip-local-signature']);
  });

  it('checks layout in offset order, whatever the directory order', async () => {
    const crafted = craftZip(two);
    const bytes = crafted.bytes();
    // Swap the two central records: the directory lists the second entry first.
    const cd = bytes.slice(crafted.layout.cdOffset, crafted.layout.cdOffset + crafted.layout.cdSize);
    const firstLength = 46 + 'b/a.txt'.length;
    bytes.set(cd.subarray(firstLength), crafted.layout.cdOffset);
    bytes.set(cd.subarray(0, firstLength), crafted.layout.cdOffset + cd.length - firstLength);
    const a = await openZip(bytesSource(bytes));
    expect(a.findings).toEqual([]);
    expect(a.entries.map((e) => e.name)).toEqual(['b/b.txt', 'b/a.txt']);
    expect(await readText(a, 1)).toBe('first entry '.repeat(10));
  });
});

describe('local header against central record', () => {
  const cases: Array<[string, Partial<CraftEntry>, string, RegExp?]> = [
    ['CRC-32', { local: { crc: 1 } }, 'zip-local-mismatch', /CRC-32 00000001 but the central directory says/],
    ['compressed size', { local: { compressed: 3 } }, 'zip-local-mismatch', /compressed size 3/],
    ['uncompressed size', { local: { uncompressed: 3 } }, 'zip-local-mismatch', /uncompressed size 3/],
    ['method', { local: { method: 0 } }, 'zip-local-mismatch', /says method 0 but the central directory says 8/],
    ['flags (bit 11)', { local: { flags: 0x0800 } }, 'zip-local-mismatch', /flags 0x0800 but the central directory says 0x0000/],
    [
      'version needed',
      { versionNeeded: 20, local: { versionNeeded: 21 } },
      'zip-local-mismatch',
      /version needed 2\.1 but the central directory says 2\.0/,
    ],
    ['name', { local: { name: text('b/other') } }, 'zip-local-name', /names the entry "b\/other"/],
    ['name, by one byte of length', { local: { name: text('b/a.tx') } }, 'zip-local-name'],
    [
      'local extra chain',
      { localExtra: Uint8Array.from([0x55, 0x54, 9, 0, 0]), centralExtra: extraField(0x5455, [0]) },
      'zip-extra-malformed',
    ],
    [
      'local duplicate extra',
      { localExtra: Uint8Array.from([...extraField(0x5455, [0]), ...extraField(0x5455, [0])]), centralExtra: extraField(0x5455, [0]) },
      'zip-extra-duplicate',
    ],
    [
      'local Unicode path',
      { localExtra: unicodePathExtra('b/a.txt', 'b/evil.txt'), centralExtra: unicodePathExtra('b/a.txt', 'b/a.txt') },
      'zip-unicode-extra',
    ],
  ];
  it.each(cases)('refuses a disagreeing %s', async (_what, change, code, message) => {
    const a = await openZip(craftZip([{ name: 'b/a.txt', data: text('content '.repeat(20)), ...change }]).source());
    expect(a.findings.map((f) => f.code)).toEqual([code]);
    expect(a.findings[0]!.entry).toBe('b/a.txt');
    expect(a.findings[0]!.message).toMatch(/^Entry "b\/a\.txt": /);
    if (message) expect(a.findings[0]!.message).toMatch(message);
  });

  // Spec 1 (2026-12): which extra fields each header carries, time and date, and the deflate
  // option bits 1 and 2 may differ; common writers (7-Zip, Info-ZIP) make them differ.
  it.each<[string, Partial<CraftEntry>]>([
    ['time', { local: { time: 1234 } }],
    ['date', { local: { date: 1234 } }],
    ['set of extra fields', { localExtra: extraField(0x5455, [1, 0, 0, 0, 0]) }],
    ['deflate option bit 1', { local: { flags: 0x0002 } }],
  ])('takes a differing %s', async (_what, change) => {
    expect(await codes([{ name: 'b/a.txt', data: text('content '.repeat(20)), ...change }])).toEqual([]);
  });

  it('says what disagrees, where, in a sentence', async () => {
    const a = await openZip(craftZip([{ name: 'b/data/x.json', data: text('{}'), method: 8, local: { method: 0 } }]).source());
    expect(a.findings[0]!.message).toBe('Entry "b/data/x.json": the local header says method 0 but the central directory says 8.');
  });

  it('lets version needed differ only where ZIP64 does (Python, Info-ZIP -fz)', async () => {
    // Python: central 4.5 for an offset-only ZIP64 record, local 2.0.
    expect(await codes([{ name: 'b/a', data: text('a'), versionNeeded: 45, zip64OffsetOnly: true, local: { versionNeeded: 20 } }])).toEqual(
      [],
    );
    // Info-ZIP -fz: local 4.5 with a ZIP64 field, central 1.0.
    expect(await codes([{ name: 'b/d/', method: 0, localZip64: true, versionNeeded: 10, local: { versionNeeded: 45 } }])).toEqual([]);
    // Without ZIP64 anywhere, no difference.
    expect(await codes([{ name: 'b/a', data: text('a'), versionNeeded: 45, local: { versionNeeded: 20 } }])).toEqual([
      'zip-local-mismatch',
    ]);
  });
});

describe('extra fields', () => {
  it('refuses a central chain that overruns or leaves bytes', async () => {
    expect(await codes([{ name: 'b/a', data: text('x'), centralExtra: Uint8Array.from([0x55, 0x54, 9, 0, 0]) }])).toEqual([
      'zip-extra-malformed',
    ]);
    expect(await codes([{ name: 'b/a', data: text('x'), centralExtra: Uint8Array.from([0x55, 0x54]) }])).toEqual(['zip-extra-malformed']);
  });

  it('refuses the same id twice in one header', async () => {
    const twice = Uint8Array.from([...extraField(0x5455, [0]), ...extraField(0x5455, [0])]);
    expect(await codes([{ name: 'b/a', data: text('x'), centralExtra: twice, localExtra: twice }])).toEqual(['zip-extra-duplicate']);
  });

  it('refuses a ZIP64 field missing where markers defer to it, of the wrong size, or not called for', async () => {
    expect(await codes([{ name: 'b/a', data: text('x'), central: { compressed: 0xffffffff } }])).toEqual(['zip-zip64-extra']);
    expect(await codes([{ name: 'b/a', data: text('x'), centralExtra: extraField(1, le(8, 1)) }])).toEqual(['zip-zip64-extra']);
    expect(await codes([{ name: 'b/a', data: text('x'), zip64OffsetOnly: true, central: { offset: 0 } }])).toEqual([]);
    expect(
      await codes([{ name: 'b/a', data: text('x'), zip64: true, centralExtra: extraField(1, le(8, 1)) }], { zip64Eocd: true }),
    ).toEqual(['zip-extra-duplicate']);
    // Local: markers without a field, and a field without markers.
    expect(await codes([{ name: 'b/a', data: text('x'), local: { compressed: 0xffffffff } }])).toEqual(['zip-zip64-extra']);
    expect(await codes([{ name: 'b/a', data: text('x'), localExtra: extraField(1, [...le(8, 1), ...le(8, 1)]) }])).toEqual([
      'zip-zip64-extra',
    ]);
  });

  it('refuses a ZIP64 value of 2^53 bytes or more', async () => {
    expect(await codes([{ name: 'b/a', data: text('x'), zip64: true, central: { uncompressed: 2 ** 60 } }], { zip64Eocd: true })).toEqual([
      'zip-zip64-extra',
    ]);
  });

  it("takes Go's 24-byte central ZIP64 field (sizes and an unmarked offset) only when the offset agrees", async () => {
    const crafted = craftZip([{ name: 'b/go', data: text('go writes all three values'), goZip64: true }]);
    expect((await openZip(crafted.source())).findings).toEqual([]);
    const bytes = crafted.bytes();
    // The ZIP64 field's offset value, the last 8 bytes of the central record.
    bytes.set(le(8, 7), crafted.layout.cdOffset + crafted.layout.cdSize - 8);
    expect((await openZip(bytesSource(bytes))).findings.map((f) => f.code)).toEqual(['zip-zip64-extra']);
  });

  it('refuses an Info-ZIP Unicode path that names something else, is made for another name, or is malformed', async () => {
    expect(await codes([{ name: 'b/a', data: text('x'), centralExtra: unicodePathExtra('b/a', 'b/../evil') }])).toContain(
      'zip-unicode-extra',
    );
    expect(await codes([{ name: 'b/a', data: text('x'), centralExtra: unicodePathExtra('b/other', 'b/a') }])).toContain(
      'zip-unicode-extra',
    );
    expect(await codes([{ name: 'b/a', data: text('x'), centralExtra: extraField(0x7075, [2, 0, 0, 0, 0]) }])).toContain(
      'zip-unicode-extra',
    );
    expect(await codes([{ name: 'b/a', data: text('x'), centralExtra: extraField(0x7075, [1, ...le(4, 0x12345678)]) }])).toContain(
      'zip-unicode-extra',
    );
  });
});

describe('data descriptors (flag bit 3)', () => {
  const data = text('described content '.repeat(30));
  it.each([
    ['signed, 32-bit', { descriptor: 'signed' }],
    ['unsigned, 32-bit', { descriptor: 'unsigned' }],
    ['signed, 64-bit after a local ZIP64 field', { descriptor: 'signed', localZip64: true }],
    ['unsigned, 64-bit after a local ZIP64 field', { descriptor: 'unsigned', localZip64: true }],
    ['signed, 64-bit without a local ZIP64 field (Go, for large entries)', { descriptor: 'signed', descriptorWide: true }],
    ['with ZIP64 in both headers', { descriptor: 'signed', zip64: true }],
  ] as Array<[string, Partial<CraftEntry>]>)('accepts one %s that matches the directory', async (_what, change) => {
    const a = await openZip(
      craftZip([
        { name: 'b/d.txt', data, ...change },
        { name: 'b/e.txt', data: text('next') },
      ]).source(),
    );
    expect(a.findings).toEqual([]);
    expect(await readText(a, 0)).toBe(new TextDecoder().decode(data));
    expect(await readText(a, 1)).toBe('next');
  });

  it('accepts real values in the local header beside a descriptor (Info-ZIP), or only some (macOS)', async () => {
    const stored = text('abc');
    const crc = 0x352441c2;
    expect(
      await codes([{ name: 'b/d', data: stored, method: 0, descriptor: 'signed', local: { crc, compressed: 3, uncompressed: 3 } }]),
    ).toEqual([]);
    expect(await codes([{ name: 'b/d', data: stored, method: 0, descriptor: 'signed', local: { compressed: 3 } }])).toEqual([]);
    expect(await codes([{ name: 'b/d', data: stored, method: 0, descriptor: 'signed', local: { crc: crc ^ 1 } }])).toEqual([
      'zip-local-mismatch',
    ]);
  });

  it.each([
    ['a CRC-32 other than the directory', { descriptor: 'signed', descriptorValues: { crc: 5 } }],
    ['sizes other than the directory', { descriptor: 'unsigned', descriptorValues: { compressed: 1 } }],
    ['32-bit sizes after a local ZIP64 field', { descriptor: 'signed', localZip64: true, descriptorWide: false }],
    ['no descriptor at all', { flags: 0x0008 }],
    ['junk after it', { descriptor: 'signed', after: text('xyz') }],
    ['the real CRC-32 where the directory declares another', { descriptor: 'signed', central: { crc: 0 } }],
  ] as Array<[string, Partial<CraftEntry>]>)('refuses a descriptor with %s', async (_what, change) => {
    expect(
      await codes([
        { name: 'b/d', data, ...change },
        { name: 'b/e', data: text('next') },
      ]),
    ).toEqual(['zip-descriptor']);
  });

  it('refuses a descriptor whose signature is wrong', async () => {
    const crafted = craftZip([
      { name: 'b/d', data, descriptor: 'signed' },
      { name: 'b/e', data: text('next') },
    ]);
    const bytes = crafted.bytes();
    bytes[crafted.layout.localHeaders[1]! - 16] = 0x51;
    expect((await openZip(bytesSource(bytes))).findings.map((f) => f.code)).toEqual(['zip-descriptor']);
  });
});

describe('offsets past 4 GiB (a sparse 5 GiB archive)', () => {
  it('reads ZIP64 records, extras and an entry after a 5 GiB one', async () => {
    const crafted = craftZip(
      [
        { name: 'b/huge.bin', virtualSize: 5 * GiB, method: 0, zip64: true },
        { name: 'b/after.txt', data: text('after the 5 GiB entry'), zip64: true },
      ],
      { zip64Eocd: true },
    );
    expect(crafted.size).toBeGreaterThan(5 * GiB);
    const a = await openZip(crafted.source(), BIG);
    expect(a.findings).toEqual([]);
    expect(a.entries[0]!.uncompressedSize).toBe(5 * GiB);
    expect(a.entries[1]!.localHeaderOffset).toBeGreaterThan(2 ** 32);
    expect(a.centralDirectoryOffset).toBeGreaterThan(5 * GiB);
    expect(await readText(a, 1)).toBe('after the 5 GiB entry');
  });

  it("reads what Go's archive/zip writes: a 24-byte ZIP64 field, and 32-bit descriptors for small entries past 4 GiB", async () => {
    const crafted = craftZip(
      [
        { name: 'b/huge.bin', virtualSize: 5 * GiB, method: 0, goZip64: true, descriptor: 'signed', descriptorWide: true },
        { name: 'b/after.txt', data: text('small, past 4 GiB'), goZip64: true, descriptor: 'signed', descriptorWide: false },
      ],
      { zip64Eocd: true },
    );
    const a = await openZip(crafted.source(), BIG);
    expect(a.findings).toEqual([]);
    expect(await readText(a, 1)).toBe('small, past 4 GiB');
  });

  it('reads a small entry whose offset alone needs ZIP64 (as Python writes)', async () => {
    const crafted = craftZip(
      [
        { name: 'b/huge.bin', virtualSize: 5 * GiB, method: 0, zip64: true },
        { name: 'b/after.txt', data: text('after'), versionNeeded: 45, zip64OffsetOnly: true, local: { versionNeeded: 20 } },
      ],
      { zip64Eocd: true, eocdKeepsValues: false },
    );
    const a = await openZip(crafted.source(), BIG);
    expect(a.findings).toEqual([]);
    expect(await readText(a, 1)).toBe('after');
  });

  it('still finds a gap past 4 GiB', async () => {
    const crafted = craftZip(
      [
        { name: 'b/huge.bin', virtualSize: 5 * GiB, method: 0, zip64: true, after: text('!') },
        { name: 'b/after.txt', data: text('after'), zip64: true },
      ],
      { zip64Eocd: true },
    );
    const a = await openZip(crafted.source(), BIG);
    expect(a.findings.map((f) => f.code)).toEqual(['zip-gap']);
    expect(a.findings[0]!.message).toMatch(/byte 53687\d{4}/);
  });
});
