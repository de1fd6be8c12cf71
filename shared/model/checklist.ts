// The approval checklist: the eight things a release-decision packet must carry before an
// approver can rely on it. Each item is met or missing, says what it found (or what is
// missing and why), and names the packet fields it rests on.

import type { VerificationReport } from '../evb/report';
import { compareApproversWithSigners } from './approvers';
import { codeWithWords, codeWords } from './code-words';
import type { Packet, Person } from './packet-types';
import type { ChecklistItem, ChecklistKey } from './slices-types';

export const CHECKLIST_KEYS: readonly ChecklistKey[] = [
  'named-candidate',
  'frozen-workload',
  'baseline-max-age',
  'gate-policy',
  'replay-retention',
  'evidence-tier',
  'auto-fail-conditions',
  'owners',
];

/** A build or deployment "name" that only says "whatever is newest". */
const FLOATING = /^(latest|current|head|newest|main|master)$/i;

function blank(v: string | null | undefined): boolean {
  return v === null || v === undefined || v.trim() === '';
}

function floating(v: string | null | undefined): boolean {
  return typeof v === 'string' && FLOATING.test(v.trim());
}

function who(p: Person | null): string {
  if (p === null) return 'not recorded';
  return p.email ? `${p.name} <${p.email}>` : p.name;
}

function item(key: ChecklistKey, title: string, problems: string[], ok: string, fields: string[]): ChecklistItem {
  return {
    key,
    title,
    state: problems.length === 0 ? 'met' : 'missing',
    detail: problems.length === 0 ? ok : `${problems.join('; ')}.`,
    fields,
  };
}

/**
 * The eight items; with a verification report, a ninth: the named approvers against the
 * actual signers (compareApproversWithSigners), since only the report knows who signed.
 */
export function buildChecklist(packet: Packet, report?: VerificationReport | null): ChecklistItem[] {
  const items = buildPacketChecklist(packet);
  if (report) {
    const check = compareApproversWithSigners(packet.owners, report.signatures);
    const signed = check.approvers.filter((a) => a.state === 'signed').map((a) => a.approver.name);
    const problems = check.problems.map((p) => p.replace(/\.$/, ''));
    if (check.approvers.length === 0) problems.push('the packet names no approvers');
    items.push(
      item(
        'approvers-signed',
        'Named approvers signed the bundle',
        problems,
        `Every named approver signed with a trusted key: ${signed.join(', ')}.`,
        ['/owners/approvers'],
      ),
    );
  }
  return items;
}

