// The bag layer against the Library of Congress BagIt conformance suite (../shared/corpora).
// The suite's bags use MD5 or SHA-512 manifests; EVB/1 requires SHA-256, so each manifest is
// translated line by line: a line whose digest matches the file becomes that file's SHA-256,
// a line that does not match (or names a missing file) becomes a wrong SHA-256. The
// payload-checking meaning of every case (bad hash, missing file, extra file, traversal,
// duplicate listing, encoded names) survives the translation.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBagFiles, decodeTagFile, parseBagTags, splitLines } from '../../shared/evb/bag';
import type { MeasuredFile } from '../../shared/evb/bag';
import { CORPORA, NEEDS_CORPORA, warnIfNoCorpora } from '../helpers/corpora';

const SUITE = join(CORPORA, 'bagit-conformance-suite');
const present = existsSync(SUITE);
warnIfNoCorpora('the BagIt conformance suite tests');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function checkSuiteBag(dir: string) {
  const files = walk(dir).map((p) => relative(dir, p).split('\\').join('/'));
  const measured = new Map<string, MeasuredFile>();
  const digests = { md5: new Map<string, string>(), sha512: new Map<string, string>() };
  for (const f of files) {
    const bytes = readFileSync(join(dir, f));
    measured.set(f, { sha256: createHash('sha256').update(bytes).digest('hex'), sha512: null, size: bytes.length });
    digests.md5.set(f, createHash('md5').update(bytes).digest('hex'));
    digests.sha512.set(f, createHash('sha512').update(bytes).digest('hex'));
  }
  const texts = new Map<string, string>();
  const translate = (file: string, target: string) => {
    if (!files.includes(file) || texts.has(target)) return;
    const source = file.includes('md5') ? digests.md5 : digests.sha512;
    const lines = splitLines(readFileSync(join(dir, file), 'utf8'));
    const out = lines.map((line) => {
      const m = /^(\S+)(\s+)(.*)$/.exec(line);
      if (!m) return line;
      const path = m[3]!.replace(/^\*/, '');
      const ok = source.get(path.replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%25/g, '%')) === m[1]!.toLowerCase();
      const sha = ok ? measured.get(path.replace(/%25/g, '%'))?.sha256 : undefined;
      return `${sha ?? 'f'.repeat(64)}${m[2]}${m[3]}`;
    });
    texts.set(target, `${out.join('\n')}\n`);
  };
  translate('manifest-md5.txt', 'manifest-sha256.txt');
  translate('manifest-sha512.txt', 'manifest-sha256.txt');
  if (files.includes('manifest-sha256.txt')) texts.set('manifest-sha256.txt', readFileSync(join(dir, 'manifest-sha256.txt'), 'utf8'));
  // Tag files are not what these cases test (and pre-1.0 bag-info.txt lacks EVB's required
  // labels): only the payload and its manifest are checked.
  for (const f of files) if (!f.startsWith('data/')) measured.delete(f);
  const { tags, findings } = parseBagTags(texts);
  const checked = checkBagFiles(tags, measured);
  return { codes: [...findings, ...checked.findings].map((f) => f.code), files: checked.files };
}

describe.skipIf(!present)(`BagIt conformance suite: payload checks (spec section 2) ${NEEDS_CORPORA}`, () => {
  it('a valid 1.0 bag passes', () => {
    const r = checkSuiteBag(join(SUITE, 'v1.0/valid/basicBag'));
    expect(r.codes).toEqual([]);
    expect(r.files.length).toBeGreaterThan(0);
  });

  it('bad hash: a corrupt data file is a digest mismatch', () => {
    expect(checkSuiteBag(join(SUITE, 'v0.97/invalid/corrupt-data-file')).codes).toContain('bag-digest-mismatch');
  });

  it('extra file: a payload file no manifest lists', () => {
    expect(checkSuiteBag(join(SUITE, 'v0.97/invalid/extra-file-in-bag')).codes).toContain('bag-unlisted-file');
  });

  it('missing file: the 1.0 bag whose manifests do not all list all files', () => {
    const r = checkSuiteBag(join(SUITE, 'v1.0/invalid/notAllManifestsListAllFiles'));
    expect(r.codes.length).toBeGreaterThan(0);
  });

  it('traversal: manifest paths using ../ are refused', () => {
    expect(checkSuiteBag(join(SUITE, 'v0.97/invalid/out-of-scope-file-paths-using-dot-notation')).codes).toContain('bag-manifest-path');
  });

  it('traversal: absolute and ~ paths are refused', () => {
    for (const c of [
      'out-of-scope-file-paths-using-absolute-path',
      'out-of-scope-file-paths-using-shortcut',
      'out-of-scope-file-paths-using-shortcut-username',
    ]) {
      const dir = join(SUITE, 'v0.97/linux-only', c);
      const r = checkSuiteBag(dir);
      expect(
        r.codes.some((code) => ['bag-manifest-path', 'bag-manifest-scope'].includes(code)),
        `${c}: ${r.codes}`,
      ).toBe(true);
    }
  });

  it('duplicate listing: the same path twice is refused, with the same or different hashes', () => {
    expect(checkSuiteBag(join(SUITE, 'v1.0/invalid/same-filename-listed-twice-with-the-same-hash')).codes).toContain(
      'bag-manifest-duplicate',
    );
    expect(checkSuiteBag(join(SUITE, 'v1.0/invalid/same-filename-listed-twice-with-different-hashes')).codes).toContain(
      'bag-manifest-duplicate',
    );
  });

  it('encoded names: %0A, %0D and %25 decode, nothing else does', () => {
    const r = checkSuiteBag(join(SUITE, 'v0.97/valid/bag-with-encoded-names'));
    expect(r.codes).toEqual([]);
  });

  it('a leading ./ in a manifest path is refused: EVB/1 paths have no "." segment', () => {
    expect(checkSuiteBag(join(SUITE, 'v0.97/valid/bag-with-leading-dot-slash-in-manifest')).codes).toContain('bag-manifest-path');
  });

  it('bagit.txt checks: a BOM and a wrong version are refused', () => {
    const bom = new Uint8Array(readFileSync(join(SUITE, 'v0.97/invalid/bom-in-bagit.txt/bagit.txt')));
    expect(decodeTagFile('bagit.txt', bom).finding?.code).toBe('bag-tag-bom');
    const { findings } = parseBagTags(new Map([['bagit.txt', 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n']]));
    expect(findings.map((f) => f.code)).toContain('bag-version');
  });
});
