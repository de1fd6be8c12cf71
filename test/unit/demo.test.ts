import { describe, it, expect } from 'vitest';
import { buildDemoPayload, DEMO_BUNDLE_ID } from '../../shared/model/demo';
import { parsePacket } from '../../shared/model/packet';
import type { Packet } from '../../shared/model/packet-types';

const payload = buildDemoPayload();
const text = (path: string) => new TextDecoder('utf-8', { fatal: true }).decode(payload.get(path)!);
const packet: Packet = JSON.parse(text('data/packet.json'));
const events = (path: string) =>
  text(path)
    .split('\n')
    .filter((l, i, all) => i < all.length - 1 || l !== '')
    .map((l) => JSON.parse(l));

describe('demo payload', () => {
  it('is the same bytes every time', () => {
    const again = buildDemoPayload();
    expect([...again.keys()]).toEqual([...payload.keys()]);
    for (const [path, bytes] of payload) expect(Buffer.from(again.get(path)!).equals(Buffer.from(bytes)), path).toBe(true);
  });

  it('holds only data/ files, under 2 MB in total', () => {
    for (const path of payload.keys()) expect(path).toMatch(/^data\/[A-Za-z0-9._/-]+$/);
    const total = [...payload.values()].reduce((s, b) => s + b.length, 0);
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });

  it('has a packet that parsePacket accepts, with the demo bundle id', () => {
    const r = parsePacket(payload.get('data/packet.json')!, { listedPaths: new Set(payload.keys()) });
    expect(r.findings).toEqual([]);
    expect(packet.bundle_id).toBe(DEMO_BUNDLE_ID);
    expect(DEMO_BUNDLE_ID).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
  });

  it('names only files it contains, in every packet path and every $ref', () => {
    const paths = [
      ...packet.agents.flatMap((a) => [a.scorecard, a.replay]),
      ...packet.attachments.map((a) => a.path),
      packet.workload.challenge_pack.file,
    ];
    for (const p of paths) expect(payload.has(p!), String(p)).toBe(true);
    const refs = packet.agents.flatMap((a) => events(a.replay!)).filter((e) => typeof e.payload?.$ref === 'string');
    expect(refs.length).toBeGreaterThan(0);
    for (const e of refs) {
      const target = `data/replays/payloads/${e.payload.$ref}`;
      expect(payload.has(target), target).toBe(true);
      expect(payload.get(target)!.length).toBe(e.payload.bytes);
    }
  });

  it('writes replays as canonical envelopes in strictly increasing sequence order', () => {
    for (const a of packet.agents) {
      const list = events(a.replay!);
      expect(text(a.replay!).endsWith('\n')).toBe(true);
      let last = 0;
      for (const e of list) {
        expect(Object.keys(e)).toEqual([
          'event_id',
          'schema_version',
          'run_id',
          'run_agent_id',
          'sequence_number',
          'event_type',
          'source',
          'occurred_at',
          'payload',
          'summary',
        ]);
        expect(e.schema_version).toBe('2026-03-15');
        expect(e.run_agent_id).toBe(a.run_agent_id);
        expect(e.sequence_number).toBeGreaterThan(last);
        expect(e.occurred_at).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        last = e.sequence_number;
        if (!e.event_type.startsWith('system.run') && !e.event_type.startsWith('scoring.') && e.event_type !== 'agent.memory.snapshot') {
          expect(
            packet.cases.some((c) => c.case_key === e.payload.case_key),
            `${e.event_type} #${e.sequence_number}`,
          ).toBe(true);
        }
      }
    }
  });

  it('shows each kind of event an auditor should meet', () => {
    const all = packet.agents.flatMap((a) => events(a.replay!));
    const types = new Set(all.map((e) => e.event_type));
    for (const t of [
      'system.run.started',
      'system.run.completed',
      'system.step.started',
      'system.step.completed',
      'model.call.started',
      'model.call.completed',
      'tool.call.started',
      'tool.call.completed',
      'tool.call.failed',
      'sandbox.command.started',
      'sandbox.command.completed',
      'sandbox.command.failed',
      'grader.verification.completed',
      'scoring.completed',
      'model.routing.fallback',
      'agent.memory.snapshot',
    ]) {
      expect(types.has(t), t).toBe(true);
    }
    const policy = all.filter((e) => e.event_type === 'tool.call.failed' && e.payload.failure_origin === 'policy');
    expect(policy).toHaveLength(1);
    expect(policy[0].payload.arguments.url).toMatch(/pastebin\.com/);
    const model = all.find((e) => e.event_type === 'model.call.completed');
    expect(model.payload).toMatchObject({
      provider_key: expect.any(String),
      provider_model_id: expect.any(String),
      output_text: expect.any(String),
      usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    });
  });

  it('points the triggered auto-fail condition at the policy violation', () => {
    const triggered = packet.gate.auto_fail_conditions.filter((c) => c.triggered);
    expect(triggered).toHaveLength(1);
    const ref = triggered[0]!.evidence[0]!;
    const step = events(packet.agents.find((a) => a.run_agent_id === ref.run_agent_id)!.replay!).find(
      (e) => e.sequence_number === ref.sequence_number,
    );
    expect(step).toMatchObject({ event_type: 'tool.call.failed', payload: { failure_origin: 'policy' } });
    expect(packet.decision.deciding_metric).toBe(triggered[0]!.key);
  });

  it('keeps the case refs on real steps and the unavailable dimension as nulls', () => {
    for (const c of packet.cases) {
      for (const r of c.refs) {
        const replay = packet.agents.find((a) => a.run_agent_id === r.run_agent_id)!.replay!;
        const e = events(replay).find((x) => x.sequence_number === r.sequence_number);
        expect(e?.payload.case_key, `${c.case_key} -> #${r.sequence_number}`).toBe(c.case_key);
      }
    }
    expect(packet.gate.dimension_results.cost).toMatchObject({
      state: 'unavailable',
      outcome: 'unavailable',
      baseline_value: null,
      candidate_value: null,
    });
    expect(packet.agents.some((a) => a.routing?.policy_kind === 'fallback')).toBe(true);
    expect(new Set(packet.cases.map((c) => c.challenge_key)).size).toBe(4);
  });

  it('writes scorecards in the AgentClash scorecard shape', () => {
    for (const a of packet.agents) {
      const s = JSON.parse(text(a.scorecard!));
      expect(s).toMatchObject({
        run_agent_id: a.run_agent_id,
        strategy: 'weighted',
        validity: 'valid',
        dimensions: { cost: { state: 'unavailable', score: null } },
      });
      expect(Array.isArray(s.validator_details)).toBe(true);
    }
  });
});
