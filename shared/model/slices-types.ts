// View models of the approval packet: the checklist and the stakeholder slices (overview,
// security, compliance, engineering, finance). Plain JSON-able objects, built by pure
// functions in checklist.ts and slices.ts, rendered by the UI and the PDF as they are.
//
// Missing data is explicit: a value that was not recorded (or not observed) is `null`, and
// where a reader needs to know why, a `Maybe<T>` carries the reason. Never 0, never [].
//
// Functions (see checklist.ts and slices.ts):
//   buildChecklist(packet: Packet): ChecklistItem[]
//   buildOverview(packet: Packet, observations?: ReplayObservations | null): OverviewModel
//   buildSecuritySlice(packet: Packet, observations?: ReplayObservations | null): SecuritySlice
//   buildComplianceSlice(packet: Packet, report: VerificationReport | null): ComplianceSlice
//   buildEngineeringSlice(packet: Packet, observations?: ReplayObservations | null): EngineeringSlice
//   buildFinanceSlice(packet: Packet, observations?: ReplayObservations | null): FinanceSlice

import type {
  AiBom,
  DimensionOutcome,
  DimensionState,
  EvidenceTier,
  GateVerdict,
  NetworkBounds,
  Outcome,
  Person,
  Recommendation,
  Routing,
  SecretsHandling,
  ToolPolicy,
} from './packet-types';
import type { BundleStatus, SignatureMath, SignatureTrust } from '../evb/report';

/** A value, or null with the reason it is missing (a sentence for a person). */
export type Maybe<T> = { value: T; missing: null } | { value: null; missing: string };

/** A replay step a slice points at (a packet Ref, or a step the replay shows), with what the replay shows there. */
export interface StepRef {
  runAgentId: string;
  /** The event's sequence_number in its replay. */
  sequence: number;
  /** The packet's note on the step; null for a step only the replay shows. */
  note: string | null;
  caseKey: string | null;
  /** One line for a person; null when the replay was not observed. */
  headline: string | null;
}

import type { ApproversCheck } from './approvers';

// ---------------------------------------------------------------- checklist

export type ChecklistKey =
  | 'named-candidate'
  | 'frozen-workload'
  | 'baseline-max-age'
  | 'gate-policy'
  | 'replay-retention'
  | 'evidence-tier'
  | 'auto-fail-conditions'
  | 'owners'
  /** Only when a verification report is given: the named approvers against the actual signers. */
  | 'approvers-signed';

/** One of the eight items an approval packet needs, in the fixed order of CHECKLIST_KEYS. */
export interface ChecklistItem {
  key: ChecklistKey;
  title: string;
  state: 'met' | 'missing';
  /** What was found, or exactly what is missing and why. */
  detail: string;
  /** JSON Pointers (RFC 6901) of the packet fields the item rests on. */
  fields: string[];
}

// ---------------------------------------------------------------- overview

export interface ParticipantView {
  role: 'baseline' | 'candidate';
  label: string;
  agentBuildId: string | null;
  buildVersionId: string | null;
  deploymentId: string | null;
  deploymentName: string | null;
  snapshotHash: string | null;
  deploymentType: 'native' | 'hosted_external';
  runId: string;
  runAgentId: string;
}

export interface BaselineView extends ParticipantView {
  selection: {
    strategy: 'locked_run' | 'deployment_latest_completed';
    maxAgeDays: number | null;
    ageDays: number | null;
    /** true: older than max_age_days; false: within it; null: one of the two not recorded. */
    stale: boolean | null;
  };
}

export interface WorkloadView {
  pack: {
    slug: string;
    name: string;
    versionNumber: number;
    versionId: string;
    manifestSha256: string | null;
    file: string | null;
  };
  inputSet: {
    key: string;
    id: string;
    name: string | null;
    inputSha256: string | null;
    caseCount: number | null;
    /** Number of entries in /cases (what the packet actually carries). */
    casesInPacket: number;
  };
}

