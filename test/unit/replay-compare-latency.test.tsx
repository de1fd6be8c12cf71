// The compare view's latency delta for a step whose end is timed before its start: the
// anomaly, as the timeline row and the step detail show it, never a number derived from a
// negative duration (issue 18.5). The replays are the demo's, with the candidate's wall
// clock set back during one model call (test/helpers/clock-step.ts).
import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';
import { ReplayIndexBuilder } from '../../shared/model/replay-index';
import { compareAllCases, compareRows } from '../../shared/model/replay-compare';
import { stepDurationMs, stepKind } from '../../shared/model/replay-steps';
import type { BagFiles } from '../../shared/evb/writer';
import { LatencyDelta } from '../../renderer/replay/CompareView';
import { STEPPED_CASE, withClockSteppedBack } from '../helpers/clock-step';

const payload = buildDemoPayload();
const packet = JSON.parse(new TextDecoder().decode(payload.get('data/packet.json')!)) as Packet;
function indexOf(role: 'baseline' | 'candidate', files: BagFiles) {
  const agent = packet.agents.find((a) => a.role === role)!;
  const b = new ReplayIndexBuilder(agent.run_agent_id);
  b.addEntry(agent.replay!, files.get(agent.replay!)!);
  return b.finish();
}
const base = indexOf('baseline', payload);
const cand = indexOf('candidate', payload);
const rowsOf = (b: typeof base, c: typeof cand) =>
  compareRows(
    b,
    c,
    compareAllCases(b, c, packet).find((x) => x.caseKey === STEPPED_CASE)!,
    packet.pricing,
  );
const modelRow = rowsOf(base, cand).find((r) => r.kind === 'equal' && stepKind(cand, r.candidateStep) === 'model.call')!;
const endSeq = cand.seq[cand.stepEnd[modelRow.candidateStep]!]!;
const back = stepDurationMs(cand, modelRow.candidateStep)! + 800;
const cand2 = indexOf('candidate', withClockSteppedBack(payload, cand.runAgentId, endSeq, back));

describe('the compare view latency delta', () => {
  it('shows the signed delta of a paired step', () => {
    const html = renderToStaticMarkup(<LatencyDelta base={base} cand={cand} row={modelRow} />);
    expect(html).toMatch(/>[+−±][\d.]+ (ms|s)</);
    expect(html).not.toContain('end before start');
  });

  it('shows "end before start" with the side and the anomaly, not a number, when the candidate step ends before it starts', () => {
    const row = rowsOf(base, cand2).find((r) => r.candidateStep === modelRow.candidateStep)!;
    const html = renderToStaticMarkup(<LatencyDelta base={base} cand={cand2} row={row} />);
    expect(html).toContain('end before start');
    expect(html).toContain('title="Candidate: The step&#x27;s last event is timed 800 ms before its first');
    expect(html).not.toMatch(/>[^<]*\d[^<]*</);
    expect(html).toContain('warn-text');
  });
});
