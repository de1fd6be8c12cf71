// Maps AgentClash CI artifacts, run event exports, the challenge pack and the CI manifest
// onto an EVB/1 payload (spec 4.1 and 4.2). Pure: the CLI reads and parses the files. Every
// packet value is upstream's, or derived by upstream's rule and listed in the packet's
// `derived` (JSON Pointers); what the spec has no field for goes in the optional `agentclash`
// section. docs/agentclash-import.md documents the mapping field by field.

import type { AgentClashSection, Gate, Packet } from './packet-types';
import { Sha256Stream } from '../platform/sha256';
import { hexEncode } from '../platform/hex';
import { ImportError, field, isObj, obj, str } from './agentclash-common';
import type { Obj, Parsed } from './agentclash-common';
import type { Event, OffloadNote } from './agentclash-events';
import { parseEvents, providerFailures, recordedDeploymentType, splitReplay } from './agentclash-events';
import { autoFailConditions, dimensionRows } from './agentclash-gate';
import { ciSection, comparisonSection, gateSection, scorecardSection } from './agentclash-extras';
import { buildAgent } from './agentclash-agents';
import { packetOf } from './agentclash-packet';

export { ImportError } from './agentclash-common';
export type { Parsed } from './agentclash-common';
const CI_ARTIFACT_SCHEMA = '2026-05-04';

export interface AgentClashInputs {
  bundleId: string;
  /** CI artifacts by kind suffix: run, scorecard, comparison, gate, result (result optional). */
  ci: { run: Parsed; scorecard: Parsed; comparison: Parsed; gate: Parsed; result?: Parsed };
  /** `agentclash run events export` JSONL files (one run each). */
  events: Array<{ file: string; text: string }>;
  pack?: Parsed;
  ciManifest?: Parsed;
  baselineScorecard?: Parsed;
  meta?: Parsed;
  /** Every upstream file verbatim, by its base name (kept under data/agentclash/). */
  verbatim: Map<string, Uint8Array>;
  /** The import time (RFC 3339), for created_at when upstream has none. */
  now: string;
}

function checkEnvelope(p: Parsed, kind: string): void {
  if (!isObj(p.doc)) throw new ImportError(p.file, '', 'is not a JSON object.');
  const schema = field(p, 'schema_version');
  if (schema !== CI_ARTIFACT_SCHEMA)
    throw new ImportError(
      p.file,
      'schema_version',
      `is ${JSON.stringify(schema)}; this importer reads AgentClash CI artifacts of schema ${CI_ARTIFACT_SCHEMA}.`,
    );
  if (field(p, 'kind') !== kind)
    throw new ImportError(p.file, 'kind', `is ${JSON.stringify(field(p, 'kind'))}, not "${kind}": is this the right file?`);
}

/** What result.json says went wrong, for refusals. */
function ciOutcome(result: Parsed | undefined): string {
  if (!result) return 'no result.json was given';
  const code = field(result, 'payload.exit_code');
  const errors =
    obj(result.doc).payload && Array.isArray(field(result, 'payload.errors')) ? (field(result, 'payload.errors') as unknown[]) : [];
  return `result.json exit_code ${JSON.stringify(code ?? null)}${errors.length ? `: ${errors.map(String).join('; ').slice(0, 300)}` : ''}`;
}

/** A CI run without a baseline, or one that stopped before the gate, has nothing to import. */
function refuseIncompleteRun(ci: AgentClashInputs['ci']): void {
  if (!str(field(ci.run, 'baseline.run_id')))
    throw new ImportError(
      ci.run.file,
      'baseline.run_id',
      `is empty: the CI run had no baseline (${ciOutcome(ci.result)}), so there is no comparison or gate to import.`,
    );
  if (!isObj(field(ci.gate, 'payload.release_gate'))) {
    const status = str(field(ci.run, 'candidate.run_status'));
    throw new ImportError(
      ci.gate.file,
      'payload.release_gate',
      `is missing: the CI run stopped before the release gate (candidate run ${status ? `status "${status}"` : 'not finished'}; ${ciOutcome(ci.result)}), so there is no gate to import.`,
    );
  }
}