export interface DimensionRow {
  key: string;
  state: DimensionState;
  betterDirection: 'higher' | 'lower';
  baselineValue: number | null;
  candidateValue: number | null;
  observedDelta: number | null;
  worseningDelta: number | null;
  warnThreshold: number | null;
  failThreshold: number | null;
  outcome: DimensionOutcome;
  /** Whether the producer marked any of this row's fields as derived (computed, not recorded). */
  derived: boolean;
  /** JSON Pointer of the row, e.g. "/gate/dimension_results/latency". */
  field: string;
}

export interface AutoFailRow {
  key: string;
  description: string;
  triggered: boolean;
  evidence: StepRef[];
  field: string;
}

export interface TierSupport {
  /**
   * consistent: the observed replay fits the declared tier;
   * contradicted: the replay shows something the tier rules out (or lacks what it promises);
   * not-checked: no observations for this agent.
   */
  status: 'consistent' | 'contradicted' | 'not-checked';
  detail: string;
}

export interface AgentSummary {
  runAgentId: string;
  role: 'baseline' | 'candidate';
  label: string;
  evidenceTier: EvidenceTier;
  /** EVIDENCE_TIER_LEGEND of the tier. */
  tierLegend: string;
  /** The producer marked /agents/<i>/evidence_tier as derived. */
  tierDerived: boolean;
  tierSupport: TierSupport;
  scorecard: string | null;
  replay: string | null;
  field: string;
}

export interface OverviewModel {
  bundleId: string;
  title: string;
  createdAt: string;
  producer: { name: string; version: string | null; workspaceId: string | null };
  decision: {
    recommendation: Recommendation;
    decidingMetric: string;
    /** What the deciding metric names. 'unknown' cannot happen in a packet that parsed. */
    decidingKind: 'dimension' | 'auto-fail-condition' | 'unknown';
    decidingDimension: DimensionRow | null;
    decidingCondition: AutoFailRow | null;
    rationale: string | null;
    conditions: string[];
  };
  gate: {
    verdict: GateVerdict;
    reasonCode: string;
    summary: string | null;
    triggeredConditions: string[];
    policySha256: string | null;
    /** policy.policy_key and policy.policy_version when the snapshot carries them. */
    policyKey: string | null;
    policyVersion: string | null;
  };
  candidate: ParticipantView;
  baseline: BaselineView;
  workload: WorkloadView;
  /** Sorted: fail, warn, unavailable, pass; then by key. */
  dimensions: DimensionRow[];
  autoFailConditions: AutoFailRow[];
  owners: {
    releaseOwner: Person | null;
    rollbackOwner: Person | null;
    approvers: Array<Person & { role: string }>;
  };
  retention: { policy: string | null; replayRetentionDays: number | null; retainUntil: string | null };
  agents: AgentSummary[];
  cases: { total: number; droveVerdict: number };
  attachments: Array<{ path: string; title: string; mediaType: string }>;
  /** The packet's `derived` JSON Pointers (fields computed by the producer, not recorded). */
  derived: string[];
}

// ---------------------------------------------------------------- security

export interface PermissionComparison {
  /** permissions.declared, or null when the packet records none. */
  declared: string[] | null;
  /** What the packet says was observed (permissions.observed). */
  observedInPacket: string[] | null;
  /** Tools seen in the replay (observations), or null when not observed. */
  observedInReplay: string[] | null;
  /** Declared but never used: from the replay when observed, else from the packet. */
  unusedGrants: Maybe<string[]>;
  /** Used but not declared (and not in tool_policy.allowed_tool_kinds). */
  unexpectedUses: Maybe<string[]>;
  /** Which observation the two lists above were computed from. */
  basis: 'replay' | 'packet' | 'none';
}

export interface NetworkComparison {
  bounds: NetworkBounds | null;
  /** Hosts seen in the replay's tool calls, or null when not observed. */
  hostsContacted: string[] | null;
  /** Hosts contacted that the bounds do not allow (access none, or not on the allowlist). */
  outsideBounds: Maybe<string[]>;
}

