// The release gate of an AgentClash CI run onto the packet's gate and decision (spec 4.1).
// Upstream's values are kept as written; where the packet schema needs a value upstream does
// not give, it is derived by upstream's own rule and its JSON Pointer is listed in `derived`.

import type { AutoFailCondition, Decision, DimensionOutcome, DimensionResult, DimensionState, Gate, Ref } from './packet-types';
import { ImportError, isObj, num, obj, str, strings } from './agentclash-common';
import type { Obj, Parsed } from './agentclash-common';

const STATES: readonly DimensionState[] = ['available', 'unavailable', 'missing_baseline', 'missing_candidate', 'error'];
const OUTCOMES: readonly DimensionOutcome[] = ['pass', 'warn', 'fail', 'unavailable'];
/** Directions of AgentClash's built-in dimensions (runtime/scoring/validation.go expandBuiltinDimension). */
const BUILTIN_DIRECTION: Record<string, 'higher' | 'lower'> = {
  correctness: 'higher',
  reliability: 'higher',
  latency: 'lower',
  cost: 'lower',
};

const pointerKey = (k: string): string => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** Rows of evaluation_details.dimension_results, with the comparison's baseline and candidate values. */
export function dimensionRows(details: Obj, comparison: Obj | null, derived: string[]): Record<string, DimensionResult> {
  const deltas = obj(obj(comparison?.summary).dimension_deltas);
  const rows: Record<string, DimensionResult> = {};
  for (const [key, raw] of Object.entries(obj(details.dimension_results))) {
    if (!isObj(raw)) continue;
    const delta = obj(deltas[key]);
    const at = `/gate/dimension_results/${pointerKey(key)}`;
    let state = STATES.find((s) => s === raw.state);
    if (!state) {
      // Upstream leaves state empty when the comparison has no delta for a required dimension.
      state = STATES.find((s) => s === delta.state) ?? 'unavailable';
      derived.push(`${at}/state`);
    }
    const dir = (v: unknown): 'higher' | 'lower' | null => (v === 'higher' || v === 'lower' ? v : null);
    let direction = dir(raw.better_direction);
    if (!direction) {
      const fromDelta = dir(delta.better_direction);
      direction = fromDelta ?? BUILTIN_DIRECTION[key] ?? 'higher';
      derived.push(`${at}/better_direction`);
    }
    let outcome = OUTCOMES.find((o) => o === raw.outcome);
    if (!outcome) {
      // "insufficient_evidence" (a required dimension without a delta) has no packet value.
      outcome = 'unavailable';
      derived.push(`${at}/outcome`);
    }
    rows[key] = {
      state,
      better_direction: direction,
      baseline_value: num(delta.baseline_value),
      candidate_value: num(delta.candidate_value),
      observed_delta: num(raw.observed_delta),
      worsening_delta: num(raw.worsening_delta),
      warn_threshold: num(raw.warn_threshold),
      fail_threshold: num(raw.fail_threshold),
      outcome,
    };
  }
  return rows;
}

/** Conditions upstream evaluates, by the policy switch that enables them (null: always). */
const CONDITIONS: Array<[string | null, string, string]> = [
  ['require_comparable', 'comparison_not_comparable', 'Baseline and candidate runs are not comparable'],
  [null, 'candidate_scorecard_invalid', 'The candidate scorecard is invalid'],
  [null, 'candidate_scorecard_degraded', 'The candidate scorecard is degraded'],
  [null, 'baseline_scorecard_invalid', 'The baseline scorecard is invalid'],
  [null, 'baseline_scorecard_degraded', 'The baseline scorecard is degraded'],
  ['require_evidence_quality', 'comparison_evidence_missing', 'The comparison is missing evidence fields'],
  ['require_scorecard_pass', 'scorecard_pass_unknown', 'Whether the candidate scorecard passed is unknown'],
  ['require_scorecard_pass', 'scorecard_not_passed', 'The candidate scorecard did not pass'],
  ['fail_on_candidate_failure', 'candidate_failed_baseline_succeeded', 'The candidate failed while the baseline succeeded'],
  ['fail_on_both_failed_differently', 'both_failed_differently', 'Baseline and candidate both failed, for different reasons'],
];