function checkSameRun(ci: AgentClashInputs['ci'], candRun: string, baseRun: string): void {
  const others: Array<[Parsed, string]> = [
    [ci.scorecard, 'scorecard'],
    [ci.comparison, 'comparison'],
    [ci.gate, 'gate'],
    ...(ci.result ? ([[ci.result, 'result']] as Array<[Parsed, string]>) : []),
  ];
  for (const [p, name] of others) {
    if (field(p, 'candidate.run_id') !== candRun)
      throw new ImportError(
        p.file,
        'candidate.run_id',
        `is ${JSON.stringify(field(p, 'candidate.run_id'))}, but run.json's is "${candRun}": the ${name} artifact is from another CI run.`,
      );
    if (field(p, 'baseline.run_id') !== baseRun)
      throw new ImportError(
        p.file,
        'baseline.run_id',
        `is ${JSON.stringify(field(p, 'baseline.run_id'))}, but run.json's is "${baseRun}".`,
      );
  }
  const gateCand = str(field(ci.gate, 'payload.candidate_run_id'));
  if (gateCand && gateCand !== candRun)
    throw new ImportError(
      ci.gate.file,
      'payload.candidate_run_id',
      `is "${gateCand}", but the CI run's candidate is "${candRun}": a gate for other run ids.`,
    );
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Events of a run, grouped by run agent in first-seen order. */
function byAgent(events: Event[], runId: string): Map<string, Event[]> {
  const out = new Map<string, Event[]>();
  for (const e of events) if (e.run_id === runId) (out.get(e.run_agent_id) ?? out.set(e.run_agent_id, []).get(e.run_agent_id)!).push(e);
  return out;
}

/**
 * The baseline run agent: run.json (ci.yaml pins it, or a deployment baseline resolved it),
 * else the comparison's, else the baseline export's only agent (derived).
 */
function baselineAgent(
  inputs: AgentClashInputs,
  agents: Map<string, Event[]>,
  derived: string[],
): [string, AgentClashSection['baseline_resolution']['run_agent_from']] {
  const fromRun = str(field(inputs.ci.run, 'baseline.run_agent_id'));
  if (fromRun) return [fromRun, 'ci_run'];
  const fromComparison =
    str(field(inputs.ci.comparison, 'payload.baseline_run_agent_id')) ??
    str(field(inputs.ci.comparison, 'payload.summary.baseline_refs.run_agent_id'));
  if (fromComparison) return [fromComparison, 'comparison'];
  if (agents.size === 1) {
    derived.push('/baseline/run_agent_id');
    return [[...agents.keys()][0]!, 'single_agent_export'];
  }
  const reason = str(field(inputs.ci.comparison, 'payload.reason_code'));
  throw new ImportError(
    inputs.ci.run.file,
    'baseline.run_agent_id',
    `is not recorded: ci.yaml does not pin baseline.run_agent_id, the comparison names no baseline agent${reason ? ` (${reason})` : ''}, and ${agents.size === 0 ? 'no export of the baseline run was given' : `the baseline run's export holds ${agents.size} agents (${[...agents.keys()].join(', ')})`}. Pin baseline.run_agent_id in ci.yaml, or give the export of a one-agent baseline run.`,
  );
}

function sha256Hex(text: string): string {
  return hexEncode(new Sha256Stream().update(new TextEncoder().encode(text)).digest());
}

/** The packet's gate: upstream's verdict and details, rows joined with the comparison's values. */
function buildGate(releaseGate: Obj, comparison: Obj | null, candRa: string, derived: string[], file: string): Gate {
  const verdict = (['pass', 'warn', 'fail', 'insufficient_evidence'] as const).find((v) => v === releaseGate.verdict);
  if (!verdict)
    throw new ImportError(
      file,
      'payload.release_gate.verdict',
      `is ${JSON.stringify(releaseGate.verdict)}; expected pass, warn, fail or insufficient_evidence.`,
    );
  const details = obj(releaseGate.evaluation_details);
  const policy = obj(releaseGate.policy_snapshot);
  const rows = dimensionRows(details, comparison, derived);
  const triggered = Array.isArray(details.triggered_conditions)
    ? details.triggered_conditions.filter((c): c is string => typeof c === 'string')
    : [];
  derived.push('/gate/policy_sha256', '/gate/auto_fail_conditions');
  return {
    policy,
    // SHA-256 of the snapshot as stored (compact JSON, keys in the artifact's order): recomputable from gate.policy.
    policy_sha256: sha256Hex(JSON.stringify(policy)),
    verdict,
    reason_code: str(releaseGate.reason_code) ?? '',
    summary: str(releaseGate.summary),
    triggered_conditions: triggered,
    dimension_results: rows,
    auto_fail_conditions: autoFailConditions(policy, details, triggered, rows, candRa),
  };
}

/** Builds the payload (files under data/) of the bundle. */
export function importAgentClash(inputs: AgentClashInputs): { payload: Map<string, Uint8Array>; packet: Packet; notices: string[] } {
  const { ci } = inputs;
  checkEnvelope(ci.run, 'agentclash.ci.run');
  checkEnvelope(ci.scorecard, 'agentclash.ci.scorecard');
  checkEnvelope(ci.comparison, 'agentclash.ci.comparison');
  checkEnvelope(ci.gate, 'agentclash.ci.gate');
  if (ci.result) checkEnvelope(ci.result, 'agentclash.ci.result');
  refuseIncompleteRun(ci);

  const candRun = str(field(ci.run, 'candidate.run_id'));
  const candRa = str(field(ci.run, 'candidate.run_agent_id'));
  if (!candRun || !candRa)
    throw new ImportError(ci.run.file, candRun ? 'candidate.run_agent_id' : 'candidate.run_id', 'is missing or empty.');
  const baseRun = str(field(ci.run, 'baseline.run_id'))!;
  checkSameRun(ci, candRun, baseRun);

  const derived: string[] = [];
  const notices: string[] = [];
  const events = parseEvents(inputs.events, new Set([candRun, baseRun]));
  const candAgents = byAgent(events, candRun);
  for (const [ra, evs] of candAgents)
    if (ra !== candRa)
      throw new ImportError(
        evs[0]!.file,
        `line ${evs[0]!.lineNo} run_agent_id`,
        `is "${ra}", which is not the candidate's run agent (${candRa}) in the candidate's run.`,
      );
  const baseAgents = byAgent(events, baseRun);
  const [baseRa, raFrom] = baselineAgent(inputs, baseAgents, derived);
  const others = [...baseAgents.keys()].filter((ra) => ra !== baseRa);
  for (const id of [candRa, baseRa])
    if (!SAFE_NAME.test(id)) throw new ImportError(ci.run.file, 'run_agent_id', `"${id.slice(0, 80)}" cannot name a file in the bundle.`);

  const releaseGate = obj(field(ci.gate, 'payload.release_gate'));
  const comparison = isObj(field(ci.comparison, 'payload')) ? obj(field(ci.comparison, 'payload')) : null;
  const gate = buildGate(releaseGate, comparison, candRa, derived, ci.gate.file);
  const packet = assemble(inputs, {
    candRun,
    candRa,
    baseRun,
    baseRa,
    raFrom,
    others,
    candAgents,
    baseAgents,
    gate,
    comparison,
    releaseGate,
    derived,
    notices,
  });
  const payload = packet.payload;
  payload.set('data/packet.json', new TextEncoder().encode(`${JSON.stringify(packet.packet, null, 2)}\n`));
  return { payload, packet: packet.packet, notices };
}

export interface Parts {
  candRun: string;
  candRa: string;
  baseRun: string;
  baseRa: string;
  raFrom: AgentClashSection['baseline_resolution']['run_agent_from'];
  others: string[];
  candAgents: Map<string, Event[]>;
  baseAgents: Map<string, Event[]>;
  gate: Gate;
  comparison: Obj | null;
  releaseGate: Obj;
  derived: string[];
  notices: string[];
}

/** Deployment type: META's, else the one system.run.started records, else derived. */
function deploymentType(
  inputs: AgentClashInputs,
  role: 'candidate' | 'baseline',
  evs: Event[],
  derived: string[],
): 'native' | 'hosted_external' {
  const fromMeta = field(inputs.meta, `${role}.deployment_type`);
  if (fromMeta === 'native' || fromMeta === 'hosted_external') return fromMeta;
  const recorded = recordedDeploymentType(evs);
  if (recorded) return recorded;
  derived.push(`/${role}/deployment_type`);
  // Hosted agents report through hosted_external / hosted_callback; every other source is one
  // of AgentClash's own engines. With no events at all, a CI deployment of an agent build is native.
  return evs.some((e) => e.source === 'hosted_external' || e.source === 'hosted_callback') ? 'hosted_external' : 'native';
}

/** The packet's agents, scorecard and replay files, and the `agentclash` section. */
function assemble(inputs: AgentClashInputs, p: Parts): { payload: Map<string, Uint8Array>; packet: Packet } {
  const { ci } = inputs;
  const { derived } = p;
  const pack = inputs.pack && isObj(inputs.pack.doc) ? inputs.pack.doc : undefined;
  const payload = new Map<string, Uint8Array>();
  const enc = new TextEncoder();
  const offloads: OffloadNote[] = [];
  const scorecardDoc = isObj(field(ci.scorecard, 'payload')) ? obj(field(ci.scorecard, 'payload')) : null;
  const roles = [
    {
      role: 'candidate' as const,
      ra: p.candRa,
      evs: p.candAgents.get(p.candRa) ?? [],
      label: str(field(ci.run, 'candidate.deployment_name')) ?? 'candidate',
    },
    {
      role: 'baseline' as const,
      ra: p.baseRa,
      evs: p.baseAgents.get(p.baseRa) ?? [],
      label: str(field(ci.run, 'baseline.run_name')) ?? 'baseline',
    },
  ];
  const types = roles.map((r) => deploymentType(inputs, r.role, r.evs, derived));
  roles.forEach((r, i) => {
    if (r.label === r.role) derived.push(`/${r.role}/label`, `/agents/${i}/label`);
  });
  const missing: AgentClashSection['missing_exports'] = [];
  const agents = roles.map((r, i) => {
    const exported = r.evs.length > 0;
    if (!exported) {
      missing.push({ run_agent_id: r.ra, role: r.role });
      p.notices.push(`no event export of the ${r.role}'s run agent ${r.ra} was given: its replay is missing from the bundle.`);
    }
    const replayFiles = exported ? splitReplay(r.ra, r.evs, offloads) : new Map<string, Uint8Array>();
    for (const [path, bytes] of replayFiles) payload.set(path, bytes);
    let scorecard: string | null = null;
    const sc =
      r.role === 'candidate' ? (scorecardDoc && scorecardDoc.state === 'ready' ? scorecardDoc : null) : inputs.baselineScorecard?.doc;
    if (isObj(sc)) {
      scorecard = `data/scorecards/${r.ra}.json`;
      payload.set(scorecard, enc.encode(`${JSON.stringify(sc, null, 2)}\n`));
    }
    const replay = replayFiles.size === 0 ? null : replayFiles.size === 1 ? [...replayFiles.keys()][0]! : `data/replays/${r.ra}/`;
    return buildAgent(
      { role: r.role, index: i, runAgentId: r.ra, label: r.label, deploymentType: types[i]!, events: r.evs, exported, replay, scorecard },
      pack,
      derived,
    );
  });
  if (p.others.length)
    p.notices.push(
      `the baseline run has ${p.others.length} other agent(s) (${p.others.join(', ')}); only ${p.baseRa}'s events are replayed, the export is kept whole.`,
    );
  if (offloads.length) p.notices.push(`${offloads.length} offloaded payload(s) are not in the export and were replaced by marked notes.`);
  for (const [name, bytes] of inputs.verbatim) payload.set(`data/agentclash/${name}`, bytes);

  const allEvents = [...p.candAgents.values(), ...p.baseAgents.values()].flat();
  const roleOf = (ra: string) =>
    (ra === p.candRa ? 'candidate' : ra === p.baseRa ? 'baseline' : 'other') as 'candidate' | 'baseline' | 'other';
  const section: AgentClashSection = {
    ci: ciSection(ci.run, ci.result),
    baseline_resolution: baselineResolution(inputs, p),
    gate: gateSection(p.releaseGate),
    comparison: comparisonSection(p.comparison),
    scorecard: scorecardSection(scorecardDoc, p.candRa),
    provider_failures: providerFailures(allEvents, roleOf),
    missing_exports: missing,
    offloaded_payloads: offloads,
  };
  const packet = packetOf(inputs, p, types, agents, pack, section);
  return { payload, packet };
}

function baselineResolution(inputs: AgentClashInputs, p: Parts): AgentClashSection['baseline_resolution'] {
  const r = obj(inputs.ci.result ? field(inputs.ci.result, 'payload.baseline_resolution') : undefined);
  const b = obj(field(inputs.ci.run, 'baseline'));
  return {
    strategy: str(r.strategy),
    source: str(r.source),
    reason: str(r.reason),
    warnings: Array.isArray(r.warnings) ? r.warnings.filter((w): w is string => typeof w === 'string') : [],
    refresh_mode: str(obj(r.refresh).mode),
    run_agent_from: p.raFrom,
    run_status: str(b.status),
    run_created_at: str(b.created_at),
    run_finished_at: str(b.finished_at),
    other_run_agents: p.others,
  };
}
