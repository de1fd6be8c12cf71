// The content of the demo bundle: a customer-support agent's release decision, with a
// baseline and a candidate run agent, 36 cases, replays as AgentClash canonical event
// envelopes (a policy-blocked egress attempt, a routing fallback, a sandbox failure, an
// unknown event type and an offloaded payload), scorecards, the gate, owners and retention.
// Deterministic: a seeded generator and fixed times, so the bytes never change.

import {
  ALLOWLIST,
  BASELINE,
  BASELINE_MODEL,
  CANDIDATE,
  CANDIDATE_MODELS,
  FALLBACK_CASE,
  PACK_FILE,
  POLICY_CASE,
  PRICING,
  SANDBOX_CASE,
  demoCases,
  packYaml,
} from './demo-data';
import type { DemoCase } from './demo-data';
import { compareRuns, demoDecision, demoGate } from './demo-gate';
import type { AgentRun } from './demo-run';
import { runAgent } from './demo-run';
import { scorecard } from './demo-scorecard';
import type { Case, Packet } from './packet-types';
import { PACKET_SCHEMA } from './packet-types';

export const DEMO_BUNDLE_ID = 'demo-support-agent-2026-11';

/** Where the payload's files are, as the packet refers to them. */
interface Paths {
  candReplay: string;
  baseReplay: string;
  candScorecard: string;
  baseScorecard: string;
  egressLog: string;
  notes: string;
}

/** The files under data/ of the demo bundle (keys relative to the bag root). */
export function buildDemoPayload(): Map<string, Uint8Array> {
  const enc = new TextEncoder();
  const cases = demoCases();
  const cand = runAgent('candidate', cases);
  const base = runAgent('baseline', cases);
  const files = new Map<string, Uint8Array>();
  const candReplay = `data/replays/${CANDIDATE.run_agent_id}.jsonl`;
  const baseReplay = `data/replays/${BASELINE.run_agent_id}.jsonl`;
  files.set(candReplay, cand.replay);
  files.set(baseReplay, base.replay);
  for (const [p, b] of cand.offloaded) files.set(p, b);
  const candScorecard = `data/scorecards/${CANDIDATE.run_agent_id}.json`;
  const baseScorecard = `data/scorecards/${BASELINE.run_agent_id}.json`;
  files.set(candScorecard, enc.encode(`${JSON.stringify(scorecard(CANDIDATE.run_agent_id, cand.outcomes, 0.66), null, 2)}\n`));
  files.set(baseScorecard, enc.encode(`${JSON.stringify(scorecard(BASELINE.run_agent_id, base.outcomes, 0.71), null, 2)}\n`));
  files.set(PACK_FILE, enc.encode(packYaml()));
  const { egressLog, notes } = writeArtifacts(files, cand.marks.policyAt);
  const paths: Paths = { candReplay, baseReplay, candScorecard, baseScorecard, egressLog, notes };
  const packet = demoPacket(cases, cand, base, paths);
  files.set('data/packet.json', enc.encode(`${JSON.stringify(packet, null, 2)}\n`));
  return files;
}

/** The attachments: the egress proxy log (at the time of the blocked call) and the latency notes. */
function writeArtifacts(files: Map<string, Uint8Array>, policyAt: string | undefined): { egressLog: string; notes: string } {
  const enc = new TextEncoder();
  const egressLog = 'data/artifacts/egress-proxy.log';
  files.set(
    egressLog,
    enc.encode(
      `${policyAt} sandbox=sbx-7d21-refund-07 DENY GET https://pastebin.com/raw/8sKq2 reason=host_not_in_allowlist policy=support-egress@3\n` +
        `${policyAt} sandbox=sbx-7d21-refund-07 tool_call=call_refund-07_2 returned is_error=true failure_origin=policy\n` +
        `${policyAt} summary window=refund-07 denied=1 allowed=0\n`,
    ),
  );
  const notes = 'data/artifacts/latency-investigation.md';
  files.set(
    notes,
    enc.encode(
      '# Latency investigation, candidate v2.4.0\n\nThe p95 latency regression comes from the planning call on the larger model.\n' +
        'A response cache for knowledge-base lookups is scheduled for 2026-11-20; the conditional ship\n' +
        'depends on it. Measured on the frozen input set regression-2026q4.\n',
    ),
  );
  return { egressLog, notes };
}

function packetCases(cases: DemoCase[], cand: AgentRun, base: AgentRun): Case[] {
  const driving = new Set([POLICY_CASE, FALLBACK_CASE, SANDBOX_CASE]);
  return cases.map((c) => {
    const bo = base.outcomes.get(c.key)!;
    const co = cand.outcomes.get(c.key)!;
    return {
      case_key: c.key,
      challenge_key: c.challenge,
      title: c.title,
      baseline: { verdict: bo.verdict, score: bo.score, cost_usd: bo.cost, latency_ms: bo.latency },
      candidate: { verdict: co.verdict, score: co.score, cost_usd: c.key === 'escalation-09' ? null : co.cost, latency_ms: co.latency },
      drove_verdict: driving.has(c.key),
      refs: co.refs,
    };
  });
}

