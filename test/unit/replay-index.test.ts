// Building the replay index: steps from start/terminal pairs per case, interruptions,
// unknown and unreadable lines, `$ref` stubs, chunks, lookups by sequence; then the
// filters, search and the packet's verdict-driving refs, on the demo's replays too.
import { describe, expect, it } from 'vitest';
import { buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';
import {
  EVENT_OFFLOADED,
  ReplayIndexBuilder,
  forEachLine,
  eventBySeq,
  indexBuffers,
  stepBySeq,
  stepEvents,
} from '../../shared/model/replay-index';
import type { ReplayIndex } from '../../shared/model/replay-index';
import {
  NO_FILTER,
  eventsOfLines,
  filterChoices,
  filterSteps,
  packetRefSteps,
  payloadRefPath,
  searchLines,
  searchNeedles,
  stepCase,
  stepCostUsd,
  stepDurationMs,
  stepKind,
  stepMarks,
  stepName,
  stepOutput,
  stepStatus,
  stepTokens,
  timelineRows,
} from '../../shared/model/replay-steps';
import { replayEntryPaths } from '../../shared/model/replay-events';

const RA = 'ra-1';
const enc = new TextEncoder();
let clock = Date.parse('2026-11-01T10:00:00Z');

function ev(seq: number, type: string, payload: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): string {
  clock += 100;
  return JSON.stringify({
    event_id: `e${seq}`,
    schema_version: '2026-03-15',
    run_id: 'run-1',
    run_agent_id: RA,
    sequence_number: seq,
    event_type: type,
    source: 'native_engine',
    occurred_at: new Date(clock).toISOString(),
    payload,
    summary: {},
    ...extra,
  });
}

function build(lines: string[], path = `data/replays/${RA}.jsonl`): ReplayIndex {
  const b = new ReplayIndexBuilder(RA);
  b.addEntry(path, enc.encode(`${lines.join('\n')}\n`));
  return b.finish();
}

const stepOf = (index: ReplayIndex, seq: number) => stepBySeq(index, seq);

describe('ReplayIndexBuilder: steps', () => {
  it('pairs starts with their terminal events per case and family, innermost first', () => {
    const index = build([
      ev(1, 'system.run.started'),
      ev(2, 'model.call.started', { case_key: 'a', provider_key: 'openai', provider_model_id: 'gpt-x' }),
      ev(3, 'model.call.started', { case_key: 'b', provider_key: 'openai', provider_model_id: 'gpt-x' }),
      ev(4, 'model.call.completed', {
        case_key: 'a',
        provider_key: 'openai',
        provider_model_id: 'gpt-x',
        output_text: 'first line\nsecond',
        usage: { input_tokens: 1000, output_tokens: 200 },
      }),
      ev(5, 'tool.call.started', { case_key: 'a', tool_name: 'search' }),
      ev(6, 'tool.call.failed', {
        case_key: 'a',
        tool_name: 'search',
        failure_origin: 'policy',
        result: { content: 'blocked: not allowed' },
      }),
      ev(7, 'model.call.completed', { case_key: 'b', provider_key: 'openai', provider_model_id: 'gpt-x', output_text: 'for b' }),
      ev(8, 'system.run.completed'),
    ]);
    expect(index.eventCount).toBe(8);
    expect(index.stepCount).toBe(4);
    const a = stepOf(index, 2);
    expect(stepEvents(index, a).map((e) => index.seq[e])).toEqual([2, 4]);
    expect(stepEvents(index, stepOf(index, 3)).map((e) => index.seq[e])).toEqual([3, 7]);
    expect(stepKind(index, a)).toBe('model.call');
    expect(stepName(index, a)).toBe('openai/gpt-x');
    expect(stepOutput(index, a)).toBe('first line');
    expect(stepStatus(index, a)).toBe('completed');
    expect(stepCase(index, a)).toBe('a');
    expect(stepDurationMs(index, a)).toBe(200);
    expect(stepTokens(index, a)).toEqual({ input: 1000, output: 200 });
    expect(stepCostUsd(index, a, { 'openai/gpt-x': { input_per_mtok_usd: 2, output_per_mtok_usd: 10 } })).toBeCloseTo(0.004, 10);
    expect(stepCostUsd(index, a, null)).toBeNull();
    const blocked = stepOf(index, 6);
    expect(stepStatus(index, blocked)).toBe('failed');
    expect(stepMarks(index, blocked, new Map()).policy).toBe(true);
    expect(stepOutput(index, blocked)).toBe('blocked: not allowed');
    // The run's pair spans every case; it is one run-level step.
    expect(stepEvents(index, stepOf(index, 8)).map((e) => index.seq[e])).toEqual([1, 8]);
  });

  it('marks a start with no terminal event as interrupted, and a terminal with no start stands alone', () => {
    const index = build([
      ev(1, 'tool.call.started', { case_key: 'a', tool_name: 'fetch' }),
      ev(2, 'tool.call.completed', { case_key: 'b', tool_name: 'fetch' }),
      ev(3, 'sandbox.command.started', { case_key: 'a', command: 'make test' }),
    ]);
    expect(index.stepCount).toBe(3);
    expect(stepStatus(index, stepOf(index, 1))).toBe('interrupted');
    expect(index.stepEnd[stepOf(index, 1)]).toBe(-1);
    expect(stepDurationMs(index, stepOf(index, 1))).toBeNull();
    expect(stepStatus(index, stepOf(index, 2))).toBe('completed');
    expect(stepKind(index, stepOf(index, 2))).toBe('tool.call');
    expect(stepStatus(index, stepOf(index, 3))).toBe('interrupted');
    expect(stepName(index, stepOf(index, 3))).toBe('make test');
    expect(filterSteps(index, { ...NO_FILTER, status: 'interrupted' }, new Map())).toHaveLength(2);
  });

  it('pairs agent steps by step index, so nested steps do not cross', () => {
    const index = build([
      ev(1, 'system.step.started', { step_index: 0, case_key: 'a' }),
      ev(2, 'system.step.started', { step_index: 1, case_key: 'a' }),
      ev(3, 'system.step.completed', { step_index: 0, case_key: 'a' }),
      ev(4, 'system.step.completed', { step_index: 1, case_key: 'a' }),
    ]);
    expect(stepEvents(index, stepOf(index, 1)).map((e) => index.seq[e])).toEqual([1, 3]);
    expect(stepEvents(index, stepOf(index, 2)).map((e) => index.seq[e])).toEqual([2, 4]);
  });

  it('shows an unknown event type as a generic event, and an unreadable line as one, never dropping either', () => {
    const index = build([
      ev(1, 'agent.memory.snapshot', { keys: 3 }),
      '{not json',
      '[1,2]',
      '{"event_type":"x"}',
      ev(5, 'model.output.delta', { text: 'partial' }),
    ]);
    expect(index.eventCount).toBe(5);
    expect(index.stepCount).toBe(5);
    expect(stepKind(index, stepOf(index, 1))).toBe('agent.memory.snapshot');
    expect(stepStatus(index, stepOf(index, 1))).toBe('event');
    expect(stepMarks(index, stepOf(index, 1), new Map()).unknownType).toBe(true);
    expect(stepStatus(index, 1)).toBe('unreadable');
    expect(stepOutput(index, 1)).toBe('{not json');
    expect(index.findings.map((f) => [f.code, f.line])).toEqual([
      ['unreadable-line', 2],
      ['not-an-event', 3],
      ['not-an-event', 4],
    ]);
    expect(stepMarks(index, stepOf(index, 5), new Map()).unknownType).toBe(false);
  });

  it('keeps the byte offsets of each line, with non-ASCII text and blank lines around', () => {
    const lines = [
      ev(1, 'model.call.completed', { output_text: 'naïve — 日本語' }),
      '',
      '   ',
      ev(2, 'tool.call.completed', { tool_name: 'é' }),
    ];
    const bytes = enc.encode(`${lines.join('\n')}\n`);
    const b = new ReplayIndexBuilder(RA);
    b.addEntry('r.jsonl', bytes);
    const index = b.finish();
    expect(index.eventCount).toBe(2);
    const dec = new TextDecoder();
    for (let e = 0; e < 2; e++) {
      const text = dec.decode(bytes.subarray(index.offset[e], index.offset[e]! + index.length[e]!));
      expect(JSON.parse(text).sequence_number).toBe(e + 1);
    }
    expect(Array.from(index.line)).toEqual([1, 4]);
  });

  it('flags a `$ref` offload stub and keeps its case', () => {
    const index = build([
      ev(1, 'tool.call.started', { case_key: 'a', tool_name: 'history' }),
      ev(2, 'tool.call.completed', { case_key: 'a', $ref: 'run-events/x/0000000002.json', bytes: 900, type: 'tool.call.completed' }),
    ]);
    const s = stepOf(index, 2);
    expect(s).toBe(stepOf(index, 1));
    expect(index.flags[eventBySeq(index, 2)]! & EVENT_OFFLOADED).toBeTruthy();
    expect(stepMarks(index, s, new Map()).offloaded).toBe(true);
    expect(stepName(index, s)).toBe('history');
  });

  it('reads chunks in order, checks each chunk name against its first sequence, and finds events out of order', () => {
    const b = new ReplayIndexBuilder(RA);
    b.addEntry(`data/replays/${RA}/0000000001.jsonl`, enc.encode(`${ev(1, 'system.run.started')}\n${ev(2, 'x.y')}\n`));
    b.addEntry(`data/replays/${RA}/0000000004.jsonl`, enc.encode(`${ev(3, 'x.y')}\n${ev(2, 'x.z')}\n`));
    const index = b.finish();
    expect(index.eventCount).toBe(4);
    expect(index.findings.map((f) => [f.code, f.path, f.line])).toEqual([
      ['chunk-name', `data/replays/${RA}/0000000004.jsonl`, 1],
      ['sequence-order', `data/replays/${RA}/0000000004.jsonl`, 2],
    ]);
    expect(eventBySeq(index, 3)).toBe(2);
    expect(eventBySeq(index, 1)).toBe(0);
    expect(eventBySeq(index, 99)).toBe(-1);
    expect(index.chunk[3]).toBe(1);
  });

  it('names an event from another run agent', () => {
    const index = build([ev(1, 'x.y', {}, { run_agent_id: 'someone-else' })]);
    expect(index.findings[0]!.code).toBe('foreign-run-agent');
  });

  it('survives hostile values: huge strings, prototype keys, non-finite numbers, deep nesting', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const index = build([
      ev(1, 'tool.call.completed', {
        tool_name: 'x'.repeat(100_000),
        case_key: '__proto__',
        usage: { input_tokens: -5, output_tokens: 'many' },
      }),
      `{"event_type":"tool.call.completed","sequence_number":2,"run_agent_id":"${RA}","payload":${deep}}`,
      ev(3, 'y'.repeat(1000)),
    ]);
    expect(index.eventCount).toBe(3);
    expect(stepName(index, 0).length).toBeLessThanOrEqual(120);
    expect(stepCase(index, 0)).toBe('__proto__');
    expect(stepTokens(index, 0)).toEqual({ input: null, output: null });
    expect(stepKind(index, 2).length).toBeLessThanOrEqual(200);
  });

  it('builds an empty index from an empty replay', () => {
    const index = build([]);
    expect(index.eventCount).toBe(0);
    expect(index.stepCount).toBe(0);
    expect(filterSteps(index, NO_FILTER, new Map())).toHaveLength(0);
    expect(stepBySeq(index, 1)).toBe(-1);
  });

  it('keeps every event its own output and offsets through many growths of its arrays', () => {
    // The arrays start small and double; 10,000 events cross that several times.
    const lines: string[] = [];
    for (let s = 1; s <= 10_000; s++) lines.push(ev(s, 'tool.call.completed', { tool_name: 'lookup', result: { content: `out-${s}` } }));
    const index = build(lines);
    expect(index.eventCount).toBe(10_000);
    for (let s = 1; s <= 10_000; s += 997) {
      const step = stepBySeq(index, s);
      expect(stepOutput(index, step)).toBe(`out-${s}`);
      expect(index.line[eventBySeq(index, s)]).toBe(s);
    }
    expect(stepOutput(index, stepBySeq(index, 10_000))).toBe('out-10000');
    expect(index.outputStart[index.eventCount]).toBe(index.outputText.length);
  });

  it('cuts every column to its events or steps, and hands every one of them to a worker transfer', () => {
    const lines: string[] = [];
    for (let s = 1; s <= 3000; s++) lines.push(ev(s, s % 2 ? 'tool.call.started' : 'tool.call.completed', { tool_name: 'lookup' }));
    const index = build(lines);
    const arrays = Object.entries(index).filter(([, v]) => ArrayBuffer.isView(v)) as Array<
      [string, { length: number; buffer: ArrayBuffer }]
    >;
    for (const [name, a] of arrays) {
      const perStep = name.startsWith('step') || name === 'order';
      const expected = perStep ? index.stepCount : name === 'outputStart' ? index.eventCount + 1 : index.eventCount;
      expect(a.length, name).toBe(expected);
    }
    expect(new Set(indexBuffers(index))).toEqual(new Set(arrays.map(([, a]) => a.buffer)));
  });
});

