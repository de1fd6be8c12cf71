import { describe, it, expect } from 'vitest';
import { parsePacket } from '../../shared/model/packet';
import { buildDemoPayload } from '../../shared/model/demo';

const enc = new TextEncoder();
const demo = buildDemoPayload();
const listedPaths: ReadonlySet<string> = new Set(demo.keys());
/** Parsed JSON a test edits in place, wrong types included (the checks under test must catch them). */
type Json = Record<string, unknown>;
const demoJson = (): Json => JSON.parse(new TextDecoder().decode(demo.get('data/packet.json')!));
const parse = (value: unknown, paths: ReadonlySet<string> = listedPaths) =>
  parsePacket(enc.encode(JSON.stringify(value)), { listedPaths: paths });

/** Sets (or with `undefined`, deletes) the value at a JSON Pointer. */
function setAt(root: Json, pointer: string, value: unknown): void {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root;
  for (const p of parts.slice(0, -1)) node = node[p] as Json;
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

describe('parsePacket on the demo packet', () => {
  it('accepts it with no findings and keeps its content', () => {
    const { packet, findings } = parsePacket(demo.get('data/packet.json')!, { listedPaths });
    expect(findings).toEqual([]);
    expect(packet?.bundle_id).toBe('demo-support-agent-2026-11');
    expect(packet?.cases).toHaveLength(36);
  });

  it('keeps unknown fields', () => {
    const p = demoJson();
    p.x_vendor = { note: 'kept' };
    setAt(p, '/gate/x_extra', 1);
    const { packet, findings } = parse(p);
    expect(findings).toEqual([]);
    expect(packet?.x_vendor).toEqual({ note: 'kept' });
    expect(packet?.gate).toHaveProperty('x_extra', 1);
  });

  it('accepts null exactly where the spec allows it', () => {
    const p = demoJson();
    for (const ptr of [
      '/producer/version',
      '/candidate/agent_build_id',
      '/candidate/snapshot_hash',
      '/baseline/selection/max_age_days',
      '/baseline/selection/age_days',
      '/workload/challenge_pack/manifest_sha256',
      '/workload/challenge_pack/file',
      '/workload/input_set/name',
      '/workload/input_set/input_sha256',
      '/workload/input_set/case_count',
      '/gate/policy_sha256',
      '/gate/summary',
      '/gate/dimension_results/correctness/baseline_value',
      '/decision/rationale',
      '/owners/release_owner',
      '/owners/rollback_owner',
      '/retention/policy',
      '/retention/replay_retention_days',
      '/retention/retain_until',
      '/agents/0/tool_policy',
      '/agents/0/network',
      '/agents/0/secrets',
      '/agents/0/ai_bom',
      '/agents/0/permissions',
      '/agents/0/routing',
      '/agents/0/scorecard',
      '/agents/0/replay',
      '/cases/0/baseline',
      '/cases/0/candidate',
      '/pricing',
      '/gate/auto_fail_conditions/1/evidence/0/note',
    ]) {
      setAt(p, ptr, null);
    }
    const { packet, findings } = parse(p);
    expect(findings).toEqual([]);
    expect(packet).not.toBeNull();
  });
});

describe('parsePacket names the field of every violation', () => {
  const table: Array<[string, string, unknown, string, RegExp]> = [
    [
      'wrong enum',
      '/gate/dimension_results/latency/outcome',
      'meh',
      'packet-invalid-field',
      /must be one of pass, warn, fail, unavailable; got "meh"/,
    ],
    ['missing field', '/gate/verdict', undefined, 'packet-missing-field', /is missing/],
    ['wrong schema', '/schema', 'https://example.com/other', 'packet-invalid-field', /must be "https:\/\/exhibit.dev/],
    ['null where not allowed', '/candidate/run_id', null, 'packet-invalid-field', /non-empty string; got null/],
    ['number as string', '/baseline/selection/max_age_days', '14', 'packet-invalid-field', /integer of 0 or more; got "14"/],
    ['negative count', '/retention/replay_retention_days', -1, 'packet-invalid-field', /integer of 0 or more; got -1/],
    ['negative cost', '/cases/2/baseline/cost_usd', -0.01, 'packet-invalid-field', /number of 0 or more; got -0.01/],
    ['infinite latency as string', '/cases/2/baseline/latency_ms', 'Infinity', 'packet-invalid-field', /number of 0 or more/],
    ['fractional integer', '/workload/challenge_pack/version_number', 7.5, 'packet-invalid-field', /integer of 0 or more; got 7.5/],
    ['time without zone', '/created_at', '2026-11-02T14:02:37', 'packet-invalid-field', /RFC 3339 time/],
    ['impossible time', '/created_at', '2026-02-30T10:00:00Z', 'packet-invalid-field', /RFC 3339 time/],
    ['date with time', '/retention/retain_until', '2027-02-01T00:00:00Z', 'packet-invalid-field', /YYYY-MM-DD/],
    ['impossible date', '/retention/retain_until', '2027-02-29', 'packet-invalid-field', /YYYY-MM-DD/],
    ['uppercase digest', '/workload/input_set/input_sha256', 'A'.repeat(64), 'packet-invalid-field', /64 lowercase hex/],
    ['short digest', '/gate/policy_sha256', 'abc123', 'packet-invalid-field', /64 lowercase hex/],
    ['bool as string', '/cases/3/drove_verdict', 'true', 'packet-invalid-field', /true or false/],
    ['ref sequence 0', '/cases/0/refs/0/sequence_number', 0, 'packet-invalid-field', /integer of 1 or more; got 0/],
    [
      'ref sequence fraction',
      '/gate/auto_fail_conditions/1/evidence/0/sequence_number',
      2.5,
      'packet-invalid-field',
      /integer of 1 or more/,
    ],
    ['policy not object', '/gate/policy', [], 'packet-invalid-field', /must be an object/],
    ['array not array', '/gate/triggered_conditions', 'latency', 'packet-invalid-field', /must be an array/],
    ['tier unknown', '/agents/1/evidence_tier', 'gold', 'packet-invalid-field', /native_structured, hosted_structured/],
    ['network access', '/agents/0/network/access', 'some', 'packet-invalid-field', /none, allowlist, open/],
    ['price missing', '/pricing/openai~1gpt-4.1/output_per_mtok_usd', undefined, 'packet-missing-field', /is missing/],
    ['derived not a pointer', '/derived/0', 'agents.0.evidence_tier', 'packet-invalid-field', /JSON Pointer/],
    ['deciding metric unknown', '/decision/deciding_metric', 'vibes', 'packet-invalid-field', /neither a dimension .* nor a key/],
    ['scorecard not listed', '/agents/0/scorecard', 'data/scorecards/nope.json', 'packet-bad-path', /manifest-sha256.txt does not list/],
    ['replay not listed', '/agents/1/replay', 'data/replays/ra-other.jsonl', 'packet-bad-path', /does not list/],
    ['attachment not listed', '/attachments/0/path', 'data/artifacts/../packet.json', 'packet-bad-path', /does not list/],
    ['pack file not listed', '/workload/challenge_pack/file', 'data/agentclash/pack.yaml', 'packet-bad-path', /does not list/],
    ['data folder is no replay', '/agents/0/replay', 'data/', 'packet-bad-path', /does not list/],
    ['candidate agent absent', '/candidate/run_agent_id', 'ra-ghost', 'packet-invalid-field', /which \/agents does not list/],
    ['agent role contradicts', '/agents/1/role', 'candidate', 'packet-invalid-field', /must be "baseline"/],
    [
      'duplicate case key',
      '/cases/1/case_key',
      'refund-01',
      'packet-duplicate-key',
      /repeats "refund-01", already at \/cases\/0\/case_key/,
    ],
  ];
  const expectedField: Record<string, string> = {
    'agent role contradicts': '/agents/1/role',
    'candidate agent absent': '/candidate/run_agent_id',
  };
  it.each(table)('%s at %s', (_name, pointer, value, code, message) => {
    const p = demoJson();
    setAt(p, pointer, value);
    const { packet, findings } = parse(p);
    expect(packet).toBeNull();
    const field = expectedField[_name] ?? pointer;
    const hit = findings.find((f) => f.field === field);
    expect(hit, JSON.stringify(findings)).toBeDefined();
    expect(hit!.code).toBe(code);
    expect(hit!.layer).toBe('packet');
    expect(hit!.severity).toBe('malformed');
    expect(hit!.entry).toBe('data/packet.json');
    expect(hit!.message.startsWith(`data/packet.json: ${field} `)).toBe(true);
    expect(hit!.message).toMatch(message);
  });

  it('gives the exact sentence for a bad enum', () => {
    const p = demoJson();
    setAt(p, '/gate/dimension_results/latency/outcome', 'meh');
    expect(parse(p).findings.map((f) => f.message)).toEqual([
      'data/packet.json: /gate/dimension_results/latency/outcome must be one of pass, warn, fail, unavailable; got "meh".',
    ]);
  });

  it('collects every finding instead of stopping at the first', () => {
    const p = demoJson();
    p.title = 5;
    delete p.owners;
    setAt(p, '/cases/4/candidate/verdict', 'ok');
    setAt(p, '/agents/0/scorecard', 'data/missing.json');
    const fields = parse(p).findings.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['/title', '/owners', '/cases/4/candidate/verdict', '/agents/0/scorecard']));
  });

  it('escapes "/" and "~" of map keys in pointers', () => {
    const p = demoJson();
    const dims = (p.gate as Json).dimension_results as Json;
    dims['p95/latency~ms'] = { ...(dims.latency as Json), state: 'fine' };
    expect(parse(p).findings.map((f) => f.field)).toEqual(['/gate/dimension_results/p95~1latency~0ms/state']);
  });

  it('accepts a replay chunk folder that holds listed chunks, and rejects an empty one', () => {
    const p = demoJson();
    setAt(p, '/agents/0/replay', 'data/replays/ra-cand-7d21/');
    const withChunks = new Set([...listedPaths, 'data/replays/ra-cand-7d21/0000000001.jsonl']);
    expect(parse(p, withChunks).findings).toEqual([]);
    expect(parse(p).findings.map((f) => f.code)).toEqual(['packet-bad-path']);
  });
});

