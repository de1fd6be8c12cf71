import { describe, it, expect } from 'vitest';
import {
  buildComplianceSlice,
  buildEngineeringSlice,
  buildFinanceSlice,
  buildOverview,
  buildSecuritySlice,
  checkTierSupport,
} from '../../shared/model/slices';
import { buildDemoPayload } from '../../shared/model/demo';
import type { AgentObservations, ObservedStep, ReplayObservations } from '../../shared/model/observations';
import type { Agent, Packet } from '../../shared/model/packet-types';
import type { VerificationReport } from '../../shared/evb/report';

const payload = buildDemoPayload();
const demoPacket = (): Packet => JSON.parse(new TextDecoder().decode(payload.get('data/packet.json')!));

/** A minimal observer over the demo replays, following the counting rules of observations.ts. */
function observe(p: Packet): ReplayObservations {
  const byAgent: Record<string, AgentObservations> = {};
  for (const a of p.agents) {
    const events = new TextDecoder()
      .decode(payload.get(a.replay!)!)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const o: AgentObservations = {
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
    type StepEvent = { run_agent_id: string; sequence_number: number; payload: { case_key?: string } };
    const step = (e: StepEvent, headline: string): ObservedStep => ({
      runAgentId: e.run_agent_id,
      sequence: e.sequence_number,
      caseKey: e.payload.case_key ?? null,
      headline,
    });
    for (const e of events) {
      o.eventCount++;
      o.eventTypeCounts[e.event_type] = (o.eventTypeCounts[e.event_type] ?? 0) + 1;
      const pl = e.payload;
      if (e.event_type === 'model.call.completed') {
        o.modelCallCount++;
        o.inputTokens = (o.inputTokens ?? 0) + pl.usage.input_tokens;
        o.outputTokens = (o.outputTokens ?? 0) + pl.usage.output_tokens;
        const m = `${pl.provider_key}/${pl.provider_model_id}`;
        if (!o.modelsUsed!.includes(m)) o.modelsUsed!.push(m);
        const t = (o.tokensByCase![pl.case_key] ??= { inputTokens: 0, outputTokens: 0 });
        t.inputTokens! += pl.usage.input_tokens;
        t.outputTokens! += pl.usage.output_tokens;
      }
      if (e.event_type === 'tool.call.completed' || e.event_type === 'tool.call.failed') o.toolCallCount++;
      if (e.event_type.startsWith('tool.call.') && pl.tool_name && !o.toolsUsed.includes(pl.tool_name)) o.toolsUsed.push(pl.tool_name);
      if (e.event_type.startsWith('tool.call.') && pl.arguments?.url) {
        const h = new URL(pl.arguments.url).hostname;
        if (!o.hostsContacted.includes(h)) o.hostsContacted.push(h);
      }
      if (e.event_type === 'sandbox.command.completed' || e.event_type === 'sandbox.command.failed') o.sandboxCommandCount++;
      if (e.event_type === 'tool.call.failed')
        (pl.failure_origin === 'policy' ? o.policyViolations : o.toolFailures).push(step(e, `${pl.tool_name} blocked by policy`));
      if (e.event_type === 'model.routing.fallback') o.fallbacks.push(step(e, `fell back from ${pl.from_model} to ${pl.to_model}`));
      if (e.event_type === 'sandbox.command.failed') o.sandboxFailures.push(step(e, `sandbox exit ${pl.exit_code}`));
    }
    byAgent[a.run_agent_id] = o;
  }
  return { byAgent };
}

/** A packet that parsed but records almost nothing optional. */
function sparsePacket(): Packet {
  const p = demoPacket();
  p.candidate.snapshot_hash = null;
  p.baseline.snapshot_hash = null;
  p.baseline.selection.age_days = null;
  p.workload.challenge_pack.manifest_sha256 = null;
  p.workload.input_set.input_sha256 = null;
  p.gate.policy_sha256 = null;
  for (const d of Object.values(p.gate.dimension_results)) {
    d.baseline_value = null;
    d.candidate_value = null;
    d.observed_delta = null;
  }
  p.owners.release_owner = null;
  p.pricing = null;
  for (const a of p.agents) {
    a.tool_policy = null;
    a.network = null;
    a.permissions = null;
    a.ai_bom = null;
  }
  p.cases.forEach((c, i) => {
    if (i % 2) c.candidate = null;
    if (c.baseline) c.baseline.cost_usd = null;
  });
  return p;
}

/** Walks a view model and returns the paths of every number 0 found. */
function zeros(value: unknown, path = ''): string[] {
  if (value === 0) return [path];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => zeros(v, `${path}/${k}`));
  return [];
}

