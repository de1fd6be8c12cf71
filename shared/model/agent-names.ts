// What a reader calls a run agent and a replay step (issue 18.4): "candidate · step 69", not
// "ra-cand-7d21 #69". One function for the UI (AgentStepName) and the PDF, so both read the
// same. The run agent id stays available: the UI puts it in a tooltip, the PDF names it
// where it introduces the agents. Pure.

/** run_agent_id -> what a reader calls the agent ("candidate", "baseline"). */
export type AgentNames = ReadonlyMap<string, string>;

/** Names for the packet's agents: their role, or role and label when two share a role. */
export function agentNames(agents: ReadonlyArray<{ run_agent_id: string; role: string; label: string }>): Map<string, string> {
  const count = new Map<string, number>();
  for (const a of agents) count.set(a.role, (count.get(a.role) ?? 0) + 1);
  return new Map(agents.map((a) => [a.run_agent_id, count.get(a.role)! > 1 ? `${a.role} ${a.label}` : a.role]));
}

/** "candidate · step 69"; the run agent id in place of the name when the agent is not in the packet. */
export function stepName(names: AgentNames, runAgentId: string, sequence: number): string {
  return `${names.get(runAgentId) ?? runAgentId} · step ${sequence}`;
}

/** "ra-cand-7d21, step 69": the ids behind a named step (the UI's tooltip); null when the name is already the id. */
export function stepIds(names: AgentNames, runAgentId: string, sequence: number): string | null {
  return names.has(runAgentId) ? `${runAgentId}, step ${sequence}` : null;
}
