import { useMemo } from 'react';
import type { ViewProps } from './types';
import type { CaseRow } from '../../shared/model/slices-types';
import type { Outcome } from '../../shared/model/packet-types';
import { buildEngineeringSlice } from '../../shared/model/slices';
import { MaybeView, Missing, Pill, Section, StepList } from '../components/common';
import { FailureSection } from './AgentClashSections';
import { formatNumber } from '../format';

function OutcomeCell({ o }: { o: Outcome | null }) {
  if (!o) return <Missing what="not run" />;
  return (
    <span>
      <Pill kind={o.verdict}>{o.verdict}</Pill> {o.score === null ? null : <span className="mono small">{formatNumber(o.score)}</span>}
    </span>
  );
}

const CHANGE_KIND: Record<CaseRow['change'], string> = {
  regressed: 'fail',
  improved: 'pass',
  changed: 'warn',
  unchanged: 'neutral',
  incomparable: 'neutral',
};

function CaseTable({ cases, caption, onOpenStep }: { cases: CaseRow[]; caption: string; onOpenStep: ViewProps['onOpenStep'] }) {
  if (cases.length === 0)
    return (
      <p>
        <Missing what="none" />
      </p>
    );
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="data">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Baseline</th>
            <th scope="col">Candidate</th>
            <th scope="col">Change</th>
            <th scope="col">Replay steps</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.caseKey}>
              <th scope="row">
                {c.title ?? c.caseKey}
                <div className="mono muted small">
                  {c.caseKey} · {c.challengeKey}
                </div>
              </th>
              <td>
                <OutcomeCell o={c.baseline} />
              </td>
              <td>
                <OutcomeCell o={c.candidate} />
              </td>
              <td>
                <Pill kind={CHANGE_KIND[c.change]}>{c.change}</Pill>
              </td>
              <td>
                <StepList steps={c.refs} onOpen={onOpenStep} empty="no steps referenced" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Engineering({ packet, observations, onOpenStep }: ViewProps) {
  const slice = useMemo(() => buildEngineeringSlice(packet, observations), [packet, observations]);
  const steps = (title: string, m: typeof slice.fallbacks) => (
    <div>
      <h4>{title}</h4>
      <MaybeView m={m} render={(v) => <StepList steps={v} onOpen={onOpenStep} empty="none" />} />
    </div>
  );
  return (
    <div className="view engineering">
      <Section title={`Cases that drove the verdict (${slice.drivingCases.length})`}>
        <CaseTable cases={slice.drivingCases} caption="Cases that drove the verdict" onOpenStep={onOpenStep} />
      </Section>
      <Section title={`Divergences between baseline and candidate (${slice.divergences.length})`}>
        <CaseTable cases={slice.divergences} caption="Divergent cases" onOpenStep={onOpenStep} />
      </Section>
      <Section title="Routing fallbacks, sandbox and tool failures">
        <div className="grid-2">
          {steps('Routing fallbacks', slice.fallbacks)}
          {steps('Sandbox failures', slice.sandboxFailures)}
          {steps('Tool failures', slice.toolFailures)}
          {steps('Policy violations', slice.policyViolations)}
        </div>
      </Section>
      <FailureSection divergence={slice.failureDivergence} failures={slice.providerFailures} />
      <Section title="Per challenge">
        <table className="data">
          <caption className="sr-only">Pass counts per challenge</caption>
          <thead>
            <tr>
              <th scope="col">Challenge</th>
              <th scope="col" className="num">
                Cases
              </th>
              <th scope="col" className="num">
                Baseline passed
              </th>
              <th scope="col" className="num">
                Candidate passed
              </th>
            </tr>
          </thead>
          <tbody>
            {slice.challenges.map((c) => (
              <tr key={c.challengeKey}>
                <th scope="row" className="mono">
                  {c.challengeKey}
                </th>
                <td className="num">{c.cases}</td>
                <td className="num">{c.baselinePassed ?? <Missing what="no outcomes" />}</td>
                <td className="num">{c.candidatePassed ?? <Missing what="no outcomes" />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
