// Sections of the Compliance, Engineering and Finance views that show what an AgentClash
// import carries beyond the spec's fields (the packet's `agentclash` section). Each renders
// nothing for packets of other producers.

import type {
  BaselineResolutionView,
  CiRunView,
  CostPerCorrectView,
  FailureDivergenceView,
  Maybe,
  ProviderFailureRow,
} from '../../shared/model/slices-types';
import { KV, MaybeView, Missing, Pill, Section, Val } from '../components/common';
import { formatUsd } from '../format';

const yesNo = (v: boolean | null) => (v === null ? <Missing /> : v ? 'yes' : 'no');

export function CiRunSection({ ci, baseline }: { ci: Maybe<CiRunView>; baseline: Maybe<BaselineResolutionView> }) {
  if (ci.value === null) return null;
  return (
    <Section title="AgentClash CI run and baseline resolution">
      <KV
        rows={[
          ['Repository', <Val v={ci.value.repository} />],
          ['Pull request', <Val v={ci.value.pullRequest} />],
          ['Commit', <Val v={ci.value.commitSha} mono />],
          ['Workflow run', <Val v={ci.value.workflowRunUrl} mono />],
          ['CI provider', <Val v={ci.value.provider} />],
          ['Candidate run status', <Val v={ci.value.runStatus} />],
          ['CI exit code', <Val v={ci.value.exitCode} />],
          ['CI errors', ci.value.errors.length ? ci.value.errors.join('; ') : 'none'],
        ]}
      />
      <h4>Baseline resolution</h4>
      <MaybeView
        m={baseline}
        render={(b) => (
          <KV
            rows={[
              ['Strategy', <Val v={b.strategy} />],
              ['Source', <Val v={b.source} mono />],
              ['Reason', <Val v={b.reason} />],
              ['Refresh', <Val v={b.refreshMode} />],
              ['Warnings', b.warnings.length ? b.warnings.join('; ') : 'none'],
              [
                'Baseline agent from',
                b.runAgentFrom === 'single_agent_export' ? (
                  <span>
                    the baseline run's only agent <Pill kind="warn">derived</Pill>
                  </span>
                ) : (
                  b.runAgentFrom
                ),
              ],
              ['Other agents of the baseline run', b.otherRunAgents.length ? b.otherRunAgents.join(', ') : 'none'],
            ]}
          />
        )}
      />
    </Section>
  );
}

export function FailureSection({
  divergence,
  failures,
}: {
  divergence: Maybe<FailureDivergenceView>;
  failures: Maybe<ProviderFailureRow[]>;
}) {
  if (divergence.value === null && failures.value === null && divergence.missing?.startsWith('Not recorded: the packet has no AgentClash'))
    return null;
  return (
    <Section title="Failure divergence and provider failures (AgentClash)">
      <MaybeView
        m={divergence}
        render={(d) => (
          <KV
            rows={[
              ['Baseline run agent', <Val v={d.baselineStatus} />],
              ['Candidate run agent', <Val v={d.candidateStatus} />],
              ['Candidate failed, baseline succeeded', yesNo(d.candidateFailedBaselineSucceeded)],
              ['Candidate succeeded, baseline failed', yesNo(d.candidateSucceededBaselineFailed)],
              ['Both failed differently', yesNo(d.bothFailedDifferently)],
              ['Candidate failure reason', <Val v={d.candidateFailureReason} />],
              ['Baseline failure reason', <Val v={d.baselineFailureReason} />],
            ]}
          />
        )}
      />
      <h4>Provider failures</h4>
      <MaybeView
        m={failures}
        render={(rows) =>
          rows.length === 0 ? (
            'none'
          ) : (
            <ul data-testid="provider-failures">
              {rows.map((f) => (
                <li key={f.field}>
                  <span className="mono">{f.runAgentId}</span> ({f.role}) #{f.sequenceNumber}:{' '}
                  {f.providerKey ?? <Missing what="provider" />} {f.code ?? <Missing what="code" />}
                  {f.retryable === null ? null : f.retryable ? ', retryable' : ', not retryable'}
                  {f.message ? <div className="muted small">{f.message}</div> : null}
                </li>
              ))}
            </ul>
          )
        }
      />
    </Section>
  );
}

export function CostPerCorrectSection({ m }: { m: Maybe<CostPerCorrectView> }) {
  if (m.value === null && m.missing?.startsWith('Not recorded: the packet has no AgentClash')) return null;
  return (
    <Section title="Cost per correct answer (AgentClash)">
      <p className="muted small">Upstream's figure: the candidate's model cost divided by the validators it passed, not by tasks.</p>
      <MaybeView
        m={m}
        render={(c) => (
          <KV
            rows={[
              [
                'Cost per correct',
                c.valueUsd === null ? <Missing what={c.reason ?? 'not recorded'} /> : <span className="num">{formatUsd(c.valueUsd)}</span>,
              ],
              ['Total model cost', c.totalCostUsd === null ? <Missing /> : <span className="num">{formatUsd(c.totalCostUsd)}</span>],
              ['Validators passed', <Val v={c.correct} />],
              ['Run agent', <Val v={c.runAgentId} mono />],
            ]}
          />
        )}
      />
    </Section>
  );
}
