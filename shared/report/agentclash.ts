// What an AgentClash import carries beyond the spec's fields (the packet's optional
// `agentclash` section), in the slice where a reader needs it: the CI run and how the
// baseline was resolved under Compliance, failure divergence and provider failures under
// Engineering, cost per correct under Finance. Drawn from the slices' view models
// (shared/model/slices-agentclash.ts); the stakeholder sections call these only when the
// packet has the section, so other producers' PDFs are unchanged.

import type { RGB } from 'pdf-lib';
import type {
  BaselineResolutionView,
  CiRunView,
  ComplianceSlice,
  CostPerCorrectView,
  EngineeringSlice,
  FailureDivergenceView,
  FinanceSlice,
  Maybe,
  ProviderFailureRow,
} from '../model/slices-types';
import type { Flow } from './layout';
import { AMBER, INK, MUTED, RED } from './layout';
import type { Style } from './text';
import { NR, num, orNR, words } from './format';

type Row = [string, string, Style?, RGB?];

const PAIRS = { labelWidth: 175, size: 7.5, maxLines: 3 } as const;

/** A sub-heading naming the packet field the block comes from. */
function subheading(flow: Flow, title: string, field: string): void {
  flow.space(2);
  flow.text(`${title} (${field})`, { style: 'bold', size: 8.5, maxLines: 2, after: 1 });
}

/** The block's rows, or one line saying why it is not available. */
function maybePairs<T extends { field: string }>(flow: Flow, title: string, field: string, m: Maybe<T>, rows: (v: T) => Row[]): void {
  subheading(flow, title, m.value?.field ?? field);
  if (m.value === null) flow.text(`Not available: ${m.missing}`, { size: 7.5, color: MUTED, maxLines: 3 });
  else flow.pairs(rows(m.value), PAIRS);
}

const list = (xs: string[]): string => (xs.length ? xs.join('; ') : 'none');
const yesNo = (v: boolean | null): string => (v === null ? NR : v ? 'yes' : 'no');

const RUN_AGENT_FROM: Readonly<Record<BaselineResolutionView['runAgentFrom'], string>> = {
  ci_run: 'the CI run (run.json, baseline.run_agent_id)',
  comparison: "the comparison payload's baseline_run_agent_id",
  single_agent_export: "derived by Exhibit: the baseline run's event export holds only this agent",
};

function ciRunRows(c: CiRunView): Row[] {
  return [
    ['Repository', orNR(c.repository)],
    ['Pull request', c.pullRequest === null ? NR : `#${c.pullRequest}`],
    ['Branch', orNR(c.branch)],
    ['Commit SHA', orNR(c.commitSha), 'mono'],
    ['Workflow run', orNR(c.workflowRunUrl)],
    ['CI provider', c.provider === null ? NR : words(c.provider)],
    ['Run status, exit code', `${orNR(c.runStatus)}; exit code ${orNR(c.exitCode)}`],
    ['Errors', list(c.errors), undefined, c.errors.length ? RED : INK],
  ];
}

function baselineResolutionRows(b: BaselineResolutionView): Row[] {
  return [
    ['Strategy', b.strategy === null ? NR : words(b.strategy)],
    ['Source', orNR(b.source)],
    ['Reason', orNR(b.reason)],
    ['Warnings', list(b.warnings), undefined, b.warnings.length ? AMBER : INK],
    ['Refresh mode', orNR(b.refreshMode)],
    [
      'Baseline run agent from',
      `${RUN_AGENT_FROM[b.runAgentFrom]}${b.runAgentFrom === 'single_agent_export' ? ' (derived)' : ''}`,
      undefined,
      b.runAgentFrom === 'single_agent_export' ? AMBER : INK,
    ],
    ['Other agents of the baseline run', list(b.otherRunAgents)],
  ];
}