describe('buildOverview', () => {
  const p = demoPacket();
  const o = buildOverview(p, observe(p));

  it('leads with the decision and what decided it', () => {
    expect(o.decision.recommendation).toBe('conditional_ship');
    expect(o.decision.decidingKind).toBe('auto-fail-condition');
    expect(o.decision.decidingCondition?.key).toBe('egress_outside_allowlist');
    expect(o.decision.decidingCondition?.evidence[0]).toMatchObject({
      runAgentId: 'ra-cand-7d21',
      headline: 'http_request blocked by policy',
      caseKey: 'refund-07',
    });
    expect(o.gate).toMatchObject({
      verdict: 'fail',
      reasonCode: 'auto_fail_condition_triggered',
      policyKey: 'support-release',
      policyVersion: '3',
    });
  });

  it('names the deciding dimension row when the metric is a dimension', () => {
    const q = demoPacket();
    q.decision.deciding_metric = 'latency';
    const m = buildOverview(q);
    expect(m.decision.decidingKind).toBe('dimension');
    expect(m.decision.decidingDimension).toMatchObject({
      key: 'latency',
      outcome: 'warn',
      worseningDelta: 0.07,
      field: '/gate/dimension_results/latency',
    });
  });

  it('sorts dimension rows worst first and keeps the unavailable one as nulls', () => {
    expect(o.dimensions.map((d) => `${d.key}:${d.outcome}`)).toEqual([
      'latency:warn',
      'reliability:warn',
      'cost:unavailable',
      'correctness:pass',
    ]);
    const cost = o.dimensions.find((d) => d.key === 'cost')!;
    expect([cost.baselineValue, cost.candidateValue, cost.observedDelta]).toEqual([null, null, null]);
  });

  it('shows each agent tier with its legend and marks derived tiers', () => {
    expect(o.agents).toHaveLength(2);
    for (const a of o.agents) {
      expect(a.tierLegend).toMatch(/^Native structured/);
      expect(a.tierDerived).toBe(true);
      expect(a.tierSupport.status).toBe('consistent');
    }
  });

  it('warns when observations contradict the declared tier', () => {
    const obs = observe(p);
    const cand = obs.byAgent['ra-cand-7d21']!;
    Object.assign(cand, { modelCallCount: 0, toolCallCount: 0, sandboxCommandCount: 0 });
    const a = buildOverview(p, obs).agents.find((x) => x.runAgentId === 'ra-cand-7d21')!;
    expect(a.tierSupport.status).toBe('contradicted');
    expect(a.tierSupport.detail).toMatch(/no model, tool or sandbox step/);
    const q = demoPacket();
    q.agents[1]!.evidence_tier = 'hosted_black_box';
    expect(buildOverview(q, observe(q)).agents[1]!.tierSupport.status).toBe('contradicted');
    expect(buildOverview(q).agents[1]!.tierSupport.status).toBe('not-checked');
  });

  it('marks baseline staleness only when both ages are known', () => {
    expect(o.baseline.selection.stale).toBe(false);
    expect(buildOverview(sparsePacket()).baseline.selection.stale).toBeNull();
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(o))).toEqual(o);
  });
});

