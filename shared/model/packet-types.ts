// The approval packet (data/packet.json), spec section 4.1, as TypeScript types.
// `null` means "not recorded": show it as missing, never as zero.

export const PACKET_SCHEMA = 'https://exhibit.dev/evidence-bundle/v1/packet';

export type Hex = string;
export type Time = string;

export interface Person {
  name: string;
  email: string | null;
}

export interface Participant {
  label: string;
  agent_build_id: string | null;
  build_version_id: string | null;
  deployment_id: string | null;
  deployment_name: string | null;
  snapshot_hash: string | null;
  deployment_type: 'native' | 'hosted_external';
  run_id: string;
  run_agent_id: string;
}

export interface BaselineSelection {
  strategy: 'locked_run' | 'deployment_latest_completed';
  max_age_days: number | null;
  age_days: number | null;
}

export type Baseline = Participant & { selection: BaselineSelection };

export interface ChallengePackRef {
  slug: string;
  name: string;
  version_number: number;
  version_id: string;
  manifest_sha256: Hex | null;
  file: string | null;
}

export interface InputSetRef {
  key: string;
  id: string;
  name: string | null;
  input_sha256: Hex | null;
  case_count: number | null;
}

export type DimensionState = 'available' | 'unavailable' | 'missing_baseline' | 'missing_candidate' | 'error';
export type DimensionOutcome = 'pass' | 'warn' | 'fail' | 'unavailable';

export interface DimensionResult {
  state: DimensionState;
  better_direction: 'higher' | 'lower';
  baseline_value: number | null;
  candidate_value: number | null;
  observed_delta: number | null;
  worsening_delta: number | null;
  warn_threshold: number | null;
  fail_threshold: number | null;
  outcome: DimensionOutcome;
}

export interface Ref {
  run_agent_id: string;
  sequence_number: number;
  note: string | null;
}

export interface AutoFailCondition {
  key: string;
  description: string;
  triggered: boolean;
  evidence: Ref[];
}

export type GateVerdict = 'pass' | 'warn' | 'fail' | 'insufficient_evidence';

export interface Gate {
  policy: Record<string, unknown>;
  policy_sha256: Hex | null;
  verdict: GateVerdict;
  reason_code: string;
  summary: string | null;
  triggered_conditions: string[];
  dimension_results: Record<string, DimensionResult>;
  auto_fail_conditions: AutoFailCondition[];
}

export type Recommendation = 'ship' | 'block' | 'conditional_ship';

export interface Decision {
  recommendation: Recommendation;
  deciding_metric: string;
  conditions: string[];
  rationale: string | null;
}

export interface Owners {
  release_owner: Person | null;
  rollback_owner: Person | null;
  approvers: Array<Person & { role: string }>;
}

export interface Retention {
  policy: string | null;
  replay_retention_days: number | null;
  retain_until: string | null;
}

export type EvidenceTier = 'native_structured' | 'hosted_structured' | 'hosted_black_box' | 'derived_summary' | 'none';

export const EVIDENCE_TIERS: readonly EvidenceTier[] = [
  'native_structured',
  'hosted_structured',
  'hosted_black_box',
  'derived_summary',
  'none',
];

/** One line per tier: the legend shown in the UI and the PDF. */
export const EVIDENCE_TIER_LEGEND: Readonly<Record<EvidenceTier, string>> = {
  native_structured: 'Native structured: the platform ran the agent and recorded every model, tool and sandbox step.',
  hosted_structured: 'Hosted structured: an external agent reported its model, tool or sandbox steps as events.',
  hosted_black_box: 'Hosted black box: an external agent; only its final output was observed.',
  derived_summary: 'Derived summary: evidence reconstructed from summaries, not from recorded steps.',
  none: 'None: no evidence was recorded for this agent.',
};

export interface ToolPolicy {
  allowed_tool_kinds: string[];
  allow_shell: boolean;
  allow_network: boolean;
  max_tool_calls: number | null;
}

export interface NetworkBounds {
  access: 'none' | 'allowlist' | 'open';
  allowlist: string[];
}

export interface SecretsHandling {
  handling: string;
  planted_canaries: number | null;
  leaks_detected: number | null;
}

export interface AiBom {
  models: string[];
  rag_sources: string[];
  external_apis: string[];
  frameworks: string[];
}

export interface Permissions {
  declared: string[];
  observed: string[] | null;
}

export interface Routing {
  policy_kind: 'single_model' | 'fallback' | 'budget_aware' | 'latency_aware';
  models: string[];
}

export interface Agent {
  run_agent_id: string;
  role: 'baseline' | 'candidate';
  label: string;
  evidence_tier: EvidenceTier;
  tool_policy: ToolPolicy | null;
  network: NetworkBounds | null;
  secrets: SecretsHandling | null;
  ai_bom: AiBom | null;
  permissions: Permissions | null;
  routing: Routing | null;
  scorecard: string | null;
  replay: string | null;
}

