// data/packet.json: parsing and validation against spec section 4.1. Every problem is a
// finding that names the field as a JSON Pointer; unknown fields are kept and ignored.

import type { Finding, PacketFindingCode } from '../evb/report';
import type { Packet } from './packet-types';
import { PACKET_SCHEMA } from './packet-types';
import { MAX_PACKET_BYTES } from '../evb/limits';

const ENTRY = 'data/packet.json';
const MAX_FINDINGS = 200;
const MAX_DEPTH = 64;

type Json = unknown;
interface Ctx {
  findings: Finding[];
}
type Rule = (value: Json, pointer: string, ctx: Ctx) => void;

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function report(ctx: Ctx, code: PacketFindingCode, pointer: string, message: string): void {
  if (ctx.findings.length > MAX_FINDINGS) return;
  if (ctx.findings.length === MAX_FINDINGS) {
    ctx.findings.push({
      code: 'packet-too-many-findings',
      layer: 'packet',
      severity: 'malformed',
      entry: ENTRY,
      field: '/',
      message: `${ENTRY}: / has more problems; only the first ${MAX_FINDINGS} are listed.`,
    });
    return;
  }
  ctx.findings.push({
    code,
    layer: 'packet',
    severity: 'malformed',
    entry: ENTRY,
    field: pointer || '/',
    message: `${ENTRY}: ${pointer || '/'} ${message}`,
  });
}

const isObj = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Rule = (v, p, ctx) => {
  if (typeof v !== 'string') report(ctx, 'packet-invalid-field', p, `must be a string; got ${describe(v)}.`);
};
const nonEmpty: Rule = (v, p, ctx) => {
  if (typeof v !== 'string' || v.trim() === '') report(ctx, 'packet-invalid-field', p, `must be a non-empty string; got ${describe(v)}.`);
};
const bool: Rule = (v, p, ctx) => {
  if (typeof v !== 'boolean') report(ctx, 'packet-invalid-field', p, `must be true or false; got ${describe(v)}.`);
};
const num: Rule = (v, p, ctx) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) report(ctx, 'packet-invalid-field', p, `must be a number; got ${describe(v)}.`);
};
const count: Rule = (v, p, ctx) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    report(ctx, 'packet-invalid-field', p, `must be an integer of 0 or more; got ${describe(v)}.`);
};
const amount: Rule = (v, p, ctx) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
    report(ctx, 'packet-invalid-field', p, `must be a number of 0 or more; got ${describe(v)}.`);
};
const positiveInt: Rule = (v, p, ctx) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    report(ctx, 'packet-invalid-field', p, `must be an integer of 1 or more; got ${describe(v)}.`);
};
const TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A real calendar day (no 2026-02-30), which Date.parse does not check. */
function realDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}
function isTime(v: Json): boolean {
  if (typeof v !== 'string') return false;
  const m = TIME.exec(v);
  if (!m) return false;
  const [, y, mo, d, h, mi, se, , , oh, om] = m;
  // Second 60 is a leap second (RFC 3339 allows it).
  if (!realDay(+y!, +mo!, +d!) || +h! > 23 || +mi! > 59 || +se! > 60) return false;
  return oh === undefined || (+oh <= 23 && +om! <= 59);
}
const time: Rule = (v, p, ctx) => {
  if (!isTime(v)) report(ctx, 'packet-invalid-field', p, `must be an RFC 3339 time (e.g. 2026-11-02T14:02:37Z); got ${describe(v)}.`);
};
const date: Rule = (v, p, ctx) => {
  const m = typeof v === 'string' ? DATE.exec(v) : null;
  if (!m || !realDay(+m[1]!, +m[2]!, +m[3]!)) report(ctx, 'packet-invalid-field', p, `must be a date (YYYY-MM-DD); got ${describe(v)}.`);
};
const hex64: Rule = (v, p, ctx) => {
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v))
    report(ctx, 'packet-invalid-field', p, `must be a SHA-256 as 64 lowercase hex digits; got ${describe(v)}.`);
};
const oneOf =
  (...options: string[]): Rule =>
  (v, p, ctx) => {
    if (typeof v !== 'string' || !options.includes(v))
      report(ctx, 'packet-invalid-field', p, `must be one of ${options.join(', ')}; got ${describe(v)}.`);
  };
