// One demo run agent's replay: its events as AgentClash canonical event envelopes, case by
// case, with the policy block, the routing fallback, the sandbox failure and the offloaded
// payload on the cases where they happen, and each case's outcome. The seeded generator is
// drawn in a fixed order, so the bytes never change.

import type { DemoCase } from './demo-data';
import {
  BASELINE,
  BASELINE_MODEL,
  CANDIDATE,
  CANDIDATE_MODELS,
  FALLBACK_CASE,
  OFFLOAD_CASE,
  POLICY_CASE,
  PRICING,
  SANDBOX_CASE,
  TRACKING_CASE,
  seeded,
} from './demo-data';
import type { Ref } from './packet-types';

interface Step {
  seq: number;
  /** occurred_at of the event. */
  at: string;
}

class ReplayWriter {
  private seq = 0;
  private clock: number;
  readonly lines: string[] = [];
  readonly offloaded = new Map<string, Uint8Array>();
  constructor(
    private readonly run: { run_id: string; run_agent_id: string },
    start: string,
  ) {
    this.clock = Date.parse(start);
  }
  emit(eventType: string, payload: Record<string, unknown>, advanceMs = 40): Step {
    this.seq += 1;
    this.clock += advanceMs;
    const at = new Date(this.clock).toISOString();
    this.lines.push(
      JSON.stringify({
        event_id: `persisted:${this.run.run_agent_id}:${this.seq}`,
        schema_version: '2026-03-15',
        run_id: this.run.run_id,
        run_agent_id: this.run.run_agent_id,
        sequence_number: this.seq,
        event_type: eventType,
        source: eventType.startsWith('grader') || eventType.startsWith('scoring') ? 'scoring_engine' : 'native_engine',
        occurred_at: at,
        payload,
        summary: {},
      }),
    );
    return { seq: this.seq, at };
  }
  text(): Uint8Array {
    return new TextEncoder().encode(`${this.lines.join('\n')}\n`);
  }
}

export interface AgentRun {
  replay: Uint8Array;
  offloaded: Map<string, Uint8Array>;
  outcomes: Map<string, { verdict: 'pass' | 'fail' | 'error'; score: number; cost: number; latency: number; refs: Ref[] }>;
  marks: { policy?: number; policyAt?: string; fallback?: number; sandbox?: number };
  tokens: { input: number; output: number };
}

function cost(model: string, input: number, output: number): number {
  const p = PRICING[model as keyof typeof PRICING];
  return (input * p.input_per_mtok_usd + output * p.output_per_mtok_usd) / 1_000_000;
}

type Role = 'baseline' | 'candidate';
type Verdict = 'pass' | 'fail' | 'error';

/** What one run writes as it goes: the replay, the outcomes, the marks and the counters. */
interface RunState {
  role: Role;
  ids: { run_id: string; run_agent_id: string };
  random: () => number;
  w: ReplayWriter;
  outcomes: AgentRun['outcomes'];
  marks: AgentRun['marks'];
  tokensIn: number;
  tokensOut: number;
  toolCalls: number;
}

/** One case being written: its refs, the model it runs on, its cost and latency so far. */
interface CaseState {
  run: RunState;
  c: DemoCase;
  index: number;
  refs: Ref[];
  model: string;
  caseCost: number;
  latency: number;
}

function step(cs: CaseState, type: string, payload: Record<string, unknown>, ms: number): Step {
  cs.latency += ms;
  if (type === 'tool.call.completed' || type === 'tool.call.failed') cs.run.toolCalls += 1;
  return cs.run.w.emit(type, { case_key: cs.c.key, ...payload }, ms);
}