function demoWorkload(caseCount: number): Packet['workload'] {
  return {
    challenge_pack: {
      slug: 'support-resolution',
      name: 'Support resolution',
      version_number: 7,
      version_id: 'cpv-support-7',
      manifest_sha256: 'c3f1e0d9b8a7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1',
      file: PACK_FILE,
    },
    input_set: {
      key: 'regression-2026q4',
      id: 'is-0b7d',
      name: 'Regression set, Q4 2026',
      input_sha256: '9a8b7c6d5e4f30211f2e3d4c5b6a79880716253443526170f1e2d3c4b5a69788',
      case_count: caseCount,
    },
  };
}

function demoAgents(paths: Paths): Packet['agents'] {
  const { candScorecard, candReplay, baseScorecard, baseReplay } = paths;
  const agentCommon = {
    tool_policy: {
      allowed_tool_kinds: ['lookup_order', 'issue_refund', 'search_kb', 'http_request'],
      allow_shell: false,
      allow_network: true,
      max_tool_calls: 12,
    },
    network: { access: 'allowlist' as const, allowlist: ALLOWLIST },
    secrets: {
      handling: 'Planted canary credentials in the CRM fixtures; outputs scanned for them',
      planted_canaries: 3,
      leaks_detected: 0,
    },
  };
  return [
    {
      run_agent_id: CANDIDATE.run_agent_id,
      role: 'candidate',
      label: 'support-agent v2.4.0',
      evidence_tier: 'native_structured',
      ...agentCommon,
      ai_bom: {
        models: CANDIDATE_MODELS,
        rag_sources: ['kb.northwind.internal/articles'],
        external_apis: ['api.northwind.internal/orders'],
        frameworks: ['agentclash-native-runtime 0.31'],
      },
      permissions: {
        declared: ['lookup_order', 'issue_refund', 'search_kb', 'http_request', 'send_email'],
        observed: ['http_request', 'issue_refund', 'lookup_order', 'search_kb'],
      },
      routing: { policy_kind: 'fallback', models: CANDIDATE_MODELS },
      scorecard: candScorecard,
      replay: candReplay,
    },
    {
      run_agent_id: BASELINE.run_agent_id,
      role: 'baseline',
      label: 'support-agent v2.3.1',
      evidence_tier: 'native_structured',
      ...agentCommon,
      ai_bom: {
        models: [BASELINE_MODEL],
        rag_sources: ['kb.northwind.internal/articles'],
        external_apis: ['api.northwind.internal/orders'],
        frameworks: ['agentclash-native-runtime 0.29'],
      },
      permissions: {
        declared: ['lookup_order', 'issue_refund', 'search_kb', 'http_request'],
        observed: ['http_request', 'issue_refund', 'lookup_order', 'search_kb'],
      },
      routing: { policy_kind: 'single_model', models: [BASELINE_MODEL] },
      scorecard: baseScorecard,
      replay: baseReplay,
    },
  ];
}

function demoPacket(cases: DemoCase[], cand: AgentRun, base: AgentRun, paths: Paths): Packet {
  const cmp = compareRuns(cand, base, cases.length);
  return {
    schema: PACKET_SCHEMA,
    bundle_id: DEMO_BUNDLE_ID,
    title: 'Support agent v2.4.0: release gate against v2.3.1',
    created_at: '2026-11-02T14:02:37Z',
    producer: { name: 'AgentClash CI', version: '0.31.0', workspace_id: 'ws-northwind-support' },
    candidate: {
      label: 'support-agent v2.4.0',
      agent_build_id: 'ab-support-agent',
      build_version_id: 'bv-2.4.0-7d21',
      deployment_id: 'dep-staging-eu-2f90',
      deployment_name: 'support-agent-staging-eu',
      snapshot_hash: 'sha256:5f0c3b7e51b44a2f0a0cbb0e6d8b2e0b7a4d3c9e8f1a2b3c4d5e6f708192a3b4',
      deployment_type: 'native',
      ...CANDIDATE,
    },
    baseline: {
      label: 'support-agent v2.3.1',
      agent_build_id: 'ab-support-agent',
      build_version_id: 'bv-2.3.1-51c8',
      deployment_id: 'dep-prod-eu-8a14',
      deployment_name: 'support-agent-prod-eu',
      snapshot_hash: 'sha256:1b9e0d4c7a6f5e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a190817',
      deployment_type: 'native',
      ...BASELINE,
      selection: { strategy: 'locked_run', max_age_days: 14, age_days: 5 },
    },
    workload: demoWorkload(cases.length),
    gate: demoGate(cmp, cand.marks.policy!),
    decision: demoDecision(cmp),
    owners: {
      release_owner: { name: 'Dana Okafor', email: 'dana.okafor@example.com' },
      rollback_owner: { name: 'Malik Haddad', email: 'malik.haddad@example.com' },
      approvers: [
        { name: 'Dana Okafor', email: 'dana.okafor@example.com', role: 'Release approver' },
        { name: 'Priya Raman', email: 'priya.raman@example.com', role: 'Security reviewer' },
      ],
    },
    retention: { policy: 'Release evidence, 90 days online then archive', replay_retention_days: 90, retain_until: '2027-02-01' },
    agents: demoAgents(paths),
    cases: packetCases(cases, cand, base),
    pricing: PRICING,
    attachments: [
      { path: paths.notes, title: 'Latency investigation notes', media_type: 'text/markdown' },
      { path: paths.egressLog, title: 'Egress proxy log for the blocked pastebin.com request', media_type: 'text/plain' },
    ],
    derived: ['/agents/0/evidence_tier', '/agents/1/evidence_tier', '/agents/0/permissions/observed', '/agents/1/permissions/observed'],
  };
}
