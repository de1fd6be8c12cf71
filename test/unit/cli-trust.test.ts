// `exhibit trust` under a careless or hostile user (issue 16, item 1), through the real
// bin: a revoked key never becomes trusted again by accident, a window that ends before it
// starts is refused, a bad entry is named and can be removed, trust files are read only if
// they are regular files of at most 16 MiB.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { FIXTURE_ID, fixturePayload } from '../helpers/bundles';
import { runBin } from '../helpers/run-bin';
import { mkdir } from 'node:fs/promises';

let dir: string;
const exhibit = (...args: string[]) => runBin(dir, args);
const trustJson = async (file = 'trust.json') => JSON.parse(await readFile(join(dir, file), 'utf8'));

/** Quiet in-process runs for the setup (the bundle and keys), not under test here. */
async function setup(args: string[]): Promise<void> {
  const io: CliIo = {
    stdout: { write: () => undefined, isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    cwd: dir,
    now: () => new Date('2026-11-15T00:00:00Z'),
    version: '0.0.0-test',
  };
  const code = await main(args, io);
  if (code !== 0) throw new Error(`setup ${args.join(' ')} exited ${code}`);
}

let aliceKeyid: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-trust-'));
  await mkdir(join(dir, 'src/data/replays'), { recursive: true });
  for (const [path, bytes] of fixturePayload()) await writeFile(join(dir, 'src', path), bytes);
  await setup(['keygen', '--out', 'alice']);
  await setup(['keygen', '--out', 'bob']);
  await setup(['pack', 'src', '--id', FIXTURE_ID, '-o', 'b.evb', '--date', '2026-11-01']);
  await setup(['sign', 'b.evb', '--key', 'alice.key.pem', '--role', 'approver', '--at', '2026-11-02T09:00:00Z']);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const verifyStatus = (trust: string) => {
  const r = exhibit('verify', 'b.evb', '--trust', trust, '--at', '2026-11-20T00:00:00Z', '--json');
  return { code: r.code, status: r.out ? (JSON.parse(r.out).status as string) : null, err: r.err };
};

describe('exhibit trust: a revoked key stays revoked', () => {
  it('add, then revoke: the bundle is key-revoked (exit 1)', () => {
    const a = exhibit('trust', 'add', 'alice.pub.pem', '--principal', 'Alice', '--roles', 'approver', '--file', 'trust.json');
    expect(a.code, a.err).toBe(0);
    aliceKeyid = /keyid (\S+)/.exec(a.out)![1]!;
    const r = exhibit('trust', 'revoke', aliceKeyid, '--reason', 'laptop stolen', '--at', '2026-11-10T00:00:00Z', '--file', 'trust.json');
    expect(r.code, r.err).toBe(0);
    expect(verifyStatus('trust.json')).toMatchObject({ code: 1, status: 'key-revoked' });
  }, 30_000);

  it('add of a key already present refuses, says what is there, and changes nothing', async () => {
    const before = await readFile(join(dir, 'trust.json'));
    const r = exhibit('trust', 'add', 'alice.pub.pem', '--principal', 'Mallory', '--file', 'trust.json');
    expect(r.code).toBe(1);
    expect(r.err).toContain(`the key ${aliceKeyid} is already in the trust store`);
    expect(r.err).toContain('"Alice" for approver');
    expect(r.err).toContain('REVOKED 2026-11-10T00:00:00Z (laptop stolen)');
    expect(r.err).toContain('--replace');
    expect((await readFile(join(dir, 'trust.json'))).equals(before)).toBe(true);
    expect(verifyStatus('trust.json')).toMatchObject({ code: 1, status: 'key-revoked' });
  }, 30_000);

  it('--replace replaces principal, roles and window, never the revocation', async () => {
    const r = exhibit(
      'trust',
      'add',
      'alice.pub.pem',
      '--principal',
      'Alice B.',
      '--until',
      '2030-01-01',
      '--replace',
      '--file',
      'trust.json',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('still REVOKED as of 2026-11-10T00:00:00Z');
    const [entry] = (await trustJson()).keys;
    expect(entry).toMatchObject({
      principal: 'Alice B.',
      roles: [],
      valid_until: '2030-01-01T00:00:00Z',
      revoked_at: '2026-11-10T00:00:00Z',
      revocation_reason: 'laptop stolen',
    });
    expect(verifyStatus('trust.json')).toMatchObject({ code: 1, status: 'key-revoked' });
  }, 30_000);

  it('a second revoke keeps the earliest revoked_at and says so', async () => {
    const r = exhibit('trust', 'revoke', aliceKeyid, '--reason', 'again', '--at', '2027-06-01T00:00:00Z', '--file', 'trust.json');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('was already revoked as of 2026-11-10T00:00:00Z; that earlier revocation stays');
    expect((await trustJson()).keys[0]).toMatchObject({ revoked_at: '2026-11-10T00:00:00Z', revocation_reason: 'laptop stolen' });
    expect(verifyStatus('trust.json')).toMatchObject({ code: 1, status: 'key-revoked' });
    const earlier = exhibit('trust', 'revoke', aliceKeyid, '--reason', 'earlier', '--at', '2026-11-05T00:00:00Z', '--file', 'trust.json');
    expect(earlier.code).toBe(0);
    expect(earlier.out).toContain('now dates from the earlier 2026-11-05T00:00:00Z');
    expect((await trustJson()).keys[0].revoked_at).toBe('2026-11-05T00:00:00Z');
  }, 30_000);

  it('a key given with --key for one run does not lift the trust file revocation', () => {
    const r = exhibit('verify', 'b.evb', '--trust', 'trust.json', '--key', 'alice.pub.pem', '--json');
    expect(JSON.parse(r.out).status).toBe('key-revoked');
  }, 30_000);
});

describe('exhibit trust: windows, unknown keys, bad entries', () => {
  it('refuses a window whose valid_until is before valid_from (64), writing nothing', async () => {
    const r = exhibit(
      'trust',
      'add',
      'bob.pub.pem',
      '--principal',
      'Bob',
      '--from',
      '2027-01-01',
      '--until',
      '2026-01-01',
      '--file',
      'w.json',
    );
    expect(r.code).toBe(64);
    expect(r.err).toContain('the window ends (2026-01-01T00:00:00Z) before it starts (2027-01-01T00:00:00Z)');
    await expect(readFile(join(dir, 'w.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 30_000);

  it('revoke or remove of an unknown keyid is a usage error (64)', () => {
    expect(exhibit('trust', 'revoke', 'UNKNOWN', '--reason', 'x', '--file', 'trust.json').code).toBe(64);
    expect(exhibit('trust', 'remove', 'UNKNOWN', '--file', 'trust.json').code).toBe(64);
  }, 30_000);

  it('`exhibit trust` alone prints its usage on stderr and exits 64', () => {
    const r = exhibit('trust');
    expect(r.code).toBe(64);
    expect(r.out).toBe('');
    expect(r.err).toContain('exhibit trust remove KEYID');
  }, 30_000);

  it('a bad entry is named by index and keyid; list shows the rest; remove mends the file', async () => {
    const good = exhibit('trust', 'add', 'alice.pub.pem', '--principal', 'Alice', '--roles', 'approver', '--file', 'mixed.json');
    expect(good.code, good.err).toBe(0);
    const json = await trustJson('mixed.json');
    json.keys.push({ ...json.keys[0], keyid: 'not-the-keyid', principal: 'Typo' });
    await writeFile(join(dir, 'mixed.json'), JSON.stringify(json, null, 2));
    const list = exhibit('trust', 'list', '--file', 'mixed.json');
    expect(list.out).toContain(`${aliceKeyid}  Alice  roles: approver`);
    expect(list.err).toContain('keys[1] (keyid not-the-keyid)');
    expect(list.code).toBe(66);
    const v = verifyStatus('mixed.json');
    expect(v.code).toBe(66);
    expect(v.err).toContain('keys[1] (keyid not-the-keyid)');
    const add = exhibit('trust', 'add', 'bob.pub.pem', '--principal', 'Bob', '--file', 'mixed.json');
    expect(add.code).toBe(66);
    expect(add.err).toContain('exhibit trust remove KEYID --file mixed.json');
    const rm_ = exhibit('trust', 'remove', 'not-the-keyid', '--file', 'mixed.json');
    expect(rm_.code, rm_.err).toBe(0);
    expect(verifyStatus('mixed.json')).toMatchObject({ code: 0, status: 'verified' });
    expect(exhibit('trust', 'remove', aliceKeyid, '--file', 'mixed.json').code).toBe(0);
    expect((await trustJson('mixed.json')).keys).toEqual([]);
  }, 60_000);
});

describe('trust files, bundles and inputs that are not regular files (exit 66 at once)', () => {
  it('refuses /dev/zero, a FIFO and a directory as a trust file, saying what it is', () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const zero = exhibit('verify', 'b.evb', '--trust', '/dev/zero');
    expect([zero.code, zero.err]).toEqual([66, expect.stringContaining('/dev/zero: it is a character device, not a regular file')]);
    const fifo = exhibit('verify', 'b.evb', '--trust', 'fifo');
    expect([fifo.code, fifo.err]).toEqual([66, expect.stringContaining('fifo: it is a FIFO (named pipe)')]);
    const folder = exhibit('trust', 'list', '--file', 'src');
    expect([folder.code, folder.err]).toEqual([66, expect.stringContaining('src: it is a directory')]);
  }, 30_000);

  it('refuses a FIFO, /dev/zero and a directory as a bundle', () => {
    const fifo = exhibit('verify', 'fifo');
    expect([fifo.code, fifo.err]).toEqual([66, expect.stringContaining('fifo: it is a FIFO (named pipe)')]);
    const zero = exhibit('verify', '/dev/zero');
    expect([zero.code, zero.err]).toEqual([66, expect.stringContaining('it is a character device')]);
    const folder = exhibit('sign', 'src', '--key', 'alice.key.pem', '--role', 'approver');
    expect([folder.code, folder.err]).toEqual([66, expect.stringContaining('src: it is a directory')]);
  }, 30_000);

  it('refuses a FIFO as an import input instead of blocking on it', () => {
    const ci = join(__dirname, '../fixtures/agentclash/ci');
    const r = exhibit('import', 'agentclash', '--ci-dir', ci, '--events', 'fifo', '--id', 'x', '-o', 'x.evb');
    expect([r.code, r.err]).toEqual([66, expect.stringContaining('fifo: it is a FIFO (named pipe)')]);
  }, 30_000);

  it('refuses a trust file over 16 MiB before reading it', async () => {
    await writeFile(join(dir, 'huge.json'), Buffer.alloc(16 * 1024 * 1024 + 1, 0x20));
    const r = exhibit('verify', 'b.evb', '--trust', 'huge.json');
    expect(r.code).toBe(66);
    expect(r.err).toContain('more than the 16777216');
  }, 30_000);
});