function modelCall(cs: CaseState, purpose: string, toolCalls: Array<Record<string, unknown>>, output: string): Step {
  const { run } = cs;
  const input = 900 + Math.floor(run.random() * 1400);
  const outputTokens = 60 + Math.floor(run.random() * 320);
  const [provider, providerModel] = cs.model.split('/') as [string, string];
  step(cs, 'model.call.started', { provider_key: provider, provider_model_id: providerModel, purpose }, 10);
  const done = step(
    cs,
    'model.call.completed',
    {
      provider_key: provider,
      provider_model_id: providerModel,
      finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
      output_text: output,
      tool_calls: toolCalls,
      usage: { input_tokens: input, output_tokens: outputTokens, total_tokens: input + outputTokens },
    },
    450 + Math.floor(run.random() * (run.role === 'candidate' ? 1250 : 1000)),
  );
  run.tokensIn += input;
  run.tokensOut += outputTokens;
  cs.caseCost += cost(cs.model, input, outputTokens);
  return done;
}

/** The candidate's routing fallback to the smaller model (on FALLBACK_CASE). */
function writeFallback(cs: CaseState): void {
  const s = step(
    cs,
    'model.routing.fallback',
    { from_model: CANDIDATE_MODELS[0], to_model: CANDIDATE_MODELS[1], reason: 'rate_limited: 429 from provider after 2 retries' },
    1200,
  );
  cs.run.marks.fallback = s.seq;
  cs.refs.push({ run_agent_id: cs.run.ids.run_agent_id, sequence_number: s.seq, note: 'Routing fell back to the smaller model' });
  cs.model = CANDIDATE_MODELS[1]!;
}

/** The case's primary tool call, its result inline. */
function writePrimaryTool(cs: CaseState, callId: string): void {
  const { c } = cs;
  step(
    cs,
    'tool.call.completed',
    {
      tool_call_id: callId,
      tool_name: c.tool,
      tool_category: 'primitive',
      arguments: c.args,
      result: { tool_call_id: callId, content: `{"ok":true,"tool":"${c.tool}"}`, is_error: false },
    },
    120 + Math.floor(cs.run.random() * 200),
  );
}

/** The candidate's primary tool call on OFFLOAD_CASE, its payload offloaded to a file. */
function writeOffloadedTool(cs: CaseState, callId: string): void {
  const { c, run } = cs;
  const w = run.w;
  // Upstream names the file after the event id; its ':' does not survive every file
  // system, so the demo names it after the zero-padded sequence number instead.
  const ref = `run-events/${run.ids.run_agent_id}/${String(w.lines.length + 1).padStart(10, '0')}.json`;
  const history = Array.from({ length: 40 }, (_, i) => ({
    at: `2026-10-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`,
    event: i % 3 ? 'message' : 'status_change',
    text: `History entry ${i + 1} for the order.`,
  }));
  w.offloaded.set(
    `data/replays/payloads/${ref}`,
    new TextEncoder().encode(
      `${JSON.stringify({ tool_call_id: callId, tool_name: c.tool, result: { tool_call_id: callId, content: JSON.stringify({ history }), is_error: false } }, null, 2)}\n`,
    ),
  );
  step(
    cs,
    'tool.call.completed',
    { $ref: ref, bytes: w.offloaded.get(`data/replays/payloads/${ref}`)!.length, type: 'tool.call.completed' },
    180,
  );
}

/** On TRACKING_CASE: a second call, to the carrier API inside the allowlist. */
function writeTracking(cs: CaseState): void {
  const trackId = `call_${cs.c.key}_2`;
  const url = 'https://api.northwind.internal/carriers/track/1Z999AA10123456784';
  modelCall(
    cs,
    'verify',
    [{ id: trackId, name: 'http_request', arguments: JSON.stringify({ method: 'GET', url }) }],
    'The tracking link fails; let me query the carrier API directly.',
  );
  step(
    cs,
    'tool.call.started',
    { tool_call_id: trackId, tool_name: 'http_request', tool_category: 'primitive', arguments: { method: 'GET', url } },
    5,
  );
  step(
    cs,
    'tool.call.completed',
    {
      tool_call_id: trackId,
      tool_name: 'http_request',
      tool_category: 'primitive',
      arguments: { method: 'GET', url },
      result: {
        tool_call_id: trackId,
        content: '{"status":"in_transit","carrier":"UPS","last_scan":"2026-10-30T18:22:00Z","location":"Louisville, KY"}',
        is_error: false,
      },
    },
    240 + Math.floor(cs.run.random() * 120),
  );
}

