import type { ViewProps } from './types';
import type { Case, Outcome } from '../../shared/model/packet-types';
import { Missing, Pill, Section, StepRef } from '../components/common';
import { formatNumber } from '../format';

function OutcomeCell({ o }: { o: Outcome | null }) {
  if (!o) return <Missing what="not run" />;
  return (
    <span>
      <Pill kind={o.verdict}>{o.verdict}</Pill> {o.score === null ? null : <span className="mono small">{formatNumber(o.score)}</span>}
    </span>
  );
}

function CaseTable({ cases, caption, onOpenStep }: { cases: Case[]; caption: string; onOpenStep: ViewProps['onOpenStep'] }) {
  if (cases.length === 0) return <p><Missing what="none" /></p>;
  return (
    <table className="data">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Baseline</th>
          <th scope="col">Candidate</th>
          <th scope="col">Replay steps</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => (
          <tr key={c.case_key}>
            <th scope="row">
              {c.title ?? c.case_key}
              <div className="mono muted small">{c.case_key} · {c.challenge_key}</div>
            </th>
            <td><OutcomeCell o={c.baseline} /></td>
            <td><OutcomeCell o={c.candidate} /></td>
            <td>
              {c.refs.length === 0 ? (
                <Missing what="no steps referenced" />
              ) : (
                <ul className="refs">
                  {c.refs.map((r, i) => (
                    <li key={i}><StepRef runAgentId={r.run_agent_id} seq={r.sequence_number} note={r.note} onOpen={onOpenStep} /></li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Engineering({ packet, onOpenStep }: ViewProps) {
  const drove = packet.cases.filter((c) => c.drove_verdict);
  const diverged = packet.cases.filter((c) => (c.baseline?.verdict ?? null) !== (c.candidate?.verdict ?? null));
  const failures = packet.cases.filter((c) => c.candidate?.verdict === 'error' || c.baseline?.verdict === 'error' || c.refs.some((r) => /sandbox|fallback|routing|tool/i.test(r.note ?? '')));
  return (
    <div className="view engineering">
      <Section title={`Cases that drove the verdict (${drove.length})`}>
        <CaseTable cases={drove} caption="Cases that drove the verdict" onOpenStep={onOpenStep} />
      </Section>
      <Section title={`Divergences between baseline and candidate (${diverged.length} of ${packet.cases.length})`}>
        <CaseTable cases={diverged} caption="Divergent cases" onOpenStep={onOpenStep} />
      </Section>
      <Section title={`Routing fallbacks, sandbox and tool failures (${failures.length})`}>
        <p className="muted small">Cases with an error outcome or a referenced replay step about routing, sandbox or tools. The Replay tab shows every event.</p>
        <CaseTable cases={failures} caption="Failures and fallbacks" onOpenStep={onOpenStep} />
      </Section>
    </div>
  );
}