/** Compliance: the CI run behind the gate, and how AgentClash chose the baseline. */
export function agentclashCompliance(flow: Flow, slice: ComplianceSlice): void {
  maybePairs(flow, 'AgentClash CI run', '/agentclash/ci', slice.ciRun, ciRunRows);
  maybePairs(flow, 'AgentClash baseline resolution', '/agentclash/baseline_resolution', slice.baselineResolution, baselineResolutionRows);
}

function divergenceRows(f: FailureDivergenceView): Row[] {
  const flag = (v: boolean | null): RGB => (v ? RED : INK);
  return [
    ['Run agent status', `baseline ${orNR(f.baselineStatus)}; candidate ${orNR(f.candidateStatus)}`],
    ['Candidate failed, baseline succeeded', yesNo(f.candidateFailedBaselineSucceeded), 'bold', flag(f.candidateFailedBaselineSucceeded)],
    ['Candidate succeeded, baseline failed', yesNo(f.candidateSucceededBaselineFailed)],
    ['Both failed differently', yesNo(f.bothFailedDifferently), 'bold', flag(f.bothFailedDifferently)],
    ['Candidate failure reason', orNR(f.candidateFailureReason)],
    ['Baseline failure reason', orNR(f.baselineFailureReason)],
  ];
}

function providerFailureTable(flow: Flow, m: Maybe<ProviderFailureRow[]>): void {
  subheading(flow, 'Provider failures', '/agentclash/provider_failures');
  if (m.value === null) {
    flow.text(`Not available: ${m.missing}`, { size: 7.5, color: MUTED, maxLines: 3 });
    return;
  }
  if (m.value.length === 0) {
    flow.text('None: no run stopped on a provider failure.', { size: 7.5, color: MUTED });
    return;
  }
  flow.table(
    [
      { title: 'Run agent', share: 3.6, style: 'mono' },
      { title: 'Role', share: 0.9 },
      { title: 'Step', share: 0.6, align: 'right' },
      { title: 'Provider', share: 1 },
      { title: 'Code', share: 1.2 },
      { title: 'Retryable', share: 1 },
      { title: 'Message', share: 2.8 },
    ],
    m.value.map((f) => [
      { text: f.runAgentId },
      { text: f.role },
      { text: String(f.sequenceNumber) },
      { text: orNR(f.providerKey) },
      { text: orNR(f.code), color: RED },
      { text: yesNo(f.retryable) },
      { text: orNR(f.message) },
    ]),
    { size: 7, maxLines: 4 },
  );
}

/** Engineering: how the two run agents failed (or did not), and runs stopped by a provider. */
export function agentclashEngineering(flow: Flow, slice: EngineeringSlice): void {
  maybePairs(flow, 'AgentClash failure divergence', '/agentclash/comparison/failure_divergence', slice.failureDivergence, divergenceRows);
  providerFailureTable(flow, slice.providerFailures);
}

const dollars = (v: number | null): string => (v === null ? NR : `$${num(v)}`);

function costPerCorrectRows(c: CostPerCorrectView): Row[] {
  const rows: Row[] = [
    ['Cost per correct', dollars(c.valueUsd), 'bold'],
    ['Total cost', dollars(c.totalCostUsd)],
    ['Correct (validators passed)', orNR(c.correct)],
    ['Run agent', c.runAgentId, 'mono'],
  ];
  if (c.state !== null && c.state !== 'available')
    rows.push(['Upstream state', `${words(c.state)}${c.reason ? `: ${c.reason}` : ''}`, undefined, AMBER]);
  return rows;
}

/** Finance: AgentClash's cost per correct of the candidate, said to be over validators, not tasks. */
export function agentclashFinance(flow: Flow, slice: FinanceSlice): void {
  maybePairs(flow, 'AgentClash cost per correct', '/agentclash/scorecard/cost_per_correct_usd', slice.costPerCorrect, costPerCorrectRows);
  flow.text('Cost per correct is the cost divided by validators passed, not by tasks.', { size: 7, color: MUTED, maxLines: 2 });
}