describe('buildSecuritySlice', () => {
  const p = demoPacket();
  const s = buildSecuritySlice(p, observe(p));
  const cand = s.agents.find((a) => a.role === 'candidate')!;

  it('compares declared permissions with the tools the replay used', () => {
    expect(cand.permissions.basis).toBe('replay');
    expect(cand.permissions.unusedGrants).toEqual({ value: ['send_email'], missing: null });
    expect(cand.permissions.unexpectedUses).toEqual({ value: [], missing: null });
  });

  it('lists hosts outside the allowlist and the blocked calls as refs', () => {
    expect(cand.network.hostsContacted).toEqual(['api.northwind.internal', 'pastebin.com']);
    expect(cand.network.outsideBounds.value).toEqual(['pastebin.com']);
    expect(cand.policyBlocked.value).toHaveLength(1);
    expect(cand.policyBlocked.value![0]).toMatchObject({ runAgentId: 'ra-cand-7d21', caseKey: 'refund-07' });
    const base = s.agents.find((a) => a.role === 'baseline')!;
    expect(base.network.outsideBounds.value).toEqual([]);
  });

  it('flags a tool the agent was never granted', () => {
    const obs = observe(p);
    obs.byAgent['ra-cand-7d21']!.toolsUsed.push('delete_account');
    const c = buildSecuritySlice(p, obs).agents.find((a) => a.role === 'candidate')!;
    expect(c.permissions.unexpectedUses.value).toEqual(['delete_account']);
  });

  it('compares the AI BOM with the models the replay used', () => {
    expect(cand.modelsOutsideBom).toEqual({ value: [], missing: null });
    expect(cand.routing?.policy_kind).toBe('fallback');
  });

  it('says "not observed" instead of empty lists without observations', () => {
    const bare = buildSecuritySlice(p).agents.find((a) => a.role === 'candidate')!;
    expect(bare.policyBlocked.value).toBeNull();
    expect(bare.policyBlocked.missing).toMatch(/not read/);
    expect(bare.network.hostsContacted).toBeNull();
    expect(bare.network.outsideBounds.value).toBeNull();
    // Falls back on the packet's own observed permissions.
    expect(bare.permissions.basis).toBe('packet');
    expect(bare.permissions.unusedGrants.value).toEqual(['send_email']);
    expect(bare.toolCallCount).toBeNull();
  });

  it('keeps missing security records missing', () => {
    const a = buildSecuritySlice(sparsePacket()).agents[0]!;
    expect(a.toolPolicy).toBeNull();
    expect(a.aiBom).toBeNull();
    expect(a.permissions.unusedGrants.missing).toMatch(/No permissions are declared/);
  });
});

