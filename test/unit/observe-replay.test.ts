// Counting what replays show: on the demo's own replays, on hostile lines, and the rule
// that the stakeholder slices count exactly what the Replay tab lists for every agent.
import { describe, expect, it } from 'vitest';
import { DEMO_BUNDLE_ID, buildDemoPayload } from '../../shared/model/demo';
import { observeBundleReplays } from '../../shared/model/observe-replay';
import { buildEngineeringSlice, buildSecuritySlice } from '../../shared/model/slices';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import { ReplayIndexBuilder } from '../../shared/model/replay-index';
import { NO_FILTER, filterSteps } from '../../shared/model/replay-steps';
import { replayEntryPaths } from '../../shared/model/replay-events';
import { fixtureBag, verifyBytes, zipFixture } from '../helpers/bundles';

const enc = new TextEncoder();
const dec = new TextDecoder();
type Payload = Map<string, Uint8Array>;

/** Bags, zips and verifies a payload (unsigned: its files are intact); what an opened bundle gives. */
async function open(payload: Payload) {
  const bag = await fixtureBag({ bundleId: DEMO_BUNDLE_ID, payload });
  const v = await verifyBytes(await zipFixture(bag, DEMO_BUNDLE_ID));
  expect(v.report.status).toBe('unsigned');
  const packet = JSON.parse(dec.decode(payload.get('data/packet.json')!)) as Packet;
  const read = (path: string, maxBytes: number) => v.readEntry(path, maxBytes);
  return { ...v, packet, read };
}

/** The index the Replay tab builds for an agent: its entries among the intact files, in order. */
async function tabIndex(opened: Awaited<ReturnType<typeof open>>, runAgentId: string): Promise<ReplayIndex> {
  const intact = opened.report.files.filter((f) => f.result === 'ok').map((f) => f.path);
  const agent = opened.packet.agents.find((a) => a.run_agent_id === runAgentId)!;
  const b = new ReplayIndexBuilder(runAgentId);
  for (const path of replayEntryPaths(agent.replay, intact)) b.addEntry(path, await opened.read(path, 1 << 30));
  return b.finish();
}

/**
 * The demo payload with the candidate's replay moved into a chunk folder the way a crashed
 * writer leaves one: a line cut short in the middle of the chunk, and beside the chunk a
 * stray `.jsonl` (a scratch copy of the policy-blocked call) that is not a chunk.
 */
function payloadWithUnreadableLineAndStrayFile(): Payload {
  const payload = buildDemoPayload();
  const packet = JSON.parse(dec.decode(payload.get('data/packet.json')!)) as Packet;
  const cand = packet.agents.find((a) => a.run_agent_id === packet.candidate.run_agent_id)!;
  const lines = dec.decode(payload.get(cand.replay!)!).trimEnd().split('\n');
  payload.delete(cand.replay!);
  const folder = `data/replays/${cand.run_agent_id}/`;
  cand.replay = folder;
  const first = (JSON.parse(lines[0]!) as { sequence_number: number }).sequence_number;
  const cut = lines[5]!.slice(0, 40);
  const chunk = [...lines.slice(0, 5), cut, ...lines.slice(5)];
  payload.set(`${folder}${String(first).padStart(10, '0')}.jsonl`, enc.encode(`${chunk.join('\n')}\n`));
  const blocked = lines.find((l) => l.includes('"failure_origin":"policy"'))!;
  payload.set(`${folder}scratch.jsonl`, enc.encode(`${blocked}\n`));
  payload.set('data/packet.json', enc.encode(`${JSON.stringify(packet, null, 2)}\n`));
  return payload;
}

async function expectSecurityCountsToMatchTheReplayTab(payload: Payload) {
  const opened = await open(payload);
  const observations = await observeBundleReplays(opened.packet, opened.report, opened.read);
  const security = buildSecuritySlice(opened.packet, observations);
  for (const agent of security.agents) {
    const index = await tabIndex(opened, agent.runAgentId);
    const policySteps = filterSteps(index, { ...NO_FILTER, status: 'policy' }, new Map());
    expect(agent.policyBlocked.value?.length, `policy blocks of ${agent.runAgentId}`).toBe(policySteps.length);
    expect(agent.policyBlocked.value?.map((s) => s.sequence)).toEqual(Array.from(policySteps, (s) => index.seq[index.stepEnd[s]!]));
    const toolCalls = Array.from(index.type).filter((t) => ['tool.call.completed', 'tool.call.failed'].includes(index.types[t]!)).length;
    expect(agent.toolCallCount, `tool calls of ${agent.runAgentId}`).toBe(toolCalls);
    expect(observations!.byAgent[agent.runAgentId]!.eventCount, `events of ${agent.runAgentId}`).toBe(index.eventCount);
  }
  return { opened, observations, security };
}