describe('the demo replays', () => {
  const payload = buildDemoPayload();
  const packet = JSON.parse(new TextDecoder().decode(payload.get('data/packet.json')!)) as Packet;
  const candidate = packet.agents.find((a) => a.role === 'candidate')!;
  const b = new ReplayIndexBuilder(candidate.run_agent_id);
  b.addEntry(candidate.replay!, payload.get(candidate.replay!)!);
  const index = b.finish();
  const refs = packetRefSteps(index, packet);

  it('has no findings and groups steps by case, run-level first', () => {
    expect(index.findings).toEqual([]);
    const rows = timelineRows(index, index.order);
    expect(rows[0]).toBe(-1);
    const headers = Array.from(rows)
      .filter((r) => r < 0)
      .map((r) => (r === -1 ? '' : index.cases[-r - 1]));
    expect(headers).toEqual(['', ...packet.cases.map((c) => c.case_key)]);
  });

  it('finds the policy violation, the fallback and the sandbox failure through the status filter', () => {
    for (const status of ['policy', 'fallback', 'sandbox'] as const) {
      const steps = filterSteps(index, { ...NO_FILTER, status }, refs);
      expect(steps.length, status).toBe(1);
    }
    const policy = filterSteps(index, { ...NO_FILTER, status: 'policy' }, refs)[0]!;
    expect(stepName(index, policy)).toBe('http_request');
    expect(stepMarks(index, policy, refs).verdict).toBe(true);
    expect(refs.get(policy)!.join(' ')).toContain('Auto-fail condition');
  });

  it('marks every ref of the packet that points into this replay', () => {
    const expected = new Set<number>();
    for (const c of packet.cases)
      for (const r of c.refs) if (r.run_agent_id === candidate.run_agent_id) expected.add(stepBySeq(index, r.sequence_number));
    expect(expected.has(-1)).toBe(false);
    for (const s of expected) expect(refs.has(s)).toBe(true);
    expect(filterSteps(index, { ...NO_FILTER, status: 'marked' }, refs).length).toBe(refs.size);
  });

  it('filters by case, kind and tool, each narrowing to exactly the matching steps', () => {
    const choices = filterChoices(index);
    expect(choices.cases).toEqual(packet.cases.map((c) => c.case_key));
    expect(choices.kinds).toContain('tool.call');
    const caseKey = packet.cases[3]!.case_key;
    const inCase = filterSteps(index, { ...NO_FILTER, caseKey }, refs);
    expect(inCase.length).toBeGreaterThan(3);
    for (const s of inCase) expect(stepCase(index, s)).toBe(caseKey);
    const tools = filterSteps(index, { ...NO_FILTER, kind: 'tool.call', name: 'http_request' }, refs);
    expect(tools.length).toBeGreaterThan(0);
    for (const s of tools) expect([stepKind(index, s), stepName(index, s)]).toEqual(['tool.call', 'http_request']);
    expect(filterSteps(index, { ...NO_FILTER, caseKey: 'no-such-case' }, refs)).toHaveLength(0);
    const runLevel = filterSteps(index, { ...NO_FILTER, caseKey: '' }, refs);
    for (const s of runLevel) expect(stepCase(index, s)).toBeNull();
  });

  it('search finds the policy violation by its text, any case, with its line and event', () => {
    const text = new TextDecoder().decode(payload.get(candidate.replay!)!);
    const lines = searchLines(text, searchNeedles('PASTEBIN.com/raw'));
    const events = eventsOfLines(index, 0, lines);
    expect(events.length).toBeGreaterThanOrEqual(2);
    const steps = new Set(events.map((e) => index.eventStep[e]!));
    const policy = filterSteps(index, { ...NO_FILTER, status: 'policy' }, refs)[0]!;
    expect(steps.has(policy)).toBe(true);
    expect(searchLines(text, searchNeedles('zz-no-such-text-zz'))).toHaveLength(0);
    expect(searchNeedles('  ')).toEqual([]);
  });
});

