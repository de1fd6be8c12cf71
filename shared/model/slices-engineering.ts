// The Engineering slice: case by case, baseline against candidate, with the packet refs and the
// replay's fallbacks, sandbox and tool failures; AgentClash failure divergence and provider failures.

import type { AgentObservations, ObservedStep, ReplayObservations } from './observations';
import type { Case, Outcome, Packet } from './packet-types';
import { failureDivergenceView, providerFailureRows } from './slices-agentclash';
import type { CaseChange, CaseRow, EngineeringSlice, Maybe, StepRef } from './slices-types';
import { absent, fromObserved, observed, present, stepIndex, toStepRef } from './slices-common';

function caseChange(b: Outcome | null, c: Outcome | null): CaseChange {
  if (!b || !c || b.verdict === 'unavailable' || c.verdict === 'unavailable') return 'incomparable';
  if (b.verdict === c.verdict) return 'unchanged';
  if (b.verdict === 'pass') return 'regressed';
  if (c.verdict === 'pass') return 'improved';
  return 'changed';
}

function caseRow(c: Case, i: number, index: Map<string, ObservedStep>): CaseRow {
  return {
    caseKey: c.case_key,
    challengeKey: c.challenge_key,
    title: c.title,
    baseline: c.baseline,
    candidate: c.candidate,
    droveVerdict: c.drove_verdict,
    change: caseChange(c.baseline, c.candidate),
    refs: c.refs.map((r) => toStepRef(r, index)),
    field: `/cases/${i}`,
  };
}

function observedSteps(
  packet: Packet,
  observations: ReplayObservations | null | undefined,
  pick: (o: AgentObservations) => ObservedStep[],
  what: string,
): Maybe<StepRef[]> {
  const lists = packet.agents.map((a) => observed(observations, a.run_agent_id));
  if (lists.every((o) => o === null)) return absent(`No replay has been read, so ${what} are not known.`);
  const out: StepRef[] = [];
  for (const o of lists) if (o) out.push(...pick(o).map((s) => fromObserved(s)));
  const unread = packet.agents.filter((_, i) => lists[i] === null).map((a) => a.run_agent_id);
  if (unread.length)
    return { value: null, missing: `The replay of ${unread.join(', ')} has not been read, so ${what} are not complete.` } as Maybe<
      StepRef[]
    >;
  return present(out);
}

export function buildEngineeringSlice(packet: Packet, observations?: ReplayObservations | null): EngineeringSlice {
  const index = stepIndex(observations);
  const rows = packet.cases.map((c, i) => caseRow(c, i, index));
  const byChallenge = new Map<string, { cases: number; b: number; c: number; bKnown: boolean; cKnown: boolean }>();
  for (const c of packet.cases) {
    const e = byChallenge.get(c.challenge_key) ?? { cases: 0, b: 0, c: 0, bKnown: false, cKnown: false };
    e.cases += 1;
    if (c.baseline) {
      e.bKnown = true;
      if (c.baseline.verdict === 'pass') e.b += 1;
    }
    if (c.candidate) {
      e.cKnown = true;
      if (c.candidate.verdict === 'pass') e.c += 1;
    }
    byChallenge.set(c.challenge_key, e);
  }
  return {
    drivingCases: rows.filter((r) => r.droveVerdict),
    divergences: rows.filter((r) => r.change === 'regressed' || r.change === 'improved' || r.change === 'changed'),
    challenges: [...byChallenge].map(([challengeKey, e]) => ({
      challengeKey,
      cases: e.cases,
      baselinePassed: e.bKnown ? e.b : null,
      candidatePassed: e.cKnown ? e.c : null,
    })),
    fallbacks: observedSteps(packet, observations, (o) => o.fallbacks, 'routing fallbacks'),
    sandboxFailures: observedSteps(packet, observations, (o) => o.sandboxFailures, 'sandbox failures'),
    toolFailures: observedSteps(packet, observations, (o) => o.toolFailures, 'tool failures'),
    policyViolations: observedSteps(packet, observations, (o) => o.policyViolations, 'policy violations'),
    failureDivergence: failureDivergenceView(packet),
    providerFailures: providerFailureRows(packet),
  };
}
