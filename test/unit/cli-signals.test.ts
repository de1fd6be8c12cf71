// Ctrl-C and SIGTERM during a command that writes (issue 16, item 2), through the real bin:
// the temporary file is removed, the original is untouched, SIGINT exits 130 (SIGTERM 143).
// The command is held at the moment its output sits whole in the temporary file (see
// test/helpers/hold-at-sync.mjs), and the signal is sent then.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { FIXTURE_ID, fixturePayload } from '../helpers/bundles';
import { BIN, runBin } from '../helpers/run-bin';
import { buildDemoBundle } from '../../shared/model/demo-bundle';

const HOLD = join(__dirname, '../helpers/hold-at-sync.mjs');
const FIX = join(__dirname, '../fixtures/agentclash');
let dir: string;

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

const temps = async (folder = dir) => (await readdir(folder)).filter((n) => n.endsWith('.tmp'));

/** Runs the bin held at its output's flush, sends `signal` once held, and returns the exit. */
async function interrupt(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; err: string; heldTemps: string[] }> {
  const held = join(dir, `held-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, ['--import', HOLD, BIN, ...args], {
    cwd: dir,
    env: { ...process.env, EXHIBIT_TEST_HELD: held },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  while (!existsSync(held) && !done) await new Promise((r) => setTimeout(r, 20));
  if (done) throw new Error(`${args[0]} ended before it was held: ${err}`);
  const heldTemps = await temps();
  child.kill(signal);
  const code = await exited;
  await rm(held, { force: true });
  return { code, err, heldTemps };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-signals-'));
  await mkdir(join(dir, 'src/data/replays'), { recursive: true });
  for (const [path, bytes] of fixturePayload()) await writeFile(join(dir, 'src', path), bytes);
  await setup(['keygen', '--out', 'alice']);
  await setup(['pack', 'src', '--id', FIXTURE_ID, '-o', 'b.evb', '--date', '2026-11-01']);
  const demo = await buildDemoBundle();
  await writeFile(join(dir, 'demo.evb'), demo.bundle);
  await writeFile(join(dir, 'demo.trust.json'), demo.trust);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an interrupted command leaves no temporary file and the original as it was', () => {
  it('sign, SIGINT: exit 130, the bundle untouched', async () => {
    const before = await readFile(join(dir, 'b.evb'));
    const r = await interrupt(['sign', 'b.evb', '--key', 'alice.key.pem', '--role', 'approver'], 'SIGINT');
    expect(r.heldTemps).toHaveLength(1); // the test did catch the command mid-write
    expect(r.code, r.err).toBe(130);
    expect(r.err).toContain('interrupted (SIGINT)');
    expect(await temps()).toEqual([]);
    expect((await readFile(join(dir, 'b.evb'))).equals(before)).toBe(true);
  }, 60_000);

  it('sign, SIGTERM: exit 143, the bundle untouched', async () => {
    const before = await readFile(join(dir, 'b.evb'));
    const r = await interrupt(['sign', 'b.evb', '--key', 'alice.key.pem', '--role', 'approver'], 'SIGTERM');
    expect(r.heldTemps).toHaveLength(1);
    expect(r.code, r.err).toBe(143);
    expect(await temps()).toEqual([]);
    expect((await readFile(join(dir, 'b.evb'))).equals(before)).toBe(true);
  }, 60_000);

  it('pack, SIGINT: no bundle, no temporary file', async () => {
    const r = await interrupt(['pack', 'src', '--id', FIXTURE_ID, '-o', 'p.evb'], 'SIGINT');
    expect(r.heldTemps).toHaveLength(1);
    expect(r.code, r.err).toBe(130);
    expect(await temps()).toEqual([]);
    expect(existsSync(join(dir, 'p.evb'))).toBe(false);
  }, 60_000);

  it('summary, SIGINT: no PDF, no temporary file', async () => {
    const r = await interrupt(['summary', 'demo.evb', '--trust', 'demo.trust.json', '-o', 's.pdf'], 'SIGINT');
    expect(r.heldTemps).toHaveLength(1);
    expect(r.code, r.err).toBe(130);
    expect(await temps()).toEqual([]);
    expect(existsSync(join(dir, 's.pdf'))).toBe(false);
  }, 60_000);

  it('import, SIGINT: no bundle, no temporary file', async () => {
    const args = ['import', 'agentclash', '--ci-dir', join(FIX, 'ci'), '--events', join(FIX, 'events.jsonl')];
    const r = await interrupt([...args, '--meta', join(FIX, 'meta.yaml'), '--id', 'pr-412-gate', '-o', 'i.evb'], 'SIGINT');
    expect(r.heldTemps).toHaveLength(1);
    expect(r.code, r.err).toBe(130);
    expect(await temps()).toEqual([]);
    expect(existsSync(join(dir, 'i.evb'))).toBe(false);
  }, 60_000);

  it('demo, SIGINT: neither file', async () => {
    const r = await interrupt(['demo', '-o', 'd.evb'], 'SIGINT');
    expect(r.heldTemps.length).toBeGreaterThanOrEqual(1);
    expect(r.code, r.err).toBe(130);
    expect(await temps()).toEqual([]);
    expect([existsSync(join(dir, 'd.evb')), existsSync(join(dir, 'd.trust.json'))]).toEqual([false, false]);
  }, 60_000);
});

describe('outputs that cannot be written, modes and links', () => {
  it('demo --trust-out to an unwritable place writes neither file, and the error names the path given', async () => {
    // A folder that is a file: unwritable for every user, root too (CI runs as root).
    await writeFile(join(dir, 'locked'), 'a file, not a folder\n');
    const r = runBin(dir, ['demo', '-o', 'x.evb', '--trust-out', 'locked/x.trust.json']);
    expect(r.code).toBe(73);
    expect(r.err).toContain('cannot write locked/x.trust.json: ');
    expect(r.err).not.toContain('.tmp');
    expect(existsSync(join(dir, 'x.evb'))).toBe(false);
    expect(await temps()).toEqual([]);
  }, 30_000);

  it('demo -o X.evb writes X.trust.json beside it, and its help says so', async () => {
    expect(runBin(dir, ['demo', '--help']).out).toContain('-o X.evb writes X.trust.json');
    const r = runBin(dir, ['demo', '-o', 'named.evb']);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(dir, 'named.trust.json'))).toBe(true);
  }, 30_000);

  it('sign keeps the bundle file mode', async () => {
    await writeFile(join(dir, 'mode.evb'), await readFile(join(dir, 'b.evb')));
    await chmod(join(dir, 'mode.evb'), 0o640);
    const r = runBin(dir, ['sign', 'mode.evb', '--key', 'alice.key.pem', '--role', 'approver']);
    expect(r.code, r.err).toBe(0);
    expect((await stat(join(dir, 'mode.evb'))).mode & 0o777).toBe(0o640);
  }, 30_000);

  it('sign on a symbolic link signs the file it points to and keeps the link', async () => {
    await mkdir(join(dir, 'real'));
    await writeFile(join(dir, 'real/t.evb'), await readFile(join(dir, 'b.evb')));
    await symlink('real/t.evb', join(dir, 'link.evb'));
    const r = runBin(dir, ['sign', 'link.evb', '--key', 'alice.key.pem', '--role', 'approver']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('the file it links to');
    expect((await lstat(join(dir, 'link.evb'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(dir, 'link.evb'))).toBe('real/t.evb');
    const v = runBin(dir, ['verify', 'real/t.evb', '--key', 'alice.pub.pem', '--json']);
    expect(JSON.parse(v.out).status).toBe('verified');
  }, 30_000);
});