function buildPacketChecklist(packet: Packet): ChecklistItem[] {
  const items: ChecklistItem[] = [];

  // 1. Named candidate build and deployment, not "latest".
  {
    const c = packet.candidate;
    const problems: string[] = [];
    const ids: Array<[string, string | null]> = [
      ['agent_build_id', c.agent_build_id],
      ['build_version_id', c.build_version_id],
      ['deployment_id', c.deployment_id],
    ];
    for (const [name, v] of ids) {
      if (blank(v)) problems.push(`candidate ${name} is not recorded`);
      else if (floating(v)) problems.push(`candidate ${name} is "${v}", a moving target, not a named build`);
    }
    for (const [name, v] of [
      ['label', c.label],
      ['deployment_name', c.deployment_name],
    ] as const) {
      if (floating(v)) problems.push(`candidate ${name} is just "${v}"`);
    }
    items.push(
      item(
        'named-candidate',
        'Named candidate build and deployment (not "latest")',
        problems,
        `Build ${c.agent_build_id} version ${c.build_version_id}, deployment ${c.deployment_id}${c.deployment_name ? ` (${c.deployment_name})` : ''}.`,
        [
          '/candidate/agent_build_id',
          '/candidate/build_version_id',
          '/candidate/deployment_id',
          '/candidate/label',
          '/candidate/deployment_name',
        ],
      ),
    );
  }

  // 2. Frozen pack version and input set.
  {
    const pack = packet.workload.challenge_pack;
    const input = packet.workload.input_set;
    const problems: string[] = [];
    if (blank(pack.version_id)) problems.push('challenge pack version_id is not recorded');
    if (pack.manifest_sha256 === null)
      problems.push('challenge pack manifest_sha256 is not recorded, so the pack version cannot be checked');
    if (blank(input.id)) problems.push('input set id is not recorded');
    if (input.input_sha256 === null) problems.push('input set input_sha256 is not recorded, so the inputs cannot be checked');
    items.push(
      item(
        'frozen-workload',
        'Frozen challenge pack version and input set',
        problems,
        `Pack ${pack.slug} v${pack.version_number} (${pack.version_id}), manifest ${pack.manifest_sha256?.slice(0, 12)}…; input set ${input.key} (${input.id}), inputs ${input.input_sha256?.slice(0, 12)}….`,
        [
          '/workload/challenge_pack/version_number',
          '/workload/challenge_pack/version_id',
          '/workload/challenge_pack/manifest_sha256',
          '/workload/input_set/id',
          '/workload/input_set/input_sha256',
        ],
      ),
    );
  }

  // 3. Baseline run id with a max-age policy.
  {
    const b = packet.baseline;
    const sel = b.selection;
    const problems: string[] = [];
    if (blank(b.run_id)) problems.push('baseline run_id is not recorded');
    if (sel.max_age_days === null) problems.push('no baseline max-age policy (selection.max_age_days is not recorded)');
    else if (sel.age_days !== null && sel.age_days > sel.max_age_days)
      problems.push(`the baseline is stale: ${sel.age_days} days old, over the ${sel.max_age_days}-day maximum`);
    else if (sel.age_days === null)
      problems.push(`the baseline's age is not recorded, so the ${sel.max_age_days}-day maximum cannot be checked`);
    items.push(
      item(
        'baseline-max-age',
        'Baseline run id with a max-age policy',
        problems,
        `Baseline run ${b.run_id} (${sel.strategy.replace(/_/g, ' ')}), ${sel.age_days} days old, within the ${sel.max_age_days}-day maximum.`,
        ['/baseline/run_id', '/baseline/selection/max_age_days', '/baseline/selection/age_days'],
      ),
    );
  }

  // 4. Gate policy expressed in scorecard dimensions.
  {
    const g = packet.gate;
    const dims = Object.keys(g.dimension_results);
    const problems: string[] = [];
    if (Object.keys(g.policy).length === 0) problems.push('the gate policy snapshot is empty');
    if (dims.length === 0) problems.push('the gate has no dimension results');
    items.push(
      item(
        'gate-policy',
        'Gate policy in scorecard dimensions',
        problems,
        `Verdict ${codeWords(g.verdict)} over ${dims.length} dimension${dims.length === 1 ? '' : 's'}: ${dims.join(', ')}.`,
        ['/gate/policy', '/gate/dimension_results'],
      ),
    );
  }

  // 5. Replay retained per retention rules.
  {
    const problems: string[] = [];
    const noReplay = packet.agents.filter((a) => a.replay === null).map((a) => a.run_agent_id);
    if (noReplay.length) problems.push(`no replay for ${noReplay.join(', ')}`);
    const r = packet.retention;
    if (r.replay_retention_days === null && r.retain_until === null)
      problems.push('no retention rule (neither replay_retention_days nor retain_until is recorded)');
    const rule = [
      r.replay_retention_days !== null ? `${r.replay_retention_days} days` : null,
      r.retain_until !== null ? `until ${r.retain_until}` : null,
    ]
      .filter(Boolean)
      .join(', ');
    items.push(
      item(
        'replay-retention',
        'Replays retained per the retention rules',
        problems,
        `Replays for all ${packet.agents.length} agents, retained ${rule}.`,
        ['/retention/replay_retention_days', '/retention/retain_until', ...packet.agents.map((_, i) => `/agents/${i}/replay`)],
      ),
    );
  }

  // 6. Evidence tier labeled per agent.
  {
    const problems: string[] = [];
    if (packet.agents.length === 0) problems.push('the packet lists no agents');
    // Agents by label and role, tiers in words (issue 18.4); the run agent ids are in the fields.
    const name = (a: Packet['agents'][number]) => `${a.label} (${a.role})`;
    const none = packet.agents.filter((a) => a.evidence_tier === 'none').map(name);
    const tiers = packet.agents.map((a) => `${name(a)}: ${codeWithWords(a.evidence_tier)}`).join(', ');
    items.push(
      item(
        'evidence-tier',
        'Evidence tier labeled per agent',
        problems,
        none.length
          ? `${tiers}. Labeled, but ${none.join(', ')} carr${none.length === 1 ? 'ies' : 'y'} tier "none": no evidence was recorded.`
          : `${tiers}.`,
        packet.agents.map((_, i) => `/agents/${i}/evidence_tier`),
      ),
    );
  }

  // 7. Automatic fail conditions listed.
  {
    const conds = packet.gate.auto_fail_conditions;
    const triggered = conds.filter((c) => c.triggered).map((c) => c.key);
    items.push(
      item(
        'auto-fail-conditions',
        'Automatic fail conditions listed',
        conds.length === 0 ? ['the gate lists no automatic fail conditions'] : [],
        `${conds.length} listed (${conds.map((c) => codeWords(c.key)).join(', ')}); ${triggered.length ? `triggered: ${triggered.map(codeWithWords).join(', ')}` : 'none triggered'}.`,
        ['/gate/auto_fail_conditions'],
      ),
    );
  }

  // 8. Release and rollback owners named.
  {
    const o = packet.owners;
    const problems: string[] = [];
    if (o.release_owner === null || blank(o.release_owner.name)) problems.push('no release owner named');
    if (o.rollback_owner === null || blank(o.rollback_owner.name)) problems.push('no rollback owner named');
    items.push(
      item(
        'owners',
        'Release and rollback owners named',
        problems,
        `Release: ${who(o.release_owner)}; rollback: ${who(o.rollback_owner)}.`,
        ['/owners/release_owner', '/owners/rollback_owner'],
      ),
    );
  }
  return items;
}
