// The zip layer against public corpora (../shared/corpora): every libzip incons-*, the
// encrypted, duplicate-name and junk archives, every yauzl failure and the zip-slip archives
// are rejected by the zip reader itself, each with the structural fault it was made to show
// (an archive may yield more findings; the expected one must be among them). Faults that live
// in the compressed data, not the headers, surface while the entry is read, as ZipEntryError
// codes prefixed READ: below (libzip's own open test accepts those files too).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openZip, readEntryBytes, ZipEntryError } from '../../shared/evb/zip';
import { bytesSource } from '../../shared/platform/ports';
import { nodePlatform } from '../../shared/platform/node';

import { CORPORA, NEEDS_CORPORA, corporaPresent, warnIfNoCorpora } from '../helpers/corpora';

warnIfNoCorpora('the zip corpora tests');

const EXPECTED: Array<[string, string]> = [
  ['libzip/encrypt-1234.zip', 'zip-encrypted'],
  ['libzip/encrypt-aes128-noentropy.zip', 'zip-encrypted'],
  ['libzip/encrypt-aes128.zip', 'zip-encrypted'],
  ['libzip/encrypt-aes192-noentropy.zip', 'zip-encrypted'],
  ['libzip/encrypt-aes192.zip', 'zip-encrypted'],
  ['libzip/encrypt-aes256-noentropy.zip', 'zip-encrypted'],
  ['libzip/encrypt-aes256.zip', 'zip-encrypted'],
  ['libzip/encrypt-pkware-noentropy-2.zip', 'zip-encrypted'],
  ['libzip/encrypt-pkware-noentropy.zip', 'zip-encrypted'],
  ['libzip/filename_duplicate.zip', 'zip-name-duplicate'],
  ['libzip/filename_duplicate_empty.zip', 'zip-name-segment'],
  ['libzip/incons-archive-comment-longer.zip', 'zip-eocd-comment-length'],
  ['libzip/incons-archive-comment-shorter.zip', 'zip-eocd-comment-length'],
  ['libzip/incons-cdoffset.zip', 'zip-cd-bounds'],
  ['libzip/incons-cdsize-large.zip', 'zip-cd-bounds'],
  ['libzip/incons-cdsize-small.zip', 'zip-cd-bounds'],
  ['libzip/incons-central-compression-method.zip', 'zip-local-mismatch'],
  ['libzip/incons-central-compsize-larger-toolarge.zip', 'zip-stored-size'],
  ['libzip/incons-central-compsize-larger.zip', 'zip-stored-size'],
  ['libzip/incons-central-compsize-smaller.zip', 'zip-local-mismatch'],
  ['libzip/incons-central-crc.zip', 'zip-local-mismatch'],
  ['libzip/incons-central-date.zip', 'zip-local-mismatch'],
  ['libzip/incons-central-file-comment-longer.zip', 'zip-cd-overflow'],
  ['libzip/incons-central-file-comment-shorter.zip', 'zip-entry-count'],
  ['libzip/incons-central-file-comment-utf8-ascii.zip', 'zip-unicode-extra'],
  ['libzip/incons-central-magic-bad.zip', 'zip-cd-signature'],
  ['libzip/incons-central-magic-bad2.zip', 'zip-cd-signature'],
  ['libzip/incons-central-size-larger.zip', 'zip-stored-size'],
  ['libzip/incons-data.zip', 'READ:entry-crc-mismatch'],
  ['libzip/incons-ef-central-size-wrong.zip', 'zip-extra-malformed'],
  ['libzip/incons-ef-local-dupe-utf8comment.zip', 'zip-extra-duplicate'],
  ['libzip/incons-ef-local-dupe-utf8name.zip', 'zip-extra-duplicate'],
  ['libzip/incons-ef-local-dupe-zip64-v1.zip', 'zip-extra-duplicate'],
  ['libzip/incons-ef-local-dupe-zip64-v2.zip', 'zip-extra-duplicate'],
  ['libzip/incons-ef-local-id-size.zip', 'zip-extra-malformed'],
  ['libzip/incons-ef-local-id.zip', 'zip-local-mismatch'],
  ['libzip/incons-ef-local-size.zip', 'zip-extra-malformed'],
  ['libzip/incons-ef-local-utf8name-ascii.zip', 'zip-local-mismatch'],
  ['libzip/incons-eocd-magic-bad.zip', 'zip-no-eocd'],
  ['libzip/incons-eocd64-gap.zip', 'zip-eocd64'],
  ['libzip/incons-eocd64.zip', 'zip-eocd64'],
  ['libzip/incons-file-count-high.zip', 'zip-entry-count'],
  ['libzip/incons-file-count-low.zip', 'zip-entry-count'],
  ['libzip/incons-file-count-overflow.zip', 'zip-eocd64'],
  ['libzip/incons-filename-nul-byte.zip', 'zip-name-control'],
  ['libzip/incons-gap-before-cd.zip', 'zip-gap'],
  ['libzip/incons-gap-before-eocd.zip', 'zip-cd-bounds'],
  ['libzip/incons-gap-before-local.zip', 'zip-gap'],
  ['libzip/incons-local-compression-method.zip', 'zip-local-mismatch'],
  ['libzip/incons-local-compsize-larger.zip', 'zip-local-mismatch'],
  ['libzip/incons-local-compsize-smaller.zip', 'zip-local-mismatch'],
  ['libzip/incons-local-crc.zip', 'zip-local-mismatch'],
  ['libzip/incons-local-filename-long.zip', 'zip-entry-bounds'],
  ['libzip/incons-local-filename-missing.zip', 'zip-local-name'],
  ['libzip/incons-local-filename-short.zip', 'zip-local-name'],
  ['libzip/incons-local-filename.zip', 'zip-local-name'],
  ['libzip/incons-local-magic-bad.zip', 'zip-local-signature'],
  ['libzip/incons-local-size-larger.zip', 'zip-local-mismatch'],
  ['libzip/incons-stored-size.zip', 'zip-stored-size'],
  ['libzip/incons-streamed-2.zip', 'zip-descriptor'],
  ['libzip/incons-streamed.zip', 'zip-descriptor'],
  ['libzip/incons-trailing-garbage.zip', 'zip-local-mismatch'],
  ['libzip/incons-zip64-checkcons-overflow.zip', 'zip-zip64-extra'],
  ['libzip/junk-at-end.zip', 'zip-eocd-comment-length'],
  ['libzip/junk-at-start.zip', 'zip-cd-bounds'],
  ['yauzl/failure/End of central directory record signature not found Either not a zip file or file is truncated.zip', 'zip-no-eocd'],
  ['yauzl/failure/End of central directory record signature not found Either not a zip file or file is truncated_1.zip', 'zip-too-short'],
  [
    'yauzl/failure/Invalid comment length Expected 1 Found 0 Are there extra bytes at the end of the file Or is the end of central dir signature PK in the com.zip',
    'zip-eocd-comment-length',
  ],
  ['yauzl/failure/absolute path C xt.zip', 'zip-name-absolute'],
  ['yauzl/failure/absolute path atxt.zip', 'zip-name-absolute'],
  ['yauzl/failure/compressed uncompressed size mismatch for stored file 2147483647 5.zip', 'zip-stored-size'],
  ['yauzl/failure/extra field length exceeds extra field buffer size.zip', 'zip-extra-malformed'],
  ['yauzl/failure/file data overflows file bounds 63 2147483647 308.zip', 'zip-local-mismatch'],
  ['yauzl/failure/invalid central directory file header signature 0x1014b50.zip', 'zip-cd-signature'],
  ['yauzl/failure/invalid characters in fileName a txt.zip', 'zip-name-backslash'],
  ['yauzl/failure/invalid code lengths set.zip', 'READ:entry-inflate-failed'],
  ['yauzl/failure/invalid local file header signature 0x3034b50.zip', 'zip-local-signature'],
  ['yauzl/failure/invalid relative path xt.zip', 'zip-name-segment'],
  ['yauzl/failure/invalid zip64 end of central directory record signature.zip', 'zip-eocd64'],
  ['yauzl/failure/multi-disk zip files are not supported found disk number 1.zip', 'zip-multidisk'],
  ['yauzl/failure/not enough bytes in the stream expected 2048576 got only 1000000.zip', 'zip-local-mismatch'],
  ['yauzl/failure/strong encryption is not supported.zip', 'zip-encrypted'],
  ['yauzl/failure/too many bytes in the stream expected 82496 got at least 98304.zip', 'zip-local-mismatch'],
  ['yauzl/failure/too many length or distance symbols.zip', 'READ:entry-inflate-failed'],
  ['yauzl/failure/unexpected EOF.zip', 'zip-zip64-extra'],
  ['yauzl/failure/unsupported compression method 1.zip', 'zip-method'],
  ['yauzl/failure/zip64 extended information extra field does not include compressed size.zip', 'zip-extra-duplicate'],
  ['yauzl/failure/zip64 extended information extra field does not include relative header offset.zip', 'zip-extra-malformed'],
  ['yauzl/failure/zip64 extended information extra field does not include uncompressed size.zip', 'zip-extra-duplicate'],
  ['zip-slip/zip-slip-win.zip', 'zip-name-backslash'],
  ['zip-slip/zip-slip.zip', 'zip-name-segment'],
];

