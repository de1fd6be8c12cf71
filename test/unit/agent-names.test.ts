// How the UI and the PDF name a run agent and a replay step (issue 18.4).
import { describe, expect, it } from 'vitest';
import { agentNames, stepIds, stepName } from '../../shared/model/agent-names';

const agents = [
  { run_agent_id: 'ra-cand-7d21', role: 'candidate', label: 'support-agent v2.4.0' },
  { run_agent_id: 'ra-base-51c8', role: 'baseline', label: 'support-agent v2.3.1' },
];

describe('replay step names', () => {
  it("name a step by its agent's role and its number, with the ids behind it", () => {
    const names = agentNames(agents);
    expect(stepName(names, 'ra-cand-7d21', 69)).toBe('candidate · step 69');
    expect(stepIds(names, 'ra-cand-7d21', 69)).toBe('ra-cand-7d21, step 69');
  });

  it('add the label when two agents share a role', () => {
    const names = agentNames([...agents, { run_agent_id: 'ra-cand-2', role: 'candidate', label: 'v2.5.0' }]);
    expect(stepName(names, 'ra-cand-7d21', 3)).toBe('candidate support-agent v2.4.0 · step 3');
    expect(stepName(names, 'ra-cand-2', 3)).toBe('candidate v2.5.0 · step 3');
    expect(stepName(names, 'ra-base-51c8', 3)).toBe('baseline · step 3');
  });

  it('keep the run agent id for an agent the packet does not name, with no ids to add', () => {
    const names = agentNames(agents);
    expect(stepName(names, 'ra-other', 5)).toBe('ra-other · step 5');
    expect(stepIds(names, 'ra-other', 5)).toBeNull();
  });
});
