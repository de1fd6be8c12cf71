// The pages after the summary, one section per reader: the approval checklist, then the
// Security, Compliance, Engineering and Finance slices, then the cases that drove the
// verdict. Each draws the same view model the UI shows (shared/model).

import type { RGB } from 'pdf-lib';
import { buildChecklist } from '../model/checklist';
import { buildComplianceSlice, buildFinanceSlice, buildSecuritySlice } from '../model/slices';
import type { EngineeringSlice, Maybe, SecurityAgent } from '../model/slices-types';
import type { AgentNames } from '../model/agent-names';
import type { SummaryContext } from './context';
import type { Flow } from './layout';
import { AMBER, GREEN, INK, MUTED, RED } from './layout';
import type { Style } from './text';
import { agentclashCompliance, agentclashEngineering, agentclashFinance } from './agentclash';
import { NR, maybeCount, maybeList, orNR, outcome, stepLine, tierName, usd } from './format';

export function checklistSection({ flow, packet, report }: SummaryContext): void {
  flow.heading('Approval checklist');
  flow.table(
    [
      { title: 'State', share: 0.9 },
      { title: 'Item', share: 2.2 },
      { title: 'What was found', share: 3.7 },
      { title: 'Packet fields', share: 3.3, style: 'mono' },
    ],
    // With the report, as on the Overview: the named approvers are checked against the signers.
    buildChecklist(packet, report).map((c) => [
      { text: c.state === 'met' ? '\u2713 met' : '\u2717 missing', color: c.state === 'met' ? GREEN : RED, style: 'bold' },
      { text: c.title },
      { text: c.detail },
      { text: c.fields.join('\n') },
    ]),
    { size: 7.5, maxLines: 40 },
  );
}

/** Per agent: its tool policy, network, secrets, models and permissions, as granted and as used. */
export function securitySection({ flow, packet, observations, names }: SummaryContext): void {
  flow.heading('Security');
  for (const a of buildSecuritySlice(packet, observations).agents) {
    flow.text(`${a.label} (${a.role}, ${a.runAgentId}) \u2014 ${tierName(a.evidenceTier)}`, { style: 'bold', size: 8.5, maxLines: 2 });
    flow.pairs(securityRows(a, names), { labelWidth: 100, size: 7.5, maxLines: 3, indent: 8 });
    flow.space(3);
  }
}

function securityRows(a: SecurityAgent, names: AgentNames): Array<[string, string, Style?, RGB?]> {
  const tp = a.toolPolicy;
  const bounds = a.network.bounds;
  const red = (m: Maybe<unknown[]>) => (m.value?.length ? RED : INK);
  return [
    [
      'Tool policy',
      tp
        ? `tools ${tp.allowed_tool_kinds.join(', ') || 'none'}; shell ${tp.allow_shell ? 'allowed' : 'denied'}; network ${tp.allow_network ? 'allowed' : 'denied'}; max tool calls ${orNR(tp.max_tool_calls)}`
        : NR,
    ],
    ['Network bounds', bounds ? `${bounds.access}${bounds.allowlist.length ? `: ${bounds.allowlist.join(', ')}` : ''}` : NR],
    ['Outside bounds', maybeList(a.network.outsideBounds), undefined, red(a.network.outsideBounds)],
    [
      'Secrets',
      a.secrets
        ? `${a.secrets.handling}; canaries planted ${orNR(a.secrets.planted_canaries)}; leaks detected ${orNR(a.secrets.leaks_detected)}`
        : NR,
      undefined,
      a.secrets?.leaks_detected ? RED : INK,
    ],
    ['Models (AI BOM)', a.aiBom ? a.aiBom.models.join(', ') || 'none listed' : NR],
    ['Models outside BOM', maybeList(a.modelsOutsideBom), undefined, red(a.modelsOutsideBom)],
    ['Unused grants', maybeList(a.permissions.unusedGrants)],
    ['Unexpected uses', maybeList(a.permissions.unexpectedUses), undefined, red(a.permissions.unexpectedUses)],
    [
      'Blocked by policy',
      a.policyBlocked.value === null
        ? `not available (${a.policyBlocked.missing})`
        : a.policyBlocked.value.length
          ? a.policyBlocked.value.map((r) => stepLine(names, r)).join('; ')
          : 'none',
    ],
  ];
}

/** The traceability chain, link by link, and what is kept for how long. */
export function complianceSection({ flow, packet, report }: SummaryContext): void {
  flow.heading('Compliance: traceability chain');
  const compliance = buildComplianceSlice(packet, report);
  flow.table(
    [
      { title: 'Link', share: 1.8 },
      { title: 'State', share: 0.9 },
      { title: 'Entries', share: 6 },
    ],
    compliance.chain.map((l) => [
      { text: l.title, style: 'bold' },
      { text: l.state, color: l.state === 'present' ? GREEN : l.state === 'partial' ? AMBER : RED },
      { text: l.entries.map((e) => `${e.label}: ${e.value ?? `missing \u2014 ${e.missing}`}`).join('\n') },
    ]),
    { size: 7.5, maxLines: 8 },
  );
  const { retention } = compliance;
  flow.pairs(
    [
      [
        'Retention',
        `${orNR(retention.policy)}; replays ${retention.replayRetentionDays === null ? 'retention days not recorded' : `${retention.replayRetentionDays} days`}; retain until ${orNR(retention.retainUntil)}`,
      ],
      ['Agents without replay', retention.agentsWithoutReplay.join(', ') || 'none'],
    ],
    { labelWidth: 110, size: 7.5, maxLines: 3 },
  );
  if (packet.agentclash) agentclashCompliance(flow, compliance);
}

