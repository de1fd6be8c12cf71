// Baseline against candidate on the demo: the divergent cases are the ones the candidate's
// fallback, policy block and sandbox failure changed; the rest line up step for step.
import { describe, expect, it } from 'vitest';
import { buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';
import { ReplayIndexBuilder, stepBySeq } from '../../shared/model/replay-index';
import { compareAllCases, compareRows, stepsByCase } from '../../shared/model/replay-compare';
import { stepCase } from '../../shared/model/replay-steps';

const payload = buildDemoPayload();
const packet = JSON.parse(new TextDecoder().decode(payload.get('data/packet.json')!)) as Packet;
function indexOf(role: 'baseline' | 'candidate') {
  const agent = packet.agents.find((a) => a.role === role)!;
  const b = new ReplayIndexBuilder(agent.run_agent_id);
  b.addEntry(agent.replay!, payload.get(agent.replay!)!);
  return b.finish();
}
const base = indexOf('baseline');
const cand = indexOf('candidate');
const all = compareAllCases(base, cand, packet);

describe('compareAllCases on the demo', () => {
  it('lists every case in packet order, then the run level', () => {
    expect(all.map((c) => c.caseKey)).toEqual([...packet.cases.map((c) => c.case_key), '']);
  });

  it("finds the candidate's policy-blocked case diverging at its extra steps, and says where they resync", () => {
    const policyStep = stepBySeq(cand, packet.gate.auto_fail_conditions.find((c) => c.evidence.length)!.evidence[0]!.sequence_number);
    const key = stepCase(cand, policyStep)!;
    const c = all.find((x) => x.caseKey === key)!;
    expect(c.firstDivergence).not.toBeNull();
    expect(c.firstDivergence!.description).toMatch(/candidate (Model call|Tool call http_request)/);
    expect(c.resync).not.toBeNull();
    const rows = compareRows(base, cand, c, packet.pricing);
    expect(rows.some((r) => r.candidateStep === policyStep && r.kind !== 'equal')).toBe(true);
  });

  it('lines up a case both runs handled alike, with deltas on every paired step', () => {
    const same = all.find((c) => c.caseKey !== '' && c.firstDivergence === null)!;
    expect(same).toBeDefined();
    expect(same.baseline.length).toBe(same.candidate.length);
    const rows = compareRows(base, cand, same, packet.pricing);
    expect(rows.every((r) => r.kind === 'equal')).toBe(true);
    const modelRow = rows.find((r) => r.delta.costUsd !== null)!;
    expect(modelRow.delta.tokens).not.toBeNull();
    expect(modelRow.delta.latencyMs).not.toBeNull();
  });

  it('reports outcome changes from the packet', () => {
    for (const c of all) {
      const pc = packet.cases.find((x) => x.case_key === c.caseKey);
      expect(c.outcomeChanged).toBe(!!pc?.baseline && !!pc.candidate && pc.baseline.verdict !== pc.candidate.verdict);
    }
    expect(all.some((c) => c.outcomeChanged)).toBe(true);
  });

  it('groups steps by case as contiguous runs of the display order', () => {
    const groups = stepsByCase(cand);
    let total = 0;
    for (const [key, steps] of groups) {
      total += steps.length;
      for (const s of steps) expect(stepCase(cand, s) ?? '').toBe(key);
    }
    expect(total).toBe(cand.stepCount);
  });
});