describe('parsePacket on hostile bytes', () => {
  it('rejects invalid UTF-8', () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]);
    expect(parsePacket(bytes, { listedPaths }).findings.map((f) => f.code)).toEqual(['packet-not-utf8']);
  });

  it('rejects text that is not JSON, and JSON that is not an object', () => {
    expect(parsePacket(enc.encode('{"schema": '), { listedPaths }).findings[0]!.code).toBe('packet-not-json');
    expect(parsePacket(enc.encode('[1,2]'), { listedPaths }).findings[0]!.message).toMatch(/must be a JSON object; got an array/);
  });

  it('rejects a packet over the size bound without parsing it', () => {
    const big = new Uint8Array(64 * 1024 * 1024 + 1);
    const r = parsePacket(big, { listedPaths });
    expect(r.findings.map((f) => f.code)).toEqual(['packet-too-large']);
  });

  it('survives deep nesting', () => {
    const deep = `{"x":${'['.repeat(500_000)}${']'.repeat(500_000)}}`;
    const r = parsePacket(enc.encode(deep), { listedPaths });
    expect(r.packet).toBeNull();
    expect(r.findings.map((f) => f.code)).toEqual(['packet-too-deep']);
  });

  it('caps the findings of a huge array of bad items', () => {
    const p = demoJson();
    p.cases = Array.from({ length: 100_000 }, () => ({ case_key: 1 }));
    const r = parse(p);
    expect(r.packet).toBeNull();
    expect(r.findings).toHaveLength(201);
    expect(r.findings[0]!.field).toBe('/cases/0/case_key');
    expect(r.findings[200]).toMatchObject({
      code: 'packet-too-many-findings',
      message: 'data/packet.json: / has more problems; only the first 200 are listed.',
    });
  });

  it('keeps __proto__ keys as data and pollutes nothing', () => {
    const p = demoJson();
    const text = JSON.stringify(p).replace('"dimension_results":{', '"dimension_results":{"__proto__":{"polluted":true},');
    const r = parsePacket(enc.encode(text.replace('"title":', '"__proto__":{"admin":true},"title":')), { listedPaths });
    expect(({} as Json).polluted).toBeUndefined();
    expect(({} as Json).admin).toBeUndefined();
    expect(r.findings.some((f) => f.field?.startsWith('/gate/dimension_results/__proto__/'))).toBe(true);
  });
});