/** The packet's auto-fail conditions: upstream's condition names, triggered as upstream says. */
export function autoFailConditions(
  policy: Obj,
  details: Obj,
  triggered: string[],
  rows: Record<string, DimensionResult>,
  candidateRa: string,
): AutoFailCondition[] {
  const out: AutoFailCondition[] = [];
  for (const [sw, key, description] of CONDITIONS)
    if (sw === null || policy[sw] === true) out.push({ key, description, triggered: triggered.includes(key), evidence: [] });
  const violations = Array.isArray(details.regression_violations) ? details.regression_violations.filter(isObj) : [];
  for (const name of triggered) {
    if (out.some((c) => c.key === name)) continue;
    const threshold = /^threshold_(fail|warn)_(.+)$/.exec(name);
    if (threshold && threshold[2]! in rows) continue; // the dimension row carries it
    const [rule, caseId] = name.split(':');
    const matching = violations.filter((v) => v.rule === rule && (caseId === undefined || v.regression_case_id === caseId));
    const evidence: Ref[] = matching.flatMap((v) =>
      (Array.isArray(obj(v.evidence).replay_step_refs) ? (obj(v.evidence).replay_step_refs as unknown[]) : [])
        .filter(isObj)
        .filter((r) => typeof r.sequence_number === 'number' && Number.isSafeInteger(r.sequence_number) && r.sequence_number > 0)
        .map((r) => ({ run_agent_id: candidateRa, sequence_number: r.sequence_number as number, note: str(r.event_type) })),
    );
    const v = matching[0];
    out.push({
      key: name,
      description: v
        ? `Regression rule ${str(v.rule) ?? '?'} (${str(v.severity) ?? 'unknown severity'}) on case ${str(v.regression_case_id) ?? '?'}, observed ${num(v.observed_count) ?? 'n/a'} time(s)`
        : `Condition triggered by the AgentClash release gate`,
      triggered: true,
      evidence,
    });
  }
  return out;
}

/** The packet key a triggered condition stands for: a dimension for threshold_*, else itself. */
function conditionKey(name: string, rows: Record<string, DimensionResult>): string {
  const threshold = /^threshold_(fail|warn)_(.+)$/.exec(name);
  return threshold && threshold[2]! in rows ? threshold[2]! : name;
}

/**
 * The deciding metric: the first condition upstream triggered, else the gate's own reason
 * code (added as a not-triggered condition so the packet can name it).
 */
function decidingMetric(gate: Gate): string {
  const first = gate.triggered_conditions[0];
  if (first !== undefined) return conditionKey(first, gate.dimension_results);
  if (!gate.auto_fail_conditions.some((c) => c.key === gate.reason_code))
    gate.auto_fail_conditions.push({
      key: gate.reason_code,
      description: `The gate's own reason code (verdict ${gate.verdict}); no condition was triggered`,
      triggered: false,
      evidence: [],
    });
  return gate.reason_code;
}

/** The decision: META.yaml's when given, else derived from the verdict. */
export function decision(meta: Parsed | undefined, gate: Gate, derived: string[]): Decision {
  const m = meta && isObj(meta.doc) ? meta.doc.decision : undefined;
  if (!isObj(m)) {
    derived.push('/decision');
    return {
      recommendation: gate.verdict === 'pass' ? 'ship' : gate.verdict === 'warn' ? 'conditional_ship' : 'block',
      deciding_metric: decidingMetric(gate),
      conditions: [],
      rationale: `Derived from the gate verdict "${gate.verdict}" (no META.yaml decision).`,
    };
  }
  const rec = m.recommendation;
  if (rec !== 'ship' && rec !== 'block' && rec !== 'conditional_ship')
    throw new ImportError(meta!.file, 'decision.recommendation', 'must be ship, block or conditional_ship.');
  let metric = str(m.deciding_metric);
  if (metric === null) {
    metric = decidingMetric(gate);
    derived.push('/decision/deciding_metric');
  } else if (!(metric in gate.dimension_results) && !gate.auto_fail_conditions.some((c) => c.key === metric)) {
    throw new ImportError(
      meta!.file,
      'decision.deciding_metric',
      `"${metric.slice(0, 80)}" is neither a dimension of the gate (${Object.keys(gate.dimension_results).join(', ') || 'none'}) nor one of its conditions.`,
    );
  }
  return { recommendation: rec, deciding_metric: metric, conditions: strings(m.conditions), rationale: str(m.rationale) };
}
