// Issue 15, spec section 1 as clarified in 2026-12, one hand-made archive per rule (zipcraft
// writes every header field as told): what local and central headers may differ in (extra
// field sets, time and date), the host byte of "version needed", ZIP64 end-record markers,
// the Unicode Path extra field, Windows-aliased names, damaged entry data (section 7:
// tampered, naming the file) and a second top-level directory (malformed, naming it).
// Every archive holds the same signed bag, so only the rule under test can change the status.
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_ID, fixtureBag, fixturePayload, signer, testKeys, trustFor, verifyBytes } from '../helpers/bundles';
import type { BagFiles } from '../../shared/evb/writer';
import type { CraftEntry, CraftOptions } from '../helpers/zipcraft';
import { craftZip, extraField, le, unicodePathExtra } from '../helpers/zipcraft';
import type { SigningKey } from '../../shared/evb/keys';

let alice: SigningKey;
let bag: BagFiles;
const enc = new TextEncoder();

beforeAll(async () => {
  [alice] = await testKeys();
  bag = await fixtureBag({ signers: [signer(alice, 'producer')] });
});

/** The signed bag as crafted entries; `change` may alter any entry by its bag path. */
function entries(from: BagFiles, change: (path: string) => Partial<CraftEntry> | undefined = () => undefined): CraftEntry[] {
  return [...from].map(([path, data]) => ({ name: `${FIXTURE_ID}/${path}`, data, ...change(path) }));
}

async function verifyCrafted(list: CraftEntry[], options: CraftOptions = {}) {
  return (await verifyBytes(craftZip(list, options).bytes(), trustFor([{ key: alice }]))).report;
}

type Report = Awaited<ReturnType<typeof verifyCrafted>>;
const problems = (r: Report) => r.findings.filter((f) => f.severity !== 'warning');

function expectVerified(report: Report) {
  expect(problems(report)).toEqual([]);
  expect(report.status).toBe('verified');
}

/** NTFS extra field (0x000a) as 7-Zip writes it: reserved, tag 1, size 24, three FILETIMEs. */
const NTFS = extraField(0x000a, [
  ...le(4, 0),
  ...le(2, 1),
  ...le(2, 24),
  ...le(8, 132223104000000000n),
  ...le(8, 132223104000000000n),
  ...le(8, 132223104000000000n),
]);
/** Info-ZIP extended timestamp (0x5455): mtime and atime in the local header, mtime alone in the central one. */
const UT_LOCAL = extraField(0x5455, [3, ...le(4, 1577836800), ...le(4, 1577836800)]);
const UT_CENTRAL = extraField(0x5455, [3, ...le(4, 1577836800)]);

describe('the sound crafted archive (control)', () => {
  it('the signed bag crafted as it is verifies', async () => {
    expectVerified(await verifyCrafted(entries(bag)));
  });
});

describe('what the two headers may differ in (spec 1)', () => {
  it('an NTFS extra field (0x000a) in the central record only verifies', async () => {
    expectVerified(await verifyCrafted(entries(bag, () => ({ centralExtra: NTFS }))));
  });

  it('a timestamp extra field (0x5455) in the local header only verifies', async () => {
    expectVerified(await verifyCrafted(entries(bag, () => ({ localExtra: UT_LOCAL }))));
  });

  it('Info-ZIP timestamp fields of different lengths in the two headers verify', async () => {
    expectVerified(await verifyCrafted(entries(bag, () => ({ localExtra: UT_LOCAL, centralExtra: UT_CENTRAL }))));
  });

  it('time and date that differ between local header and central record verify', async () => {
    const list = entries(bag, () => ({ local: { time: (13 << 11) | (7 << 5), date: ((2024 - 1980) << 9) | (2 << 5) | 29 } }));
    expectVerified(await verifyCrafted(list));
  });
});

describe('"version needed to extract" and ZIP64 end records (spec 1)', () => {
  it('"version needed" 0x0314 (host byte 3, Unix; version 2.0) in both headers verifies', async () => {
    expectVerified(await verifyCrafted(entries(bag, () => ({ versionNeeded: 0x0314, madeBy: 0x0314 }))));
  });

  it('a version above 4.5 in the lower byte (5.1) is refused', async () => {
    const report = await verifyCrafted(entries(bag, (p) => (p === 'bagit.txt' ? { versionNeeded: 0x0033 } : undefined)));
    expect(report.status).toBe('malformed');
  });

  it('a ZIP64 archive with 0xFFFF / 0xFFFFFFFF in the classic end record verifies', async () => {
    expectVerified(await verifyCrafted(entries(bag), { zip64Eocd: true }));
  });

  it('a ZIP64 archive whose entries use ZIP64 extra fields, with end-record markers, verifies', async () => {
    expectVerified(
      await verifyCrafted(
        entries(bag, () => ({ zip64: true })),
        { zip64Eocd: true },
      ),
    );
  });

  it('a ZIP64 locator giving a total number of disks other than 1 is malformed', async () => {
    const report = await verifyCrafted(entries(bag), { zip64Eocd: true, locator: { totalDisks: 2 } });
    expect(report.status).toBe('malformed');
  });
});

