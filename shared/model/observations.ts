// What a replay shows about one run agent, as far as the slices need it, computed by
// observe-replay.ts from the agent's replay index (the one the Replay tab shows). It is
// optional everywhere: without it, every view built from it says "not observed" instead of
// showing an empty list or 0.
//
// Counting rules (the events are the index's: every line of the replay's entries, an
// unreadable line counted as an event of type "(unreadable line)"):
// - eventCount: every indexed line.
// - modelCallCount: `model.call.completed` events (a call that never completed is not a call).
// - toolCallCount: `tool.call.completed` + `tool.call.failed` (native engines emit no
//   `tool.call.started`, so started events are not counted).
// - sandboxCommandCount: `sandbox.command.completed` + `sandbox.command.failed`.
// - toolsUsed: distinct `payload.tool_name` of tool.call.* events, sorted.
// - hostsContacted: distinct host names (lowercase, no port) of URLs in tool-call arguments
//   (e.g. `arguments.url` of an http_request), sorted; attempts blocked by policy included.
// - inputTokens / outputTokens: the sum of `payload.usage.input_tokens` / `output_tokens`
//   of model.call.completed; null when no event carried usage.
// - policyViolations: `tool.call.failed` with `payload.failure_origin == "policy"`.
// - fallbacks: `model.routing.fallback`.
// - sandboxFailures: `sandbox.command.failed`.
// - toolFailures: `tool.call.failed` whose failure_origin is not "policy".
// - caseKey: `payload.case_key` of the event (else `summary.case_key`), or null.

/** One replay step worth pointing at, with a one-line headline for a person. */
export interface ObservedStep {
  runAgentId: string;
  /** The event's sequence_number in its replay. */
  sequence: number;
  caseKey: string | null;
  /** E.g. `http_request to pastebin.com blocked by policy: host not in allowlist`. */
  headline: string;
}

export interface AgentObservations {
  eventCount: number;
  /** event_type -> number of events, unknown types included. */
  eventTypeCounts: Record<string, number>;
  modelCallCount: number;
  toolCallCount: number;
  sandboxCommandCount: number;
  toolsUsed: string[];
  hostsContacted: string[];
  inputTokens: number | null;
  outputTokens: number | null;
  policyViolations: ObservedStep[];
  fallbacks: ObservedStep[];
  sandboxFailures: ObservedStep[];
  toolFailures: ObservedStep[];
  /** Optional: distinct "provider_key/provider_model_id" of model.call.completed, sorted. */
  modelsUsed?: string[];
  /** Optional: token sums per payload.case_key (model.call.completed usage). */
  tokensByCase?: Record<string, { inputTokens: number | null; outputTokens: number | null }>;
}

export interface ReplayObservations {
  /** Keyed by run_agent_id. An agent absent here was not observed (no replay, or unreadable). */
  byAgent: Record<string, AgentObservations>;
}