const nullable =
  (rule: Rule): Rule =>
  (v, p, ctx) => {
    if (v !== null) rule(v, p, ctx);
  };
const arrayOf =
  (rule: Rule): Rule =>
  (v, p, ctx) => {
    if (!Array.isArray(v)) return report(ctx, 'packet-invalid-field', p, `must be an array; got ${describe(v)}.`);
    v.forEach((item, i) => rule(item, `${p}/${i}`, ctx));
  };
const mapOf =
  (rule: Rule): Rule =>
  (v, p, ctx) => {
    if (!isObj(v)) return report(ctx, 'packet-invalid-field', p, `must be an object; got ${describe(v)}.`);
    for (const key of Object.keys(v)) rule(v[key], `${p}/${escapePointer(key)}`, ctx);
  };
/** An object with required fields (a key's absence is reported; `null` must be allowed by its rule). */
const object =
  (fields: Record<string, Rule>, optional: Record<string, Rule> = {}): Rule =>
  (v, p, ctx) => {
    if (!isObj(v)) return report(ctx, 'packet-invalid-field', p, `must be an object; got ${describe(v)}.`);
    for (const [key, rule] of Object.entries(fields)) {
      const child = `${p}/${escapePointer(key)}`;
      if (!Object.prototype.hasOwnProperty.call(v, key))
        report(ctx, 'packet-missing-field', child, 'is missing (use null where the value was not recorded).');
      else rule(v[key], child, ctx);
    }
    for (const [key, rule] of Object.entries(optional)) {
      if (Object.prototype.hasOwnProperty.call(v, key)) rule(v[key], `${p}/${escapePointer(key)}`, ctx);
    }
  };

const jsonPointer: Rule = (v, p, ctx) => {
  if (typeof v !== 'string' || !/^(\/([^~/]|~[01])*)*$/.test(v))
    report(ctx, 'packet-invalid-field', p, `must be a JSON Pointer (RFC 6901), e.g. "/gate/summary"; got ${describe(v)}.`);
};

const person = object({ name: nonEmpty, email: nullable(str) });
const ref = object({ run_agent_id: nonEmpty, sequence_number: positiveInt, note: nullable(str) });
const participantFields = {
  label: str,
  agent_build_id: nullable(str),
  build_version_id: nullable(str),
  deployment_id: nullable(str),
  deployment_name: nullable(str),
  snapshot_hash: nullable(str),
  deployment_type: oneOf('native', 'hosted_external'),
  run_id: nonEmpty,
  run_agent_id: nonEmpty,
};
const outcome = object({
  verdict: oneOf('pass', 'fail', 'error', 'unavailable'),
  score: nullable(num),
  cost_usd: nullable(amount),
  latency_ms: nullable(amount),
});
const agent = object({
  run_agent_id: nonEmpty,
  role: oneOf('baseline', 'candidate'),
  label: str,
  evidence_tier: oneOf('native_structured', 'hosted_structured', 'hosted_black_box', 'derived_summary', 'none'),
  tool_policy: nullable(
    object({ allowed_tool_kinds: arrayOf(str), allow_shell: bool, allow_network: bool, max_tool_calls: nullable(count) }),
  ),
  network: nullable(object({ access: oneOf('none', 'allowlist', 'open'), allowlist: arrayOf(str) })),
  secrets: nullable(object({ handling: str, planted_canaries: nullable(count), leaks_detected: nullable(count) })),
  ai_bom: nullable(object({ models: arrayOf(str), rag_sources: arrayOf(str), external_apis: arrayOf(str), frameworks: arrayOf(str) })),
  permissions: nullable(object({ declared: arrayOf(str), observed: nullable(arrayOf(str)) })),
  routing: nullable(object({ policy_kind: oneOf('single_model', 'fallback', 'budget_aware', 'latency_aware'), models: arrayOf(str) })),
  scorecard: nullable(str),
  replay: nullable(str),
});

