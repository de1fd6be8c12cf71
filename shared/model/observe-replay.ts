// What a run agent's replay shows, for the stakeholder views (ReplayObservations): tools
// used, hosts contacted, tokens, models, policy blocks, fallbacks, sandbox and tool
// failures. Read from the agent's ReplayIndex, the same index the Replay tab and `exhibit
// replay` show, so the slices count exactly the events the timeline lists: the same entries
// (replay-events.ts says which), unreadable lines included as events, the same headlines.

import type { AgentObservations, ObservedStep, ReplayObservations } from './observations';
import type { Packet } from './packet-types';
import type { VerificationReport } from '../evb/report';
import type { ReplayIndex } from './replay-index';
import { ReplayIndexBuilder } from './replay-index';
import { replayEntryPaths } from './replay-events';
import { MAX_OBSERVED_REPLAY_BYTES, MAX_REPLAY_ENTRY_BYTES } from '../evb/limits';

/** Most items of each list (tools, models, event types, cases) kept. */
const MAX_LISTED = 1000;

/** Builds (or fetches) the index of a run agent's replay made of these entries. */
export type IndexReplay = (runAgentId: string, paths: readonly string[]) => Promise<ReplayIndex>;
export type ReadEntry = (path: string, maxBytes: number) => Promise<Uint8Array>;

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
/** Keys an attacker may not use in the counting maps (the prototype setter). */
const usableKey = (k: string) => k !== '__proto__';

function addUnique(list: string[], item: string): void {
  if (item !== '' && list.length < MAX_LISTED && !list.includes(item)) list.push(item);
}

/** What the index's notable events say, as the slices list them. */
function notableSteps(index: ReplayIndex): Pick<AgentObservations, 'policyViolations' | 'fallbacks' | 'sandboxFailures' | 'toolFailures'> {
  const lists = {
    policy: [] as ObservedStep[],
    fallback: [] as ObservedStep[],
    sandboxFailure: [] as ObservedStep[],
    toolFailure: [] as ObservedStep[],
  };
  for (const n of index.notable) {
    const c = index.caseOf[n.event]!;
    lists[n.kind].push({
      runAgentId: index.runAgentId,
      sequence: index.seq[n.event]!,
      caseKey: c === 0 ? null : index.cases[c]!,
      headline: n.headline,
    });
  }
  return {
    policyViolations: lists.policy,
    fallbacks: lists.fallback,
    sandboxFailures: lists.sandboxFailure,
    toolFailures: lists.toolFailure,
  };
}

/** The observations of one run agent, from its replay index (counting rules: observations.ts). */
function observeIndex(index: ReplayIndex): AgentObservations {
  const perType = new Uint32Array(index.types.length);
  const o: AgentObservations = {
    eventCount: index.eventCount,
    eventTypeCounts: {},
    modelCallCount: 0,
    toolCallCount: 0,
    sandboxCommandCount: 0,
    toolsUsed: [],
    hostsContacted: [...index.hosts].sort(),
    inputTokens: null,
    outputTokens: null,
    ...notableSteps(index),
    modelsUsed: [],
    tokensByCase: {},
  };
  const isTool = index.types.map((t) => t.startsWith('tool.call.'));
  const modelCall = index.types.indexOf('model.call.completed');
  for (let e = 0; e < index.eventCount; e++) {
    const t = index.type[e]!;
    perType[t]! += 1;
    const name = index.names[index.name[e]!]!;
    if (isTool[t]) addUnique(o.toolsUsed, name);
    if (t !== modelCall) continue;
    addUnique(o.modelsUsed!, name);
    addTokens(o, index, e);
  }
  index.types.forEach((type, t) => {
    if (perType[t] && usableKey(type) && Object.keys(o.eventTypeCounts).length < MAX_LISTED) o.eventTypeCounts[type] = perType[t];
  });
  const count = (type: string) => (own(o.eventTypeCounts, type) ? o.eventTypeCounts[type]! : 0);
  o.modelCallCount = count('model.call.completed');
  o.toolCallCount = count('tool.call.completed') + count('tool.call.failed');
  o.sandboxCommandCount = count('sandbox.command.completed') + count('sandbox.command.failed');
  o.toolsUsed.sort();
  o.modelsUsed!.sort();
  return o;
}

/** Adds a model call's usage to the run's and its case's token sums. */
function addTokens(o: AgentObservations, index: ReplayIndex, e: number): void {
  const input = index.tokensIn[e]!;
  const output = index.tokensOut[e]!;
  if (Number.isNaN(input) && Number.isNaN(output)) return;
  if (!Number.isNaN(input)) o.inputTokens = (o.inputTokens ?? 0) + input;
  if (!Number.isNaN(output)) o.outputTokens = (o.outputTokens ?? 0) + output;
  const c = index.caseOf[e]!;
  const caseKey = index.cases[c]!;
  const byCase = o.tokensByCase!;
  if (c === 0 || !usableKey(caseKey) || (!own(byCase, caseKey) && Object.keys(byCase).length >= MAX_LISTED)) return;
  const t = own(byCase, caseKey) ? byCase[caseKey]! : (byCase[caseKey] = { inputTokens: null, outputTokens: null });
  if (!Number.isNaN(input)) t.inputTokens = (t.inputTokens ?? 0) + input;
  if (!Number.isNaN(output)) t.outputTokens = (t.outputTokens ?? 0) + output;
}

/** Indexes a replay on the calling thread, reading its entries through `readEntry`. */
function indexOnThisThread(readEntry: ReadEntry): IndexReplay {
  return async (runAgentId, paths) => {
    const builder = new ReplayIndexBuilder(runAgentId);
    for (const path of paths) builder.addEntry(path, await readEntry(path, MAX_REPLAY_ENTRY_BYTES));
    return builder.finish();
  };
}

/**
 * Observes every agent's replay of an opened bundle (its entries among the files listed as
 * intact in the report), indexed by `indexReplay`. An agent whose replay is missing, larger
 * than MAX_OBSERVED_REPLAY_BYTES or unreadable is left out. Null when nothing could be observed.
 */
export async function observeBundleReplays(
  packet: Packet,
  report: VerificationReport,
  readEntry: ReadEntry,
  indexReplay: IndexReplay = indexOnThisThread(readEntry),
): Promise<ReplayObservations | null> {
  if (report.status === 'malformed') return null;
  const sizes = new Map(report.files.filter((f) => f.result === 'ok').map((f) => [f.path, f.size ?? 0]));
  const byAgent: ReplayObservations['byAgent'] = {};
  for (const agent of packet.agents) {
    const paths = replayEntryPaths(agent.replay, sizes.keys());
    const total = paths.reduce((n, p) => n + (sizes.get(p) ?? 0), 0);
    if (paths.length === 0 || total > MAX_OBSERVED_REPLAY_BYTES || !usableKey(agent.run_agent_id)) continue;
    try {
      byAgent[agent.run_agent_id] = observeIndex(await indexReplay(agent.run_agent_id, paths));
    } catch {
      // An unreadable replay is simply not observed.
    }
  }
  return Object.keys(byAgent).length ? { byAgent } : null;
}