export interface Outcome {
  verdict: 'pass' | 'fail' | 'error' | 'unavailable';
  score: number | null;
  cost_usd: number | null;
  latency_ms: number | null;
}

export interface Case {
  case_key: string;
  challenge_key: string;
  title: string | null;
  baseline: Outcome | null;
  candidate: Outcome | null;
  drove_verdict: boolean;
  refs: Ref[];
}

export interface ModelPrice {
  input_per_mtok_usd: number;
  output_per_mtok_usd: number;
}

export interface Attachment {
  path: string;
  title: string;
  media_type: string;
}

/**
 * Optional `agentclash` section: what an AgentClash import carries beyond the spec's fields
 * (spec 4.1 keeps unknown fields). Every value is upstream's, copied; docs/agentclash-import.md
 * names the source of each. null means upstream did not record it.
 */
export interface AgentClashCi {
  exit_code: number | null;
  errors: string[];
  failure_reason: string | null;
  run_status: string | null;
  run_url: string | null;
  run_created_at: Time | null;
  run_started_at: Time | null;
  run_finished_at: Time | null;
  /** domain.RunCIMetadata as upstream recorded it (repository, pull_request_number, commit_sha, workflow_run_url, ...). */
  ci_metadata: Record<string, string | number> | null;
}

export interface AgentClashBaselineResolution {
  strategy: string | null;
  source: string | null;
  reason: string | null;
  warnings: string[];
  refresh_mode: string | null;
  /** Where the baseline run agent id came from: ci_run (run.json), comparison, or single_agent_export (derived). */
  run_agent_from: 'ci_run' | 'comparison' | 'single_agent_export';
  run_status: string | null;
  run_created_at: Time | null;
  run_finished_at: Time | null;
  /** Other run agents of the baseline run (its export holds them all; only the baseline's is replayed). */
  other_run_agents: string[];
}

export interface AgentClashGate {
  id: string | null;
  generated_at: Time | null;
  evidence_status: string | null;
  comparison_status: string | null;
  missing_fields: string[];
  warnings: string[];
  scorecard_validity: Record<string, unknown> | null;
  /** Upstream's policy_fingerprint: SHA-256 of Go's json.Marshal of the normalised policy (struct field order). */
  upstream_policy_fingerprint: string | null;
  /** evaluation_details.dimension_results exactly as upstream wrote them. */
  dimension_results: Record<string, unknown>;
}

export interface AgentClashComparison {
  state: string | null;
  status: string | null;
  reason_code: string | null;
  generated_at: Time | null;
  key_deltas: Array<Record<string, unknown>>;
  regression_reasons: string[];
  evidence_quality: { missing_fields: string[]; warnings: string[] };
  failure_divergence: Record<string, unknown> | null;
}

export interface AgentClashValidator {
  key: string;
  verdict: string | null;
  state: string | null;
  outcome_class: string | null;
  reason: string | null;
  source_sequence: number | null;
  source_event_type: string | null;
}

export interface AgentClashScorecard {
  run_agent_id: string;
  state: string | null;
  message: string | null;
  run_agent_status: string | null;
  passed: boolean | null;
  validity: string | null;
  validity_reason: string | null;
  overall_score: number | null;
  total_cost_usd: number | null;
  cost_per_correct_usd: number | null;
  /** side_metrics.cost_per_correct_usd: cost over validators passed (not over tasks). */
  cost_per_correct: { state: string | null; numerator: number | null; denominator: number | null; reason: string | null } | null;
  validators: AgentClashValidator[];
}

export interface AgentClashProviderFailure {
  run_agent_id: string;
  role: 'candidate' | 'baseline' | 'other';
  sequence_number: number;
  error: string | null;
  provider_key: string | null;
  code: string | null;
  retryable: boolean | null;
  message: string | null;
}

export interface AgentClashSection {
  ci: AgentClashCi;
  baseline_resolution: AgentClashBaselineResolution;
  gate: AgentClashGate;
  comparison: AgentClashComparison | null;
  scorecard: AgentClashScorecard | null;
  provider_failures: AgentClashProviderFailure[];
  missing_exports: Array<{ run_agent_id: string; role: 'candidate' | 'baseline' }>;
  offloaded_payloads: Array<{ run_agent_id: string; sequence_number: number; ref: string; bytes: number; type: string }>;
}

export interface Packet {
  schema: typeof PACKET_SCHEMA;
  bundle_id: string;
  title: string;
  created_at: Time;
  producer: { name: string; version: string | null; workspace_id: string | null };
  candidate: Participant;
  baseline: Baseline;
  workload: { challenge_pack: ChallengePackRef; input_set: InputSetRef };
  gate: Gate;
  decision: Decision;
  owners: Owners;
  retention: Retention;
  agents: Agent[];
  cases: Case[];
  pricing: Record<string, ModelPrice> | null;
  attachments: Attachment[];
  derived?: string[];
  /** Present on packets made by `exhibit import agentclash`. */
  agentclash?: AgentClashSection;
  /** Unknown fields are kept. */
  [extra: string]: unknown;
}