export interface SecurityAgent {
  runAgentId: string;
  role: 'baseline' | 'candidate';
  label: string;
  evidenceTier: EvidenceTier;
  tierLegend: string;
  tierSupport: TierSupport;
  toolPolicy: ToolPolicy | null;
  secrets: SecretsHandling | null;
  aiBom: AiBom | null;
  /** Models seen in the replay, when observed; to compare with aiBom.models. */
  modelsObserved: string[] | null;
  /** Models used that the AI BOM does not list. */
  modelsOutsideBom: Maybe<string[]>;
  routing: Routing | null;
  permissions: PermissionComparison;
  network: NetworkComparison;
  /** Tool calls blocked by policy, from the replay; null when not observed. */
  policyBlocked: Maybe<StepRef[]>;
  /** true when the replay's tool calls certainly exceed max_tool_calls per case; null when not known. */
  toolCallsOverLimit: boolean | null;
  toolCallCount: number | null;
  field: string;
}

export interface SecuritySlice {
  agents: SecurityAgent[];
  /** Auto-fail conditions whose evidence points at this bundle's replays. */
  autoFailConditions: AutoFailRow[];
}

// ---------------------------------------------------------------- compliance

export type ChainLinkKey = 'pack-manifest' | 'input-set' | 'deployment-snapshots' | 'runs' | 'policy' | 'verdict' | 'signatures';

export interface ChainEntry {
  label: string;
  /** The value, or null with `missing` saying what is not recorded. */
  value: string | null;
  missing: string | null;
  /** JSON Pointer into the packet, or null when the entry comes from the report. */
  field: string | null;
}

/** One link of the traceability chain; the links are in the order of ChainLinkKey above. */
export interface ChainLink {
  key: ChainLinkKey;
  title: string;
  /** present: every entry has a value; partial: some; missing: none. */
  state: 'present' | 'partial' | 'missing';
  entries: ChainEntry[];
}

export interface SignerRow {
  file: string;
  role: string | null;
  signer: Person | null;
  /** The signer's claimed time (predicate.signed_at), shown as a claim. */
  claimedTime: string | null;
  keyid: string;
  principal: string | null;
  math: SignatureMath;
  trust: SignatureTrust;
  trustDetail: string | null;
}

export interface ComplianceSlice {
  chain: ChainLink[];
  /** Status of the bundle from the report, or null when there is no report. */
  status: BundleStatus | null;
  retention: {
    policy: string | null;
    replayRetentionDays: number | null;
    retainUntil: string | null;
    /** Agents whose replay is absent from the bundle (null path). */
    agentsWithoutReplay: string[];
  };
  /** Null with a reason when there is no verification report. */
  signers: Maybe<SignerRow[]>;
  /** The packet's named approvers against the actual signers (shared/model/approvers.ts); null without a report. */
  approvers: ApproversCheck | null;
  owners: OverviewModel['owners'];
  /** The CI run behind an AgentClash import (packet /agentclash/ci); missing for other producers. */
  ciRun: Maybe<CiRunView>;
  /** How AgentClash chose the baseline (packet /agentclash/baseline_resolution). */
  baselineResolution: Maybe<BaselineResolutionView>;
}

/** The CI run that produced an imported AgentClash gate; null fields were not recorded upstream. */
export interface CiRunView {
  provider: string | null;
  repository: string | null;
  pullRequest: number | null;
  branch: string | null;
  commitSha: string | null;
  workflowRunUrl: string | null;
  runStatus: string | null;
  exitCode: number | null;
  errors: string[];
  field: string;
}

export interface BaselineResolutionView {
  strategy: string | null;
  source: string | null;
  reason: string | null;
  warnings: string[];
  refreshMode: string | null;
  /** Where the baseline agent id came from; single_agent_export is derived by Exhibit. */
  runAgentFrom: 'ci_run' | 'comparison' | 'single_agent_export';
  otherRunAgents: string[];
  field: string;
}

// ---------------------------------------------------------------- engineering

/** How the candidate's verdict compares with the baseline's on a case. */
export type CaseChange = 'regressed' | 'improved' | 'changed' | 'unchanged' | 'incomparable';

export interface CaseRow {
  caseKey: string;
  challengeKey: string;
  title: string | null;
  baseline: Outcome | null;
  candidate: Outcome | null;
  droveVerdict: boolean;
  change: CaseChange;
  refs: StepRef[];
  field: string;
}