describe('search and paths', () => {
  it('counts each matching line once, across needles, including JSON-escaped quotes', () => {
    const text = 'a "b" c\nempty\n{"x":"say \\"hi\\""}\nhi hi\n';
    expect(Array.from(searchLines(text, searchNeedles('HI')))).toEqual([3, 4]);
    expect(Array.from(searchLines(text, searchNeedles('"hi"')))).toEqual([3]);
  });

  it('keeps `$ref` inside data/replays/payloads/', () => {
    expect(payloadRefPath('run-events/ra/0000000007.json')).toBe('data/replays/payloads/run-events/ra/0000000007.json');
    for (const bad of ['../packet.json', '/etc/passwd', 'a/../../x', 'a\\b', '', 'a//b', './a', 7, null])
      expect(payloadRefPath(bad)).toBeNull();
  });

  it('lists a replay file, or a chunk folder in sequence order', () => {
    const files = [
      'data/replays/ra/0000005001.jsonl',
      'data/replays/ra/0000000001.jsonl',
      'data/replays/ra/notes.txt',
      'data/replays/rb.jsonl',
    ];
    expect(replayEntryPaths('data/replays/ra/', files)).toEqual(['data/replays/ra/0000000001.jsonl', 'data/replays/ra/0000005001.jsonl']);
    expect(replayEntryPaths('data/replays/rb.jsonl', files)).toEqual(['data/replays/rb.jsonl']);
    expect(replayEntryPaths('data/replays/missing.jsonl', files)).toEqual([]);
    expect(replayEntryPaths(null, files)).toEqual([]);
  });
});

