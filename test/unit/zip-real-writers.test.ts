// Issue 15, spec section 1: a signed bundle the project wrote, extracted with Python's
// zipfile and zipped again by each writer people use, must verify as `verified` through
// `exhibit verify` (the CLI's own code path, in-process). The signature signs the bag's
// tagmanifest, not the zip, so only the container can be in the way. A writer that is not
// installed is skipped with its name; CI (.ci/run) installs them all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBag, signer, testKeys, zipFixture } from '../helpers/bundles';
import { exhibitVerify } from '../helpers/exhibit-cli';
import { checkerPython, independentCheck } from '../helpers/independent';
import type { RealWriter } from '../helpers/real-writers';
import type { EntryTraits } from '../helpers/real-writers';
import { REAL_WRITERS, realWriter, rezip, zipTraits } from '../helpers/real-writers';

const work = mkdtempSync(join(tmpdir(), 'zip-real-writers-'));
const original = join(work, 'original.evb');
const pub = join(work, 'producer.pub.pem');
let fileCount = 0;

beforeAll(async () => {
  const [alice] = await testKeys();
  writeFileSync(original, await zipFixture(await fixtureBag({ signers: [signer(alice, 'producer')] })));
  writeFileSync(pub, alice.publicKey.pem);
  const { code, report } = await exhibitVerify(original, ['--key', pub]);
  expect([code, report.status]).toEqual([0, 'verified']); // the bundle before re-zipping
  fileCount = report.files.length;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The form each writer is named for, so a test cannot pass on an archive it did not mean. */
const FORM: Record<string, (entries: EntryTraits[]) => boolean> = {
  '7zip': (es) => es.every((e) => e.localExtra.length === 0 && e.centralExtra.includes(0x000a)),
  infozip: (es) => es.some((e) => e.name.endsWith('/')) && es.every((e) => e.localExtra.includes(0x5455)),
  'infozip-X': (es) => es.every((e) => e.localExtra.length === 0 && e.centralExtra.length === 0),
  'infozip-D': (es) => es.every((e) => !e.name.endsWith('/')),
  'infozip-stream': (es) => es.some((e) => e.flags & 0x0008),
  bsdtar: (es) => es.some((e) => e.flags & 0x0008),
  'python-deflated': (es) => es.some((e) => e.method === 8),
  'python-stored': (es) => es.every((e) => e.method === 0),
};

async function expectVerified(writer: RealWriter) {
  const archive = rezip(writer, original, work);
  expect(FORM[writer.id]!(zipTraits(archive)), `${writer.id} wrote the form its test names`).toBe(true);
  // The independent checker, written from the spec, must find the archive sound first: else
  // the writer, not the verifier, would be at fault.
  if (checkerPython) expect(independentCheck(archive, ['--key', pub]).status, 'evb_check.py').toBe('verified');
  const { code, report } = await exhibitVerify(archive, ['--key', pub]);
  expect(report.findings.filter((f) => f.severity !== 'warning')).toEqual([]);
  expect(report.status).toBe('verified');
  expect(code).toBe(0);
  expect(report.files.map((f) => f.result)).toEqual(Array(fileCount).fill('ok'));
  expect(report.signatures.map((s) => [s.math, s.trust])).toEqual([['valid', 'trusted']]);
}

/** `it` when the writer is installed, else a skipped test that names the missing program. */
function writerTest(id: string, fails: boolean) {
  const writer = realWriter(id);
  if (!writer.available()) {
    it.skip(`${writer.label} — skipped: ${writer.binary} is not installed`, () => {});
    return;
  }
  (fails ? it.fails : it)(writer.label, () => expectVerified(writer), 30_000);
}

describe('a signed bundle re-zipped by a real writer verifies (spec 1, issue 15)', () => {
  it('the table covers every writer the issue names', () => {
    expect(REAL_WRITERS.map((w) => w.id)).toEqual([
      '7zip',
      'infozip',
      'infozip-X',
      'infozip-D',
      'infozip-stream',
      'bsdtar',
      'python-deflated',
      'python-stored',
    ]);
  });

  writerTest('7zip', false);
  writerTest('infozip', false);
  writerTest('infozip-X', false);
  writerTest('infozip-D', false);
  writerTest('infozip-stream', false);
  writerTest('bsdtar', false);
  writerTest('python-deflated', false);
  writerTest('python-stored', false);
});
