// The parts of the stakeholder slices that come from the packet's optional `agentclash`
// section (an AgentClash import): the CI run and baseline resolution for Compliance, failure
// divergence and provider failures for Engineering, cost per correct for Finance. Missing
// with a reason for packets of other producers, or where upstream recorded nothing.

import type { Packet } from './packet-types';
import type {
  BaselineResolutionView,
  CiRunView,
  CostPerCorrectView,
  FailureDivergenceView,
  Maybe,
  ProviderFailureRow,
} from './slices-types';

const NOT_AGENTCLASH = 'Not recorded: the packet has no AgentClash section (not an `exhibit import agentclash` bundle).';
const present = <T>(value: T): Maybe<T> => ({ value, missing: null });
const absent = <T>(missing: string): Maybe<T> => ({ value: null, missing });
const s = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const b = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

export function ciRunView(packet: Packet): Maybe<CiRunView> {
  const a = packet.agentclash;
  if (!a) return absent(NOT_AGENTCLASH);
  const m = a.ci.ci_metadata ?? {};
  const pr = m.pull_request_number;
  return present({
    provider: s(m.provider),
    repository: s(m.repository),
    pullRequest: typeof pr === 'number' ? pr : null,
    branch: s(m.branch),
    commitSha: s(m.commit_sha),
    workflowRunUrl: s(m.workflow_run_url),
    runStatus: a.ci.run_status,
    exitCode: a.ci.exit_code,
    errors: [...a.ci.errors],
    field: '/agentclash/ci',
  });
}

export function baselineResolutionView(packet: Packet): Maybe<BaselineResolutionView> {
  const a = packet.agentclash;
  if (!a) return absent(NOT_AGENTCLASH);
  const r = a.baseline_resolution;
  return present({
    strategy: r.strategy,
    source: r.source,
    reason: r.reason,
    warnings: [...r.warnings],
    refreshMode: r.refresh_mode,
    runAgentFrom: r.run_agent_from,
    otherRunAgents: [...r.other_run_agents],
    field: '/agentclash/baseline_resolution',
  });
}

export function failureDivergenceView(packet: Packet): Maybe<FailureDivergenceView> {
  const a = packet.agentclash;
  if (!a) return absent(NOT_AGENTCLASH);
  const f = a.comparison?.failure_divergence;
  if (!f) return absent('The AgentClash comparison records no failure divergence.');
  return present({
    baselineStatus: s(f.baseline_run_agent_status),
    candidateStatus: s(f.candidate_run_agent_status),
    baselineFailureReason: s(f.baseline_failure_reason),
    candidateFailureReason: s(f.candidate_failure_reason),
    candidateFailedBaselineSucceeded: b(f.candidate_failed_baseline_succeeded),
    candidateSucceededBaselineFailed: b(f.candidate_succeeded_baseline_failed),
    bothFailedDifferently: b(f.both_failed_differently),
    field: '/agentclash/comparison/failure_divergence',
  });
}

export function providerFailureRows(packet: Packet): Maybe<ProviderFailureRow[]> {
  const a = packet.agentclash;
  if (!a) return absent(NOT_AGENTCLASH);
  if (a.missing_exports.length)
    return absent(
      `The event export of ${a.missing_exports.map((m) => m.role).join(' and ')} was not imported, so provider failures are not complete.`,
    );
  return present(
    a.provider_failures.map((f, i) => ({
      runAgentId: f.run_agent_id,
      role: f.role,
      sequenceNumber: f.sequence_number,
      providerKey: f.provider_key,
      code: f.code,
      retryable: f.retryable,
      message: f.message,
      field: `/agentclash/provider_failures/${i}`,
    })),
  );
}

export function costPerCorrectView(packet: Packet): Maybe<CostPerCorrectView> {
  const a = packet.agentclash;
  if (!a) return absent(NOT_AGENTCLASH);
  const sc = a.scorecard;
  if (!sc) return absent('The CI run recorded no candidate scorecard.');
  if (sc.state !== 'ready') return absent(`The candidate scorecard is ${sc.state ?? 'not ready'}${sc.message ? `: ${sc.message}` : ''}.`);
  const cpc = sc.cost_per_correct;
  return present({
    runAgentId: sc.run_agent_id,
    valueUsd: sc.cost_per_correct_usd,
    totalCostUsd: sc.total_cost_usd ?? cpc?.numerator ?? null,
    correct: cpc?.denominator ?? null,
    state: cpc?.state ?? null,
    reason: cpc?.reason ?? null,
    field: '/agentclash/scorecard/cost_per_correct_usd',
  });
}