const [nullableTime, optionalStr] = [nullable(time), nullable(str)];
const anyObject: Rule = (v, p, ctx) => {
  if (!isObj(v)) report(ctx, 'packet-invalid-field', p, `must be an object; got ${describe(v)}.`);
};
// The optional `agentclash` section (packet-types.ts AgentClashSection) of `exhibit import agentclash`.
const agentclashSection = object({
  ci: object({
    exit_code: nullable(count),
    errors: arrayOf(str),
    failure_reason: optionalStr,
    run_status: optionalStr,
    run_url: optionalStr,
    run_created_at: nullableTime,
    run_started_at: nullableTime,
    run_finished_at: nullableTime,
    ci_metadata: nullable(
      mapOf((v, p, ctx) => {
        if (typeof v !== 'string' && !(typeof v === 'number' && Number.isSafeInteger(v)))
          report(ctx, 'packet-invalid-field', p, `must be a string or an integer; got ${describe(v)}.`);
      }),
    ),
  }),
  baseline_resolution: object({
    strategy: optionalStr,
    source: optionalStr,
    reason: optionalStr,
    warnings: arrayOf(str),
    refresh_mode: optionalStr,
    run_agent_from: oneOf('ci_run', 'comparison', 'single_agent_export'),
    run_status: optionalStr,
    run_created_at: nullableTime,
    run_finished_at: nullableTime,
    other_run_agents: arrayOf(nonEmpty),
  }),
  gate: object({
    id: optionalStr,
    generated_at: nullableTime,
    evidence_status: optionalStr,
    comparison_status: optionalStr,
    missing_fields: arrayOf(str),
    warnings: arrayOf(str),
    scorecard_validity: nullable(anyObject),
    upstream_policy_fingerprint: optionalStr,
    dimension_results: anyObject,
  }),
  comparison: nullable(
    object({
      state: optionalStr,
      status: optionalStr,
      reason_code: optionalStr,
      generated_at: nullableTime,
      key_deltas: arrayOf(anyObject),
      regression_reasons: arrayOf(str),
      evidence_quality: object({ missing_fields: arrayOf(str), warnings: arrayOf(str) }),
      failure_divergence: nullable(anyObject),
    }),
  ),
  scorecard: nullable(
    object({
      run_agent_id: nonEmpty,
      state: optionalStr,
      message: optionalStr,
      run_agent_status: optionalStr,
      passed: nullable(bool),
      validity: optionalStr,
      validity_reason: optionalStr,
      overall_score: nullable(num),
      total_cost_usd: nullable(amount),
      cost_per_correct_usd: nullable(amount),
      cost_per_correct: nullable(
        object({ state: optionalStr, numerator: nullable(amount), denominator: nullable(amount), reason: optionalStr }),
      ),
      validators: arrayOf(
        object({
          key: str,
          verdict: optionalStr,
          state: optionalStr,
          outcome_class: optionalStr,
          reason: optionalStr,
          source_sequence: nullable(positiveInt),
          source_event_type: optionalStr,
        }),
      ),
    }),
  ),
  provider_failures: arrayOf(
    object({
      run_agent_id: nonEmpty,
      role: oneOf('candidate', 'baseline', 'other'),
      sequence_number: positiveInt,
      error: optionalStr,
      provider_key: optionalStr,
      code: optionalStr,
      retryable: nullable(bool),
      message: optionalStr,
    }),
  ),
  missing_exports: arrayOf(object({ run_agent_id: nonEmpty, role: oneOf('candidate', 'baseline') })),
  offloaded_payloads: arrayOf(object({ run_agent_id: nonEmpty, sequence_number: positiveInt, ref: str, bytes: count, type: str })),
});

