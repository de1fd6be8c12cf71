// Counting what replays show, on the demo's own replays and on hostile lines.
import { describe, expect, it } from 'vitest';
import { buildDemoPayload } from '../../shared/model/demo';
import { emptyObservations, observeReplayText } from '../../shared/model/observe-replay';
import { buildEngineeringSlice, buildSecuritySlice } from '../../shared/model/slices';
import type { Packet } from '../../shared/model/packet-types';

const payload = buildDemoPayload();
const packet = JSON.parse(new TextDecoder().decode(payload.get('data/packet.json')!)) as Packet;

function observeDemo() {
  const byAgent: Record<string, ReturnType<typeof emptyObservations>> = {};
  for (const a of packet.agents)
    byAgent[a.run_agent_id] = observeReplayText(emptyObservations(), a.run_agent_id, new TextDecoder().decode(payload.get(a.replay!)!));
  return { byAgent };
}

describe('observeReplayText', () => {
  it("finds the demo candidate's policy block, fallback, sandbox failure, tools, hosts, models and tokens", () => {
    const cand = observeDemo().byAgent[packet.candidate.run_agent_id]!;
    expect(cand.policyViolations).toHaveLength(1);
    expect(cand.policyViolations[0]!.headline).toContain('http_request blocked by policy');
    expect(cand.fallbacks).toHaveLength(1);
    expect(cand.sandboxFailures.length).toBeGreaterThanOrEqual(1);
    expect(cand.toolsUsed).toContain('http_request');
    expect(cand.hostsContacted).toContain('pastebin.com');
    expect(cand.modelsUsed!.length).toBeGreaterThanOrEqual(2);
    expect(cand.inputTokens).toBeGreaterThan(0);
    expect(cand.eventCount).toBeGreaterThan(100);
  });

  it('feeds the Security and Engineering slices with steps they can link to', () => {
    const obs = observeDemo();
    const security = JSON.stringify(buildSecuritySlice(packet, obs));
    const engineering = JSON.stringify(buildEngineeringSlice(packet, obs));
    expect(security).toContain('pastebin.com');
    expect(engineering).toContain('fell back from');
  });

  it('skips hostile lines without throwing and bounds what it keeps', () => {
    const ra = 'ra-x';
    const hostile = [
      'not json',
      '[1,2,3]',
      JSON.stringify({
        run_agent_id: 'someone-else',
        sequence_number: 1,
        event_type: 'tool.call.failed',
        payload: { failure_origin: 'policy' },
      }),
      JSON.stringify({ run_agent_id: ra, sequence_number: 'x', event_type: 'tool.call.failed' }),
      JSON.stringify({
        run_agent_id: ra,
        sequence_number: 2,
        event_type: 'model.call.completed',
        payload: { usage: { input_tokens: 'lots', output_tokens: -5 } },
      }),
      JSON.stringify({
        run_agent_id: ra,
        sequence_number: 3,
        event_type: 'tool.call.started',
        payload: { tool_name: 'http_request', arguments: { url: 'javascript:alert(1)' } },
      }),
      JSON.stringify({
        run_agent_id: ra,
        sequence_number: 4,
        event_type: 'tool.call.started',
        payload: { tool_name: '__proto__', arguments: { url: 'not a url' } },
      }),
      JSON.stringify({ run_agent_id: ra, sequence_number: 5, event_type: '__proto__', payload: { case_key: '__proto__' } }),
      JSON.stringify({
        run_agent_id: ra,
        sequence_number: 6,
        event_type: 'model.call.completed',
        payload: { case_key: '__proto__', usage: { input_tokens: 5, output_tokens: 1 } },
      }),
      ...Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({
          run_agent_id: ra,
          sequence_number: 10 + i,
          event_type: 'tool.call.failed',
          payload: { tool_name: `t${i}`, failure_origin: 'policy' },
        }),
      ),
    ].join('\n');
    const o = observeReplayText(emptyObservations(), ra, hostile);
    expect(o.inputTokens).toBe(5);
    expect(o.outputTokens).toBe(1);
    expect(Object.getPrototypeOf(o.tokensByCase)).toBe(Object.prototype);
    expect(o.hostsContacted).toEqual([]);
    expect(o.policyViolations.length).toBe(1000);
    expect(o.toolsUsed.length).toBeLessThanOrEqual(1000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(o.eventTypeCounts)).toBe(Object.prototype);
  });
});
