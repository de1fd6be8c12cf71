// The scorecard of one demo run agent, in the shape of an AgentClash scorecard.

import type { AgentRun } from './demo-run';

export function scorecard(runAgentId: string, outcomes: AgentRun['outcomes'], latencyScore: number): Record<string, unknown> {
  const values = [...outcomes.values()];
  const passed = values.filter((o) => o.verdict === 'pass').length;
  const correctness = passed / values.length;
  const totalCost = values.reduce((s, o) => s + o.cost, 0);
  return {
    run_agent_id: runAgentId,
    status: 'completed',
    strategy: 'weighted',
    overall_score: Number((correctness * 0.7 + latencyScore * 0.3).toFixed(4)),
    passed: correctness >= 0.8,
    overall_reason: `${passed} of ${values.length} cases resolved`,
    validity: 'valid',
    dimensions: {
      correctness: {
        state: 'available',
        score: Number(correctness.toFixed(4)),
        reason: `${passed}/${values.length} validators passed`,
        better_direction: 'higher',
      },
      reliability: {
        state: 'available',
        score: Number((values.filter((o) => o.verdict !== 'error').length / values.length).toFixed(4)),
        reason: 'cases without errors',
        better_direction: 'higher',
      },
      latency: { state: 'available', score: latencyScore, reason: 'normalized p95 latency', better_direction: 'lower' },
      cost: { state: 'unavailable', score: null, reason: 'provider billing export missing for this run', better_direction: 'lower' },
    },
    validator_details: values.slice(0, 3).map((o, i) => ({
      key: 'resolution_quality',
      type: 'llm_judge',
      verdict: o.verdict,
      state: 'completed',
      outcome_class: o.verdict === 'pass' ? 'correct' : 'incorrect',
      reason: 'Judged against the resolution rubric',
      normalized_score: o.score,
      evidence: { kind: 'replay_step' },
      source: {
        kind: 'event',
        sequence: o.refs[0]?.sequence_number ?? i + 1,
        event_type: 'grader.verification.completed',
        field_path: 'payload.verdict',
      },
    })),
    metric_details: { cases: values.length },
    side_metrics: { cost_per_correct_usd: passed ? Number((totalCost / passed).toFixed(6)) : null },
  };
}
