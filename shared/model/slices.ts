// The stakeholder slices of an approval packet: overview, security, compliance, engineering
// and finance. Pure functions of (packet, replay observations, verification report); what
// they return is plain JSON the UI and the PDF render as it is. Missing data stays missing:
// null, or a Maybe with the reason, never 0 and never an empty list standing for "unknown".

import type { VerificationReport } from '../evb/report';
import type { AgentObservations, ObservedStep, ReplayObservations } from './observations';
import type { Agent, AutoFailCondition, Case, DimensionOutcome, DimensionResult, Outcome, Packet, Participant, Ref } from './packet-types';
import { EVIDENCE_TIER_LEGEND } from './packet-types';
import { compareApproversWithSigners } from './approvers';
import { baselineResolutionView, ciRunView, costPerCorrectView, failureDivergenceView, providerFailureRows } from './slices-agentclash';
import type {
  AgentSummary,
  AutoFailRow,
  CaseChange,
  CaseRow,
  ChainEntry,
  ChainLink,
  ComplianceSlice,
  CostSummary,
  DimensionRow,
  EngineeringSlice,
  FinanceCaseRow,
  FinanceSlice,
  Maybe,
  OverviewModel,
  ParticipantView,
  SecurityAgent,
  SecuritySlice,
  SignerRow,
  StepRef,
  TierSupport,
} from './slices-types';

const present = <T>(value: T): Maybe<T> => ({ value, missing: null });
const absent = <T>(missing: string): Maybe<T> => ({ value: null, missing });

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

function observed(observations: ReplayObservations | null | undefined, runAgentId: string): AgentObservations | null {
  if (!observations) return null;
  // Own property only: a run_agent_id of "__proto__" or "constructor" must not reach Object.prototype.
  return Object.prototype.hasOwnProperty.call(observations.byAgent, runAgentId) ? (observations.byAgent[runAgentId] ?? null) : null;
}

/** Every observed step of the bundle, keyed "runAgentId#sequence", to give packet refs their headlines. */
function stepIndex(observations: ReplayObservations | null | undefined): Map<string, ObservedStep> {
  const index = new Map<string, ObservedStep>();
  if (!observations) return index;
  for (const obs of Object.values(observations.byAgent)) {
    for (const list of [obs.policyViolations, obs.fallbacks, obs.sandboxFailures, obs.toolFailures]) {
      for (const s of list) index.set(`${s.runAgentId}#${s.sequence}`, s);
    }
  }
  return index;
}

function toStepRef(ref: Ref, index: Map<string, ObservedStep>): StepRef {
  const s = index.get(`${ref.run_agent_id}#${ref.sequence_number}`);
  return {
    runAgentId: ref.run_agent_id,
    sequence: ref.sequence_number,
    note: ref.note,
    caseKey: s?.caseKey ?? null,
    headline: s?.headline ?? null,
  };
}

