import { useMemo } from 'react';
import type { ViewProps } from './types';
import type { CostSummary, FinanceSlice, Maybe } from '../../shared/model/slices-types';
import { buildFinanceSlice } from '../../shared/model/slices';
import { MaybeView, Missing, Pill, Section } from '../components/common';
import { formatNumber, formatUsd } from '../format';
import { CostPerCorrectSection } from './AgentClashSections';

function Usd({ m }: { m: Maybe<number> }) {
  return <MaybeView m={m} render={(v) => <span className="num">{formatUsd(v)}</span>} />;
}

/** A headline figure: the number large, or a small "not computable" with the reason. */
function Metric({ m, delta = false }: { m: Maybe<number>; delta?: boolean }) {
  if (m.missing !== null) {
    return (
      <span className="metric-missing">
        <span className="metric-value missing">not computable</span>
        <span className="small muted">{m.missing}</span>
      </span>
    );
  }
  return <span className="metric-value">{delta ? <Delta m={m} /> : <Usd m={m} />}</span>;
}

function Delta({ m }: { m: Maybe<number> }) {
  return (
    <MaybeView
      m={m}
      render={(v) => (
        <span className={v > 0 ? 'warn-text num' : 'num'}>
          {v > 0 ? '+' : v < 0 ? '−' : ''}
          {formatUsd(Math.abs(v))}
        </span>
      )}
    />
  );
}

function Tokens({ m }: { m: Maybe<{ input: number | null; output: number | null }> }) {
  return (
    <MaybeView
      m={m}
      render={(v) => (
        <span className="num small">
          {formatNumber(v.input) ?? '—'} in / {formatNumber(v.output) ?? '—'} out
        </span>
      )}
    />
  );
}

function Side({ label, s }: { label: string; s: CostSummary & { runAgentId: string } }) {
  return (
    <Section title={`${label} (${s.runAgentId})`}>
      <div className="metric-row">
        <div className="metric">
          <span className="eyebrow">Total cost</span>
          <Metric m={s.totalCostUsd} />
          {s.casesWithoutCost > 0 ? (
            <span className="warn-text small">
              {s.casesWithoutCost} case{s.casesWithoutCost === 1 ? '' : 's'} without a recorded cost
              {s.recordedCostUsd !== null ? `; ${formatUsd(s.recordedCostUsd)} over the ${s.casesWithCost} that have one` : ''}.
            </span>
          ) : null}
        </div>
        <div className="metric">
          <span className="eyebrow">Cost per successful task</span>
          <Metric m={s.costPerSuccessfulTaskUsd} />
          <span className="muted small">
            <MaybeView m={s.successfulTasks} render={(v) => `${v} successful tasks`} />
          </span>
        </div>
        <div className="metric">
          <span className="eyebrow">Tokens</span>
          <span className="small">
            input <MaybeView m={s.inputTokens} render={(v) => <strong className="num">{formatNumber(v)}</strong>} />
            <br />
            output <MaybeView m={s.outputTokens} render={(v) => <strong className="num">{formatNumber(v)}</strong>} />
          </span>
        </div>
      </div>
    </Section>
  );
}

function Pricing({ slice }: { slice: FinanceSlice }) {
  return (
    <Section title="Pricing">
      <MaybeView
        m={slice.pricing}
        render={(rows) => (
          <table className="data">
            <caption className="sr-only">Model pricing</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="num">
                  Input per Mtok
                </th>
                <th scope="col" className="num">
                  Output per Mtok
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.model}>
                  <th scope="row" className="mono">
                    {p.model}
                  </th>
                  <td className="num">{formatUsd(p.inputPerMtokUsd)}</td>
                  <td className="num">{formatUsd(p.outputPerMtokUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      />
      {slice.unpricedModels.length > 0 ? <p className="warn-text small">No price for: {slice.unpricedModels.join(', ')}</p> : null}
    </Section>
  );
}

export function Finance({ packet, observations }: ViewProps) {
  const slice = useMemo(() => buildFinanceSlice(packet, observations), [packet, observations]);
  return (
    <div className="view finance">
      <div className="grid-2">
        <Side label="Candidate" s={slice.candidate} />
        <Side label="Baseline" s={slice.baseline} />
      </div>
      <Section title="Candidate minus baseline">
        <div className="metric-row">
          <div className="metric">
            <span className="eyebrow">Total cost</span>
            <Metric m={slice.totalDeltaUsd} delta />
          </div>
          <div className="metric">
            <span className="eyebrow">Cost per successful task</span>
            <Metric m={slice.costPerSuccessfulTaskDeltaUsd} delta />
          </div>
        </div>
      </Section>
      <CostPerCorrectSection m={slice.costPerCorrect} />
      <Pricing slice={slice} />
      <Section title="Per challenge">
        <table className="data">
          <caption className="sr-only">Cost per challenge</caption>
          <thead>
            <tr>
              <th scope="col">Challenge</th>
              <th scope="col" className="num">
                Baseline
              </th>
              <th scope="col" className="num">
                Candidate
              </th>
            </tr>
          </thead>
          <tbody>
            {slice.challenges.map((c) => (
              <tr key={c.challengeKey}>
                <th scope="row" className="mono">
                  {c.challengeKey}
                </th>
                <td className="num">
                  <Usd m={c.baselineCostUsd} />
                </td>
                <td className="num">
                  <Usd m={c.candidateCostUsd} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Per case">
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Cost and tokens per case">
          <table className="data">
            <caption className="sr-only">Cost and tokens per case</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col" className="num">
                  Baseline cost
                </th>
                <th scope="col" className="num">
                  Candidate cost
                </th>
                <th scope="col" className="num">
                  Difference
                </th>
                <th scope="col">Verdicts</th>
                <th scope="col">Baseline tokens</th>
                <th scope="col">Candidate tokens</th>
              </tr>
            </thead>
            <tbody>
              {slice.cases.map((k) => (
                <tr key={k.caseKey}>
                  <th scope="row">{k.title ?? k.caseKey}</th>
                  <td className="num">
                    <Usd m={k.baselineCostUsd} />
                  </td>
                  <td className="num">
                    <Usd m={k.candidateCostUsd} />
                  </td>
                  <td className="num">
                    <Delta m={k.deltaUsd} />
                  </td>
                  <td className="nowrap">
                    {k.baselineVerdict ? <Pill kind={k.baselineVerdict}>{k.baselineVerdict}</Pill> : <Missing what="—" />} →{' '}
                    {k.candidateVerdict ? <Pill kind={k.candidateVerdict}>{k.candidateVerdict}</Pill> : <Missing what="—" />}
                  </td>
                  <td>
                    <Tokens m={k.baselineTokens} />
                  </td>
                  <td>
                    <Tokens m={k.candidateTokens} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </div>
  );
}