/** Every finding code openZip reports, or else the first ZipEntryError code while reading. */
async function problems(file: string): Promise<string[]> {
  const archive = await openZip(bytesSource(new Uint8Array(readFileSync(join(CORPORA, file))), file));
  if (archive.findings.length) return archive.findings.map((f) => f.code);
  for (const entry of archive.entries) {
    try {
      await readEntryBytes(archive, entry, nodePlatform);
    } catch (e) {
      if (e instanceof ZipEntryError) return [`READ:${e.code}`];
      throw e;
    }
  }
  return [];
}

describe.skipIf(!corporaPresent)(`zip corpora ${NEEDS_CORPORA}`, () => {
  it.each(EXPECTED)('%s is rejected: %s', async (file, code) => {
    expect(await problems(file)).toContain(code);
  });

  it('the table covers every incons-*, encrypt-*, duplicate and junk file, every yauzl failure and every zip-slip archive', () => {
    const listed = new Set(EXPECTED.map(([file]) => file));
    const present = [
      ...readdirSync(join(CORPORA, 'libzip'))
        .filter((f) => /^(incons-|encrypt-|filename_duplicate|junk-).*\.zip$/.test(f) && f !== 'encrypt-none.zip')
        .map((f) => `libzip/${f}`),
      ...readdirSync(join(CORPORA, 'yauzl/failure')).map((f) => `yauzl/failure/${f}`),
      ...readdirSync(join(CORPORA, 'zip-slip'))
        .filter((f) => f.endsWith('.zip'))
        .map((f) => `zip-slip/${f}`),
    ];
    expect(present.filter((f) => !listed.has(f))).toEqual([]);
    expect([...listed].filter((f) => !present.includes(f))).toEqual([]);
  });

  it('every finding is a malformed container or limit finding with a sentence that says where', async () => {
    for (const [file] of EXPECTED) {
      const archive = await openZip(bytesSource(new Uint8Array(readFileSync(join(CORPORA, file)))));
      for (const f of archive.findings) {
        expect(f.severity, file).toBe('malformed');
        expect(['container', 'limit'], file).toContain(f.layer);
        expect(f.code, file).toMatch(/^(zip|limit)-[a-z0-9-]+$/);
        expect(f.message.length, file).toBeGreaterThan(30);
        if (f.entry !== undefined) expect(f.message, file).toMatch(/^(Entry "|An entry)|entries/);
      }
      if (archive.findings.length) expect(archive.entries, file).toEqual([]);
    }
  });

  it('the zip-slip archives are refused for their names, by the zip layer itself', async () => {
    for (const file of ['zip-slip/zip-slip.zip', 'zip-slip/zip-slip-win.zip']) {
      const archive = await openZip(bytesSource(new Uint8Array(readFileSync(join(CORPORA, file)))));
      expect(
        archive.findings.map((f) => f.code),
        file,
      ).toEqual([expect.stringMatching(/^zip-name-(segment|backslash)$/)]);
      expect(archive.findings[0]!.message, file).toMatch(/path traversal/);
    }
  });

  it('an unencrypted archive from the same suite is structurally fine', async () => {
    expect(await problems('libzip/encrypt-none.zip')).toEqual([]);
  });
});
