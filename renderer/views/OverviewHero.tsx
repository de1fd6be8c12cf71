// The Overview's first screen (issue 18 point 3): at 1280x720 with no scrolling, the
// recommendation with its deciding metric, the gate verdict, whether the decision
// contradicts the gate, the status beside them when the bundle is not verified, who signed,
// the named approvers who did not, and every agent's evidence tier; Export PDF with its
// sign-off (collapsed until used).
import type { ReactNode } from 'react';
import type { VerificationReport } from '../../shared/evb/report';
import type { OverviewModel } from '../../shared/model/slices-types';
import type { DecisionCheck } from '../../shared/model/decision-check';
import type { ApproversCheck } from '../../shared/model/approvers';
import { STATUS_TABLE } from '../../shared/evb/status';
import { CodeText, Missing, Pill } from '../components/common';
import { signerName, trustKind } from '../components/signature-words';
import { TRUST_WORDS } from '../../shared/evb/signature-words';
import { formatNumber, formatPercent, humanize } from '../format';
import { codeWords } from '../../shared/model/code-words';

const RECOMMENDATION: Record<string, string> = { ship: 'Ship', block: 'Block', conditional_ship: 'Conditional ship' };
const VERDICT: Record<string, string> = { pass: 'Pass', warn: 'Warn', fail: 'Fail', insufficient_evidence: 'Insufficient evidence' };

function DecidingLine({ model }: { model: OverviewModel }) {
  const { decision } = model;
  const d = decision.decidingDimension;
  const c = decision.decidingCondition;
  return (
    <span className="decision-metric" data-testid="deciding-metric">
      deciding {decision.decidingKind === 'auto-fail-condition' ? 'condition' : 'metric'}:{' '}
      <strong>{codeWords(decision.decidingMetric)}</strong>
      {d ? (
        <span className="small deciding-numbers">
          {formatNumber(d.baselineValue) ?? 'unavailable'} → {formatNumber(d.candidateValue) ?? 'unavailable'} ({d.betterDirection} is
          better); worsening {formatPercent(d.worseningDelta, true) ?? 'unavailable'}, warn at {formatPercent(d.warnThreshold) ?? '—'}, fail
          at {formatPercent(d.failThreshold) ?? '—'}: {d.outcome}
        </span>
      ) : null}
      {c ? <span className="small deciding-numbers">{c.triggered ? 'triggered' : 'not triggered'}</span> : null}
    </span>
  );
}

function DecisionBox({ model, report, check }: { model: OverviewModel; report: VerificationReport; check: DecisionCheck }) {
  const rec = model.decision.recommendation;
  const verified = report.status === 'verified';
  return (
    <div className={`decision decision-${rec}`} data-testid="decision-box">
      <span className="eyebrow">Recommendation</span>
      <span className="decision-word" data-testid="decision">
        {RECOMMENDATION[rec] ?? rec}
      </span>
      <DecidingLine model={model} />
      {!verified ? (
        <span className={`decision-status tone-${STATUS_TABLE[report.status].tone}`} data-testid="decision-status">
          Not verified: {STATUS_TABLE[report.status].label}
        </span>
      ) : null}
      {check.contradicts ? (
        <div className="decision-conflict" role="note" data-testid="decision-conflict">
          <strong>⚠ Contradicts the gate.</strong>
          {check.conflicts.map((c, i) => (
            <span key={i} className="small">
              {' '}
              {c.message}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function GateLine({ model }: { model: OverviewModel }) {
  const { gate } = model;
  return (
    <div className="gate-line" data-testid="gate-verdict">
      <span className="eyebrow">Gate verdict</span> <Pill kind={gate.verdict}>{VERDICT[gate.verdict] ?? gate.verdict}</Pill>{' '}
      <CodeText code={gate.reasonCode} words={codeWords(gate.reasonCode)} />
      {gate.policyKey ? (
        <span className="muted small">
          {' '}
          · policy {gate.policyKey}
          {gate.policyVersion ? ` v${gate.policyVersion}` : ''}
        </span>
      ) : null}
      {gate.triggeredConditions.length > 0 ? (
        <p className="small triggered-line">Triggered: {gate.triggeredConditions.map((t) => codeWords(t)).join('; ')}</p>
      ) : null}
    </div>
  );
}

function SignedBy({ report, approvers }: { report: VerificationReport; approvers: ApproversCheck | null }) {
  return (
    <div className="hero-block" data-testid="signed-by">
      <span className="eyebrow">Signed by</span>
      {report.signatures.length === 0 ? <Missing what="nobody: the bundle is unsigned" /> : null}
      <ul className="hero-list">
        {report.signatures.map((s) => {
          const who = signerName(s);
          return (
            <li key={s.file}>
              {who.name}
              {who.claimed ? <span className="muted small"> (claimed)</span> : null}{' '}
              <span className="muted small">{s.role ?? 'no role'}</span>{' '}
              <Pill kind={s.math !== 'valid' ? 'fail' : trustKind(s.trust)}>
                {s.math !== 'valid' ? 'signature does not check out' : TRUST_WORDS[s.trust]}
              </Pill>
            </li>
          );
        })}
      </ul>
      {approvers?.flagged ? (
        <ul className="hero-list approver-flags" data-testid="approver-flags">
          {approvers.problems.map((p, i) => (
            <li key={i} className="flag-text small">
              ⚑ {p}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Tiers({ model }: { model: OverviewModel }) {
  return (
    <div className="hero-block" data-testid="hero-tiers">
      <span className="eyebrow">Evidence tier</span>
      <ul className="hero-list">
        {model.agents.map((a) => (
          <li key={a.runAgentId} data-agent={a.runAgentId}>
            {a.label} <span className="muted small">{a.role}</span> <Pill kind={`tier-${a.evidenceTier}`}>{humanize(a.evidenceTier)}</Pill>
            {a.tierSupport.status === 'contradicted' ? <Pill kind="fail">replay contradicts it</Pill> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function OverviewHero(props: {
  model: OverviewModel;
  report: VerificationReport;
  check: DecisionCheck;
  approvers: ApproversCheck | null;
  exportSlot: ReactNode;
}) {
  const { model, report, check } = props;
  return (
    <div className="decision-hero" data-testid="first-screen">
      <DecisionBox model={model} report={report} check={check} />
      <div className="decision-body">
        <h2 className="packet-title">{model.title}</h2>
        <p className="muted small">
          created {model.createdAt} · by {model.producer.name}
          {model.producer.version ? ` ${model.producer.version}` : ''}
        </p>
        <GateLine model={model} />
        <p className="rationale">{model.decision.rationale ?? <Missing what="no rationale recorded" />}</p>
        {model.decision.conditions.length > 0 ? (
          <details className="conditions-details">
            <summary>Conditions ({model.decision.conditions.length})</summary>
            <ul className="conditions">
              {model.decision.conditions.map((c, i) => (
                <li key={i}>{c}</li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
      <div className="decision-side">
        <SignedBy report={report} approvers={props.approvers} />
        <Tiers model={model} />
        {props.exportSlot}
      </div>
    </div>
  );
}
