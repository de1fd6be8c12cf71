// The packet's participants, workload, owners and retention for an AgentClash import, and
// the packet itself. See agentclash-import.ts for the inputs and docs/agentclash-import.md
// for the mapping.

import type { Agent, AgentClashSection, Packet } from './packet-types';
import { PACKET_SCHEMA } from './packet-types';
import { field, isObj, num, obj, str } from './agentclash-common';
import type { Obj } from './agentclash-common';
import type { AgentClashInputs, Parts } from './agentclash-import';
import { decision } from './agentclash-gate';
import { defaultTitle } from './agentclash-agents';

/** The input set the run used: its id from the run record, key/name/cases from the pack when it has only one. */
function inputSet(inputs: AgentClashInputs, pack: Obj | undefined, derived: string[]): Packet['workload']['input_set'] {
  const id =
    str(field(inputs.ci.run, 'payload.completed_run.challenge_input_set_id')) ??
    str(field(inputs.ci.run, 'payload.created_run.challenge_input_set_id')) ??
    str(field(inputs.ciManifest, 'evaluation.input_set_id')) ??
    str(field(inputs.ci.run, 'baseline.input_set_id'));
  if (!id) derived.push('/workload/input_set/id');
  const sets = Array.isArray(pack?.input_sets) ? pack.input_sets.filter(isObj) : [];
  // The pack YAML carries keys, not the ids AgentClash assigns; with one input set it is the run's.
  const only = sets.length === 1 ? sets[0]! : null;
  derived.push('/workload/input_set/key');
  if (only) derived.push('/workload/input_set/name', '/workload/input_set/case_count');
  return {
    key: str(only?.key) ?? 'unknown',
    id: id ?? 'unknown',
    name: only ? str(only.name) : null,
    input_sha256: null,
    case_count: only && Array.isArray(only.cases) ? only.cases.length : null,
  };
}

function challengePack(inputs: AgentClashInputs, pack: Obj | undefined, derived: string[]): Packet['workload']['challenge_pack'] {
  const packName = inputs.pack?.file.split('/').pop();
  const version = obj(pack?.version);
  const meta = obj(pack?.pack);
  const slug = str(meta.slug);
  const name = str(meta.name);
  const number = num(version.number);
  if (!slug) derived.push('/workload/challenge_pack/slug');
  if (!name) derived.push('/workload/challenge_pack/name');
  if (number === null) derived.push('/workload/challenge_pack/version_number');
  const versionId = str(field(inputs.ci.run, 'challenge_pack_version_id'));
  if (!versionId) derived.push('/workload/challenge_pack/version_id');
  return {
    slug: slug ?? 'unknown',
    name: name ?? 'unknown',
    version_number: number ?? 0,
    version_id: versionId ?? 'unknown',
    manifest_sha256: null,
    file: packName && inputs.verbatim.has(packName) ? `data/agentclash/${packName}` : null,
  };
}

function selection(inputs: AgentClashInputs, derived: string[]): Packet['baseline']['selection'] {
  const recorded = str(field(inputs.ci.result, 'payload.baseline_resolution.strategy'));
  let strategy: 'locked_run' | 'deployment_latest_completed';
  if (recorded === 'locked_run' || recorded === 'deployment_latest_completed') strategy = recorded;
  else {
    derived.push('/baseline/selection/strategy');
    strategy =
      str(field(inputs.ciManifest, 'baseline.run_id')) || !str(field(inputs.ciManifest, 'baseline.deployment_id'))
        ? 'locked_run'
        : 'deployment_latest_completed';
  }
  let age = num(field(inputs.ci.run, 'baseline.age_days'));
  // age_days is omitted when 0 (Go omitempty); a recorded finish or creation time means it was computed.
  if (age === null && (str(field(inputs.ci.run, 'baseline.finished_at')) || str(field(inputs.ci.run, 'baseline.created_at')))) {
    age = 0;
    derived.push('/baseline/selection/age_days');
  }
  const maxAge = num(field(inputs.ciManifest, 'baseline.max_age_days'));
  return { strategy, max_age_days: maxAge !== null && Number.isSafeInteger(maxAge) && maxAge > 0 ? maxAge : null, age_days: age };
}

/**
 * The run's one case, when the pack's only input set has exactly one: the run's scorecard is
 * then that case's outcome, and its validators' replay steps are the case's refs. Otherwise
 * no cases (the CI artifacts carry no per-case results).
 */