export interface EngineeringSlice {
  /** Cases with drove_verdict, in packet order. */
  drivingCases: CaseRow[];
  /** Cases whose verdict differs between baseline and candidate. */
  divergences: CaseRow[];
  /** Per challenge: pass counts for both sides. */
  challenges: Array<{
    challengeKey: string;
    cases: number;
    baselinePassed: number | null;
    candidatePassed: number | null;
  }>;
  fallbacks: Maybe<StepRef[]>;
  sandboxFailures: Maybe<StepRef[]>;
  toolFailures: Maybe<StepRef[]>;
  policyViolations: Maybe<StepRef[]>;
  /** AgentClash's failure divergence between the two run agents (packet /agentclash/comparison). */
  failureDivergence: Maybe<FailureDivergenceView>;
  /** Runs that stopped on a provider failure (system.run.failed provider_failure). */
  providerFailures: Maybe<ProviderFailureRow[]>;
}

export interface FailureDivergenceView {
  baselineStatus: string | null;
  candidateStatus: string | null;
  baselineFailureReason: string | null;
  candidateFailureReason: string | null;
  candidateFailedBaselineSucceeded: boolean | null;
  candidateSucceededBaselineFailed: boolean | null;
  bothFailedDifferently: boolean | null;
  field: string;
}

export interface ProviderFailureRow {
  runAgentId: string;
  role: 'candidate' | 'baseline' | 'other';
  sequenceNumber: number;
  providerKey: string | null;
  code: string | null;
  retryable: boolean | null;
  message: string | null;
  field: string;
}

// ---------------------------------------------------------------- finance

export interface CostSummary {
  /** Sum of cost_usd over the cases; null when any case's cost is not recorded. */
  totalCostUsd: Maybe<number>;
  /** The sum over the cases whose cost is recorded, and how many those are. */
  recordedCostUsd: number | null;
  casesWithCost: number;
  casesWithoutCost: number;
  /** Cases whose verdict is pass; null when no case has an outcome for this side. */
  successfulTasks: Maybe<number>;
  costPerSuccessfulTaskUsd: Maybe<number>;
  inputTokens: Maybe<number>;
  outputTokens: Maybe<number>;
  /**
   * The observed tokens priced with /pricing: a cross-check of the recorded costs. Only when
   * the agent used one model (tokens are not split by model), its price is known, and both
   * token sums were observed.
   */
  tokenCostUsd: Maybe<number>;
}

export interface FinanceCaseRow {
  caseKey: string;
  challengeKey: string;
  title: string | null;
  baselineCostUsd: Maybe<number>;
  candidateCostUsd: Maybe<number>;
  /** candidate - baseline. */
  deltaUsd: Maybe<number>;
  baselineVerdict: Outcome['verdict'] | null;
  candidateVerdict: Outcome['verdict'] | null;
  baselineTokens: Maybe<{ input: number | null; output: number | null }>;
  candidateTokens: Maybe<{ input: number | null; output: number | null }>;
  field: string;
}

export interface FinanceSlice {
  currency: 'USD';
  baseline: CostSummary & { runAgentId: string };
  candidate: CostSummary & { runAgentId: string };
  /** candidate - baseline. */
  totalDeltaUsd: Maybe<number>;
  costPerSuccessfulTaskDeltaUsd: Maybe<number>;
  cases: FinanceCaseRow[];
  /** Per challenge totals (same rules as the overall totals). */
  challenges: Array<{ challengeKey: string; baselineCostUsd: Maybe<number>; candidateCostUsd: Maybe<number> }>;
  pricing: Maybe<Array<{ model: string; inputPerMtokUsd: number; outputPerMtokUsd: number }>>;
  /** Models an agent's routing or AI BOM names that /pricing has no price for. */
  unpricedModels: string[];
  /** AgentClash's cost per correct answer for the candidate: cost over validators passed, not over tasks. */
  costPerCorrect: Maybe<CostPerCorrectView>;
}

export interface CostPerCorrectView {
  runAgentId: string;
  valueUsd: number | null;
  totalCostUsd: number | null;
  /** Validators passed (upstream's denominator). */
  correct: number | null;
  state: string | null;
  reason: string | null;
  field: string;
}
