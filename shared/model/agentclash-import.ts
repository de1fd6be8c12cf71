// Maps AgentClash CI artifacts, event exports, the challenge pack and the CI manifest onto
// an EVB/1 payload (spec 4.1 and 4.2). Pure: the CLI reads and parses the files. Every
// field that upstream does not record is derived here and listed in the packet's `derived`
// (JSON Pointers); docs/agentclash-import.md documents the mapping field by field.

import type { Agent, EvidenceTier, Packet, Ref } from './packet-types';
import { PACKET_SCHEMA } from './packet-types';

export const CI_ARTIFACT_SCHEMA = '2026-05-04';
export const EVENT_SCHEMA = '2026-03-15';
const CHUNK_ABOVE = 10_000;
const CHUNK_SIZE = 5_000;

/** An input file, parsed, with its name for messages. */
export interface Parsed<T = unknown> {
  file: string;
  doc: T;
}

export interface AgentClashInputs {
  bundleId: string;
  /** CI artifacts by kind suffix: run, scorecard, comparison, gate, result (result optional). */
  ci: { run: Parsed; scorecard: Parsed; comparison: Parsed; gate: Parsed; result?: Parsed };
  /** `agentclash run events export` JSONL files. */
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

/** A problem with the inputs, naming the file and the field (or line). */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field ? `${field} ` : ''}${message}`);
    this.name = 'ImportError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function field(p: Parsed, path: string): unknown {
  let v: unknown = p.doc;
  for (const k of path.split('.')) v = isObj(v) && Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined;
  return v;
}

function need(p: Parsed, path: string): string {
  const v = str(field(p, path));
  if (v === null) throw new ImportError(p.file, path, 'is missing or empty.');
  return v;
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

interface Event {
  run_id: string;
  run_agent_id: string;
  sequence_number: number;
  event_type: string;
  source: string;
  payload: Obj;
  line: string;
}

function parseEvents(files: AgentClashInputs['events'], runIds: Set<string>): Event[] {
  const out: Event[] = [];
  for (const f of files) {
    f.text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `line ${i + 1}`;
      let e: unknown;
      try {
        e = JSON.parse(line);
      } catch {
        throw new ImportError(f.file, where, 'is not JSON.');
      }
      if (!isObj(e)) throw new ImportError(f.file, where, 'is not a JSON object.');
      if (e.schema_version !== EVENT_SCHEMA)
        throw new ImportError(
          f.file,
          `${where} schema_version`,
          `is ${JSON.stringify(e.schema_version)}; expected the canonical envelope schema ${EVENT_SCHEMA}.`,
        );
      const runId = str(e.run_id);
      const ra = str(e.run_agent_id);
      const seq = e.sequence_number;
      if (!runId || !ra || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || !str(e.event_type)) {
        throw new ImportError(f.file, where, 'lacks run_id, run_agent_id, a positive integer sequence_number or event_type.');
      }
      if (!runIds.has(runId))
        throw new ImportError(
          f.file,
          `${where} run_id`,
          `is "${runId}", which is neither the candidate's nor the baseline's run: events of another run?`,
        );
      out.push({
        run_id: runId,
        run_agent_id: ra,
        sequence_number: seq,
        event_type: e.event_type as string,
        source: str(e.source) ?? '',
        payload: isObj(e.payload) ? e.payload : {},
        line,
      });
    });
  }
  return out;
}

/** AgentClash's evidence-tier rule (re-derived upstream too; never stored on runs). */
export function deriveEvidenceTier(deploymentType: 'native' | 'hosted_external' | null, events: Event[]): EvidenceTier {
  if (events.length === 0) return 'none';
  if (deploymentType === 'native') return 'native_structured';
  if (deploymentType === 'hosted_external') {
    const structured = events.some(
      (e) => /^(model\.call\.|tool\.call\.|sandbox\.command\.)/.test(e.event_type) || e.event_type === 'system.output.finalized',
    );
    return structured ? 'hosted_structured' : 'hosted_black_box';
  }
  return 'derived_summary';
}

function splitReplay(runAgentId: string, events: Event[], file: string): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  const sorted = [...events].sort((a, b) => a.sequence_number - b.sequence_number);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.sequence_number === sorted[i - 1]!.sequence_number) {
      throw new ImportError(file, `sequence_number ${sorted[i]!.sequence_number}`, `appears twice for run agent ${runAgentId}.`);
    }
  }
  const out = new Map<string, Uint8Array>();
  if (sorted.length <= CHUNK_ABOVE) {
    out.set(`data/replays/${runAgentId}.jsonl`, enc.encode(sorted.map((e) => `${e.line}\n`).join('')));
    return out;
  }
  for (let i = 0; i < sorted.length; i += CHUNK_SIZE) {
    const chunk = sorted.slice(i, i + CHUNK_SIZE);
    out.set(
      `data/replays/${runAgentId}/${String(chunk[0]!.sequence_number).padStart(10, '0')}.jsonl`,
      enc.encode(chunk.map((e) => `${e.line}\n`).join('')),
    );
  }
  return out;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Builds the payload (files under data/) of the bundle. */
export function importAgentClash(inputs: AgentClashInputs): { payload: Map<string, Uint8Array>; packet: Packet } {
  const { ci } = inputs;
  checkEnvelope(ci.run, 'agentclash.ci.run');
  checkEnvelope(ci.scorecard, 'agentclash.ci.scorecard');
  checkEnvelope(ci.comparison, 'agentclash.ci.comparison');
  checkEnvelope(ci.gate, 'agentclash.ci.gate');
  if (ci.result) checkEnvelope(ci.result, 'agentclash.ci.result');

  const candRun = need(ci.run, 'candidate.run_id');
  const candRa = need(ci.run, 'candidate.run_agent_id');
  const baseRun = need(ci.run, 'baseline.run_id');
  const baseRa = need(ci.run, 'baseline.run_agent_id');
  for (const [p, name] of [
    [ci.scorecard, 'scorecard'],
    [ci.comparison, 'comparison'],
    [ci.gate, 'gate'],
    ...(ci.result ? [[ci.result, 'result']] : []),
  ] as Array<[Parsed, string]>) {
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
  for (const id of [candRa, baseRa])
    if (!SAFE_NAME.test(id)) throw new ImportError(ci.run.file, 'run_agent_id', `"${id.slice(0, 80)}" cannot name a file in the bundle.`);

  const releaseGate = field(ci.gate, 'payload.release_gate');
  if (!isObj(releaseGate)) throw new ImportError(ci.gate.file, 'payload.release_gate', 'is missing: not a release-gate evaluation.');
  const gateCand = str(field(ci.gate, 'payload.candidate_run_id'));
  if (gateCand && gateCand !== candRun)
    throw new ImportError(
      ci.gate.file,
      'payload.candidate_run_id',
      `is "${gateCand}", but the CI run's candidate is "${candRun}": a gate for other run ids.`,
    );

  const events = parseEvents(inputs.events, new Set([candRun, baseRun]));
  const byAgent = new Map<string, Event[]>([
    [candRa, []],
    [baseRa, []],
  ]);
  for (const e of events) {
    if (!byAgent.has(e.run_agent_id))
      throw new ImportError(
        inputs.events[0]!.file,
        'run_agent_id',
        `"${e.run_agent_id}" (sequence ${e.sequence_number}) is neither the candidate's nor the baseline's run agent.`,
      );
    byAgent.get(e.run_agent_id)!.push(e);
  }

  const derived: string[] = [];
  const meta = inputs.meta;
  const metaField = (path: string) => (meta ? field(meta, path) : undefined);
  const pack = inputs.pack;
  const packField = (path: string) => (pack ? field(pack, path) : undefined);
  const manifest = inputs.ciManifest;

  // Participants.
  const deploymentType = (role: 'candidate' | 'baseline'): 'native' | 'hosted_external' => {
    const fromMeta = metaField(`${role}.deployment_type`);
    if (fromMeta === 'native' || fromMeta === 'hosted_external') return fromMeta;
    derived.push(`/${role}/deployment_type`);
    const evs = byAgent.get(role === 'candidate' ? candRa : baseRa)!;
    return evs.length === 0 || evs.some((e) => e.source === 'native_engine') ? 'native' : 'hosted_external';
  };
  const candidateType = deploymentType('candidate');
  const baselineType = deploymentType('baseline');
  const maxAge = num(manifest ? field(manifest, 'baseline.max_age_days') : undefined);
  const strategy = ci.result ? str(field(ci.result, 'payload.baseline_resolution.strategy')) : null;
  if (!strategy) derived.push('/baseline/selection/strategy');

  // Workload.
  const packName = pack?.file.split('/').pop();
  const packFile = packName && inputs.verbatim.has(packName) ? `data/agentclash/${packName}` : null;
  const inputSetId = str(manifest ? field(manifest, 'evaluation.input_set_id') : undefined) ?? str(field(ci.run, 'baseline.input_set_id'));
  const inputSets = packField('input_sets');
  const firstSet = Array.isArray(inputSets) && isObj(inputSets[0]) ? inputSets[0] : null;

  // Gate.
  const details = isObj(releaseGate.evaluation_details) ? releaseGate.evaluation_details : {};
  const deltas = field(ci.comparison, 'payload.dimension_deltas');
  const dimensionResults: Packet['gate']['dimension_results'] = {};
  if (isObj(details.dimension_results)) {
    for (const [key, raw] of Object.entries(details.dimension_results)) {
      if (!isObj(raw)) continue;
      const delta = isObj(deltas) && isObj(deltas[key]) ? (deltas[key] as Obj) : {};
      const state =
        (['available', 'unavailable', 'missing_baseline', 'missing_candidate', 'error'] as const).find((s) => s === raw.state) ??
        'unavailable';
      const outcome = (['pass', 'warn', 'fail', 'unavailable'] as const).find((s) => s === raw.outcome) ?? 'unavailable';
      dimensionResults[key] = {
        state,
        better_direction: raw.better_direction === 'lower' ? 'lower' : 'higher',
        baseline_value: num(delta.baseline_value),
        candidate_value: num(delta.candidate_value),
        observed_delta: num(raw.observed_delta),
        worsening_delta: num(raw.worsening_delta),
        warn_threshold: num(raw.warn_threshold),
        fail_threshold: num(raw.fail_threshold),
        outcome,
      };
    }
  }
  const triggered = Array.isArray(details.triggered_conditions)
    ? details.triggered_conditions.filter((c): c is string => typeof c === 'string')
    : [];
  const policy = isObj(releaseGate.policy_snapshot) ? releaseGate.policy_snapshot : {};
  const autoFail: Packet['gate']['auto_fail_conditions'] = [];
  const policyConditions: Array<[string, string]> = [
    ['fail_on_candidate_failure', 'The candidate run failed'],
    ['fail_on_both_failed_differently', 'Baseline and candidate both failed, differently'],
    ['require_scorecard_pass', 'The candidate scorecard did not pass'],
    ['require_comparable', 'Baseline and candidate are not comparable'],
  ];
  for (const [key, description] of policyConditions) {
    if (policy[key] === true) autoFail.push({ key, description, triggered: triggered.includes(key), evidence: [] });
  }
  const violations = Array.isArray(details.regression_violations) ? details.regression_violations.filter(isObj) : [];
  violations.forEach((v, i) => {
    const refs: Ref[] = [];
    const stepRefs = isObj(v.evidence) && Array.isArray(v.evidence.replay_step_refs) ? v.evidence.replay_step_refs : [];
    for (const r of stepRefs)
      if (isObj(r) && typeof r.sequence_number === 'number')
        refs.push({ run_agent_id: candRa, sequence_number: r.sequence_number, note: str(r.event_type) });
    autoFail.push({
      key: `regression:${str(v.rule) ?? i}`,
      description: `Regression rule ${str(v.rule) ?? i} (${str(v.severity) ?? 'unknown severity'}), observed ${num(v.observed_count) ?? 'n/a'} time(s)`,
      triggered: true,
      evidence: refs,
    });
  });
  if (autoFail.length) derived.push('/gate/auto_fail_conditions');

  const verdict = (['pass', 'warn', 'fail', 'insufficient_evidence'] as const).find((v) => v === releaseGate.verdict);
  if (!verdict)
    throw new ImportError(
      ci.gate.file,
      'payload.release_gate.verdict',
      `is ${JSON.stringify(releaseGate.verdict)}; expected pass, warn, fail or insufficient_evidence.`,
    );

  // Decision: upstream models none of it; META.yaml gives it, or it is derived from the verdict.
  let decision: Packet['decision'];
  const metaDecision = metaField('decision');
  if (isObj(metaDecision)) {
    const rec = metaDecision.recommendation;
    if (rec !== 'ship' && rec !== 'block' && rec !== 'conditional_ship')
      throw new ImportError(meta!.file, 'decision.recommendation', 'must be ship, block or conditional_ship.');
    decision = {
      recommendation: rec,
      deciding_metric: str(metaDecision.deciding_metric) ?? triggered[0] ?? Object.keys(dimensionResults)[0] ?? 'verdict',
      conditions: Array.isArray(metaDecision.conditions) ? metaDecision.conditions.filter((c): c is string => typeof c === 'string') : [],
      rationale: str(metaDecision.rationale),
    };
  } else {
    decision = {
      recommendation: verdict === 'pass' ? 'ship' : verdict === 'warn' ? 'conditional_ship' : 'block',
      deciding_metric:
        Object.entries(dimensionResults).find(([, d]) => d.outcome === 'fail' || d.outcome === 'warn')?.[0] ??
        autoFail.find((c) => c.triggered)?.key ??
        Object.keys(dimensionResults)[0] ??
        'verdict',
      conditions: [],
      rationale: `Derived from the gate verdict "${verdict}" (no META.yaml decision).`,
    };
    derived.push('/decision');
  }
  // The deciding metric must name a dimension or a condition.
  if (!(decision.deciding_metric in dimensionResults) && !autoFail.some((c) => c.key === decision.deciding_metric)) {
    autoFail.push({
      key: decision.deciding_metric,
      description: `Deciding condition named by the producer: ${decision.deciding_metric}`,
      triggered: true,
      evidence: [],
    });
  }

  const person = (v: unknown) => (isObj(v) && str(v.name) ? { name: str(v.name)!, email: str(v.email) } : null);
  const owners: Packet['owners'] = {
    release_owner: person(metaField('owners.release_owner')),
    rollback_owner: person(metaField('owners.rollback_owner')),
    approvers: Array.isArray(metaField('owners.approvers'))
      ? (metaField('owners.approvers') as unknown[])
          .filter(isObj)
          .flatMap((a) => (str(a.name) ? [{ name: str(a.name)!, email: str(a.email), role: str(a.role) ?? 'approver' }] : []))
      : [],
  };

  // Agents.
  const toolPolicy = packField('version.tool_policy');
  const sandbox = packField('version.sandbox');
  const allowlist =
    isObj(sandbox) && Array.isArray(sandbox.network_allowlist)
      ? sandbox.network_allowlist.filter((h): h is string => typeof h === 'string')
      : [];
  const networkAccess = isObj(sandbox) ? sandbox.network_access : undefined;
  const secrets = packField('security.planted_secrets');
  const payload = new Map<string, Uint8Array>();
  const enc = new TextEncoder();
  const agent = (role: 'candidate' | 'baseline'): Agent => {
    const ra = role === 'candidate' ? candRa : baseRa;
    const evs = byAgent.get(ra)!;
    const replayFiles = evs.length ? splitReplay(ra, evs, inputs.events[0]!.file) : new Map<string, Uint8Array>();
    for (const [p, b] of replayFiles) payload.set(p, b);
    const tools = [
      ...new Set(
        evs
          .filter((e) => e.event_type.startsWith('tool.call.'))
          .map((e) => str(e.payload.tool_name))
          .filter((t): t is string => t !== null),
      ),
    ].sort();
    const models = [
      ...new Set(
        evs
          .filter((e) => e.event_type === 'model.call.completed')
          .map((e) => [str(e.payload.provider_key), str(e.payload.provider_model_id) ?? str(e.payload.model)].filter(Boolean).join('/'))
          .filter(Boolean),
      ),
    ].sort();
    const index = role === 'candidate' ? 0 : 1;
    derived.push(`/agents/${index}/evidence_tier`, `/agents/${index}/permissions/observed`);
    let scorecardPath: string | null = null;
    const sc = role === 'candidate' ? field(ci.scorecard, 'payload') : inputs.baselineScorecard?.doc;
    if (isObj(sc)) {
      scorecardPath = `data/scorecards/${ra}.json`;
      payload.set(scorecardPath, enc.encode(`${JSON.stringify(sc, null, 2)}\n`));
    }
    return {
      run_agent_id: ra,
      role,
      label:
        role === 'candidate'
          ? (str(field(ci.run, 'candidate.deployment_name')) ?? 'candidate')
          : (str(field(ci.run, 'baseline.run_name')) ?? 'baseline'),
      evidence_tier: deriveEvidenceTier(role === 'candidate' ? candidateType : baselineType, evs),
      tool_policy: isObj(toolPolicy)
        ? {
            allowed_tool_kinds: Array.isArray(toolPolicy.allowed_tool_kinds)
              ? toolPolicy.allowed_tool_kinds.filter((t): t is string => typeof t === 'string')
              : [],
            allow_shell: toolPolicy.allow_shell === true,
            allow_network: toolPolicy.allow_network === true,
            max_tool_calls: num(toolPolicy.max_tool_calls),
          }
        : null,
      network: isObj(sandbox)
        ? {
            access: networkAccess === true ? (allowlist.length ? 'allowlist' : 'open') : allowlist.length ? 'allowlist' : 'none',
            allowlist,
          }
        : null,
      secrets: Array.isArray(secrets)
        ? { handling: 'Planted canary secrets (AgentClash security section)', planted_canaries: secrets.length, leaks_detected: null }
        : null,
      ai_bom: models.length ? { models, rag_sources: [], external_apis: [], frameworks: [] } : null,
      permissions: isObj(toolPolicy)
        ? {
            declared: Array.isArray(toolPolicy.allowed_tool_kinds)
              ? toolPolicy.allowed_tool_kinds.filter((t): t is string => typeof t === 'string')
              : [],
            observed: evs.length ? tools : null,
          }
        : null,
      routing: null,
      scorecard: scorecardPath,
      replay: replayFiles.size === 0 ? null : replayFiles.size === 1 ? [...replayFiles.keys()][0]! : `data/replays/${ra}/`,
    };
  };
  const agents = [agent('candidate'), agent('baseline')];

  for (const [name, bytes] of inputs.verbatim) payload.set(`data/agentclash/${name}`, bytes);

  const retention = metaField('retention');
  const packet: Packet = {
    schema: PACKET_SCHEMA,
    bundle_id: inputs.bundleId,
    title:
      str(metaField('title')) ??
      `${str(packField('pack.name')) ?? 'AgentClash'} release gate: ${agents[0]!.label} against ${agents[1]!.label}`,
    created_at: str(field(ci.gate, 'generated_at')) ?? inputs.now,
    producer: { name: 'AgentClash CI (imported by Exhibit)', version: null, workspace_id: str(field(ci.run, 'workspace_id')) },
    candidate: {
      label: agents[0]!.label,
      agent_build_id: str(field(ci.run, 'candidate.agent_build_id')),
      build_version_id: str(field(ci.run, 'candidate.build_version_id')),
      deployment_id: str(field(ci.run, 'candidate.deployment_id')),
      deployment_name: str(field(ci.run, 'candidate.deployment_name')),
      snapshot_hash: null,
      deployment_type: candidateType,
      run_id: candRun,
      run_agent_id: candRa,
    },
    baseline: {
      label: agents[1]!.label,
      agent_build_id: null,
      build_version_id: null,
      deployment_id: str(field(ci.run, 'baseline.deployment_id')),
      deployment_name: null,
      snapshot_hash: null,
      deployment_type: baselineType,
      run_id: baseRun,
      run_agent_id: baseRa,
      selection: {
        strategy: strategy === 'deployment_latest_completed' ? 'deployment_latest_completed' : 'locked_run',
        max_age_days: maxAge,
        age_days: num(field(ci.run, 'baseline.age_days')),
      },
    },
    workload: {
      challenge_pack: {
        slug: str(packField('pack.slug')) ?? 'unknown',
        name: str(packField('pack.name')) ?? 'unknown',
        version_number: num(packField('version.number')) ?? 0,
        version_id: str(field(ci.run, 'challenge_pack_version_id')) ?? 'unknown',
        manifest_sha256: null,
        file: packFile,
      },
      input_set: {
        key: str(firstSet?.key) ?? inputSetId ?? 'unknown',
        id: inputSetId ?? 'unknown',
        name: str(firstSet?.name),
        input_sha256: null,
        case_count: Array.isArray(firstSet?.cases) ? (firstSet!.cases as unknown[]).length : null,
      },
    },
    gate: {
      policy,
      policy_sha256: /^[0-9a-f]{64}$/.test(String(releaseGate.policy_fingerprint)) ? String(releaseGate.policy_fingerprint) : null,
      verdict,
      reason_code: str(releaseGate.reason_code) ?? 'unknown',
      summary: str(releaseGate.summary),
      triggered_conditions: triggered,
      dimension_results: dimensionResults,
      auto_fail_conditions: autoFail,
    },
    decision,
    owners,
    retention: {
      policy: isObj(retention) ? str(retention.policy) : null,
      replay_retention_days: isObj(retention) ? num(retention.replay_retention_days) : null,
      retain_until: isObj(retention) ? str(retention.retain_until) : null,
    },
    agents,
    cases: [],
    pricing: null,
    attachments: [],
    derived: [...new Set(derived)].sort(),
  };
  payload.set('data/packet.json', enc.encode(`${JSON.stringify(packet, null, 2)}\n`));
  return { payload, packet };
}
