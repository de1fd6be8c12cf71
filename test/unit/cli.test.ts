// The `exhibit` CLI end to end, in-process with an injected CliIo: keygen, pack, sign,
// trust add, verify gives verified; each status and its exit code is reachable.
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { FIXTURE_ID, fixtureBag, fixturePayload, zipFixture } from '../helpers/bundles';

let dir: string;

function captureIo(now = new Date('2026-11-15T00:00:00Z')): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => void (out += t), isTTY: false },
    stderr: { write: (t: string) => void (err += t), isTTY: false },
    cwd: dir,
    now: () => now,
    version: '0.0.0-test',
    out: () => out,
    err: () => err,
  };
}

async function exhibit(args: string[], now?: Date) {
  const io = captureIo(now);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-cli-'));
  await mkdir(join(dir, 'src/data/replays'), { recursive: true });
  for (const [path, bytes] of fixturePayload()) await writeFile(join(dir, 'src', path), bytes);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('exhibit CLI round trip', () => {
  it('keygen writes a private key only its owner can read and prints the keyid', async () => {
    const r = await exhibit(['keygen', '--out', 'alice']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/keyid\s+\S{44}/);
    expect((await stat(join(dir, 'alice.key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'alice.pub.pem'), 'utf8')).toContain('BEGIN PUBLIC KEY');
    expect((await exhibit(['keygen', '--out', 'alice'])).code).not.toBe(0); // never overwrites a key
  });

  it('pack makes an unsigned bundle (exit 3 on verify)', async () => {
    const r = await exhibit(['pack', 'src', '--id', FIXTURE_ID, '-o', 'b.evb', '--date', '2026-11-01']);
    expect(r.code, r.err).toBe(0);
    const v = await exhibit(['verify', 'b.evb']);
    expect(v.code).toBe(3);
    expect(v.out).toContain('UNSIGNED');
  });

  it('pack refuses an id that disagrees with the packet', async () => {
    const r = await exhibit(['pack', 'src', '--id', 'other-id', '-o', 'x.evb']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('bundle_id');
  });

  it('sign adds a signature and rewrites nothing else', async () => {
    const before = new Uint8Array(await readFile(join(dir, 'b.evb')));
    const r = await exhibit([
      'sign',
      'b.evb',
      '--key',
      'alice.key.pem',
      '--role',
      'approver',
      '--signer',
      'Alice',
      '--at',
      '2026-11-02T09:00:00Z',
    ]);
    expect(r.code, r.err).toBe(0);
    const after = new Uint8Array(await readFile(join(dir, 'b.evb')));
    const view = new DataView(before.buffer, before.byteOffset);
    const cdOffset = view.getUint32(before.length - 22 + 16, true);
    const cdSize = view.getUint32(before.length - 22 + 12, true);
    expect(Buffer.from(after.subarray(0, cdOffset)).equals(Buffer.from(before.subarray(0, cdOffset)))).toBe(true);
    const oldCd = Buffer.from(before.subarray(cdOffset, cdOffset + cdSize));
    expect(Buffer.from(after).indexOf(oldCd)).toBeGreaterThan(cdOffset);
  });

  it('a signature by a key nobody trusts is untrusted-signer (exit 3), with --json status on top', async () => {
    const r = await exhibit(['verify', 'b.evb', '--json']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.out);
    expect(Object.keys(report)[0]).toBe('status');
    expect(report.status).toBe('untrusted-signer');
  });

  it('trust add, then verify --trust gives verified (exit 0)', async () => {
    const t = await exhibit([
      'trust',
      'add',
      'alice.pub.pem',
      '--principal',
      'Alice Example',
      '--roles',
      'approver',
      '--until',
      '2027-01-01T00:00:00Z',
      '--file',
      'trust.json',
    ]);
    expect(t.code, t.err).toBe(0);
    const r = await exhibit(['verify', 'b.evb', '--trust', 'trust.json']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('VERIFIED');
    expect(r.out).toContain('Alice Example');
  });

  it('--key trusts a public key for one run', async () => {
    const r = await exhibit(['verify', 'b.evb', '--key', 'alice.pub.pem', '--json']);
    expect(JSON.parse(r.out).status).toBe('verified');
  });

  it('key-expired (exit 3) when checked after valid_until with --at', async () => {
    const r = await exhibit(['verify', 'b.evb', '--trust', 'trust.json', '--at', '2027-06-01T00:00:00Z', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out).status).toBe('key-expired');
  });

  it('key-revoked (exit 1) after trust revoke', async () => {
    const keyid = JSON.parse(await readFile(join(dir, 'trust.json'), 'utf8')).keys[0].keyid as string;
    await writeFile(join(dir, 'revoked.json'), await readFile(join(dir, 'trust.json')));
    expect(
      (await exhibit(['trust', 'revoke', keyid, '--reason', 'key leaked', '--at', '2026-11-10T00:00:00Z', '--file', 'revoked.json'])).code,
    ).toBe(0);
    const r = await exhibit(['verify', 'b.evb', '--trust', 'revoked.json', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).status).toBe('key-revoked');
  });

  it('tampered (exit 1), and sign refuses a tampered bundle', async () => {
    const bag = await fixtureBag();
    bag.set('data/replays/ra-baseline.jsonl', new TextEncoder().encode('forged\n'));
    await writeFile(join(dir, 't.evb'), await zipFixture(bag));
    const r = await exhibit(['verify', 't.evb', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).status).toBe('tampered');
    const s = await exhibit(['sign', 't.evb', '--key', 'alice.key.pem', '--role', 'approver']);
    expect(s.code).toBe(1);
    expect(s.err).toContain('refusing to sign a tampered bundle');
  });

  it('malformed (exit 2)', async () => {
    await writeFile(join(dir, 'm.evb'), 'PK\u0003\u0004 definitely not a zip');
    const r = await exhibit(['verify', 'm.evb']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('MALFORMED');
  });

  it('usage errors exit 64 and say what is wrong', async () => {
    expect((await exhibit([])).code).toBe(64);
    expect((await exhibit(['frobnicate'])).code).toBe(64);
    const r = await exhibit(['verify', 'b.evb', '--bogus']);
    expect(r.code).toBe(64);
    expect(r.err).toContain('--bogus');
    expect((await exhibit(['verify', 'b.evb', '--at', 'yesterday'])).code).toBe(64);
    expect((await exhibit(['verify'])).code).toBe(64);
  });

  it('a bundle that cannot be read exits 66 with the reason', async () => {
    const r = await exhibit(['verify', 'nope.evb']);
    expect(r.code).toBe(66);
    expect(r.err).toContain('no such file');
  });

  it('demo writes a bundle that verifies against its own trust file', async () => {
    const d = await exhibit(['demo', '-o', 'demo.evb']);
    expect(d.code, d.err).toBe(0);
    const r = await exhibit(['verify', 'demo.evb', '--trust', 'demo.trust.json', '--json']);
    expect(JSON.parse(r.out).status).toBe('verified');
    expect(r.code).toBe(0);
    expect((await exhibit(['demo', '-o', 'demo.evb'])).code).not.toBe(0); // never overwrites without --force
  });
});

describe('the installed command (bin/exhibit.mjs, a real process)', () => {
  const bin = join(__dirname, '../../bin/exhibit.mjs');

  it('writes all of a large report into a pipe before it exits, with the status exit code', async () => {
    // 400 more payload files (406 files in all) make a report well over a pipe's 64 KiB buffer.
    const payload = fixturePayload();
    for (let i = 0; i < 400; i++) payload.set(`data/attachments/n${i}.txt`, new TextEncoder().encode(`note ${i}\n`));
    await writeFile(join(dir, 'many-files.evb'), await zipFixture(await fixtureBag({ payload })));
    const r = spawnSync(process.execPath, [bin, 'verify', 'many-files.evb', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stdout.length).toBeGreaterThan(64 * 1024);
    const report = JSON.parse(r.stdout);
    expect([report.status, report.files.length, r.status]).toEqual(['unsigned', 406, 3]);
  }, 30_000);

  it('keeps the status exit code when the reader closes the pipe early (| head)', () => {
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${bin}" verify many-files.evb --json | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(r.stdout.trim()).toBe('3');
  }, 30_000);
});
