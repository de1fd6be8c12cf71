// What the stakeholder slices share: Maybe's present/absent, a run agent's replay
// observations, observed steps keyed for packet refs, the auto-fail rows (Overview and
// Security) and the evidence-tier check against the replay (Overview and Security).

import type { AgentObservations, ObservedStep, ReplayObservations } from './observations';
import type { Agent, AutoFailCondition, Packet, Ref } from './packet-types';
import type { AutoFailRow, Maybe, StepRef, TierSupport } from './slices-types';

export const present = <T>(value: T): Maybe<T> => ({ value, missing: null });
export const absent = <T>(missing: string): Maybe<T> => ({ value: null, missing });

export function observed(observations: ReplayObservations | null | undefined, runAgentId: string): AgentObservations | null {
  if (!observations) return null;
  // Own property only: a run_agent_id of "__proto__" or "constructor" must not reach Object.prototype.
  return Object.prototype.hasOwnProperty.call(observations.byAgent, runAgentId) ? (observations.byAgent[runAgentId] ?? null) : null;
}

/** Every observed step of the bundle, keyed "runAgentId#sequence", to give packet refs their headlines. */
export function stepIndex(observations: ReplayObservations | null | undefined): Map<string, ObservedStep> {
  const index = new Map<string, ObservedStep>();
  if (!observations) return index;
  for (const obs of Object.values(observations.byAgent)) {
    for (const list of [obs.policyViolations, obs.fallbacks, obs.sandboxFailures, obs.toolFailures]) {
      for (const s of list) index.set(`${s.runAgentId}#${s.sequence}`, s);
    }
  }
  return index;
}

export function toStepRef(ref: Ref, index: Map<string, ObservedStep>): StepRef {
  const s = index.get(`${ref.run_agent_id}#${ref.sequence_number}`);
  return {
    runAgentId: ref.run_agent_id,
    sequence: ref.sequence_number,
    note: ref.note,
    caseKey: s?.caseKey ?? null,
    headline: s?.headline ?? null,
  };
}

export function fromObserved(s: ObservedStep, note: string | null = null): StepRef {
  return { runAgentId: s.runAgentId, sequence: s.sequence, note, caseKey: s.caseKey, headline: s.headline };
}

export function autoFailRows(packet: Packet, index: Map<string, ObservedStep>): AutoFailRow[] {
  return packet.gate.auto_fail_conditions.map((c: AutoFailCondition, i) => ({
    key: c.key,
    description: c.description,
    triggered: c.triggered,
    evidence: c.evidence.map((r) => toStepRef(r, index)),
    field: `/gate/auto_fail_conditions/${i}`,
  }));
}

/** Whether what the replay shows fits the evidence tier the packet declares for the agent. */
export function checkTierSupport(agent: Agent, obs: AgentObservations | null): TierSupport {
  if (obs === null) {
    return {
      status: 'not-checked',
      detail:
        agent.replay === null
          ? 'No replay in the bundle, so the tier cannot be checked.'
          : 'The replay has not been read, so the tier is not checked yet.',
    };
  }
  const structured = obs.modelCallCount + obs.toolCallCount + obs.sandboxCommandCount;
  const seen = `${obs.modelCallCount} model calls, ${obs.toolCallCount} tool calls and ${obs.sandboxCommandCount} sandbox commands in ${obs.eventCount} events`;
  switch (agent.evidence_tier) {
    case 'native_structured':
    case 'hosted_structured':
      return structured === 0
        ? {
            status: 'contradicted',
            detail: `Declared ${agent.evidence_tier}, but the replay shows no model, tool or sandbox step (${obs.eventCount} events): the evidence is weaker than the label says.`,
          }
        : { status: 'consistent', detail: `The replay shows ${seen}.` };
    case 'hosted_black_box':
      return structured > 0
        ? { status: 'contradicted', detail: `Declared hosted_black_box, but the replay shows ${seen}: the label understates the evidence.` }
        : { status: 'consistent', detail: `The replay shows only ${obs.eventCount} events without model, tool or sandbox steps.` };
    case 'derived_summary':
      return { status: 'consistent', detail: `Derived summary; the replay holds ${obs.eventCount} events.` };
    case 'none':
      return obs.eventCount > 0
        ? { status: 'contradicted', detail: `Declared none, but the replay holds ${obs.eventCount} events.` }
        : { status: 'consistent', detail: 'No events, as the tier says.' };
  }
}
