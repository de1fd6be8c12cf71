// exhibit import agentclash: the mapping onto packet.json, replays split per run agent,
// clear errors for mismatched inputs, and the round trip import -> sign -> verify -> summary.
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { ImportError, importAgentClash } from '../../shared/model/agentclash-import';
import type { AgentClashInputs } from '../../shared/model/agentclash-import';
import { parsePacket } from '../../shared/model/packet';
import { buildChecklist } from '../../shared/model/checklist';
import { parse as parseYaml } from 'yaml';

const FIX = join(__dirname, '../fixtures/agentclash');
let dir: string;

async function inputs(over: Partial<AgentClashInputs> = {}): Promise<AgentClashInputs> {
  const json = async (n: string) => ({ file: `ci/${n}.json`, doc: JSON.parse(await readFile(join(FIX, 'ci', `${n}.json`), 'utf8')) });
  const yaml = async (n: string) => ({ file: n, doc: parseYaml(await readFile(join(FIX, n), 'utf8')) });
  return {
    bundleId: 'pr-412-gate',
    ci: {
      run: await json('run'),
      scorecard: await json('scorecard'),
      comparison: await json('comparison'),
      gate: await json('gate'),
      result: await json('result'),
    },
    events: [{ file: 'events.jsonl', text: await readFile(join(FIX, 'events.jsonl'), 'utf8') }],
    pack: await yaml('pack.yaml'),
    ciManifest: await yaml('ci.yaml'),
    meta: await yaml('meta.yaml'),
    verbatim: new Map([
      ['ci-gate.json', new Uint8Array([1])],
      ['pack.yaml', new Uint8Array([2])],
    ]),
    now: '2026-05-10T11:00:00Z',
    ...over,
  };
}

