// The BagIt tag-file parsers (spec section 2).
import { describe, expect, it } from 'vitest';
import {
  checkBagFiles,
  decodeManifestPath,
  encodeManifestPath,
  isSafeBagPath,
  parseBagInfo,
  parseBagTags,
  parseManifest,
} from '../../shared/evb/bag';

const H = (c: string) => c.repeat(64);
const codes = (fs: Array<{ code: string }>) => fs.map((f) => f.code);

describe('manifest lines', () => {
  it('accepts "<digest> <path>" with one or more spaces and CRLF or CR line ends', () => {
    const { manifest, findings } = parseManifest(
      'manifest-sha256.txt',
      'sha256',
      `${H('a')} data/a.txt\r\n${H('b')}    data/b c.txt\r${H('c')}\tdata/c\n`,
      'payload',
    );
    expect(findings).toEqual([]);
    expect([...manifest.entries]).toEqual([
      ['data/a.txt', H('a')],
      ['data/b c.txt', H('b')],
      ['data/c', H('c')],
    ]);
  });

  it('decodes only %0A, %0D and %25', () => {
    expect(decodeManifestPath('data/a%0Ab%0Dc%25d%20e%2F')).toBe('data/a\nb\rc%d%20e%2F');
    expect(decodeManifestPath(encodeManifestPath('data/50% of\nthings'))).toBe('data/50% of\nthings');
  });

  it('refuses uppercase or short digests, with the line number', () => {
    const { findings } = parseManifest('manifest-sha256.txt', 'sha256', `${H('A')} data/a\n${'a'.repeat(63)} data/b\n`, 'payload');
    expect(codes(findings)).toEqual(['bag-manifest-digest', 'bag-manifest-digest']);
    expect(findings[1]!.message).toContain('line 2');
  });

  it('refuses a path listed twice', () => {
    const { findings } = parseManifest('manifest-sha256.txt', 'sha256', `${H('a')} data/a\n${H('a')} data/a\n`, 'payload');
    expect(codes(findings)).toEqual(['bag-manifest-duplicate']);
  });

  it('keeps payload manifests to data/ and tag manifests to tag files', () => {
    expect(codes(parseManifest('manifest-sha256.txt', 'sha256', `${H('a')} bagit.txt\n`, 'payload').findings)).toEqual([
      'bag-manifest-scope',
    ]);
    expect(codes(parseManifest('tagmanifest-sha256.txt', 'sha256', `${H('a')} data/x\n`, 'tag').findings)).toEqual(['bag-manifest-scope']);
    expect(codes(parseManifest('tagmanifest-sha256.txt', 'sha256', `${H('a')} signatures/x.dsse.json\n`, 'tag').findings)).toEqual([
      'bag-manifest-scope',
    ]);
  });

  it('refuses paths that leave the bag', () => {
    for (const bad of ['/etc/passwd', 'data/../x', 'data/./x', 'data//x', 'C:/x', 'data\\x', '~/../x/..', ''])
      expect(isSafeBagPath(bad), bad).toBe(false);
    expect(isSafeBagPath('data/ok/file name.json')).toBe(true);
  });

  it('judges every short path over "a", "." and "/" as the segment rule says', () => {
    const bySegments = (path: string) => path !== '' && path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
    let paths = [''];
    for (let length = 1; length <= 7; length++) {
      paths = paths.flatMap((p) => ['a', '.', '/'].map((c) => p + c));
      for (const path of paths) expect([path, isSafeBagPath(path)]).toEqual([path, bySegments(path)]);
    }
  });
});

describe('bag-info.txt', () => {
  const good = 'External-Identifier: b1\nBagging-Date: 2026-11-01\nPayload-Oxum: 10.2\nBag-Software-Agent: Exhibit\n';

  it('reads the required labels and the Oxum', () => {
    const { info, findings } = parseBagInfo(good);
    expect(findings).toEqual([]);
    expect(info.externalIdentifier).toBe('b1');
    expect(info.payloadOxum).toEqual({ octets: 10, files: 2 });
  });

  it('joins continuation lines', () => {
    const { info } = parseBagInfo(`${good}Internal-Sender-Description: first\n  second\n`);
    expect(info.labels.get('Internal-Sender-Description')).toEqual(['first second']);
  });

  it('names each missing, repeated or malformed label', () => {
    expect(codes(parseBagInfo('Bagging-Date: 2026-11-01\n').findings)).toEqual(expect.arrayContaining(['bag-info-missing-label']));
    expect(codes(parseBagInfo(`${good}External-Identifier: b2\n`).findings)).toContain('bag-info-repeated-label');
    expect(codes(parseBagInfo(good.replace('2026-11-01', '01/11/2026')).findings)).toContain('bag-info-bad-date');
    expect(codes(parseBagInfo(good.replace('10.2', 'ten')).findings)).toContain('bag-info-bad-oxum');
  });
});

describe('tagmanifest coverage and file checks', () => {
  it('requires the tagmanifest to list bagit.txt, bag-info.txt and every manifest', () => {
    const texts = new Map([
      ['bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'],
      ['manifest-sha256.txt', ''],
      ['tagmanifest-sha256.txt', `${H('a')} bagit.txt\n`],
    ]);
    const { findings } = parseBagTags(texts);
    expect(findings.filter((f) => f.code === 'bag-tagmanifest-incomplete').map((f) => f.entry)).toEqual(['manifest-sha256.txt']);
  });

  it('reports missing, unlisted and mismatched files with expected and actual digests', () => {
    const { tags } = parseBagTags(new Map([['manifest-sha256.txt', `${H('a')} data/a\n${H('b')} data/b\n`]]));
    const measured = new Map([
      ['data/a', { sha256: H('f'), sha512: null, size: 1 }],
      ['data/c', { sha256: H('c'), sha512: null, size: 1 }],
    ]);
    const { files, findings } = checkBagFiles(tags, measured);
    expect(files.map((f) => [f.path, f.result])).toEqual([
      ['data/a', 'mismatch'],
      ['data/b', 'missing'],
      ['data/c', 'unlisted'],
    ]);
    expect(files[0]).toMatchObject({ expectedSha256: H('a'), actualSha256: H('f') });
    expect(findings.every((f) => f.severity === 'tampered')).toBe(true);
  });
});