describe('the slices and the Replay tab read replays the same way', () => {
  it('count the same events for every agent of the demo bundle', async () => {
    const { observations } = await expectSecurityCountsToMatchTheReplayTab(buildDemoPayload());
    expect(Object.keys(observations!.byAgent)).toHaveLength(2);
  });

  it('count the same events when a chunk has an unreadable line and a stray .jsonl lies beside the chunks', async () => {
    const { observations, opened } = await expectSecurityCountsToMatchTheReplayTab(payloadWithUnreadableLineAndStrayFile());
    const cand = observations!.byAgent[opened.packet.candidate.run_agent_id]!;
    expect(cand.eventTypeCounts['(unreadable line)']).toBe(1);
    expect(cand.policyViolations).toHaveLength(1);
  });
});

describe('observations of the demo', () => {
  it("find the candidate's policy block, fallback, sandbox failure, tools, hosts, models and tokens", async () => {
    const opened = await open(buildDemoPayload());
    const obs = (await observeBundleReplays(opened.packet, opened.report, opened.read))!;
    const cand = obs.byAgent[opened.packet.candidate.run_agent_id]!;
    expect(cand.policyViolations).toHaveLength(1);
    expect(cand.policyViolations[0]!.headline).toContain('http_request blocked by policy');
    expect(cand.fallbacks).toHaveLength(1);
    expect(cand.sandboxFailures.length).toBeGreaterThanOrEqual(1);
    expect(cand.toolsUsed).toContain('http_request');
    expect(cand.hostsContacted).toContain('pastebin.com');
    expect(cand.modelsUsed!.length).toBeGreaterThanOrEqual(2);
    expect(cand.inputTokens).toBeGreaterThan(0);
    expect(cand.eventCount).toBeGreaterThan(100);
    expect(JSON.stringify(buildSecuritySlice(opened.packet, obs))).toContain('pastebin.com');
    expect(JSON.stringify(buildEngineeringSlice(opened.packet, obs))).toContain('fell back from');
  });
});

describe('observations of hostile lines', () => {
  it('never throw, bound what they keep, fold bidi overrides and keep the prototype clean', async () => {
    const ra = 'ra-x';
    const ev = (seq: number, event_type: string, payload: Record<string, unknown>) =>
      JSON.stringify({ run_agent_id: ra, sequence_number: seq, event_type, payload });
    const hostile = [
      'not json',
      '[1,2,3]',
      JSON.stringify({ run_agent_id: ra, sequence_number: 'x', event_type: 'tool.call.failed' }),
      ev(2, 'model.call.completed', { usage: { input_tokens: 'lots', output_tokens: -5 } }),
      ev(3, 'tool.call.started', { tool_name: 'http_request', arguments: { url: 'javascript:alert(1)' } }),
      ev(4, 'tool.call.started', { tool_name: '__proto__', arguments: { url: 'not a url' } }),
      ev(5, '__proto__', { case_key: '__proto__' }),
      ev(6, 'model.call.completed', { case_key: '__proto__', usage: { input_tokens: 5, output_tokens: 1 } }),
      ev(7, 'tool.call.failed', { tool_name: 'evil\u202eexe.txt', failure_origin: 'policy' }),
      ...Array.from({ length: 3000 }, (_, i) => ev(10 + i, 'tool.call.failed', { tool_name: `t${i}`, failure_origin: 'policy' })),
    ];
    const b = new ReplayIndexBuilder(ra);
    b.addEntry(`data/replays/${ra}.jsonl`, enc.encode(`${hostile.join('\n')}\n`));
    const index = b.finish();
    const payload = buildDemoPayload();
    const packet = JSON.parse(dec.decode(payload.get('data/packet.json')!)) as Packet;
    packet.agents = [{ ...packet.agents[0]!, run_agent_id: ra, replay: `data/replays/${ra}.jsonl` }];
    const report = {
      status: 'unsigned',
      files: [{ path: `data/replays/${ra}.jsonl`, result: 'ok', size: 1 }],
    } as unknown as Parameters<typeof observeBundleReplays>[1];
    const o = (await observeBundleReplays(
      packet,
      report,
      async () => new Uint8Array(),
      async () => index,
    ))!.byAgent[ra]!;
    expect(o.eventCount).toBe(hostile.length);
    expect(o.inputTokens).toBe(5);
    expect(o.outputTokens).toBe(1);
    expect(Object.getPrototypeOf(o.tokensByCase)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(o.eventTypeCounts)).toBe(Object.prototype);
    expect(o.hostsContacted).toEqual([]);
    expect(o.policyViolations.length).toBe(1000);
    expect(o.policyViolations[0]!.headline).toBe('evil exe.txt blocked by policy');
    expect(o.toolsUsed.length).toBeLessThanOrEqual(1000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