describe('the Unicode Path extra field is refused (spec 1)', () => {
  it('a 0x7075 field that repeats the name exactly, in both headers, is malformed and names the entry', async () => {
    const target = `${FIXTURE_ID}/data/packet.json`;
    const field = unicodePathExtra(target, target);
    const report = await verifyCrafted(
      entries(bag, (p) => (p === 'data/packet.json' ? { localExtra: field, centralExtra: field } : undefined)),
    );
    expect(report.status).toBe('malformed');
    expect(report.findings.some((f) => f.layer === 'container' && f.entry === target)).toBe(true);
  });

  it('a 0x7075 field giving another name is malformed', async () => {
    const target = `${FIXTURE_ID}/data/packet.json`;
    const field = unicodePathExtra(target, `${FIXTURE_ID}/data/other.json`);
    const report = await verifyCrafted(entries(bag, (p) => (p === 'data/packet.json' ? { centralExtra: field } : undefined)));
    expect(report.status).toBe('malformed');
  });
});

describe('names a Windows reader would alias are refused (spec 1)', () => {
  // Each name is a payload file listed in the manifest and signed: only the name is wrong.
  const aliased = [
    'data/attachments/report.',
    'data/attachments/report ',
    'data/attachments./x.txt',
    'data/attachments/a:b.txt',
    'data/attachments/a*b.txt',
    'data/attachments/a?b.txt',
    'data/attachments/a"b.txt',
    'data/attachments/a<b.txt',
    'data/attachments/a>b.txt',
    'data/attachments/a|b.txt',
    'data/attachments/con.txt',
    'data/attachments/prn',
    'data/attachments/Aux.log',
    'data/attachments/NUL',
    'data/attachments/COM1.txt',
    'data/attachments/lpt9.tar.gz',
    'data/con/x.txt',
  ];
  it.each(aliased)('"%s" is malformed and the finding names the entry', async (name) => {
    const payload = fixturePayload();
    payload.set(name, enc.encode('aliased on Windows\n'));
    const withName = await fixtureBag({ payload, signers: [signer(alice, 'producer')] });
    const report = await verifyCrafted(entries(withName));
    expect(report.status).toBe('malformed');
    expect(report.findings.some((f) => f.layer === 'container' && f.entry === `${FIXTURE_ID}/${name}`)).toBe(true);
  });

  it('names that only look close stay allowed: "console.txt", "com10.txt", "lpt.txt", "a.b.txt"', async () => {
    const payload = fixturePayload();
    for (const n of ['console.txt', 'com10.txt', 'lpt.txt', 'a.b.txt']) payload.set(`data/attachments/${n}`, enc.encode(`${n}\n`));
    expectVerified(await verifyCrafted(entries(await fixtureBag({ payload, signers: [signer(alice, 'producer')] }))));
  });
});

describe('damaged entry data is tampered content, naming the file (spec 7)', () => {
  const target = 'data/replays/ra-baseline.jsonl';
  const damage = (): Record<string, Partial<CraftEntry>> => {
    const text = bag.get(target)!;
    const stream = new Uint8Array(deflateRawSync(text));
    return {
      'fails its CRC-32': { central: { crc: 1 }, local: { crc: 1 } },
      'does not inflate (truncated deflate stream)': { method: 8, compressedData: stream.subarray(0, stream.length - 4) },
      'does not inflate (trailing bytes after the stream)': { method: 8, compressedData: Uint8Array.from([...stream, 7, 7]) },
      'inflates to more bytes than declared': {
        data: Uint8Array.from([...text, ...text]),
        central: { uncompressed: text.length, crc: 0 },
        local: { uncompressed: text.length, crc: 0 },
      },
      'inflates to fewer bytes than declared': {
        central: { uncompressed: text.length + 10 },
        local: { uncompressed: text.length + 10 },
      },
    };
  };
  it.each([
    'fails its CRC-32',
    'does not inflate (truncated deflate stream)',
    'does not inflate (trailing bytes after the stream)',
    'inflates to more bytes than declared',
    'inflates to fewer bytes than declared',
  ])('an entry whose data %s is tampered, and the finding names the file', async (what) => {
    const report = await verifyCrafted(entries(bag, (p) => (p === target ? damage()[what] : undefined)));
    expect(report.status).toBe('tampered');
    expect(report.findings.some((f) => f.severity === 'tampered' && (f.entry === `${FIXTURE_ID}/${target}` || f.entry === target))).toBe(
      true,
    );
  });
});

describe('a damaged tag file is tampered content too (spec 7)', () => {
  it('manifest-sha256.txt failing its CRC-32 is tampered, and the finding names it', async () => {
    const report = await verifyCrafted(
      entries(bag, (p) => (p === 'manifest-sha256.txt' ? { central: { crc: 1 }, local: { crc: 1 } } : undefined)),
    );
    expect(report.status).toBe('tampered');
    expect(report.findings.some((f) => f.severity === 'tampered' && f.entry === 'manifest-sha256.txt')).toBe(true);
  });
});

describe('one top-level directory (spec 1, 7)', () => {
  it('a second top-level directory is malformed and the finding names that directory', async () => {
    const list = [...entries(bag), { name: 'second-dir/notes.txt', data: enc.encode('outside the bundle folder\n') }];
    const report = await verifyCrafted(list);
    expect(report.status).toBe('malformed');
    expect(report.findings.some((f) => f.layer === 'container' && /^second-dir(\/|$)/.test(f.entry ?? ''))).toBe(true);
  });

  it('a second top-level directory is malformed', async () => {
    const list = [...entries(bag), { name: 'second-dir/notes.txt', data: enc.encode('outside the bundle folder\n') }];
    expect((await verifyCrafted(list)).status).toBe('malformed');
  });
});