describe('buildComplianceSlice', () => {
  const report = {
    status: 'verified',
    signatures: [
      {
        file: 'signatures/producer.dsse.json',
        role: 'producer',
        signer: { name: 'AgentClash CI (demo)', email: null },
        claimedTime: '2026-11-02T14:05:11Z',
        keyid: 'k1',
        principal: 'AgentClash CI',
        math: 'valid',
        trust: 'trusted',
        trustDetail: null,
      },
      {
        file: 'signatures/approver.dsse.json',
        role: 'approver',
        signer: { name: 'Dana Okafor', email: 'dana.okafor@example.com' },
        claimedTime: '2026-11-03T09:12:40Z',
        keyid: 'k2',
        principal: null,
        math: 'valid',
        trust: 'unknown-key',
        trustDetail: 'not in the trust store',
      },
    ],
  } as unknown as VerificationReport;

  it('orders the traceability chain from pack manifest to signers', () => {
    const c = buildComplianceSlice(demoPacket(), report);
    expect(c.chain.map((l) => l.key)).toEqual([
      'pack-manifest',
      'input-set',
      'deployment-snapshots',
      'runs',
      'policy',
      'verdict',
      'signatures',
    ]);
    expect(c.chain.every((l) => l.state === 'present')).toBe(true);
    expect(c.chain[0]!.entries[0]!.value).toMatch(/^c3f1e0d9/);
    expect(c.chain[6]!.entries).toHaveLength(2);
    // Codes read as words with the code beside them, not "math valid, unknown-key" (issue 18.4).
    expect(c.chain[5]!.entries.map((e) => e.value)).toEqual([
      'Fail: An automatic-fail condition was triggered (auto_fail_condition_triggered)',
      'Conditional ship, decided on Network access outside the allowlist (egress_outside_allowlist)',
    ]);
    const unknownKey = c.chain[6]!.entries.find((e) => /unknown-key/.test(e.value ?? ''))!.value!;
    expect(unknownKey).toMatch(/: signature checks out; key not in your trust store \(unknown-key\)/);
    expect(unknownKey).not.toMatch(/math/);
    expect(c.signers.value!.map((s) => [s.role, s.claimedTime])).toEqual([
      ['producer', '2026-11-02T14:05:11Z'],
      ['approver', '2026-11-03T09:12:40Z'],
    ]);
    expect(c.status).toBe('verified');
    expect(c.retention).toMatchObject({ replayRetentionDays: 90, retainUntil: '2027-02-01', agentsWithoutReplay: [] });
  });

  it('shows every unrecorded link as missing, and no report as unverified', () => {
    const c = buildComplianceSlice(sparsePacket(), null);
    const state = Object.fromEntries(c.chain.map((l) => [l.key, l.state]));
    expect(state).toMatchObject({
      'pack-manifest': 'missing',
      'input-set': 'missing',
      'deployment-snapshots': 'missing',
      runs: 'present',
      policy: 'missing',
      signatures: 'missing',
    });
    expect(c.chain[0]!.entries[0]).toMatchObject({
      value: null,
      missing: 'manifest_sha256 not recorded',
      field: '/workload/challenge_pack/manifest_sha256',
    });
    expect(c.signers.value).toBeNull();
    expect(c.status).toBeNull();
  });

  it('says an unsigned bundle is unsigned', () => {
    const c = buildComplianceSlice(demoPacket(), { status: 'unsigned', signatures: [] } as unknown as VerificationReport);
    expect(c.chain[6]).toMatchObject({ state: 'missing', entries: [{ missing: 'The bundle is unsigned.' }] });
    expect(c.signers.value).toEqual([]);
  });
});

describe('buildEngineeringSlice', () => {
  const p = demoPacket();
  const e = buildEngineeringSlice(p, observe(p));

  it('lists the cases that drove the verdict with headlines on their refs', () => {
    expect(e.drivingCases.map((c) => c.caseKey).sort()).toEqual(['account-04', 'order-05', 'refund-07']);
    const refund = e.drivingCases.find((c) => c.caseKey === 'refund-07')!;
    expect(refund.refs[0]!.headline).toBe('http_request blocked by policy');
  });

  it('lists verdict divergences with their direction', () => {
    for (const d of e.divergences) expect(d.baseline!.verdict).not.toBe(d.candidate!.verdict);
    const expected = p.cases.filter((c) => c.baseline!.verdict !== c.candidate!.verdict).map((c) => c.case_key);
    expect(e.divergences.map((d) => d.caseKey)).toEqual(expected);
    expect(e.divergences.find((d) => d.caseKey === 'account-04')?.change).toBe(
      p.cases.find((c) => c.case_key === 'account-04')!.baseline!.verdict === 'pass' ? 'regressed' : 'changed',
    );
  });

  it('lists fallbacks, sandbox failures and policy violations from the replay', () => {
    expect(e.fallbacks.value!.map((s) => s.caseKey)).toEqual(['order-05']);
    expect(e.sandboxFailures.value!.map((s) => s.caseKey)).toEqual(['account-04']);
    expect(e.policyViolations.value!.map((s) => s.caseKey)).toEqual(['refund-07']);
    expect(e.toolFailures.value).toEqual([]);
    expect(e.challenges.map((c) => c.cases)).toEqual([9, 9, 9, 9]);
  });

  it('says the lists are unknown without observations, and incomplete with some', () => {
    expect(buildEngineeringSlice(p).fallbacks).toMatchObject({ value: null, missing: expect.stringMatching(/No replay has been read/) });
    const partial = observe(p);
    delete partial.byAgent['ra-base-51c8'];
    expect(buildEngineeringSlice(p, partial).fallbacks).toMatchObject({
      value: null,
      missing: expect.stringMatching(/ra-base-51c8 has not been read/),
    });
  });

  it('treats a missing outcome as incomparable, not as a change', () => {
    const s = buildEngineeringSlice(sparsePacket());
    expect(s.divergences.every((d) => d.candidate !== null)).toBe(true);
    expect(s.challenges.every((c) => c.candidatePassed !== null)).toBe(true);
  });
});