describe('forEachLine', () => {
  it('gives the same lines, offsets and numbers whatever the piece size, and names a line too long to read', () => {
    const text = `\ufeffone\ntwo — ü\n\n${'x'.repeat(50)}\nfive`;
    const bytes = enc.encode(text);
    const collect = (pieceBytes: number, maxLineBytes: number) => {
      const out: Array<[string | null, number, number, number]> = [];
      forEachLine(bytes, new TextDecoder('utf-8', { ignoreBOM: true }), (t, o, l, n) => out.push([t, o, l, n]), {
        pieceBytes,
        maxLineBytes,
      });
      return out;
    };
    const whole = collect(1 << 20, 1 << 20);
    expect(whole.map((l) => l[0])).toEqual(['one', 'two — ü', '', 'x'.repeat(50), 'five']);
    expect(whole.map((l) => l[3])).toEqual([1, 2, 3, 4, 5]);
    for (const piece of [1, 3, 7, 16]) expect(collect(piece, 1 << 20), `piece ${piece}`).toEqual(whole);
    const limited = collect(8, 20);
    expect(limited[3]).toEqual([null, whole[3]![1], 50, 4]);
    expect(limited.filter((l, i) => i !== 3)).toEqual(whole.filter((l, i) => i !== 3));
  });
});
