import { describe, it, expect } from 'vitest';
import { buildChecklist, CHECKLIST_KEYS } from '../../shared/model/checklist';
import { buildDemoPayload } from '../../shared/model/demo';
import type { Packet } from '../../shared/model/packet-types';

const demoPacket = (): Packet => JSON.parse(new TextDecoder().decode(buildDemoPayload().get('data/packet.json')!));
const itemOf = (p: Packet, key: string) => buildChecklist(p).find((i) => i.key === key)!;

describe('buildChecklist', () => {
  it('lists the eight items in order, all met for the demo', () => {
    const items = buildChecklist(demoPacket());
    expect(items.map((i) => i.key)).toEqual([...CHECKLIST_KEYS]);
    expect(items.map((i) => i.key)).toEqual([
      'named-candidate',
      'frozen-workload',
      'baseline-max-age',
      'gate-policy',
      'replay-retention',
      'evidence-tier',
      'auto-fail-conditions',
      'owners',
    ]);
    for (const i of items) {
      expect(i.state, `${i.key}: ${i.detail}`).toBe('met');
      expect(i.fields.length).toBeGreaterThan(0);
      for (const f of i.fields) expect(f).toMatch(/^\//);
    }
    expect(itemOf(demoPacket(), 'owners').detail).toContain('Dana Okafor');
    // Codes read as words, the code beside them (issue 18.4).
    expect(itemOf(demoPacket(), 'auto-fail-conditions').detail).toBe(
      '3 listed (Secret leaked, Network access outside the allowlist, Candidate run failed); triggered: Network access outside the allowlist (egress_outside_allowlist).',
    );
    expect(itemOf(demoPacket(), 'evidence-tier').detail).toBe(
      'support-agent v2.4.0 (candidate): Native structured, support-agent v2.3.1 (baseline): Native structured.',
    );
    expect(itemOf(demoPacket(), 'gate-policy').detail).toMatch(/^Verdict Fail over 4 dimensions/);
  });

  const missing: Array<[string, string, (p: Packet) => void, RegExp]> = [
    [
      'named-candidate',
      'no deployment id',
      (p) => {
        p.candidate.deployment_id = null;
      },
      /deployment_id is not recorded/,
    ],
    [
      'named-candidate',
      'build version "latest"',
      (p) => {
        p.candidate.build_version_id = 'latest';
      },
      /build_version_id is "latest", a moving target/,
    ],
    [
      'named-candidate',
      'label "LATEST"',
      (p) => {
        p.candidate.label = 'LATEST';
      },
      /label is just "LATEST"/,
    ],
    [
      'frozen-workload',
      'no manifest digest',
      (p) => {
        p.workload.challenge_pack.manifest_sha256 = null;
      },
      /manifest_sha256 is not recorded/,
    ],
    [
      'frozen-workload',
      'no input digest',
      (p) => {
        p.workload.input_set.input_sha256 = null;
      },
      /input_sha256 is not recorded/,
    ],
    [
      'baseline-max-age',
      'no max age',
      (p) => {
        p.baseline.selection.max_age_days = null;
      },
      /no baseline max-age policy/,
    ],
    [
      'baseline-max-age',
      'stale baseline',
      (p) => {
        p.baseline.selection.age_days = 21;
      },
      /stale: 21 days old, over the 14-day maximum/,
    ],
    [
      'baseline-max-age',
      'age unknown',
      (p) => {
        p.baseline.selection.age_days = null;
      },
      /age is not recorded/,
    ],
    [
      'gate-policy',
      'empty policy',
      (p) => {
        p.gate.policy = {};
      },
      /policy snapshot is empty/,
    ],
    [
      'gate-policy',
      'no dimensions',
      (p) => {
        p.gate.dimension_results = {};
      },
      /no dimension results/,
    ],
    [
      'replay-retention',
      'agent without replay',
      (p) => {
        p.agents[1]!.replay = null;
      },
      /no replay for ra-base-51c8/,
    ],
    [
      'replay-retention',
      'no retention rule',
      (p) => {
        p.retention.replay_retention_days = null;
        p.retention.retain_until = null;
      },
      /no retention rule/,
    ],
    [
      'evidence-tier',
      'no agents',
      (p) => {
        p.agents = [];
      },
      /lists no agents/,
    ],
    [
      'auto-fail-conditions',
      'none listed',
      (p) => {
        p.gate.auto_fail_conditions = [];
      },
      /no automatic fail conditions/,
    ],
    [
      'owners',
      'no rollback owner',
      (p) => {
        p.owners.rollback_owner = null;
      },
      /no rollback owner named/,
    ],
    [
      'owners',
      'blank release owner',
      (p) => {
        p.owners.release_owner = { name: '  ', email: null };
      },
      /no release owner named/,
    ],
  ];
  it.each(missing)('%s is missing when %s', (key, _why, mutate, detail) => {
    const p = demoPacket();
    mutate(p);
    const items = buildChecklist(p);
    const item = items.find((i) => i.key === key)!;
    expect(item.state).toBe('missing');
    expect(item.detail).toMatch(detail);
    // Only the item concerned changes.
    expect(items.filter((i) => i.state === 'missing').map((i) => i.key)).toEqual([key]);
  });

  it('counts tier "none" as labeled but says so', () => {
    const p = demoPacket();
    p.agents[1]!.evidence_tier = 'none';
    const item = itemOf(p, 'evidence-tier');
    expect(item.state).toBe('met');
    expect(item.detail).toMatch(/support-agent v2\.3\.1 \(baseline\) carries tier "none": no evidence was recorded/);
  });

  it('accepts a baseline exactly at its maximum age', () => {
    const p = demoPacket();
    p.baseline.selection.age_days = 14;
    expect(itemOf(p, 'baseline-max-age').state).toBe('met');
  });
});