/** Case counts, what the replays show went wrong, and the cases per challenge. */
export function engineeringSection({ flow, packet, engineering, names }: SummaryContext): void {
  flow.heading('Engineering');
  flow.pairs(
    [
      [
        'Cases',
        `${packet.cases.length} in the packet; ${engineering.drivingCases.length} drove the verdict; ${engineering.divergences.length} differ between baseline and candidate`,
      ],
      ['Fallbacks', maybeCount(engineering.fallbacks, names)],
      ['Sandbox failures', maybeCount(engineering.sandboxFailures, names)],
      ['Tool failures', maybeCount(engineering.toolFailures, names)],
      ['Policy violations', maybeCount(engineering.policyViolations, names)],
    ],
    { labelWidth: 110, size: 7.5, maxLines: 2 },
  );
  if (engineering.challenges.length) challengeTable(flow, engineering);
  if (packet.agentclash) agentclashEngineering(flow, engineering);
}

function challengeTable(flow: Flow, engineering: EngineeringSlice): void {
  flow.table(
    [
      { title: 'Challenge', share: 3 },
      { title: 'Cases', share: 1, align: 'right' },
      { title: 'Baseline passed', share: 1.4, align: 'right' },
      { title: 'Candidate passed', share: 1.4, align: 'right' },
    ],
    engineering.challenges.map((c) => [
      { text: c.challengeKey },
      { text: String(c.cases) },
      { text: orNR(c.baselinePassed) },
      { text: orNR(c.candidatePassed) },
    ]),
    { size: 7.5, maxLines: 2 },
  );
}

/** Cost, cost per successful task and successful tasks, baseline against candidate. */
export function financeSection({ flow, packet, observations }: SummaryContext): void {
  flow.heading('Finance');
  const finance = buildFinanceSlice(packet, observations);
  const tasks = (m: Maybe<number>) => (m.value === null ? `not available (${m.missing})` : String(m.value));
  flow.table(
    [
      { title: '', share: 2.4 },
      { title: 'Baseline', share: 2.2 },
      { title: 'Candidate', share: 2.2 },
      { title: 'Candidate \u2212 baseline', share: 2.2 },
    ],
    [
      [
        { text: 'Total cost', style: 'bold' },
        { text: usd(finance.baseline.totalCostUsd) },
        { text: usd(finance.candidate.totalCostUsd) },
        { text: usd(finance.totalDeltaUsd) },
      ],
      [
        { text: 'Cost per successful task', style: 'bold' },
        { text: usd(finance.baseline.costPerSuccessfulTaskUsd) },
        { text: usd(finance.candidate.costPerSuccessfulTaskUsd) },
        { text: usd(finance.costPerSuccessfulTaskDeltaUsd) },
      ],
      [
        { text: 'Successful tasks', style: 'bold' },
        { text: tasks(finance.baseline.successfulTasks) },
        { text: tasks(finance.candidate.successfulTasks) },
        { text: '' },
      ],
    ],
    { size: 7.5, maxLines: 3 },
  );
  if (finance.unpricedModels.length)
    flow.text(`Models without a price: ${finance.unpricedModels.join(', ')}.`, { size: 7.5, color: AMBER });
  if (packet.agentclash) agentclashFinance(flow, finance);
}

/** The cases marked as driving the verdict, with the replay steps they cite. */
export function drivingCasesSection({ flow, engineering, names }: SummaryContext): void {
  flow.heading('Cases that drove the verdict');
  const { drivingCases } = engineering;
  if (drivingCases.length === 0) {
    flow.text('No case is marked as driving the verdict.', { size: 8, color: MUTED });
    return;
  }
  flow.table(
    [
      { title: 'Case', share: 1.3, style: 'mono' },
      { title: 'Title', share: 2.4 },
      { title: 'Baseline', share: 1.1 },
      { title: 'Candidate', share: 1.1 },
      { title: 'Replay ref (run agent #seq) and the step', share: 4.6 },
    ],
    drivingCases.map((c) => [
      { text: c.caseKey },
      { text: c.title ?? '(untitled)' },
      { text: outcome(c.baseline) },
      { text: outcome(c.candidate), color: c.change === 'regressed' ? RED : INK },
      { text: c.refs.length ? c.refs.map((r) => stepLine(names, r)).join('\n') : 'no replay ref recorded' },
    ]),
    { size: 7.5, maxLines: 8 },
  );
}