function singleCase(pack: Obj | undefined, section: AgentClashSection, candidateRa: string, derived: string[]): Packet['cases'] {
  const sets = Array.isArray(pack?.input_sets) ? pack.input_sets.filter(isObj) : [];
  const cases = sets.length === 1 && Array.isArray(sets[0]!.cases) ? sets[0]!.cases.filter(isObj) : [];
  const sc = section.scorecard;
  if (cases.length !== 1 || !sc || sc.state !== 'ready') return [];
  const c = cases[0]!;
  const caseKey = str(c.case_key);
  const challengeKey = str(c.challenge_key);
  if (!caseKey || !challengeKey) return [];
  const challenges = Array.isArray(pack?.challenges) ? pack.challenges.filter(isObj) : [];
  derived.push('/cases');
  return [
    {
      case_key: caseKey,
      challenge_key: challengeKey,
      title: str(challenges.find((ch) => ch.key === challengeKey)?.title),
      baseline: null,
      candidate: {
        verdict: sc.passed === null ? 'unavailable' : sc.passed ? 'pass' : 'fail',
        score: sc.overall_score,
        cost_usd: sc.total_cost_usd,
        latency_ms: null,
      },
      drove_verdict: false,
      refs: sc.validators
        .filter((v) => v.source_sequence !== null)
        .map((v) => ({
          run_agent_id: candidateRa,
          sequence_number: v.source_sequence!,
          note: `validator ${v.key}: ${v.verdict ?? 'no verdict'}`,
        })),
    },
  ];
}

const person = (v: unknown) => (isObj(v) && str(v.name) ? { name: str(v.name)!, email: str(v.email) } : null);

function owners(inputs: AgentClashInputs): Packet['owners'] {
  const approvers = field(inputs.meta, 'owners.approvers');
  return {
    release_owner: person(field(inputs.meta, 'owners.release_owner')),
    rollback_owner: person(field(inputs.meta, 'owners.rollback_owner')),
    approvers: Array.isArray(approvers)
      ? approvers
          .filter(isObj)
          .flatMap((a) => (str(a.name) ? [{ name: str(a.name)!, email: str(a.email), role: str(a.role) ?? 'approver' }] : []))
      : [],
  };
}

export function packetOf(
  inputs: AgentClashInputs,
  p: Parts,
  types: Array<'native' | 'hosted_external'>,
  agents: Agent[],
  pack: Obj | undefined,
  section: AgentClashSection,
): Packet {
  const { ci } = inputs;
  const { derived } = p;
  const retention = obj(field(inputs.meta, 'retention'));
  const workload = { challenge_pack: challengePack(inputs, pack, derived), input_set: inputSet(inputs, pack, derived) };
  const baseSelection = selection(inputs, derived);
  const dec = decision(inputs.meta, p.gate, derived);
  const title = str(field(inputs.meta, 'title'));
  if (!title) derived.push('/title');
  const packet: Packet = {
    schema: PACKET_SCHEMA,
    bundle_id: inputs.bundleId,
    title: title ?? defaultTitle(pack, agents),
    created_at: str(field(ci.gate, 'generated_at')) ?? inputs.now,
    producer: { name: 'AgentClash CI (imported by Exhibit)', version: null, workspace_id: str(field(ci.run, 'workspace_id')) },
    candidate: {
      label: agents[0]!.label,
      agent_build_id: str(field(ci.run, 'candidate.agent_build_id')),
      build_version_id: str(field(ci.run, 'candidate.build_version_id')),
      deployment_id: str(field(ci.run, 'candidate.deployment_id')),
      deployment_name: str(field(ci.run, 'candidate.deployment_name')),
      snapshot_hash: null,
      deployment_type: types[0]!,
      run_id: p.candRun,
      run_agent_id: p.candRa,
    },
    baseline: {
      label: agents[1]!.label,
      agent_build_id: null,
      build_version_id: null,
      deployment_id: str(field(ci.run, 'baseline.deployment_id')),
      deployment_name: null,
      snapshot_hash: null,
      deployment_type: types[1]!,
      run_id: p.baseRun,
      run_agent_id: p.baseRa,
      selection: baseSelection,
    },
    workload,
    gate: p.gate,
    decision: dec,
    owners: owners(inputs),
    retention: {
      policy: str(retention.policy),
      replay_retention_days: num(retention.replay_retention_days),
      retain_until: str(retention.retain_until),
    },
    agents,
    cases: singleCase(pack, section, p.candRa, derived),
    pricing: null,
    attachments: [],
    derived: [...new Set(derived)].sort(),
    agentclash: section,
  };
  return packet;
}