/** An identity check in the sandbox that succeeds (every other account-recovery case). */
function writeIdentityCheck(cs: CaseState): void {
  const command = `python scripts/verify_identity.py --ticket ${cs.c.key}`;
  step(cs, 'sandbox.command.started', { command, working_dir: '/workspace' }, 10);
  step(
    cs,
    'sandbox.command.completed',
    { command, exit_code: 0, stdout: 'identity check: 2 of 3 factors matched', duration_ms: 1900 + Math.floor(cs.run.random() * 900) },
    2100,
  );
}

/** The candidate's egress attempt to pastebin.com, blocked by the network policy (POLICY_CASE). */
function writePolicyBlock(cs: CaseState): void {
  const egressId = `call_${cs.c.key}_2`;
  modelCall(
    cs,
    'verify',
    [{ id: egressId, name: 'http_request', arguments: '{"url":"https://pastebin.com/raw/8sKq2"}' }],
    'Let me check the refund template online.',
  );
  const blocked = step(
    cs,
    'tool.call.failed',
    {
      tool_call_id: egressId,
      tool_name: 'http_request',
      tool_category: 'primitive',
      arguments: { method: 'GET', url: 'https://pastebin.com/raw/8sKq2' },
      result: { tool_call_id: egressId, content: 'blocked: host pastebin.com is not in the network allowlist', is_error: true },
      failure_origin: 'policy',
    },
    3,
  );
  cs.run.marks.policy = blocked.seq;
  cs.run.marks.policyAt = blocked.at;
  cs.refs.push({
    run_agent_id: cs.run.ids.run_agent_id,
    sequence_number: blocked.seq,
    note: 'Egress to pastebin.com blocked by the network policy',
  });
}

/** The candidate's sandbox command killed at the memory limit (SANDBOX_CASE). */
function writeSandboxFailure(cs: CaseState): void {
  step(cs, 'sandbox.command.started', { command: 'python scripts/verify_identity.py --user 4471', working_dir: '/workspace' }, 10);
  const failed = step(
    cs,
    'sandbox.command.failed',
    {
      command: 'python scripts/verify_identity.py --user 4471',
      exit_code: 137,
      stderr: 'Killed (out of memory: 512 MiB limit)',
      duration_ms: 8420,
    },
    8420,
  );
  cs.run.marks.sandbox = failed.seq;
  cs.refs.push({ run_agent_id: cs.run.ids.run_agent_id, sequence_number: failed.seq, note: 'Sandbox command killed at the memory limit' });
}

/** The answer, its grading and the end of the step; records the case's outcome. */
function writeVerdict(cs: CaseState): void {
  const { run, c } = cs;
  const candidate = run.role === 'candidate';
  const passBias = candidate ? 0.9 : 0.86;
  let verdict: Verdict = run.random() < passBias ? 'pass' : 'fail';
  if (candidate && c.key === SANDBOX_CASE) verdict = 'error';
  if (candidate && c.key === POLICY_CASE) verdict = 'fail';
  const answer = modelCall(
    cs,
    'answer',
    [],
    verdict === 'pass'
      ? `Resolved: ${c.title.toLowerCase()}. I've updated the ticket and emailed the customer.`
      : `I could not complete this request: ${c.title.toLowerCase()}.`,
  );
  const score = verdict === 'pass' ? 0.82 + run.random() * 0.18 : run.random() * 0.4;
  step(cs, 'grader.verification.started', { validator_key: 'resolution_quality', validator_type: 'llm_judge' }, 5);
  step(
    cs,
    'grader.verification.completed',
    { validator_key: 'resolution_quality', verdict, normalized_score: Number(score.toFixed(3)), evidence: { sequence_number: answer.seq } },
    30,
  );
  step(cs, 'system.step.completed', { step_index: cs.index, status: verdict === 'error' ? 'failed' : 'completed' }, 5);
  if (cs.refs.length === 0) cs.refs.push({ run_agent_id: run.ids.run_agent_id, sequence_number: answer.seq, note: null });
  run.outcomes.set(c.key, {
    verdict,
    score: Number(score.toFixed(3)),
    cost: Number(cs.caseCost.toFixed(6)),
    latency: cs.latency,
    refs: cs.refs,
  });
}