describe('buildFinanceSlice', () => {
  const p = demoPacket();
  const f = buildFinanceSlice(p, observe(p));

  it('computes the baseline total and cost per successful task from the cases', () => {
    const sum = p.cases.reduce((s, c) => s + c.baseline!.cost_usd!, 0);
    const passes = p.cases.filter((c) => c.baseline!.verdict === 'pass').length;
    expect(f.baseline.totalCostUsd.value).toBeCloseTo(sum, 6);
    expect(f.baseline.successfulTasks.value).toBe(passes);
    expect(f.baseline.costPerSuccessfulTaskUsd.value).toBeCloseTo(sum / passes, 5);
    expect(f.baseline.inputTokens.value).toBe(observe(p).byAgent['ra-base-51c8']!.inputTokens);
  });

  it('leaves the candidate total missing, with the reason, when one case has no cost', () => {
    expect(f.candidate.totalCostUsd).toEqual({ value: null, missing: 'Cost not recorded for 1 of 36 cases (escalation-09).' });
    expect(f.candidate.costPerSuccessfulTaskUsd.value).toBeNull();
    expect(f.candidate.casesWithoutCost).toBe(1);
    expect(f.candidate.recordedCostUsd).toBeGreaterThan(0);
    expect(f.totalDeltaUsd.missing).toMatch(/^Candidate: Total cost unknown|^Candidate: Cost not recorded/);
    const row = f.cases.find((c) => c.caseKey === 'escalation-09')!;
    expect(row.candidateCostUsd).toEqual({ value: null, missing: 'Candidate cost not recorded.' });
    expect(row.deltaUsd.value).toBeNull();
    expect(row.candidateTokens.value?.input).toBeGreaterThan(0);
  });

  it('prices the observed tokens of a one-model agent as a cross-check, and says why not for a routed one', () => {
    const sum = p.cases.reduce((s, c) => s + c.baseline!.cost_usd!, 0);
    expect(f.baseline.tokenCostUsd.value).toBeCloseTo(sum, 4);
    expect(f.candidate.tokenCostUsd).toEqual({
      value: null,
      missing: 'The agent used 2 models (anthropic/claude-sonnet-4, openai/gpt-4.1-mini); tokens are not split by model.',
    });
    expect(buildFinanceSlice(p).baseline.tokenCostUsd).toEqual({ value: null, missing: 'Replay not read.' });
  });

  it('gives per-case deltas and per-challenge totals', () => {
    const row = f.cases.find((c) => c.caseKey === 'refund-01')!;
    expect(row.deltaUsd.value).toBeCloseTo(row.candidateCostUsd.value! - row.baselineCostUsd.value!, 6);
    const esc = f.challenges.find((c) => c.challengeKey === 'escalation-policy')!;
    expect(esc.candidateCostUsd.value).toBeNull();
    expect(f.challenges.find((c) => c.challengeKey === 'refund-request')!.candidateCostUsd.value).toBeGreaterThan(0);
    expect(f.pricing.value!.map((r) => r.model)).toEqual(['anthropic/claude-sonnet-4', 'openai/gpt-4.1', 'openai/gpt-4.1-mini']);
    expect(f.unpricedModels).toEqual([]);
  });

  it('never turns missing data into 0', () => {
    const sparse = buildFinanceSlice(sparsePacket());
    expect(sparse.baseline.totalCostUsd.value).toBeNull();
    expect(sparse.baseline.recordedCostUsd).toBeNull();
    expect(sparse.baseline.inputTokens).toEqual({ value: null, missing: 'Replay not read.' });
    expect(sparse.pricing.value).toBeNull();
    expect(zeros(sparse).filter((z) => !/casesWith(out)?Cost$|successfulTasks\/value$/.test(z))).toEqual([]);
  });

  it('has no cost per successful task when nothing succeeded', () => {
    const q = demoPacket();
    for (const c of q.cases) c.baseline!.verdict = 'fail';
    const b = buildFinanceSlice(q).baseline;
    expect(b.successfulTasks.value).toBe(0);
    expect(b.costPerSuccessfulTaskUsd).toEqual({ value: null, missing: 'No task succeeded, so there is no cost per successful task.' });
  });
});

