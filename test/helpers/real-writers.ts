// Re-zipping a bundle with the zip writers people actually use (spec section 1, issue 15):
// the bundle is extracted with Python's zipfile (never with the project's reader) and its
// folder zipped again by 7-Zip, Info-ZIP zip (plain, -X, -D, streamed through a pipe),
// bsdtar and Python's zipfile. A signature signs the bag's tagmanifest, not the zip, so it
// stays valid whatever writer made the archive.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const has = (tool: string, ...args: string[]) => spawnSync(tool, args, { stdio: 'ignore' }).status === 0;

/** The first python3 that runs (and, when asked, imports `cryptography`), or null. */
export function findPython(needCryptography = false): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (has(py, '-c', needCryptography ? 'import cryptography' : 'import zipfile')) return py;
  }
  return null;
}

/** Extracts `evb` into a new folder under `work` with Python's zipfile; returns the folder. */
function extractWithPython(evb: string, work: string): string {
  const py = findPython();
  if (!py) throw new Error('python3 is not installed');
  const into = mkdtempSync(join(work, 'extracted-'));
  execFileSync(py, ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', evb, into]);
  return into;
}

const PY_ZIP = `
import os, sys, zipfile
top, out, method = sys.argv[1], sys.argv[2], sys.argv[3]
compression = zipfile.ZIP_STORED if method == 'stored' else zipfile.ZIP_DEFLATED
with zipfile.ZipFile(out, 'w', compression) as z:
    for root, dirs, files in os.walk(top):
        dirs.sort()
        z.write(root)
        for f in sorted(files):
            z.write(os.path.join(root, f))
`;

export interface RealWriter {
  id: string;
  /** What the test names. */
  label: string;
  /** The program that must be installed. */
  binary: string;
  available(): boolean;
  /** Zips folder `top` (relative to `cwd`) into `out` (absolute). */
  write(cwd: string, top: string, out: string): void;
}

const run = (cwd: string, cmd: string, args: string[]) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
const python = (cwd: string, top: string, out: string, method: string) => run(cwd, findPython()!, ['-c', PY_ZIP, top, out, method]);

export const REAL_WRITERS: RealWriter[] = [
  {
    id: '7zip',
    label: '7-Zip (7zz a -tzip): NTFS extra field in the central record only',
    binary: '7zz',
    available: () => has('7zz', 'i'),
    write: (cwd, top, out) => run(cwd, '7zz', ['a', '-tzip', out, top]),
  },
  {
    id: 'infozip',
    label: 'Info-ZIP zip -r (UT and ux extra fields, directory entries)',
    binary: 'zip',
    available: () => has('zip', '-v'),
    write: (cwd, top, out) => run(cwd, 'zip', ['-q', '-r', out, top]),
  },
  {
    id: 'infozip-X',
    label: 'Info-ZIP zip -r -X (no extra fields)',
    binary: 'zip',
    available: () => has('zip', '-v'),
    write: (cwd, top, out) => run(cwd, 'zip', ['-q', '-r', '-X', out, top]),
  },
  {
    id: 'infozip-D',
    label: 'Info-ZIP zip -r -D (no directory entries)',
    binary: 'zip',
    available: () => has('zip', '-v'),
    write: (cwd, top, out) => run(cwd, 'zip', ['-q', '-r', '-D', out, top]),
  },
  {
    // To a file, `zip -r - dir > out` seeks back and writes no descriptor; only a pipe
    // makes Info-ZIP stream (flag bit 3 and a data descriptor after each file's data).
    id: 'infozip-stream',
    label: 'Info-ZIP zip -r - dir | cat (streamed: data descriptors)',
    binary: 'zip',
    available: () => has('zip', '-v') && has('sh', '-c', 'true'),
    write: (cwd, top, out) => run(cwd, 'sh', ['-c', 'zip -q -r - "$1" | cat > "$2"', 'sh', top, out]),
  },
  {
    id: 'bsdtar',
    label: 'bsdtar --format zip (libarchive: data descriptors, UT and ux extra fields)',
    binary: 'bsdtar',
    available: () => has('bsdtar', '--version'),
    write: (cwd, top, out) => run(cwd, 'bsdtar', ['--format', 'zip', '-cf', out, top]),
  },
  {
    id: 'python-deflated',
    label: "Python's zipfile, ZIP_DEFLATED",
    binary: 'python3',
    available: () => findPython() !== null,
    write: (cwd, top, out) => python(cwd, top, out, 'deflated'),
  },
  {
    id: 'python-stored',
    label: "Python's zipfile, ZIP_STORED",
    binary: 'python3',
    available: () => findPython() !== null,
    write: (cwd, top, out) => python(cwd, top, out, 'stored'),
  },
];

const PY_TRAITS = `
import json, struct, sys, zipfile
data = open(sys.argv[1], 'rb').read()
def ids(x):
    out, at = [], 0
    while at + 4 <= len(x):
        i, n = struct.unpack('<HH', x[at:at + 4]); out.append(i); at += 4 + n
    return out
rows = []
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    o = i.header_offset
    n, e = struct.unpack('<HH', data[o + 26:o + 30])
    rows.append({'name': i.filename, 'flags': i.flag_bits, 'method': i.compress_type,
                 'localExtra': ids(data[o + 30 + n:o + 30 + n + e]), 'centralExtra': ids(i.extra)})
print(json.dumps(rows))
`;

export interface EntryTraits {
  name: string;
  flags: number;
  method: number;
  localExtra: number[];
  centralExtra: number[];
}

/** What a writer put in each entry's headers, read with Python (to show a test meets the form it names). */
export function zipTraits(archive: string): EntryTraits[] {
  return JSON.parse(execFileSync(findPython()!, ['-c', PY_TRAITS, archive], { encoding: 'utf8' })) as EntryTraits[];
}

export function realWriter(id: string): RealWriter {
  const w = REAL_WRITERS.find((x) => x.id === id);
  if (!w) throw new Error(`no real writer "${id}"`);
  return w;
}

/**
 * Extracts `evb` with Python's zipfile and zips its one top-level folder again with
 * `writer`; returns the path of the new archive (under `work`).
 */
export function rezip(writer: RealWriter, evb: string, work: string): string {
  const folder = extractWithPython(evb, work);
  const tops = readdirSync(folder);
  if (tops.length !== 1) throw new Error(`${evb} does not hold exactly one top-level folder: ${tops.join(', ')}`);
  const outDir = join(work, 'rezipped');
  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, `${writer.id}.evb`);
  writer.write(folder, tops[0]!, out);
  return out;
}
