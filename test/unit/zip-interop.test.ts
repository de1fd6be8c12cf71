// Real writers against the strict reader: what jszip (the project's writer), Python's
// zipfile, Info-ZIP's zip and Java's jar write must open cleanly (every entry read back and
// CRC-checked), in their ordinary, streamed (data descriptor) and ZIP64 forms. Tools that are
// not installed are skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { openZip, readEntryBytes } from '../../shared/evb/zip';
import type { ZipArchive } from '../../shared/evb/zip';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';
import { withoutUnicodePathFields, zipBag } from '../../shared/evb/writer';

const has = (tool: string, ...args: string[]) => spawnSync(tool, args, { stdio: 'ignore' }).status === 0;
const work = mkdtempSync(join(tmpdir(), 'zip-interop-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Opens an archive and reads every entry back (inflated, size- and CRC-checked): name -> text. */
async function openAndRead(bytes: Uint8Array): Promise<{ archive: ZipArchive; contents: Map<string, string> }> {
  const archive = await openZip(bytesSource(bytes));
  const contents = new Map<string, string>();
  for (const entry of archive.entries) {
    const data = await readEntryBytes(archive, entry, nodePlatform);
    if (!entry.isDirectory) contents.set(entry.name, new TextDecoder().decode(data));
  }
  return { archive, contents };
}

describe('jszip (the project writer)', () => {
  const files: Array<[string, string]> = [
    ['b/bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'],
    ['b/data/packet.json', JSON.stringify({ hello: 'world', n: [1, 2, 3] })],
    ['b/data/long.txt', 'line of evidence\n'.repeat(2000)],
    ['b/data/café/日本.txt', 'unicode'],
  ];
  it.each([
    ['stored', { compression: 'STORE' }],
    ['deflated', { compression: 'DEFLATE' }],
    ['deflated, streamed (data descriptors)', { compression: 'DEFLATE', streamFiles: true }],
    ['with Unix attributes', { compression: 'DEFLATE', platform: 'UNIX' }],
  ] as Array<[string, JSZip.JSZipGeneratorOptions<'uint8array'>]>)('%s', async (_what, options) => {
    const zip = new JSZip();
    for (const [name, content] of files) zip.file(name, content, { unixPermissions: 0o644 });
    const bytes = await zip.generateAsync({ type: 'uint8array', ...options });
    // jszip gives each non-ASCII name (the file and its folder) an Info-ZIP Unicode Path
    // field, which spec 1 (2026-12) refuses: a second name. Nothing else is found.
    const raw = await openZip(bytesSource(bytes));
    expect(raw.findings.map((f) => [f.code, f.entry])).toEqual([
      ['zip-unicode-extra', 'b/data/café/'],
      ['zip-unicode-extra', 'b/data/café/日本.txt'],
    ]);
    if (options.streamFiles) return; // the project's writer never streams (zipBag)
    // As the project's writer (zipBag) leaves it: without the field, everything reads.
    const { archive, contents } = await openAndRead(withoutUnicodePathFields(bytes));
    expect(archive.findings).toEqual([]);
    expect(archive.topLevelDirectory).toBe('b');
    for (const [name, content] of files) expect(contents.get(name), name).toBe(content);
  });
});

describe("the project's writer (zipBag)", () => {
  it('writes a non-ASCII name with flag bit 11 and no Unicode Path field (spec 1), and it reads back', async () => {
    const bag = new Map([
      ['bagit.txt', new TextEncoder().encode('BagIt-Version: 1.0\n')],
      ['data/café/日本.txt', new TextEncoder().encode('unicode')],
    ]);
    const { archive, contents } = await openAndRead(await zipBag('b', bag));
    expect(archive.findings).toEqual([]);
    expect(contents.get('b/data/café/日本.txt')).toBe('unicode');
    expect(archive.entries.find((e) => e.name === 'b/data/café/日本.txt')!.flags & 0x0800).toBe(0x0800);
  });
});

describe.skipIf(!has('python3', '--version'))("Python's zipfile", () => {
  // Deflated and stored entries, a directory, a non-ASCII name and a 100 kB entry written
  // through ZipFile.open, to a file and to an unseekable stream (data descriptors), with and
  // without force_zip64 (a ZIP64 field in the local header only).
  const script = `
import io, sys, zipfile
class Unseekable:
    def __init__(s): s.b = io.BytesIO()
    def write(s, d): return s.b.write(d)
    def flush(s): pass
def fill(z, force):
    z.writestr('b/bagit.txt', 'BagIt-Version: 1.0\\n')
    z.writestr('b/data/', '')
    z.writestr('b/data/caf\\u00e9.txt', 'accent')
    with z.open('b/data/big.txt', 'w', force_zip64=force) as f:
        f.write(b'y' * 100000)
    z.writestr('b/data/stored.txt', 'stored', compress_type=zipfile.ZIP_STORED)
out = sys.argv[1]
for name, force in [('py', False), ('py64', True)]:
    with zipfile.ZipFile(f'{out}/{name}.zip', 'w', zipfile.ZIP_DEFLATED) as z:
        fill(z, force)
    u = Unseekable()
    with zipfile.ZipFile(u, 'w', zipfile.ZIP_DEFLATED) as z:
        fill(z, force)
    open(f'{out}/{name}-stream.zip', 'wb').write(u.b.getvalue())
`;
  const dir = join(work, 'python');
  mkdirSync(dir, { recursive: true });
  execFileSync('python3', ['-c', script, dir]);

  it.each(['py', 'py-stream', 'py64', 'py64-stream'])('%s.zip', async (name) => {
    const { archive, contents } = await openAndRead(new Uint8Array(readFileSync(join(dir, `${name}.zip`))));
    expect(archive.findings).toEqual([]);
    expect(archive.topLevelDirectory).toBe('b');
    expect(contents.get('b/data/café.txt')).toBe('accent');
    expect(contents.get('b/data/big.txt')).toBe('y'.repeat(100000));
    expect(contents.get('b/data/stored.txt')).toBe('stored');
    if (name.includes('stream')) expect(archive.entries.every((e) => e.isDirectory || e.flags & 0x0008)).toBe(true);
  });
});

describe.skipIf(!has('zip', '-v'))("Info-ZIP's zip", () => {
  const dir = join(work, 'infozip');
  mkdirSync(join(dir, 'b/data/sub'), { recursive: true });
  writeFileSync(join(dir, 'b/bagit.txt'), 'BagIt-Version: 1.0\n');
  writeFileSync(join(dir, 'b/data/sub/text.txt'), 'some text\n'.repeat(5000));
  writeFileSync(join(dir, 'b/data/empty'), '');
  const zip = (args: string[]) =>
    new Uint8Array(execFileSync('zip', ['-q', '-r', ...args, '-', 'b'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }));
  const seekable = (args: string[], out: string) => {
    execFileSync('zip', ['-q', '-r', ...args, out, 'b'], { cwd: dir });
    return new Uint8Array(readFileSync(join(dir, out)));
  };

  it.each([
    ['to a file', () => seekable([], 'plain.zip')],
    ['to a file, stored', () => seekable(['-0'], 'stored.zip')],
    ['to a file, ZIP64 forced (-fz)', () => seekable(['-fz'], 'z64.zip')],
    ['to a pipe (data descriptors)', () => zip([])],
  ])('%s', async (_what, make) => {
    const { archive, contents } = await openAndRead(make());
    expect(archive.findings).toEqual([]);
    expect(contents.get('b/data/sub/text.txt')).toBe('some text\n'.repeat(5000));
    expect(contents.get('b/data/empty')).toBe('');
  });

  it('to a pipe with ZIP64 forced, it writes a directory offset marker without ZIP64 end records: refused (unzip refuses it too)', async () => {
    const archive = await openZip(bytesSource(zip(['-fz'])));
    expect(archive.findings.map((f) => f.code)).toEqual(['zip-eocd64']);
  });

  it('a non-ASCII name is refused: Info-ZIP 3.0 writes UTF-8 bytes without flag bit 11, which readers decode differently', async () => {
    const accented = join(work, 'infozip-accent');
    mkdirSync(join(accented, 'b'), { recursive: true });
    writeFileSync(join(accented, 'b/café.txt'), 'x');
    execFileSync('zip', ['-q', '-r', 'a.zip', 'b'], { cwd: accented, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    const archive = await openZip(bytesSource(new Uint8Array(readFileSync(join(accented, 'a.zip')))));
    const codes = archive.findings.map((f) => f.code);
    // Builds with Unicode support flag it (or add a matching 0x7075 field) and pass.
    if (codes.length) expect(codes).toEqual(['zip-name-encoding']);
  });
});

describe.skipIf(!has('jar', '--version'))("Java's jar", () => {
  it('jar cf', async () => {
    const dir = join(work, 'jar');
    mkdirSync(join(dir, 'b/data'), { recursive: true });
    writeFileSync(join(dir, 'b/data/x.txt'), 'jar content '.repeat(100));
    execFileSync('jar', ['cf', 'out.jar', 'b'], { cwd: dir });
    const { archive, contents } = await openAndRead(new Uint8Array(readFileSync(join(dir, 'out.jar'))));
    expect(archive.findings).toEqual([]);
    expect(contents.get('b/data/x.txt')).toBe('jar content '.repeat(100));
    // The manifest lies outside b/: no single top-level directory (the verifier's finding).
    expect(archive.topLevelDirectory).toBeNull();
  });
});
