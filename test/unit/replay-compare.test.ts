// Baseline against candidate on the demo: the divergent cases are the ones the candidate's
// fallback, policy block and sandbox failure changed; the rest line up step for step.
import { describe, expect, it } from 'vitest';
import { buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';
import { ReplayIndexBuilder, stepBySeq } from '../../shared/model/replay-index';
import { compareAllCases, compareRows, stepsByCase } from '../../shared/model/replay-compare';
import { stepCase, stepDurationMs, stepKind } from '../../shared/model/replay-steps';
import type { BagFiles } from '../../shared/evb/writer';
import { STEPPED_CASE, withClockSteppedBack } from '../helpers/clock-step';

const payload = buildDemoPayload();
const packet = JSON.parse(new TextDecoder().decode(payload.get('data/packet.json')!)) as Packet;
function indexOf(role: 'baseline' | 'candidate', files: BagFiles = payload) {
  const agent = packet.agents.find((a) => a.role === role)!;
  const b = new ReplayIndexBuilder(agent.run_agent_id);
  b.addEntry(agent.replay!, files.get(agent.replay!)!);
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

describe('a step whose end is timed before its start (the wall clock was set back during it)', () => {
  // The first model call of a case both runs take alike: paired on an equal row.
  const c = all.find((x) => x.caseKey === STEPPED_CASE)!;
  const row = compareRows(base, cand, c, packet.pricing).find(
    (r) => r.kind === 'equal' && stepKind(cand, r.candidateStep) === 'model.call',
  )!;
  const duration = stepDurationMs(cand, row.candidateStep)!;
  const startSeq = cand.seq[cand.stepStart[row.candidateStep]!]!;
  const endSeq = cand.seq[cand.stepEnd[row.candidateStep]!]!;
  const stepped = withClockSteppedBack(payload, cand.runAgentId, endSeq, duration + 800);
  const cand2 = indexOf('candidate', stepped);
  const c2 = compareAllCases(base, cand2, packet).find((x) => x.caseKey === STEPPED_CASE)!;
  const rows2 = compareRows(base, cand2, c2, packet.pricing);
  const row2 = rows2.find((r) => r.candidateStep === row.candidateStep)!;

  it('is the same step, paired the same way, now with a negative duration', () => {
    expect(c.firstDivergence).toBeNull();
    expect(endSeq).toBeGreaterThan(startSeq);
    expect(c2.firstDivergence).toBeNull();
    expect(row2.kind).toBe('equal');
    expect(stepDurationMs(cand2, row2.candidateStep)).toBe(-800);
    expect(row.delta.latencyMs).not.toBeNull();
    expect(row.delta.endBeforeStart).toEqual([]);
  });

  it('gives no latency delta for it, and says which side ended before it started', () => {
    expect(row2.delta.latencyMs).toBeNull();
    expect(row2.delta.endBeforeStart).toEqual(['candidate']);
    // The other deltas of the row are untouched; the rows after it keep their deltas (both sides' clocks are their own).
    expect(row2.delta.tokens).toBe(row.delta.tokens);
    expect(row2.delta.costUsd).toBe(row.delta.costUsd);
    expect(rows2.filter((r) => r !== row2).every((r) => r.delta.endBeforeStart.length === 0)).toBe(true);
  });

  it('says so for both sides when both ended before they started', () => {
    const baseStepped = withClockSteppedBack(payload, base.runAgentId, base.seq[base.stepEnd[row.baselineStep]!]!, 60_000);
    const base2 = indexOf('baseline', baseStepped);
    const both = compareAllCases(base2, cand2, packet).find((x) => x.caseKey === STEPPED_CASE)!;
    const r = compareRows(base2, cand2, both, packet.pricing).find((x) => x.candidateStep === row.candidateStep)!;
    expect(r.delta.latencyMs).toBeNull();
    expect(r.delta.endBeforeStart).toEqual(['baseline', 'candidate']);
  });
});
