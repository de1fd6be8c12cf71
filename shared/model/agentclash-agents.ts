// The packet's agents from an AgentClash run: evidence tier by upstream's rule, the pack's
// tool policy and sandbox read as upstream's engine reads them, observed tools and models.

import type { Agent, Packet } from './packet-types';
import { isObj, num, obj, str, strings } from './agentclash-common';
import type { Obj } from './agentclash-common';
import type { Event } from './agentclash-events';
import { deriveEvidenceTier, toolsAndModels } from './agentclash-events';

/**
 * The primitive tools each allowed tool kind grants (backend/internal/engine/primitive_tools.go
 * and executor_builders.go at agentclash 439e20ba); `submit` is always offered. An empty
 * allowed_tool_kinds allows every kind (primitive_helpers.go allowsToolKind).
 */
const TOOLS_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  file: ['read_file', 'write_file', 'list_files', 'search_files', 'search_text'],
  data: ['query_json', 'query_sql'],
  network: ['http_request'],
  build: ['run_tests', 'build', 'exec'],
  browser: [],
};

/** Tool names the pack's tool policy lets a native agent call: granted primitives, submit, the pack's own tools. */
function grantedTools(pack: Obj | undefined): string[] | null {
  const version = obj(pack?.version);
  if (!isObj(version.tool_policy)) return null;
  const kinds = strings(version.tool_policy.allowed_tool_kinds).map((k) => k.trim().toLowerCase());
  const granted = new Set<string>(['submit']);
  for (const [kind, tools] of Object.entries(TOOLS_BY_KIND))
    if (kinds.length === 0 || kinds.includes(kind)) tools.forEach((t) => granted.add(t));
  const custom = obj(version.tools).custom;
  if (Array.isArray(custom)) for (const t of custom) if (isObj(t) && str(t.name)) granted.add(str(t.name)!);
  return [...granted].sort();
}

export interface AgentInput {
  role: 'candidate' | 'baseline';
  index: number;
  runAgentId: string;
  label: string;
  deploymentType: 'native' | 'hosted_external';
  events: Event[];
  exported: boolean;
  replay: string | null;
  scorecard: string | null;
}

/** One packet agent. Pushes the pointers of derived fields into `derived`. */
export function buildAgent(a: AgentInput, pack: Obj | undefined, derived: string[]): Agent {
  const at = `/agents/${a.index}`;
  const version = obj(pack?.version);
  const tier = deriveEvidenceTier(a.deploymentType, a.events);
  derived.push(`${at}/evidence_tier`);
  const { tools, models } = toolsAndModels(a.events);
  // A hosted agent runs outside AgentClash: the pack's sandbox and tool policy do not bind it.
  const bound = a.deploymentType === 'native' && pack !== undefined;
  const policy = bound && isObj(version.tool_policy) ? version.tool_policy : null;
  const sandbox = bound && isObj(version.sandbox) ? version.sandbox : null;
  const allowlist = strings(sandbox?.network_allowlist);
  const networkOn = sandbox?.network_access === true;
  const secrets = obj(pack?.security).planted_secrets;
  const declared = bound ? grantedTools(pack) : null;
  if (policy) derived.push(`${at}/tool_policy/allow_network`);
  if (sandbox) derived.push(`${at}/network/access`);
  if (models.length) derived.push(`${at}/ai_bom`);
  if (bound && Array.isArray(secrets)) derived.push(`${at}/secrets/handling`);
  if (declared) derived.push(`${at}/permissions/declared`);
  // A black box's tools are unknown; with no export nothing was observed.
  const observed = tier === 'hosted_black_box' || !a.exported ? null : tools;
  if (observed) derived.push(`${at}/permissions/observed`);
  return {
    run_agent_id: a.runAgentId,
    role: a.role,
    label: a.label,
    evidence_tier: tier,
    tool_policy: policy
      ? {
          allowed_tool_kinds: strings(policy.allowed_tool_kinds),
          allow_shell: policy.allow_shell === true,
          allow_network: networkOn,
          max_tool_calls: num(policy.max_tool_calls),
        }
      : null,
    network: sandbox
      ? { access: networkOn ? (allowlist.length ? 'allowlist' : 'open') : 'none', allowlist: networkOn ? allowlist : [] }
      : null,
    secrets:
      bound && Array.isArray(secrets)
        ? { handling: 'Planted canary secrets (AgentClash pack security section)', planted_canaries: secrets.length, leaks_detected: null }
        : null,
    ai_bom: models.length ? { models, rag_sources: [], external_apis: [], frameworks: [] } : null,
    permissions: declared ? { declared, observed } : null,
    routing: null,
    scorecard: a.scorecard,
    replay: a.replay,
  };
}

/** Title when META gives none. */
export function defaultTitle(pack: Obj | undefined, agents: Packet['agents']): string {
  const name = str(obj(pack?.pack).name) ?? 'AgentClash';
  return `${name} release gate: ${agents[0]!.label} against ${agents[1]!.label}`;
}
