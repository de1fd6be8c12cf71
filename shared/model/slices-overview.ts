// The Overview slice: decision, gate, dimension rows, auto-fail conditions, agents with their
// evidence tiers, participants, attachments and what the producer marked derived.

import type { ReplayObservations } from './observations';
import type { DimensionOutcome, DimensionResult, Packet, Participant } from './packet-types';
import { EVIDENCE_TIER_LEGEND } from './packet-types';
import type { AgentSummary, DimensionRow, OverviewModel, ParticipantView } from './slices-types';
import { autoFailRows, checkTierSupport, observed, stepIndex } from './slices-common';

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Whether the producer marked `pointer`, or a field inside or above it, as derived. */
function isDerived(packet: Packet, pointer: string): boolean {
  for (const d of packet.derived ?? []) {
    if (d === pointer || d.startsWith(`${pointer}/`) || pointer.startsWith(`${d}/`)) return true;
  }
  return false;
}

function participant(p: Participant, role: 'baseline' | 'candidate'): ParticipantView {
  return {
    role,
    label: p.label,
    agentBuildId: p.agent_build_id,
    buildVersionId: p.build_version_id,
    deploymentId: p.deployment_id,
    deploymentName: p.deployment_name,
    snapshotHash: p.snapshot_hash,
    deploymentType: p.deployment_type,
    runId: p.run_id,
    runAgentId: p.run_agent_id,
  };
}

const OUTCOME_ORDER: Record<DimensionOutcome, number> = { fail: 0, warn: 1, unavailable: 2, pass: 3 };

function dimensionRow(packet: Packet, key: string, d: DimensionResult): DimensionRow {
  const field = `/gate/dimension_results/${escapePointer(key)}`;
  return {
    key,
    state: d.state,
    betterDirection: d.better_direction,
    baselineValue: d.baseline_value,
    candidateValue: d.candidate_value,
    observedDelta: d.observed_delta,
    worseningDelta: d.worsening_delta,
    warnThreshold: d.warn_threshold,
    failThreshold: d.fail_threshold,
    outcome: d.outcome,
    derived: isDerived(packet, field),
    field,
  };
}

function dimensionRows(packet: Packet): DimensionRow[] {
  return Object.keys(packet.gate.dimension_results)
    .map((k) => dimensionRow(packet, k, packet.gate.dimension_results[k]!))
    .sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function agentSummaries(packet: Packet, observations: ReplayObservations | null | undefined): AgentSummary[] {
  return packet.agents.map((a, i) => ({
    runAgentId: a.run_agent_id,
    role: a.role,
    label: a.label,
    evidenceTier: a.evidence_tier,
    tierLegend: EVIDENCE_TIER_LEGEND[a.evidence_tier],
    tierDerived: isDerived(packet, `/agents/${i}/evidence_tier`),
    tierSupport: checkTierSupport(a, observed(observations, a.run_agent_id)),
    scorecard: a.scorecard,
    replay: a.replay,
    field: `/agents/${i}`,
  }));
}

function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function buildOverview(packet: Packet, observations?: ReplayObservations | null): OverviewModel {
  const index = stepIndex(observations);
  const dimensions = dimensionRows(packet);
  const conditions = autoFailRows(packet, index);
  const metric = packet.decision.deciding_metric;
  const decidingDimension = dimensions.find((d) => d.key === metric) ?? null;
  const decidingCondition = decidingDimension ? null : (conditions.find((c) => c.key === metric) ?? null);
  const b = packet.baseline;
  const sel = b.selection;
  const policy = packet.gate.policy;
  return {
    bundleId: packet.bundle_id,
    title: packet.title,
    createdAt: packet.created_at,
    producer: { name: packet.producer.name, version: packet.producer.version, workspaceId: packet.producer.workspace_id },
    decision: {
      recommendation: packet.decision.recommendation,
      decidingMetric: metric,
      decidingKind: decidingDimension ? 'dimension' : decidingCondition ? 'auto-fail-condition' : 'unknown',
      decidingDimension,
      decidingCondition,
      rationale: packet.decision.rationale,
      conditions: [...packet.decision.conditions],
    },
    gate: {
      verdict: packet.gate.verdict,
      reasonCode: packet.gate.reason_code,
      summary: packet.gate.summary,
      triggeredConditions: [...packet.gate.triggered_conditions],
      policySha256: packet.gate.policy_sha256,
      policyKey: Object.prototype.hasOwnProperty.call(policy, 'policy_key') ? scalarText(policy.policy_key) : null,
      policyVersion: Object.prototype.hasOwnProperty.call(policy, 'policy_version') ? scalarText(policy.policy_version) : null,
    },
    candidate: participant(packet.candidate, 'candidate'),
    baseline: {
      ...participant(b, 'baseline'),
      selection: {
        strategy: sel.strategy,
        maxAgeDays: sel.max_age_days,
        ageDays: sel.age_days,
        stale: sel.max_age_days === null || sel.age_days === null ? null : sel.age_days > sel.max_age_days,
      },
    },
    workload: {
      pack: {
        slug: packet.workload.challenge_pack.slug,
        name: packet.workload.challenge_pack.name,
        versionNumber: packet.workload.challenge_pack.version_number,
        versionId: packet.workload.challenge_pack.version_id,
        manifestSha256: packet.workload.challenge_pack.manifest_sha256,
        file: packet.workload.challenge_pack.file,
      },
      inputSet: {
        key: packet.workload.input_set.key,
        id: packet.workload.input_set.id,
        name: packet.workload.input_set.name,
        inputSha256: packet.workload.input_set.input_sha256,
        caseCount: packet.workload.input_set.case_count,
        casesInPacket: packet.cases.length,
      },
    },
    dimensions,
    autoFailConditions: conditions,
    owners: {
      releaseOwner: packet.owners.release_owner,
      rollbackOwner: packet.owners.rollback_owner,
      approvers: packet.owners.approvers.map((a) => ({ ...a })),
    },
    retention: {
      policy: packet.retention.policy,
      replayRetentionDays: packet.retention.replay_retention_days,
      retainUntil: packet.retention.retain_until,
    },
    agents: agentSummaries(packet, observations),
    cases: { total: packet.cases.length, droveVerdict: packet.cases.filter((c) => c.drove_verdict).length },
    attachments: packet.attachments.map((a) => ({ path: a.path, title: a.title, mediaType: a.media_type })),
    derived: [...(packet.derived ?? [])],
  };
}
