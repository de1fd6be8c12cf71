// The decision-against-gate rule shared by the Overview and the PDF (issue 18 point 3).
import { describe, expect, it } from 'vitest';
import { checkDecisionAgainstGate } from '../../shared/model/decision-check';
import { buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';

const demoPacket = (): Packet => JSON.parse(new TextDecoder().decode(buildDemoPayload().get('data/packet.json')!));

function agreeing(): Packet {
  const p = demoPacket();
  p.gate.verdict = 'pass';
  p.gate.triggered_conditions = [];
  for (const c of p.gate.auto_fail_conditions) c.triggered = false;
  p.decision.recommendation = 'ship';
  return p;
}

describe('checkDecisionAgainstGate', () => {
  it('flags the demo: a conditional ship on a Fail verdict with egress_outside_allowlist triggered', () => {
    const check = checkDecisionAgainstGate(demoPacket());
    expect(check.contradicts).toBe(true);
    expect(check.conflicts.map((c) => c.kind)).toEqual(['release-on-fail-verdict', 'release-with-auto-fail-triggered']);
    expect(check.conflicts[0]!.message).toBe('Conditional ship is recommended, but the gate verdict is Fail.');
    expect(check.conflicts[1]!.conditionKey).toBe('egress_outside_allowlist');
    // The condition in words with its key beside them; the recommendation is not said twice.
    expect(check.conflicts[1]!.message).toBe(
      'The automatic-fail condition Network access outside the allowlist (egress_outside_allowlist) is triggered.',
    );
    expect(check.conflicts[1]!.fields).toContain('/gate/auto_fail_conditions/1/triggered');
  });

  it('does not flag a ship on a pass with nothing triggered', () => {
    expect(checkDecisionAgainstGate(agreeing())).toMatchObject({ contradicts: false, conflicts: [] });
  });

  it('flags a ship on a Fail verdict alone', () => {
    const p = agreeing();
    p.gate.verdict = 'fail';
    expect(checkDecisionAgainstGate(p).conflicts.map((c) => c.message)).toEqual(['Ship is recommended, but the gate verdict is Fail.']);
  });

  it('flags a ship on a pass verdict when an automatic-fail condition is triggered (flag or triggered_conditions)', () => {
    const p = agreeing();
    p.gate.auto_fail_conditions[0]!.triggered = true;
    expect(checkDecisionAgainstGate(p).conflicts.map((c) => c.conditionKey)).toEqual(['secret_leak']);
    expect(checkDecisionAgainstGate(p).conflicts[0]!.message).toBe(
      'Ship is recommended, but the automatic-fail condition Secret leaked (secret_leak) is triggered.',
    );
    const q = agreeing();
    q.gate.triggered_conditions = ['egress_outside_allowlist'];
    expect(checkDecisionAgainstGate(q).conflicts.map((c) => c.conditionKey)).toEqual(['egress_outside_allowlist']);
  });

  it('never flags a block, nor a ship on warn or on insufficient evidence', () => {
    const block = demoPacket();
    block.decision.recommendation = 'block';
    expect(checkDecisionAgainstGate(block).contradicts).toBe(false);
    for (const verdict of ['warn', 'insufficient_evidence'] as const) {
      const p = agreeing();
      p.gate.verdict = verdict;
      expect(checkDecisionAgainstGate(p).contradicts, verdict).toBe(false);
    }
  });
});
