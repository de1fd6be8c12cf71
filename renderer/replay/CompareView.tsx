// Baseline against candidate: a summary across cases (where each diverged first, where it
// came back in step, which changed outcome), then one case side by side, aligned by the
// step diff, with cost, token and latency deltas per step. Any step opens in the timeline.
import { useEffect, useMemo, useState } from 'react';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import { compareAllCases, compareRows } from '../../shared/model/replay-compare';
import type { CaseComparison, CompareRow } from '../../shared/model/replay-compare';
import { kindLabel, stepKind, stepName, stepStatus } from '../../shared/model/replay-steps';
import { Missing, Pill } from '../components/common';
import { ScaledList } from './ScaledList';
import type { ReplaySession } from './session';
import { formatDelta } from './format';
import type { StepId } from './format';

const SUMMARY_PAGE = 200;

function StepCell({ index, step, onOpen }: { index: ReplayIndex; step: number; onOpen: (step: StepId) => void }) {
  if (step < 0) return <span className="cmp-cell cmp-none muted">—</span>;
  const seq = index.seq[index.stepStart[step]!]!;
  const status = stepStatus(index, step);
  return (
    <button
      type="button"
      className={`cmp-cell linkish tl-${status}`}
      onClick={() => onOpen({ runAgentId: index.runAgentId, sequence: seq })}
      title="Open this step in the timeline"
    >
      <span className="mono">#{Number.isNaN(seq) ? '?' : seq}</span> {kindLabel(stepKind(index, step))}{' '}
      <span className="mono">{stepName(index, step)}</span>
      {status === 'failed' || status === 'interrupted' ? <span className={`st-${status}`}> · {status}</span> : null}
    </button>
  );
}

function outcomeText(o: CaseComparison['baselineOutcome']): string {
  return o ? o.verdict : 'not recorded';
}

