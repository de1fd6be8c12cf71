// `exhibit summary`: exit codes as `verify`, no PDF for a malformed bundle, never the
// bundle overwritten, the PDF written whole.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { buildDemoBundle } from '../../shared/model/demo-bundle';

let dir: string;
let bundle: Uint8Array;

async function exhibit(args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => void (out += t), isTTY: false },
    stderr: { write: (t: string) => void (err += t), isTTY: false },
    cwd: dir,
    now: () => new Date('2026-11-20T10:00:00Z'),
    version: '0.0.0-test',
  };
  const code = await main(args, io);
  return { code, out, err };
}

const pdfText = (file: string, page?: number) =>
  execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', join(dir, file), '-'], {
    encoding: 'utf8',
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-summary-'));
  const demo = await buildDemoBundle();
  bundle = demo.bundle;
  await writeFile(join(dir, 'demo.evb'), demo.bundle);
  await writeFile(join(dir, 'demo.trust.json'), demo.trust);
  await writeFile(join(dir, 'empty.trust.json'), '{ "keys": [] }\n');
  await writeFile(join(dir, 'broken.evb'), new TextEncoder().encode('this is not a zip archive at all'));
});

describe('exhibit summary', () => {
  it('verified: exit 0, a PDF with the sign-off from the options', async () => {
    const r = await exhibit([
      'summary',
      'demo.evb',
      '--trust',
      'demo.trust.json',
      '-o',
      'out/verified.pdf',
      '--reviewer',
      'Jördis Ng',
      '--role',
      'CISO',
      '--decision',
      'Approve',
      '--at',
      '2026-11-20T10:00:00Z',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('status verified');
    const page1 = pdfText('out/verified.pdf', 1);
    expect(page1).toContain('CONDITIONAL SHIP');
    expect(page1).toContain('Jördis Ng');
    expect(page1).toContain('2026-11-20T10:00:00.000Z');
    // No temporary file is left beside it.
    expect((await readdir(join(dir, 'out'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('gives the same bytes for the same bundle, trust, options and --at', async () => {
    const args = ['demo.evb', '--trust', 'demo.trust.json', '--reviewer', 'R', '--at', '2026-11-20T10:00:00Z'];
    expect((await exhibit(['summary', ...args, '-o', 'a.pdf'])).code).toBe(0);
    expect((await exhibit(['summary', ...args, '-o', 'b.pdf'])).code).toBe(0);
    expect(Buffer.compare(await readFile(join(dir, 'a.pdf')), await readFile(join(dir, 'b.pdf')))).toBe(0);
  });

  it('untrusted signer: exit 3 and the band on every page', async () => {
    const r = await exhibit(['summary', 'demo.evb', '--trust', 'empty.trust.json', '-o', 'untrusted.pdf']);
    expect(r.code).toBe(3);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(dir, 'untrusted.pdf')], { encoding: 'utf8' }))![1]);
    for (let p = 1; p <= pages; p++) expect(pdfText('untrusted.pdf', p)).toContain('UNTRUSTED SIGNER —');
  });

  it('malformed: exit 2, an error, and no PDF', async () => {
    const r = await exhibit(['summary', 'broken.evb', '--trust', 'demo.trust.json', '-o', 'broken.pdf']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('malformed');
    expect(existsSync(join(dir, 'broken.pdf'))).toBe(false);
  });

  it('never overwrites the bundle, and refuses an existing output without --force', async () => {
    const r = await exhibit(['summary', 'demo.evb', '--trust', 'demo.trust.json', '-o', './demo.evb']);
    expect(r.code).toBe(64);
    expect(Buffer.compare(await readFile(join(dir, 'demo.evb')), Buffer.from(bundle))).toBe(0);
    await writeFile(join(dir, 'taken.pdf'), 'keep me');
    const again = await exhibit(['summary', 'demo.evb', '--trust', 'demo.trust.json', '-o', 'taken.pdf']);
    expect(again.code).toBe(73);
    expect(await readFile(join(dir, 'taken.pdf'), 'utf8')).toBe('keep me');
    expect((await exhibit(['summary', 'demo.evb', '--trust', 'demo.trust.json', '-o', 'taken.pdf', '--force'])).code).toBe(0);
    expect((await readFile(join(dir, 'taken.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('usage errors exit 64: no bundle, no -o, a bad --at', async () => {
    expect((await exhibit(['summary', '--trust', 'demo.trust.json', '-o', 'x.pdf'])).code).toBe(64);
    expect((await exhibit(['summary', 'demo.evb', '--trust', 'demo.trust.json'])).code).toBe(64);
    expect((await exhibit(['summary', 'demo.evb', '--trust', 'demo.trust.json', '-o', 'x.pdf', '--at', 'yesterday'])).code).toBe(64);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });
});