const packetRule = object(
  {
    schema: (v, p, ctx) => {
      if (v !== PACKET_SCHEMA) report(ctx, 'packet-invalid-field', p, `must be "${PACKET_SCHEMA}"; got ${describe(v)}.`);
    },
    bundle_id: nonEmpty,
    title: str,
    created_at: time,
    producer: object({ name: nonEmpty, version: nullable(str), workspace_id: nullable(str) }),
    candidate: object(participantFields),
    baseline: object({
      ...participantFields,
      selection: object({
        strategy: oneOf('locked_run', 'deployment_latest_completed'),
        max_age_days: nullable(count),
        age_days: nullable(amount),
      }),
    }),
    workload: object({
      challenge_pack: object({
        slug: nonEmpty,
        name: str,
        version_number: count,
        version_id: nonEmpty,
        manifest_sha256: nullable(hex64),
        file: nullable(str),
      }),
      input_set: object({ key: nonEmpty, id: nonEmpty, name: nullable(str), input_sha256: nullable(hex64), case_count: nullable(count) }),
    }),
    gate: object({
      policy: (v, p, ctx) => {
        if (!isObj(v)) report(ctx, 'packet-invalid-field', p, `must be an object (the policy snapshot); got ${describe(v)}.`);
      },
      policy_sha256: nullable(hex64),
      verdict: oneOf('pass', 'warn', 'fail', 'insufficient_evidence'),
      reason_code: str,
      summary: nullable(str),
      triggered_conditions: arrayOf(str),
      dimension_results: mapOf(
        object({
          state: oneOf('available', 'unavailable', 'missing_baseline', 'missing_candidate', 'error'),
          better_direction: oneOf('higher', 'lower'),
          baseline_value: nullable(num),
          candidate_value: nullable(num),
          observed_delta: nullable(num),
          worsening_delta: nullable(num),
          warn_threshold: nullable(num),
          fail_threshold: nullable(num),
          outcome: oneOf('pass', 'warn', 'fail', 'unavailable'),
        }),
      ),
      auto_fail_conditions: arrayOf(object({ key: nonEmpty, description: str, triggered: bool, evidence: arrayOf(ref) })),
    }),
    decision: object({
      recommendation: oneOf('ship', 'block', 'conditional_ship'),
      deciding_metric: nonEmpty,
      conditions: arrayOf(str),
      rationale: nullable(str),
    }),
    owners: object({
      release_owner: nullable(person),
      rollback_owner: nullable(person),
      approvers: arrayOf(object({ name: nonEmpty, email: nullable(str), role: str })),
    }),
    retention: object({ policy: nullable(str), replay_retention_days: nullable(count), retain_until: nullable(date) }),
    agents: arrayOf(agent),
    cases: arrayOf(
      object({
        case_key: nonEmpty,
        challenge_key: str,
        title: nullable(str),
        baseline: nullable(outcome),
        candidate: nullable(outcome),
        drove_verdict: bool,
        refs: arrayOf(ref),
      }),
    ),
    pricing: nullable(mapOf(object({ input_per_mtok_usd: amount, output_per_mtok_usd: amount }))),
    attachments: arrayOf(object({ path: nonEmpty, title: str, media_type: str })),
  },
  { derived: arrayOf(jsonPointer), agentclash: agentclashSection },
);

function depthOf(value: Json, limit: number): number {
  // Iterative, so a hostile deeply nested packet cannot overflow the stack here.
  let max = 0;
  const stack: Array<[Json, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    if (typeof v === 'object' && v !== null) for (const child of Object.values(v as object)) stack.push([child, d + 1]);
  }
  return max;
}