export function CompareView({
  session,
  packet,
  onOpenStep,
}: {
  session: ReplaySession;
  packet: Packet;
  onOpenStep: (step: StepId) => void;
}) {
  const baselineAgent =
    packet.agents.find((a) => a.run_agent_id === packet.baseline.run_agent_id) ?? packet.agents.find((a) => a.role === 'baseline');
  const candidateAgent =
    packet.agents.find((a) => a.run_agent_id === packet.candidate.run_agent_id) ?? packet.agents.find((a) => a.role === 'candidate');
  const [pair, setPair] = useState<{ base: ReplayIndex; cand: ReplayIndex } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [onlyChanged, setOnlyChanged] = useState(true);
  const [shown, setShown] = useState(SUMMARY_PAGE);

  useEffect(() => {
    let live = true;
    if (!baselineAgent || !candidateAgent) return;
    Promise.all([session.index(baselineAgent.run_agent_id), session.index(candidateAgent.run_agent_id)])
      .then(([base, cand]) => live && setPair({ base, cand }))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [session, baselineAgent, candidateAgent]);

  const all = useMemo(() => (pair ? compareAllCases(pair.base, pair.cand, packet) : []), [pair, packet]);
  const diverged = all.filter((c) => c.firstDivergence !== null || c.outcomeChanged);
  const listed = onlyChanged ? diverged : all;
  const current = all.find((c) => c.caseKey === selected) ?? null;
  const rows = useMemo(
    () => (pair && current ? compareRows(pair.base, pair.cand, current, packet.pricing) : []),
    [pair, current, packet.pricing],
  );
  const firstRow = rows.findIndex((r) => r.kind !== 'equal');
  const resyncRow = firstRow < 0 ? -1 : rows.findIndex((r, i) => i > firstRow && r.kind === 'equal');

  if (!baselineAgent || !candidateAgent)
    return (
      <section className="card">
        <p>
          <Missing what="The packet does not name both a baseline and a candidate run agent." />
        </p>
      </section>
    );
  if (error)
    return (
      <p className="error" role="alert">
        The replays could not be indexed for comparison: {error}
      </p>
    );
  if (!pair)
    return (
      <section className="card">
        <p className="muted">Indexing both replays…</p>
      </section>
    );

  const renderRow = (i: number) => {
    const r: CompareRow = rows[i]!;
    const label = i === firstRow ? 'first divergence' : i === resyncRow ? 'back in step' : null;
    return (
      <div key={i} className={`cmp-row cmp-${r.kind}${label ? ' cmp-marked' : ''}`} role="listitem" data-kind={r.kind}>
        <span className="cmp-mark small">
          {label ? (
            <strong>{label}</strong>
          ) : r.kind === 'equal' ? (
            ''
          ) : r.kind === 'changed' ? (
            'differs'
          ) : r.kind === 'delete' ? (
            'baseline only'
          ) : (
            'candidate only'
          )}
        </span>
        <StepCell index={pair.base} step={r.baselineStep} onOpen={onOpenStep} />
        <StepCell index={pair.cand} step={r.candidateStep} onOpen={onOpenStep} />
        <span className="tl-num">{formatDelta(r.delta.latencyMs, 'ms')}</span>
        <span className="tl-num">{formatDelta(r.delta.tokens, 'tok')}</span>
        <span className="tl-num">{formatDelta(r.delta.costUsd, 'usd')}</span>
      </div>
    );
  };

  return (
    <div className="compare" data-testid="compare-view">
      <section className="card" aria-labelledby="cmp-sum-h">
        <h3 id="cmp-sum-h">Where the runs diverged</h3>
        <p className="small">
          {diverged.length} of {all.length} cases differ in their steps or their outcome. Steps are matched in order by type and tool (an
          ordered diff); models are not compared, so a change of model is not a divergence, but a routing fallback is.
        </p>
        <label className="small">
          <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} className="inline-check" /> Only
          cases that diverged or changed outcome
        </label>
        <table className="data" data-testid="compare-summary">
          <caption className="sr-only">Cases compared, baseline against candidate</caption>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Steps</th>
              <th scope="col">First divergence</th>
              <th scope="col">Back in step</th>
              <th scope="col">Outcome</th>
              <th scope="col">
                <span className="sr-only">Open</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {listed.slice(0, shown).map((c) => (
              <tr key={c.caseKey} className={c.caseKey === selected ? 'row-selected' : undefined}>
                <th scope="row" className="mono">
                  {c.caseKey || 'run level'}
                </th>
                <td className="small">
                  {c.baseline.length} / {c.candidate.length}
                </td>
                <td className="small">{c.firstDivergence ? c.firstDivergence.description : <span className="muted">identical</span>}</td>
                <td className="small">
                  {c.resync ? (
                    c.resync.description.replace(/^back in step at /, '')
                  ) : c.firstDivergence ? (
                    <span className="muted">never</span>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="small">
                  {outcomeText(c.baselineOutcome)} → {outcomeText(c.candidateOutcome)}{' '}
                  {c.outcomeChanged ? <Pill kind="warn">changed</Pill> : null}
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => setSelected(c.caseKey)}
                    aria-label={`Compare case ${c.caseKey || 'run level'} side by side`}
                  >
                    Compare
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {listed.length > shown ? (
          <button type="button" className="linkish" onClick={() => setShown((s) => s + SUMMARY_PAGE)}>
            Show {Math.min(SUMMARY_PAGE, listed.length - shown)} more of {listed.length - shown}
          </button>
        ) : null}
      </section>

      {current ? (
        <section className="card" aria-labelledby="cmp-case-h" data-testid="compare-case">
          <h3 id="cmp-case-h">
            Case <span className="mono">{current.caseKey || 'run level'}</span>: baseline against candidate
          </h3>
          <p className="small" data-testid="divergence">
            {current.firstDivergence ? (
              <>
                <strong>First divergence:</strong> {current.firstDivergence.description}.{' '}
                {current.resync ? (
                  <>
                    <strong>Back in step:</strong> {current.resync.description.replace(/^back in step at /, '')}.
                  </>
                ) : (
                  <strong>The runs never come back in step.</strong>
                )}
                {current.diff.approximate ? ' (The runs differ too much for an exact alignment; the middle is shown as replaced.)' : ''}
              </>
            ) : (
              'The two runs took the same steps in this case.'
            )}
          </p>
          <div className="cmp-row cmp-headrow" aria-hidden="true">
            <span className="cmp-mark" />
            <span className="cmp-cell">Baseline: {baselineAgent.label}</span>
            <span className="cmp-cell">Candidate: {candidateAgent.label}</span>
            <span className="tl-num">Δ latency</span>
            <span className="tl-num">Δ tokens</span>
            <span className="tl-num">Δ cost</span>
          </div>
          <ScaledList
            count={rows.length}
            rowHeight={30}
            height={420}
            renderRow={renderRow}
            label={`Steps of case ${current.caseKey}, side by side`}
            scrollTo={firstRow >= 0 ? { index: firstRow, token: firstRow } : null}
            testId="compare-rows"
            role="list"
          />
        </section>
      ) : (
        <section className="card">
          <p className="muted">Choose a case above to see its steps side by side.</p>
        </section>
      )}
    </div>
  );
}
