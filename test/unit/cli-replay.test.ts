// exhibit replay: the demo's steps indexed on a worker thread, filtered, searched, one
// step's events, the comparison, and the errors a person can act on.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { buildDemoBundle } from '../../shared/model/demo-bundle';

let dir = '';
let bundle = '';
let trust = '';

function captureIo(cwd: string): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => void (out += t), isTTY: false },
    stderr: { write: (t: string) => void (err += t), isTTY: false },
    cwd,
    now: () => new Date('2026-11-15T00:00:00Z'),
    version: 'test',
    out: () => out,
    err: () => err,
  };
}

async function exhibit(args: string[]) {
  const io = captureIo(dir);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-replay-'));
  const demo = await buildDemoBundle();
  bundle = join(dir, 'demo.evb');
  trust = join(dir, 'trust.json');
  await writeFile(bundle, demo.bundle);
  await writeFile(trust, demo.trust);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('exhibit replay', () => {
  it('lists the policy-blocked step with its marks, status first', async () => {
    const r = await exhibit(['replay', bundle, '--trust', trust, '--status', 'policy']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe(`${bundle}: status verified`);
    expect(lines[1]).toMatch(/^ra-cand-7d21: \d+ events, \d+ steps, indexed in \d+ ms$/);
    expect(lines.slice(2)).toHaveLength(1);
    expect(lines[2]).toMatch(/refund-07 .*Tool call .*http_request — blocked: host pastebin\.com.* failed .*\[policy, verdict\]/);
  });

  it('searches the payload text and reports as JSON, the baseline too', async () => {
    const r = await exhibit(['replay', bundle, '--trust', trust, '--search', 'PASTEBIN', '--json']);
    const j = JSON.parse(r.out);
    expect(j.status).toBe('verified');
    expect(j.matched_steps).toBe(2);
    expect(j.listed.map((s: { type: string }) => s.type)).toEqual(['model.call', 'tool.call']);
    const base = JSON.parse(
      (await exhibit(['replay', bundle, '--trust', trust, '--agent', 'baseline', '--search', 'pastebin', '--json'])).out,
    );
    expect(base.run_agent_id).toBe('ra-base-51c8');
    expect(base.matched_steps).toBe(0);
  });

  it("prints one step's events, and follows an offloaded payload", async () => {
    const policy = JSON.parse((await exhibit(['replay', bundle, '--trust', trust, '--status', 'policy', '--json'])).out).listed[0];
    const r = await exhibit(['replay', bundle, '--trust', trust, '--step', String(policy.sequence_number), '--json']);
    const j = JSON.parse(r.out);
    expect(j.step.marks).toEqual(['policy', 'verdict']);
    expect(j.events[0].line.payload.failure_origin).toBe('policy');
    const offloaded = JSON.parse((await exhibit(['replay', bundle, '--trust', trust, '--search', 'History entry 17', '--json'])).out)
      .listed[0];
    const o = JSON.parse(
      (await exhibit(['replay', bundle, '--trust', trust, '--step', String(offloaded.end_sequence_number), '--json'])).out,
    );
    expect(o.events.at(-1).offloaded.text).toContain('History entry 17');
  });

  it('compares baseline and candidate case by case', async () => {
    const j = JSON.parse((await exhibit(['replay', bundle, '--trust', trust, '--compare', '--json'])).out);
    const fallback = j.cases.find((c: { first_divergence: string | null }) => c.first_divergence?.includes('Routing fallback'));
    expect(fallback.resync).toMatch(/^back in step/);
    expect(j.cases.some((c: { outcome_changed: boolean }) => c.outcome_changed)).toBe(true);
  });

  it('says what is wrong with the arguments (64) and exits by status without a trust store (3)', async () => {
    expect((await exhibit(['replay', bundle, '--status', 'odd'])).code).toBe(64);
    expect((await exhibit(['replay', bundle, '--agent', 'nobody'])).err).toContain('no run agent "nobody"');
    expect((await exhibit(['replay', bundle, '--step', 'x'])).code).toBe(64);
    const r = await exhibit(['replay', bundle, '--step', '999999']);
    expect(r.err).toContain('no event with sequence number 999999');
    expect((await exhibit(['replay', bundle, '--limit', '1'])).code).toBe(3);
  });
});
