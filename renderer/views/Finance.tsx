import type { ViewProps } from './types';
import type { Case, Outcome } from '../../shared/model/packet-types';
import { Missing, Section } from '../components/common';
import { formatUsd } from '../format';

interface Totals {
  cost: number;
  missing: number;
  successes: number;
  cases: number;
}

function totals(cases: Case[], side: 'baseline' | 'candidate'): Totals {
  const t: Totals = { cost: 0, missing: 0, successes: 0, cases: 0 };
  for (const c of cases) {
    const o: Outcome | null = c[side];
    if (!o) continue;
    t.cases++;
    if (o.cost_usd === null) t.missing++;
    else t.cost += o.cost_usd;
    if (o.verdict === 'pass') t.successes++;
  }
  return t;
}

function Money({ v }: { v: number | null }) {
  const s = formatUsd(v);
  return s === null ? <Missing what="missing" /> : <span className="num">{s}</span>;
}

export function Finance({ packet }: ViewProps) {
  const b = totals(packet.cases, 'baseline');
  const c = totals(packet.cases, 'candidate');
  const perSuccess = (t: Totals) => (t.missing > 0 || t.successes === 0 ? null : t.cost / t.successes);
  const total = (t: Totals) => (t.cases === 0 || t.missing === t.cases ? null : t.cost);
  return (
    <div className="view finance">
      <div className="grid-2">
        {([['Candidate', c], ['Baseline', b]] as const).map(([label, t]) => (
          <Section key={label} title={label}>
            <div className="metric-row">
              <div className="metric">
                <span className="eyebrow">Total cost</span>
                <span className="metric-value"><Money v={total(t)} /></span>
                {t.missing > 0 ? <span className="warn-text small">{t.missing} of {t.cases} cases have no cost recorded; the total is partial.</span> : null}
              </div>
              <div className="metric">
                <span className="eyebrow">Cost per successful task</span>
                <span className="metric-value"><Money v={perSuccess(t)} /></span>
                <span className="muted small">{t.successes} of {t.cases} passed</span>
              </div>
            </div>
          </Section>
        ))}
      </div>
      <Section title="Pricing">
        {packet.pricing === null ? (
          <p><Missing what="no pricing recorded: token costs cannot be checked" /></p>
        ) : (
          <table className="data">
            <caption className="sr-only">Model pricing</caption>
            <thead>
              <tr><th scope="col">Model</th><th scope="col" className="num">Input per Mtok</th><th scope="col" className="num">Output per Mtok</th></tr>
            </thead>
            <tbody>
              {Object.entries(packet.pricing).map(([m, p]) => (
                <tr key={m}><th scope="row" className="mono">{m}</th><td className="num"><Money v={p.input_per_mtok_usd} /></td><td className="num"><Money v={p.output_per_mtok_usd} /></td></tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Per case">
        <div className="table-wrap">
          <table className="data">
            <caption className="sr-only">Cost per case</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col" className="num">Baseline cost</th>
                <th scope="col" className="num">Candidate cost</th>
                <th scope="col" className="num">Difference</th>
              </tr>
            </thead>
            <tbody>
              {packet.cases.map((k) => {
                const bc = k.baseline?.cost_usd ?? null;
                const cc = k.candidate?.cost_usd ?? null;
                return (
                  <tr key={k.case_key}>
                    <th scope="row">{k.title ?? k.case_key}</th>
                    <td className="num"><Money v={bc} /></td>
                    <td className="num"><Money v={cc} /></td>
                    <td className="num">{bc === null || cc === null ? <Missing what="missing" /> : <span className={cc > bc ? 'warn-text' : undefined}>{cc - bc >= 0 ? '+' : '−'}{formatUsd(Math.abs(cc - bc))}</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Section>
    </div>
  );
}