/** Cross-field rules of spec 4.1 that a field-by-field schema cannot express. */
function checkReferences(packet: Record<string, Json>, listedPaths: ReadonlySet<string>, ctx: Ctx): void {
  const agents = Array.isArray(packet.agents) ? (packet.agents as Array<Record<string, Json>>) : [];
  const agentIds = new Set(agents.filter(isObj).map((a) => a.run_agent_id));
  for (const role of ['candidate', 'baseline'] as const) {
    const p = packet[role];
    if (isObj(p) && typeof p.run_agent_id === 'string' && !agentIds.has(p.run_agent_id)) {
      report(
        ctx,
        'packet-invalid-field',
        `/${role}/run_agent_id`,
        `names run agent "${p.run_agent_id.slice(0, 80)}", which /agents does not list.`,
      );
    }
  }
  for (const role of ['candidate', 'baseline'] as const) {
    const p = packet[role];
    if (!isObj(p) || typeof p.run_agent_id !== 'string') continue;
    const i = agents.findIndex((a) => isObj(a) && a.run_agent_id === p.run_agent_id);
    if (i >= 0 && typeof agents[i]!.role === 'string' && agents[i]!.role !== role) {
      report(
        ctx,
        'packet-invalid-field',
        `/agents/${i}/role`,
        `must be "${role}": this agent is /${role}/run_agent_id; got ${describe(agents[i]!.role)}.`,
      );
    }
  }
  const firstSeen = (list: Json[], key: string, pointer: (i: number) => string) => {
    const seen = new Map<string, number>();
    list.forEach((item, i) => {
      if (!isObj(item) || typeof item[key] !== 'string') return;
      const k = item[key] as string;
      if (seen.has(k)) report(ctx, 'packet-duplicate-key', pointer(i), `repeats "${k.slice(0, 80)}", already at ${pointer(seen.get(k)!)}.`);
      else seen.set(k, i);
    });
  };
  firstSeen(agents, 'run_agent_id', (i) => `/agents/${i}/run_agent_id`);
  if (Array.isArray(packet.cases)) firstSeen(packet.cases, 'case_key', (i) => `/cases/${i}/case_key`);
  if (isObj(packet.gate) && Array.isArray(packet.gate.auto_fail_conditions))
    firstSeen(packet.gate.auto_fail_conditions, 'key', (i) => `/gate/auto_fail_conditions/${i}/key`);

  const isListed = (path: string) => listedPaths.has(path);
  const isListedFolder = (path: string) => {
    // Only a replay chunk folder, data/replays/<run_agent_id>/, may stand for its files.
    const folder = path.endsWith('/') ? path : `${path}/`;
    if (!/^data\/replays\/[^/]+\/$/.test(folder)) return false;
    for (const p of listedPaths) if (p.startsWith(folder)) return true;
    return false;
  };
  const checkPath = (value: Json, pointer: string, folderAllowed: boolean) => {
    if (typeof value !== 'string') return;
    if (!isListed(value) && !(folderAllowed && isListedFolder(value))) {
      report(ctx, 'packet-bad-path', pointer, `names "${value.slice(0, 120)}", which manifest-sha256.txt does not list.`);
    }
  };
  agents.forEach((a, i) => {
    if (!isObj(a)) return;
    checkPath(a.scorecard, `/agents/${i}/scorecard`, false);
    checkPath(a.replay, `/agents/${i}/replay`, true);
  });
  const attachments = Array.isArray(packet.attachments) ? packet.attachments : [];
  attachments.forEach((a, i) => isObj(a) && checkPath(a.path, `/attachments/${i}/path`, false));
  const workload = packet.workload;
  if (isObj(workload) && isObj(workload.challenge_pack)) checkPath(workload.challenge_pack.file, '/workload/challenge_pack/file', false);

  const gate = packet.gate;
  const decision = packet.decision;
  if (isObj(gate) && isObj(decision) && typeof decision.deciding_metric === 'string') {
    const dims = isObj(gate.dimension_results) ? Object.keys(gate.dimension_results) : [];
    const conditions = Array.isArray(gate.auto_fail_conditions) ? gate.auto_fail_conditions.filter(isObj).map((c) => c.key) : [];
    if (!dims.includes(decision.deciding_metric) && !conditions.includes(decision.deciding_metric)) {
      report(
        ctx,
        'packet-invalid-field',
        '/decision/deciding_metric',
        `names "${decision.deciding_metric.slice(0, 80)}", which is neither a dimension in /gate/dimension_results nor a key in /gate/auto_fail_conditions.`,
      );
    }
  }
}

/** Parses and validates data/packet.json. `listedPaths` are the paths of manifest-sha256.txt. */
export function parsePacket(bytes: Uint8Array, ctx: { listedPaths: ReadonlySet<string> }): { packet: Packet | null; findings: Finding[] } {
  const state: Ctx = { findings: [] };
  if (bytes.length > MAX_PACKET_BYTES) {
    report(state, 'packet-too-large', '', `is ${bytes.length} bytes; a packet may hold at most ${MAX_PACKET_BYTES}.`);
    return { packet: null, findings: state.findings };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    report(state, 'packet-not-utf8', '', 'is not valid UTF-8.');
    return { packet: null, findings: state.findings };
  }
  let value: Json;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    report(state, 'packet-not-json', '', `is not valid JSON: ${(e as Error).message.slice(0, 160)}.`);
    return { packet: null, findings: state.findings };
  }
  if (!isObj(value)) {
    report(state, 'packet-not-object', '', `must be a JSON object; got ${describe(value)}.`);
    return { packet: null, findings: state.findings };
  }
  if (depthOf(value, MAX_DEPTH) > MAX_DEPTH) {
    report(state, 'packet-too-deep', '', `nests deeper than ${MAX_DEPTH} levels.`);
    return { packet: null, findings: state.findings };
  }
  packetRule(value, '', state);
  checkReferences(value, ctx.listedPaths, state);
  return { packet: state.findings.length === 0 ? (value as unknown as Packet) : null, findings: state.findings };
}