function fromObserved(s: ObservedStep, note: string | null = null): StepRef {
  return { runAgentId: s.runAgentId, sequence: s.sequence, note, caseKey: s.caseKey, headline: s.headline };
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

function autoFailRows(packet: Packet, index: Map<string, ObservedStep>): AutoFailRow[] {
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

// ---------------------------------------------------------------- security

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function hostAllowed(host: string, allowlist: string[]): boolean {
  const h = host.toLowerCase();
  return allowlist.some((entry) => {
    const e = entry
      .toLowerCase()
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '');
    if (e.startsWith('*.')) return h.endsWith(e.slice(1));
    return h === e;
  });
}

export function buildSecuritySlice(packet: Packet, observations?: ReplayObservations | null): SecuritySlice {
  const index = stepIndex(observations);
  const agents: SecurityAgent[] = packet.agents.map((a, i) => {
    const obs = observed(observations, a.run_agent_id);
    const declared = a.permissions ? sorted(a.permissions.declared) : null;
    const observedInPacket = a.permissions?.observed ? sorted(a.permissions.observed) : null;
    const observedInReplay = obs ? sorted(obs.toolsUsed) : null;
    const used = observedInReplay ?? observedInPacket;
    const basis = observedInReplay ? 'replay' : observedInPacket ? 'packet' : 'none';
    const allowedTools = new Set([...(declared ?? []), ...(a.tool_policy?.allowed_tool_kinds ?? [])]);
    const unusedGrants: Maybe<string[]> =
      declared === null
        ? absent('No permissions are declared for this agent.')
        : used === null
          ? absent('Tool use was not observed (no replay read, no observed permissions in the packet).')
          : present(declared.filter((d) => !used.includes(d)));
    const unexpectedUses: Maybe<string[]> =
      used === null
        ? absent('Tool use was not observed.')
        : declared === null && a.tool_policy === null
          ? absent('Nothing is declared to compare with.')
          : present(used.filter((u) => !allowedTools.has(u)));

    const hosts = obs ? sorted(obs.hostsContacted) : null;
    let outsideBounds: Maybe<string[]>;
    if (hosts === null) outsideBounds = absent('Network use was not observed.');
    else if (a.network === null) outsideBounds = absent('No network bounds are recorded for this agent.');
    else if (a.network.access === 'open') outsideBounds = present([]);
    else if (a.network.access === 'none') outsideBounds = present(hosts);
    else outsideBounds = present(hosts.filter((h) => !hostAllowed(h, a.network!.allowlist)));

    const modelsObserved = obs?.modelsUsed ? sorted(obs.modelsUsed) : null;
    const modelsOutsideBom: Maybe<string[]> =
      modelsObserved === null
        ? absent('Models used were not observed.')
        : a.ai_bom === null
          ? absent('No AI bill of materials is recorded.')
          : present(modelsObserved.filter((m) => !a.ai_bom!.models.includes(m)));

    const max = a.tool_policy?.max_tool_calls ?? null;
    return {
      runAgentId: a.run_agent_id,
      role: a.role,
      label: a.label,
      evidenceTier: a.evidence_tier,
      tierLegend: EVIDENCE_TIER_LEGEND[a.evidence_tier],
      tierSupport: checkTierSupport(a, obs),
      toolPolicy: a.tool_policy,
      secrets: a.secrets,
      aiBom: a.ai_bom,
      modelsObserved,
      modelsOutsideBom,
      routing: a.routing,
      permissions: { declared, observedInPacket, observedInReplay, unusedGrants, unexpectedUses, basis },
      network: { bounds: a.network, hostsContacted: hosts, outsideBounds },
      policyBlocked: obs
        ? present(obs.policyViolations.map((s) => fromObserved(s)))
        : absent('The replay was not read, so policy-blocked calls are not known.'),
      // max_tool_calls bounds one case; from run totals a breach is certain only when the
      // total exceeds the bound times the number of cases. Otherwise it is not known.
      toolCallsOverLimit: obs && max !== null && obs.toolCallCount > max * Math.max(1, packet.cases.length) ? true : null,
      toolCallCount: obs ? obs.toolCallCount : null,
      field: `/agents/${i}`,
    };
  });
  return { agents, autoFailConditions: autoFailRows(packet, index) };
}

// ---------------------------------------------------------------- compliance

function entry(label: string, value: string | null | undefined, missing: string, field: string | null): ChainEntry {
  return value === null || value === undefined || value === ''
    ? { label, value: null, missing, field }
    : { label, value, missing: null, field };
}

function link(key: ChainLink['key'], title: string, entries: ChainEntry[]): ChainLink {
  const have = entries.filter((e) => e.value !== null).length;
  return { key, title, state: have === entries.length && have > 0 ? 'present' : have === 0 ? 'missing' : 'partial', entries };
}

export function buildComplianceSlice(packet: Packet, report: VerificationReport | null): ComplianceSlice {
  const pack = packet.workload.challenge_pack;
  const input = packet.workload.input_set;
  const signers: Maybe<SignerRow[]> = report
    ? present(
        report.signatures.map((s) => ({
          file: s.file,
          role: s.role,
          signer: s.signer,
          claimedTime: s.claimedTime,
          keyid: s.keyid,
          principal: s.principal,
          math: s.math,
          trust: s.trust,
          trustDetail: s.trustDetail,
        })),
      )
    : absent('No verification report: signatures have not been checked.');
  const signatureEntries: ChainEntry[] =
    report === null
      ? [entry('Signatures', null, 'Not verified yet.', null)]
      : report.signatures.length === 0
        ? [entry('Signatures', null, 'The bundle is unsigned.', null)]
        : report.signatures.map((s) => {
            const who = s.signer ? s.signer.name : (s.principal ?? 'unnamed signer');
            const role = s.role ?? 'no role';
            return entry(
              `${s.file}`,
              `${who} (${role}), math ${s.math}, ${s.trust}${s.claimedTime ? `, claims ${s.claimedTime}` : ''}`,
              '',
              null,
            );
          });
  const chain: ChainLink[] = [
    link('pack-manifest', 'Challenge pack manifest', [
      entry(
        `Pack ${pack.slug} v${pack.version_number} (${pack.version_id})`,
        pack.manifest_sha256,
        'manifest_sha256 not recorded',
        '/workload/challenge_pack/manifest_sha256',
      ),
    ]),
    link('input-set', 'Input set', [
      entry(`Input set ${input.key} (${input.id})`, input.input_sha256, 'input_sha256 not recorded', '/workload/input_set/input_sha256'),
    ]),
    link('deployment-snapshots', 'Deployment snapshots', [
      entry(
        `Candidate ${packet.candidate.deployment_id ?? '(deployment not recorded)'}`,
        packet.candidate.snapshot_hash,
        'snapshot_hash not recorded',
        '/candidate/snapshot_hash',
      ),
      entry(
        `Baseline ${packet.baseline.deployment_id ?? '(deployment not recorded)'}`,
        packet.baseline.snapshot_hash,
        'snapshot_hash not recorded',
        '/baseline/snapshot_hash',
      ),
    ]),
    link('runs', 'Runs', [
      entry('Candidate run', `${packet.candidate.run_id} / ${packet.candidate.run_agent_id}`, '', '/candidate/run_id'),
      entry('Baseline run', `${packet.baseline.run_id} / ${packet.baseline.run_agent_id}`, '', '/baseline/run_id'),
    ]),
    link('policy', 'Gate policy', [entry('Policy digest', packet.gate.policy_sha256, 'policy_sha256 not recorded', '/gate/policy_sha256')]),
    link('verdict', 'Verdict and decision', [
      entry('Gate verdict', `${packet.gate.verdict} (${packet.gate.reason_code})`, '', '/gate/verdict'),
      entry(
        'Decision',
        `${packet.decision.recommendation.replace(/_/g, ' ')} on ${packet.decision.deciding_metric}`,
        '',
        '/decision/recommendation',
      ),
    ]),
    link('signatures', 'Signatures and signers', signatureEntries),
  ];
  return {
    chain,
    status: report?.status ?? null,
    retention: {
      policy: packet.retention.policy,
      replayRetentionDays: packet.retention.replay_retention_days,
      retainUntil: packet.retention.retain_until,
      agentsWithoutReplay: packet.agents.filter((a) => a.replay === null).map((a) => a.run_agent_id),
    },
    signers,
    approvers: report ? compareApproversWithSigners(packet.owners, report.signatures) : null,
    owners: {
      releaseOwner: packet.owners.release_owner,
      rollbackOwner: packet.owners.rollback_owner,
      approvers: packet.owners.approvers.map((a) => ({ ...a })),
    },
    ciRun: ciRunView(packet),
    baselineResolution: baselineResolutionView(packet),
  };
}

// ---------------------------------------------------------------- engineering

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

// ---------------------------------------------------------------- finance

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function costOf(o: Outcome | null, who: string): Maybe<number> {
  if (o === null) return absent(`No ${who} outcome recorded.`);
  if (o.cost_usd === null) return absent(`${who[0]!.toUpperCase()}${who.slice(1)} cost not recorded.`);
  return present(o.cost_usd);
}

function tokensOf(obs: AgentObservations | null, caseKey: string): Maybe<{ input: number | null; output: number | null }> {
  if (obs === null) return absent('Replay not read.');
  const t = obs.tokensByCase && Object.prototype.hasOwnProperty.call(obs.tokensByCase, caseKey) ? obs.tokensByCase[caseKey] : undefined;
  if (!t) return absent(obs.tokensByCase ? 'No model call for this case in the replay.' : 'Per-case tokens not observed.');
  return present({ input: t.inputTokens, output: t.outputTokens });
}

function tokenCost(packet: Packet, side: 'baseline' | 'candidate', obs: AgentObservations | null): Maybe<number> {
  if (obs === null) return absent('Replay not read.');
  if (obs.inputTokens === null || obs.outputTokens === null) return absent('The replay does not record token usage.');
  if (packet.pricing === null) return absent('No pricing recorded.');
  const agent = packet.agents.find((a) => a.run_agent_id === packet[side].run_agent_id);
  const models = obs.modelsUsed ?? (agent?.routing?.policy_kind === 'single_model' ? agent.routing.models : null);
  if (models === null || models.length === 0) return absent('Which model produced the tokens was not observed.');
  if (models.length > 1) return absent(`The agent used ${models.length} models (${models.join(', ')}); tokens are not split by model.`);
  const model = models[0]!;
  if (!Object.prototype.hasOwnProperty.call(packet.pricing, model)) return absent(`No price recorded for ${model}.`);
  const price = packet.pricing[model]!;
  return present(round((obs.inputTokens * price.input_per_mtok_usd + obs.outputTokens * price.output_per_mtok_usd) / 1_000_000));
}

function summarize(packet: Packet, side: 'baseline' | 'candidate', obs: AgentObservations | null): CostSummary {
  const outcomes = packet.cases.map((c) => c[side]);
  const withCost = outcomes.filter((o): o is Outcome => o !== null && o.cost_usd !== null);
  const without = packet.cases.filter((c) => c[side] === null || c[side]!.cost_usd === null).map((c) => c.case_key);
  const recorded = withCost.length ? round(withCost.reduce((s, o) => s + o.cost_usd!, 0)) : null;
  let total: Maybe<number>;
  if (packet.cases.length === 0) total = absent('The packet has no cases.');
  else if (without.length)
    total = absent(
      `Cost not recorded for ${without.length} of ${packet.cases.length} cases (${without.slice(0, 5).join(', ')}${without.length > 5 ? ', …' : ''}).`,
    );
  else total = present(recorded!);
  const judged = outcomes.filter((o): o is Outcome => o !== null);
  const successes: Maybe<number> =
    judged.length === 0 ? absent(`No ${side} outcome is recorded.`) : present(judged.filter((o) => o.verdict === 'pass').length);
  let perSuccess: Maybe<number>;
  if (total.value === null) perSuccess = absent(`Total cost unknown: ${total.missing}`);
  else if (successes.value === null) perSuccess = absent(successes.missing);
  else if (successes.value === 0) perSuccess = absent('No task succeeded, so there is no cost per successful task.');
  else perSuccess = present(round(total.value / successes.value));
  const tok = (v: number | null | undefined, what: string): Maybe<number> =>
    obs === null
      ? absent('Replay not read.')
      : v === null || v === undefined
        ? absent(`The replay records no ${what} tokens.`)
        : present(v);
  return {
    totalCostUsd: total,
    recordedCostUsd: recorded,
    casesWithCost: withCost.length,
    casesWithoutCost: without.length,
    successfulTasks: successes,
    costPerSuccessfulTaskUsd: perSuccess,
    inputTokens: tok(obs?.inputTokens, 'input'),
    outputTokens: tok(obs?.outputTokens, 'output'),
    tokenCostUsd: tokenCost(packet, side, obs),
  };
}

function delta(c: Maybe<number>, b: Maybe<number>): Maybe<number> {
  if (c.value === null) return absent(`Candidate: ${c.missing}`);
  if (b.value === null) return absent(`Baseline: ${b.missing}`);
  return present(round(c.value - b.value));
}

function sumMaybe(values: Array<Maybe<number>>, what: string): Maybe<number> {
  const missing = values.filter((v) => v.value === null).length;
  if (values.length === 0) return absent(`No ${what} cases.`);
  if (missing) return absent(`${what}: cost not recorded for ${missing} of ${values.length} cases.`);
  return present(round(values.reduce((s, v) => s + v.value!, 0)));
}

export function buildFinanceSlice(packet: Packet, observations?: ReplayObservations | null): FinanceSlice {
  const bObs = observed(observations, packet.baseline.run_agent_id);
  const cObs = observed(observations, packet.candidate.run_agent_id);
  const baseline = { ...summarize(packet, 'baseline', bObs), runAgentId: packet.baseline.run_agent_id };
  const candidate = { ...summarize(packet, 'candidate', cObs), runAgentId: packet.candidate.run_agent_id };
  const cases: FinanceCaseRow[] = packet.cases.map((c, i) => {
    const b = costOf(c.baseline, 'baseline');
    const cc = costOf(c.candidate, 'candidate');
    return {
      caseKey: c.case_key,
      challengeKey: c.challenge_key,
      title: c.title,
      baselineCostUsd: b,
      candidateCostUsd: cc,
      deltaUsd: delta(cc, b),
      baselineVerdict: c.baseline?.verdict ?? null,
      candidateVerdict: c.candidate?.verdict ?? null,
      baselineTokens: tokensOf(bObs, c.case_key),
      candidateTokens: tokensOf(cObs, c.case_key),
      field: `/cases/${i}`,
    };
  });
  const challengeKeys = [...new Set(packet.cases.map((c) => c.challenge_key))];
  const challenges = challengeKeys.map((k) => {
    const rows = cases.filter((r) => r.challengeKey === k);
    return {
      challengeKey: k,
      baselineCostUsd: sumMaybe(
        rows.map((r) => r.baselineCostUsd),
        k,
      ),
      candidateCostUsd: sumMaybe(
        rows.map((r) => r.candidateCostUsd),
        k,
      ),
    };
  });
  const pricing = packet.pricing;
  const priced = new Set(pricing ? Object.keys(pricing) : []);
  const named = new Set<string>();
  for (const a of packet.agents) for (const m of [...(a.routing?.models ?? []), ...(a.ai_bom?.models ?? [])]) named.add(m);
  return {
    currency: 'USD',
    baseline,
    candidate,
    totalDeltaUsd: delta(candidate.totalCostUsd, baseline.totalCostUsd),
    costPerSuccessfulTaskDeltaUsd: delta(candidate.costPerSuccessfulTaskUsd, baseline.costPerSuccessfulTaskUsd),
    cases,
    challenges,
    pricing: pricing
      ? present(
          Object.keys(pricing)
            .sort()
            .map((model) => ({
              model,
              inputPerMtokUsd: pricing[model]!.input_per_mtok_usd,
              outputPerMtokUsd: pricing[model]!.output_per_mtok_usd,
            })),
        )
      : absent('No pricing recorded: token costs cannot be checked.'),
    unpricedModels: [...named].filter((m) => !priced.has(m)).sort(),
    costPerCorrect: costPerCorrectView(packet),
  };
}