describe('slices on a sparse packet', () => {
  it('show missing values as null, never 0', () => {
    const p = sparsePacket();
    const models = [buildOverview(p), buildSecuritySlice(p), buildComplianceSlice(p, null), buildEngineeringSlice(p), buildFinanceSlice(p)];
    const o = models[0] as ReturnType<typeof buildOverview>;
    expect(o.owners.releaseOwner).toBeNull();
    expect(o.workload.pack.manifestSha256).toBeNull();
    expect(o.dimensions.every((d) => d.baselineValue === null && d.observedDelta === null)).toBe(true);
    for (const m of models) expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe('slices on hostile keys', () => {
  it('treat "__proto__" as a plain key in dimensions and agent ids', () => {
    const text = new TextDecoder()
      .decode(payload.get('data/packet.json')!)
      .replace(
        '"dimension_results": {',
        '"dimension_results": { "__proto__": { "state": "available", "better_direction": "higher", "baseline_value": 1, "candidate_value": 0.5, "observed_delta": -0.5, "worsening_delta": 0.5, "warn_threshold": 0.1, "fail_threshold": 0.2, "outcome": "fail" },',
      )
      .replaceAll('ra-base-51c8', '__proto__');
    const p: Packet = JSON.parse(text);
    const overview = buildOverview(p, { byAgent: {} });
    expect(overview.dimensions[0]).toMatchObject({ key: '__proto__', outcome: 'fail' });
    expect(overview.agents.find((a) => a.runAgentId === '__proto__')!.tierSupport.status).toBe('not-checked');
    expect(buildFinanceSlice(p, { byAgent: {} }).baseline.inputTokens.missing).toBe('Replay not read.');
    expect(({} as Record<string, unknown>).state).toBeUndefined();
  });
});

describe('checkTierSupport', () => {
  const p = demoPacket();
  const obs = observe(p).byAgent['ra-base-51c8']!;
  const quiet: AgentObservations = { ...obs, eventCount: 3, modelCallCount: 0, toolCallCount: 0, sandboxCommandCount: 0 };
  const empty: AgentObservations = { ...quiet, eventCount: 0 };
  const cases: Array<[string, AgentObservations, string]> = [
    ['native_structured', obs, 'consistent'],
    ['hosted_structured', quiet, 'contradicted'],
    ['hosted_black_box', quiet, 'consistent'],
    ['hosted_black_box', obs, 'contradicted'],
    ['derived_summary', obs, 'consistent'],
    ['none', empty, 'consistent'],
    ['none', obs, 'contradicted'],
  ];
  it.each(cases)('%s against a replay is %#', (tier, o, status) => {
    const agent = { ...p.agents[1]!, evidence_tier: tier as Agent['evidence_tier'] };
    expect(checkTierSupport(agent, o).status).toBe(status);
  });
  it('explains an unchecked tier with or without a replay', () => {
    expect(checkTierSupport(p.agents[1]!, null).detail).toMatch(/not been read/);
    expect(checkTierSupport({ ...p.agents[1]!, replay: null }, null).detail).toMatch(/No replay in the bundle/);
  });
});