function io(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => void (out += t), isTTY: false },
    stderr: { write: (t: string) => void (err += t), isTTY: false },
    cwd: dir,
    now: () => new Date('2026-05-11T09:00:00Z'),
    version: '0.0.0-test',
    out: () => out,
    err: () => err,
  };
}
async function exhibit(args: string[]) {
  const i = io();
  const code = await main(args, i);
  return { code, out: i.out(), err: i.err() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exhibit-import-'));
  await cp(FIX, join(dir, 'in'), { recursive: true });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('mapping onto packet.json', () => {
  it('produces a packet the validator accepts, with the upstream ids, gate and comparison values', async () => {
    const { payload, packet } = importAgentClash(await inputs());
    const listed = new Set([...payload.keys()]);
    expect(parsePacket(payload.get('data/packet.json')!, { listedPaths: listed }).findings).toEqual([]);
    expect(packet.candidate).toMatchObject({
      run_id: 'run-candidate',
      run_agent_id: 'agent-candidate',
      build_version_id: 'version-candidate',
      deployment_id: 'dep-candidate',
      deployment_name: 'pr-candidate',
    });
    expect(packet.baseline).toMatchObject({
      run_id: '00000000-0000-0000-0000-000000000008',
      selection: { strategy: 'locked_run', max_age_days: 14, age_days: 4 },
    });
    expect(packet.gate).toMatchObject({ verdict: 'warn', reason_code: 'regression_detected', triggered_conditions: ['latency_delta'] });
    expect(packet.gate.dimension_results.latency).toMatchObject({
      outcome: 'warn',
      better_direction: 'lower',
      baseline_value: 0.94,
      candidate_value: 0.86,
      warn_threshold: 0.05,
    });
    expect(packet.gate.dimension_results.cost).toMatchObject({ state: 'unavailable', outcome: 'unavailable', baseline_value: null });
    expect(packet.workload.challenge_pack).toMatchObject({
      slug: 'support-triage',
      version_number: 3,
      version_id: '00000000-0000-0000-0000-000000000005',
      file: 'data/agentclash/pack.yaml',
    });
    expect(packet.workload.input_set).toMatchObject({ id: '00000000-0000-0000-0000-000000000006', key: 'default', case_count: 1 });
  });

  it('derives auto-fail conditions from the policy and the regression violations, with replay refs', async () => {
    const { packet } = importAgentClash(await inputs());
    const keys = packet.gate.auto_fail_conditions.map((c) => c.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'fail_on_candidate_failure',
        'fail_on_both_failed_differently',
        'require_comparable',
        'regression:no_new_blocking_failure_vs_baseline',
      ]),
    );
    const regression = packet.gate.auto_fail_conditions.find((c) => c.key.startsWith('regression:'))!;
    expect(regression.evidence).toEqual([{ run_agent_id: 'agent-candidate', sequence_number: 5, note: 'tool.call.failed' }]);
    expect(packet.derived).toContain('/gate/auto_fail_conditions');
  });

  it("derives each agent's evidence tier by AgentClash's rule and its observed tools", async () => {
    const { packet } = importAgentClash(await inputs());
    expect(packet.agents.map((a) => a.evidence_tier)).toEqual(['native_structured', 'native_structured']);
    expect(packet.agents[0]!.permissions).toEqual({ declared: ['http_request', 'submit'], observed: ['http_request'] });
    expect(packet.agents[0]!.network).toEqual({ access: 'allowlist', allowlist: ['api.internal.example'] });
    expect(packet.derived).toEqual(
      expect.arrayContaining(['/agents/0/evidence_tier', '/agents/1/evidence_tier', '/agents/0/permissions/observed']),
    );
  });

  it('takes the decision, owners and retention from META.yaml', async () => {
    const { packet } = importAgentClash(await inputs());
    expect(packet.decision).toMatchObject({ recommendation: 'conditional_ship', deciding_metric: 'latency' });
    expect(packet.owners.release_owner).toEqual({ name: 'Ana Reyes', email: 'ana@example.com' });
    expect(packet.retention.replay_retention_days).toBe(90);
    expect(packet.derived).not.toContain('/decision');
  });

  it('without META.yaml the recommendation follows the verdict, is marked derived, and owners stay null', async () => {
    const { packet } = importAgentClash(await inputs({ meta: undefined }));
    expect(packet.decision.recommendation).toBe('conditional_ship'); // warn -> conditional ship
    expect(packet.derived).toContain('/decision');
    expect(packet.owners.release_owner).toBeNull();
    expect(buildChecklist(packet).find((i) => i.key === 'owners')!.state).toBe('missing');
  });

  it('splits the merged export into one replay per run agent, ordered by sequence number', async () => {
    const { payload } = importAgentClash(await inputs());
    const cand = new TextDecoder()
      .decode(payload.get('data/replays/agent-candidate.jsonl')!)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(cand.map((e) => e.sequence_number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(cand.every((e) => e.run_agent_id === 'agent-candidate')).toBe(true);
    expect(payload.has('data/replays/00000000-0000-0000-0000-000000000009.jsonl')).toBe(true);
    expect(payload.has('data/agentclash/ci-gate.json')).toBe(true);
  });

  it('chunks a replay above 10,000 events into files of 5,000 named by first sequence number', async () => {
    const base = JSON.parse((await readFile(join(FIX, 'events.jsonl'), 'utf8')).split('\n')[0]!);
    const lines = Array.from({ length: 12_000 }, (_, i) =>
      JSON.stringify({
        ...base,
        run_id: 'run-candidate',
        run_agent_id: 'agent-candidate',
        sequence_number: i + 1,
        event_type: 'model.output.delta',
      }),
    );
    const { payload, packet } = importAgentClash(await inputs({ events: [{ file: 'big.jsonl', text: lines.reverse().join('\n') }] }));
    expect([...payload.keys()].filter((k) => k.startsWith('data/replays/agent-candidate/'))).toEqual([
      'data/replays/agent-candidate/0000000001.jsonl',
      'data/replays/agent-candidate/0000005001.jsonl',
      'data/replays/agent-candidate/0000010001.jsonl',
    ]);
    expect(packet.agents[0]!.replay).toBe('data/replays/agent-candidate/');
    expect(packet.agents[1]!.evidence_tier).toBe('none');
  });
});

describe('clear errors for mismatched inputs, naming the file and field', () => {
  it('events of another run', async () => {
    const text = (await readFile(join(FIX, 'events.jsonl'), 'utf8')).replace(/"run_id": "run-candidate"/, '"run_id": "run-elsewhere"');
    const i = await inputs({ events: [{ file: 'events.jsonl', text }] });
    expect(() => importAgentClash(i)).toThrowError(expect.objectContaining({ file: 'events.jsonl', field: 'line 1 run_id' }));
  });

  it('a gate for other run ids', async () => {
    const i = await inputs();
    (i.ci.gate.doc as { payload: { candidate_run_id: string } }).payload.candidate_run_id = 'run-other';
    expect(() => importAgentClash(i)).toThrowError(expect.objectContaining({ file: 'ci/gate.json', field: 'payload.candidate_run_id' }));
    const j = await inputs();
    (j.ci.comparison.doc as { candidate: { run_id: string } }).candidate.run_id = 'run-other';
    expect(() => importAgentClash(j)).toThrowError(ImportError);
  });

  it('unknown schema versions, of an artifact and of an event', async () => {
    const i = await inputs();
    (i.ci.run.doc as { schema_version: string }).schema_version = '2027-01-01';
    expect(() => importAgentClash(i)).toThrowError(expect.objectContaining({ file: 'ci/run.json', field: 'schema_version' }));
    const text = (await readFile(join(FIX, 'events.jsonl'), 'utf8')).replace(
      '"schema_version": "2026-03-15"',
      '"schema_version": "2025-01-01"',
    );
    const fresh = await inputs({ events: [{ file: 'events.jsonl', text }] });
    expect(() => importAgentClash(fresh)).toThrowError(expect.objectContaining({ file: 'events.jsonl', field: 'line 1 schema_version' }));
  });

  it('the wrong artifact in a slot', async () => {
    const i = await inputs();
    i.ci.gate = { ...i.ci.scorecard, file: 'ci/gate.json' };
    expect(() => importAgentClash(i)).toThrowError(expect.objectContaining({ field: 'kind' }));
  });
});

describe('round trip through the CLI: import -> sign -> verify -> summary', () => {
  it('gives a verified bundle and a PDF', async () => {
    const r = await exhibit([
      'import',
      'agentclash',
      '--ci-dir',
      'in/ci',
      '--events',
      'in/events.jsonl',
      '--pack',
      'in/pack.yaml',
      '--ci-manifest',
      'in/ci.yaml',
      '--meta',
      'in/meta.yaml',
      '--id',
      'pr-412-gate',
      '-o',
      'pr.evb',
    ]);
    expect(r.code, r.err).toBe(0);
    expect((await exhibit(['keygen', '--out', 'ci'])).code).toBe(0);
    expect((await exhibit(['sign', 'pr.evb', '--key', 'ci.key.pem', '--role', 'producer', '--signer', 'AgentClash CI'])).code).toBe(0);
    expect(
      (await exhibit(['trust', 'add', 'ci.pub.pem', '--principal', 'AgentClash CI', '--roles', 'producer', '--file', 'trust.json'])).code,
    ).toBe(0);
    const v = await exhibit(['verify', 'pr.evb', '--trust', 'trust.json', '--json']);
    expect(JSON.parse(v.out).status).toBe('verified');
    const s = await exhibit(['summary', 'pr.evb', '--trust', 'trust.json', '-o', 'pr.pdf']);
    expect(s.code, s.err).toBe(0);
    expect((await stat(join(dir, 'pr.pdf'))).size).toBeGreaterThan(1000);
  });

  it('refuses a missing CI artifact, saying which and why', async () => {
    await writeFile(join(dir, 'empty.json'), '{}');
    const r = await exhibit(['import', 'agentclash', '--ci-dir', 'nowhere', '--events', 'in/events.jsonl', '--id', 'x', '-o', 'x.evb']);
    expect(r.code).toBe(66);
    expect(r.err).toContain('run.json');
    expect((await exhibit(['import', 'elsewhere'])).code).toBe(64);
  });
});
