// The packet's optional `agentclash` section: what an auditor wants from the CI artifacts
// that the spec's fields have no place for (CI metadata, baseline resolution, the gate's own
// evidence status, the comparison, the scorecard's state and cost per correct). Values are
// copied from upstream as written; docs/agentclash-import.md names each source field.

import type { AgentClashComparison, AgentClashGate, AgentClashScorecard, AgentClashCi, AgentClashValidator } from './packet-types';
import { bool, field, isObj, num, obj, str, strings, time } from './agentclash-common';
import type { Obj, Parsed } from './agentclash-common';

/** domain.RunCIMetadata: strings, and the pull request number. */
function ciMetadata(v: unknown): Record<string, string | number> | null {
  if (!isObj(v)) return null;
  const out: Record<string, string | number> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') out[k] = x;
    else if (typeof x === 'number' && Number.isSafeInteger(x)) out[k] = x;
  }
  return Object.keys(out).length ? out : null;
}

/** run.json and result.json: the CI run's outcome and the candidate run's record. */
export function ciSection(run: Parsed, result: Parsed | undefined): AgentClashCi {
  const completed = obj(field(run, 'payload.completed_run'));
  const created = obj(field(run, 'payload.created_run'));
  const r = obj(result ? field(result, 'payload') : undefined);
  return {
    exit_code: typeof r.exit_code === 'number' && Number.isSafeInteger(r.exit_code) ? r.exit_code : null,
    errors: strings(r.errors),
    failure_reason: str(r.failure_reason),
    run_status: str(field(run, 'candidate.run_status')) ?? str(completed.status),
    run_url: str(field(run, 'candidate.run_url')),
    run_created_at: time(completed.created_at) ?? time(created.created_at),
    run_started_at: time(completed.started_at),
    run_finished_at: time(completed.finished_at) ?? time(completed.failed_at),
    ci_metadata: ciMetadata(field(run, 'candidate.ci_metadata')) ?? ciMetadata(completed.ci_metadata),
  };
}

/** release_gate: the gate's own id, time, evidence status and details upstream records. */
export function gateSection(releaseGate: Obj): AgentClashGate {
  const details = obj(releaseGate.evaluation_details);
  return {
    id: str(releaseGate.id),
    generated_at: time(releaseGate.generated_at),
    evidence_status: str(releaseGate.evidence_status),
    comparison_status: str(details.comparison_status),
    missing_fields: strings(details.missing_fields),
    warnings: strings(details.warnings),
    scorecard_validity: isObj(details.scorecard_validity) ? details.scorecard_validity : null,
    upstream_policy_fingerprint: str(releaseGate.policy_fingerprint),
    dimension_results: obj(details.dimension_results),
  };
}

/** comparison.json payload (GET /v1/compare). */
export function comparisonSection(c: Obj | null): AgentClashComparison | null {
  if (!c) return null;
  const quality = obj(c.evidence_quality);
  return {
    state: str(c.state),
    status: str(c.status),
    reason_code: str(c.reason_code),
    generated_at: time(c.generated_at),
    key_deltas: Array.isArray(c.key_deltas) ? c.key_deltas.filter(isObj) : [],
    regression_reasons: strings(c.regression_reasons),
    evidence_quality: { missing_fields: strings(quality.missing_fields), warnings: strings(quality.warnings) },
    failure_divergence: isObj(obj(c.summary).failure_divergence) ? (obj(c.summary).failure_divergence as Obj) : null,
  };
}

function validators(doc: Obj): AgentClashValidator[] {
  const list = Array.isArray(doc.validator_details) ? doc.validator_details.filter(isObj) : [];
  return list.map((v) => {
    const source = obj(v.source);
    const seq = source.sequence;
    return {
      key: str(v.key) ?? '',
      verdict: str(v.verdict),
      state: str(v.state),
      outcome_class: str(v.outcome_class),
      reason: str(v.reason),
      source_sequence: typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : null,
      source_event_type: str(source.event_type),
    };
  });
}

/** scorecard.json payload (GET /v1/scorecards/{id}): its state, and the document's facts when ready. */
export function scorecardSection(s: Obj | null, runAgentId: string): AgentClashScorecard | null {
  if (!s) return null;
  const doc = obj(s.scorecard);
  const cpc = obj(obj(doc.side_metrics).cost_per_correct_usd);
  return {
    run_agent_id: str(s.run_agent_id) ?? runAgentId,
    state: str(s.state),
    message: str(s.message),
    run_agent_status: str(s.run_agent_status),
    passed: bool(doc.passed),
    validity: str(doc.validity),
    validity_reason: str(doc.validity_reason),
    overall_score: num(s.overall_score) ?? num(doc.overall_score),
    total_cost_usd: num(s.total_cost_usd),
    cost_per_correct_usd: num(s.cost_per_correct_usd) ?? num(cpc.value),
    cost_per_correct: Object.keys(cpc).length
      ? { state: str(cpc.state), numerator: num(cpc.numerator), denominator: num(cpc.denominator), reason: str(cpc.reason) }
      : null,
    validators: validators(doc),
  };
}
