// What a run agent's replay shows, for the stakeholder views (ReplayObservations): tools
// used, hosts contacted, tokens, models, policy blocks, fallbacks, sandbox and tool
// failures. Replay text is an attacker's: a line that is not a JSON object is skipped, a
// number that is not finite is ignored, a URL that does not parse names no host, and every
// list is bounded.

import type { AgentObservations, ObservedStep, ReplayObservations } from './observations';
import type { Packet } from './packet-types';
import type { VerificationReport } from '../evb/report';

const MAX_LISTED = 1000;
const MAX_HEADLINE = 160;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
/** Keys an attacker may not use in the counting maps (the prototype setter). */
const usableKey = (k: string | null): k is string => k !== null && k !== '__proto__';
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 2048) return null;
  try {
    const host = new URL(url).hostname;
    return host || null;
  } catch {
    return null;
  }
}

function headline(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > MAX_HEADLINE ? `${line.slice(0, MAX_HEADLINE - 1)}…` : line;
}

export function emptyObservations(): AgentObservations {
  return {
    eventCount: 0,
    eventTypeCounts: {},
    modelCallCount: 0,
    toolCallCount: 0,
    sandboxCommandCount: 0,
    toolsUsed: [],
    hostsContacted: [],
    inputTokens: null,
    outputTokens: null,
    policyViolations: [],
    fallbacks: [],
    sandboxFailures: [],
    toolFailures: [],
    modelsUsed: [],
    tokensByCase: {},
  };
}

/** Adds the events of one replay text (JSON Lines, a whole file or chunk) to `o`. */
export function observeReplayText(o: AgentObservations, runAgentId: string, text: string): AgentObservations {
  const push = <T>(list: T[], item: T) => {
    if (list.length < MAX_LISTED) list.push(item);
  };
  const addUnique = (list: string[], item: string | null) => {
    if (item !== null && !list.includes(item) && list.length < MAX_LISTED) list.push(item);
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (!isObj(e) || e.run_agent_id !== runAgentId) continue;
    const type = str(e.event_type);
    const seq = e.sequence_number;
    if (type === null || typeof seq !== 'number' || !Number.isSafeInteger(seq)) continue;
    const p = isObj(e.payload) ? e.payload : {};
    const caseKey = str(p.case_key) ?? (isObj(e.summary) ? str(e.summary.case_key) : null);
    const step = (text: string): ObservedStep => ({
      run_agent_id: runAgentId,
      sequence_number: seq,
      case_key: caseKey,
      headline: headline(text),
    });
    o.eventCount += 1;
    if (
      usableKey(type) &&
      (Object.keys(o.eventTypeCounts).length < MAX_LISTED || Object.prototype.hasOwnProperty.call(o.eventTypeCounts, type))
    ) {
      o.eventTypeCounts[type] = (Object.prototype.hasOwnProperty.call(o.eventTypeCounts, type) ? o.eventTypeCounts[type]! : 0) + 1;
    }
    const tool = str(p.tool_name);
    if (type === 'model.call.completed') {
      o.modelCallCount += 1;
      const usage = isObj(p.usage) ? p.usage : {};
      const input = count(usage.input_tokens);
      const output = count(usage.output_tokens);
      if (input !== null) o.inputTokens = (o.inputTokens ?? 0) + input;
      if (output !== null) o.outputTokens = (o.outputTokens ?? 0) + output;
      const model = [str(p.provider_key), str(p.provider_model_id) ?? str(p.model)].filter(Boolean).join('/');
      if (model) addUnique(o.modelsUsed!, model);
      if (
        usableKey(caseKey) &&
        (input !== null || output !== null) &&
        (Object.prototype.hasOwnProperty.call(o.tokensByCase!, caseKey) || Object.keys(o.tokensByCase!).length < MAX_LISTED)
      ) {
        const t = Object.prototype.hasOwnProperty.call(o.tokensByCase!, caseKey)
          ? o.tokensByCase![caseKey]!
          : (o.tokensByCase![caseKey] = { inputTokens: null, outputTokens: null });
        if (input !== null) t.inputTokens = (t.inputTokens ?? 0) + input;
        if (output !== null) t.outputTokens = (t.outputTokens ?? 0) + output;
      }
    }
    if (type.startsWith('tool.call.')) {
      addUnique(o.toolsUsed, tool);
      addUnique(o.hostsContacted, hostOf(isObj(p.arguments) ? p.arguments.url : undefined));
      if (type === 'tool.call.completed' || type === 'tool.call.failed') o.toolCallCount += 1;
      if (type === 'tool.call.failed') {
        if (p.failure_origin === 'policy') push(o.policyViolations, step(`${tool ?? 'tool call'} blocked by policy`));
        else push(o.toolFailures, step(`${tool ?? 'tool call'} failed${str(p.failure_origin) ? ` (${p.failure_origin})` : ''}`));
      }
    }
    if (type === 'sandbox.command.completed' || type === 'sandbox.command.failed') o.sandboxCommandCount += 1;
    if (type === 'sandbox.command.failed')
      push(
        o.sandboxFailures,
        step(`sandbox command failed${count(p.exit_code) !== null ? ` with exit ${p.exit_code}` : ''}: ${str(p.command) ?? ''}`),
      );
    if (type === 'model.routing.fallback')
      push(
        o.fallbacks,
        step(`fell back from ${str(p.from_model) ?? '?'} to ${str(p.to_model) ?? '?'}${str(p.reason) ? ` (${p.reason})` : ''}`),
      );
  }
  o.toolsUsed.sort();
  o.hostsContacted.sort();
  o.modelsUsed!.sort();
  return o;
}

/** Most replay bytes read per agent for the views; the Replay tab indexes larger ones. */
export const MAX_OBSERVED_REPLAY_BYTES = 256 * 1024 * 1024;

/**
 * Observes every agent's replay of an opened bundle (files listed as intact in the report,
 * chunk folders included), reading through `readEntry`. An agent whose replay is missing,
 * too large or unreadable is left out. Null when nothing could be observed.
 */
export async function observeBundleReplays(
  packet: Packet,
  report: VerificationReport,
  readEntry: (path: string, maxBytes: number) => Promise<Uint8Array>,
): Promise<ReplayObservations | null> {
  if (report.status === 'malformed') return null;
  const files = new Map(report.files.filter((f) => f.result === 'ok').map((f) => [f.path, f.size ?? 0]));
  const byAgent: ReplayObservations['byAgent'] = {};
  const decoder = new TextDecoder();
  for (const agent of packet.agents) {
    const replay = agent.replay;
    if (!replay) continue;
    const paths = replay.endsWith('/')
      ? [...files.keys()].filter((p) => p.startsWith(replay) && p.endsWith('.jsonl')).sort()
      : files.has(replay)
        ? [replay]
        : [];
    const total = paths.reduce((n, p) => n + (files.get(p) ?? 0), 0);
    if (paths.length === 0 || total > MAX_OBSERVED_REPLAY_BYTES) continue;
    try {
      const o = emptyObservations();
      for (const path of paths) observeReplayText(o, agent.run_agent_id, decoder.decode(await readEntry(path, MAX_OBSERVED_REPLAY_BYTES)));
      byAgent[agent.run_agent_id] = o;
    } catch {
      // An unreadable replay is simply not observed.
    }
  }
  return Object.keys(byAgent).length ? { byAgent } : null;
}