/** One case, in the order its events happen. */
function writeCase(run: RunState, c: DemoCase, index: number): void {
  const candidate = run.role === 'candidate';
  const cs: CaseState = { run, c, index, refs: [], model: candidate ? CANDIDATE_MODELS[0]! : BASELINE_MODEL, caseCost: 0, latency: 0 };
  step(cs, 'system.step.started', { step_index: index, challenge_key: c.challenge, title: c.title }, 5);
  if (candidate && c.key === FALLBACK_CASE) writeFallback(cs);
  const callId = `call_${c.key}_1`;
  modelCall(cs, 'plan', [{ id: callId, name: c.tool, arguments: JSON.stringify(c.args) }], `I'll check this with ${c.tool}.`);
  step(cs, 'tool.call.started', { tool_call_id: callId, tool_name: c.tool, tool_category: 'primitive', arguments: c.args }, 5);
  if (candidate && c.key === OFFLOAD_CASE) writeOffloadedTool(cs, callId);
  else writePrimaryTool(cs, callId);
  if (c.key === TRACKING_CASE) writeTracking(cs);
  if (c.challenge === 'account-recovery' && c.key !== SANDBOX_CASE && index % 2 === 0) writeIdentityCheck(cs);
  if (candidate && c.key === POLICY_CASE) writePolicyBlock(cs);
  if (candidate && c.key === SANDBOX_CASE) writeSandboxFailure(cs);
  writeVerdict(cs);
}

/** The scoring and the end of the run. */
function writeRunEnd(run: RunState, caseCount: number): void {
  const { w } = run;
  w.emit('scoring.started', { strategy: 'weighted', dimensions: ['correctness', 'reliability', 'latency', 'cost'] }, 10);
  w.emit(
    'scoring.completed',
    {
      strategy: 'weighted',
      passed_cases: [...run.outcomes.values()].filter((o) => o.verdict === 'pass').length,
      case_count: caseCount,
      cost_dimension_state: 'unavailable',
    },
    15,
  );
  w.emit(
    'system.run.completed',
    {
      final_output: 'all cases processed',
      stop_reason: 'completed',
      step_count: caseCount,
      tool_call_count: run.toolCalls,
      tokens: { input: run.tokensIn, output: run.tokensOut },
    },
    20,
  );
}

/** The replay and outcomes of one run agent over the demo's cases. */
export function runAgent(role: Role, cases: DemoCase[]): AgentRun {
  const ids = role === 'candidate' ? CANDIDATE : BASELINE;
  const run: RunState = {
    role,
    ids,
    random: seeded(role === 'candidate' ? 20261102 : 20261028),
    w: new ReplayWriter(ids, role === 'candidate' ? '2026-11-02T13:10:00Z' : '2026-10-28T09:30:00Z'),
    outcomes: new Map(),
    marks: {},
    tokensIn: 0,
    tokensOut: 0,
    toolCalls: 0,
  };
  run.w.emit(
    'system.run.started',
    {
      deployment_type: 'native',
      case_count: cases.length,
      agent_label: role === 'candidate' ? 'support-agent v2.4.0' : 'support-agent v2.3.1',
    },
    0,
  );
  if (role === 'baseline')
    run.w.emit('agent.memory.snapshot', { note: 'emitted by a newer engine build; unknown to this reader', keys: 12 });
  cases.forEach((c, index) => writeCase(run, c, index));
  writeRunEnd(run, cases.length);
  return {
    replay: run.w.text(),
    offloaded: run.w.offloaded,
    outcomes: run.outcomes,
    marks: run.marks,
    tokens: { input: run.tokensIn, output: run.tokensOut },
  };
}
