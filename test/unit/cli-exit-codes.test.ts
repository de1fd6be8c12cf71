// Usage errors exit 64 everywhere, with words that say what is wrong (issue 16, item 4),
// and the replay comparison counts cases, not the run-level group.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { buildDemoBundle } from '../../shared/model/demo-bundle';

let dir = '';

async function exhibit(...args: string[]) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => void (out += t), isTTY: false },
    stderr: { write: (t: string) => void (err += t), isTTY: false },
    cwd: dir,
    now: () => new Date('2026-11-15T00:00:00Z'),
    version: 'test',
  };
  const code = await main(args, io);
  return { code, out, err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-exit-'));
  const demo = await buildDemoBundle();
  await writeFile(join(dir, 'demo.evb'), demo.bundle);
  await writeFile(join(dir, 'trust.json'), demo.trust);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('usage errors (64)', () => {
  it('replay --step of a sequence number the replay does not have: no such step', async () => {
    const r = await exhibit('replay', 'demo.evb', '--trust', 'trust.json', '--step', '99999');
    expect(r.code).toBe(64);
    expect(r.err).toContain('no such step');
  });

  it('replay --case of a case the replay does not have names the cases it has', async () => {
    const r = await exhibit('replay', 'demo.evb', '--trust', 'trust.json', '--case', 'nope');
    expect(r.code).toBe(64);
    expect(r.err).toContain('no case "nope"');
    expect(r.err).toContain('account-01');
    expect((await exhibit('replay', 'demo.evb', '--trust', 'trust.json', '--case', 'refund-05')).code).toBe(0);
  });

  it('replay --compare with --step', async () => {
    const r = await exhibit('replay', 'demo.evb', '--compare', '--step', '3');
    expect(r.code).toBe(64);
    expect(r.err).toContain('--compare and --step do not go together');
  });

  it('an impossible date (2026-02-30, 24:00, 2025-02-29) is refused, not moved to another day', async () => {
    for (const at of ['2026-02-30', '2026-11-22T24:00:00Z', '2025-02-29', '2026-13-01']) {
      const r = await exhibit('verify', 'demo.evb', '--at', at);
      expect([at, r.code]).toEqual([at, 64]);
      expect(r.err).toContain('no such date or time of day');
    }
    expect((await exhibit('verify', 'demo.evb', '--at', '2024-02-29')).code).not.toBe(64); // a leap day is a day
  });
});

describe('the replay comparison', () => {
  it('counts the packet cases, without the run-level group', async () => {
    const r = await exhibit('replay', 'demo.evb', '--trust', 'trust.json', '--compare');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\d+ of 36 cases diverged or changed outcome/);
  });
});
