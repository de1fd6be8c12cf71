import type { ViewProps } from './types';
import type { Agent, DimensionResult, Participant, Packet } from '../../shared/model/packet-types';
import { EVIDENCE_TIERS, EVIDENCE_TIER_LEGEND } from '../../shared/model/packet-types';
import { Digest, KV, Missing, Pill, PersonText, Section, StepRef, Val } from '../components/common';
import { formatNumber, formatSigned, humanize } from '../format';
import { ExportPdfSlot } from './ExportPdfSlot';
import { Checklist } from './Checklist';

const RECOMMENDATION: Record<string, string> = { ship: 'Ship', block: 'Block', conditional_ship: 'Conditional ship' };
const VERDICT: Record<string, string> = { pass: 'Pass', warn: 'Warn', fail: 'Fail', insufficient_evidence: 'Insufficient evidence' };

function ParticipantCard({ title, p, extra }: { title: string; p: Participant; extra?: Array<[string, React.ReactNode]> }) {
  return (
    <Section title={title}>
      <KV
        rows={[
          ['Label', <Val v={p.label} />],
          ['Build', <Val v={p.agent_build_id} mono />],
          ['Build version', <Val v={p.build_version_id} mono />],
          ['Deployment', p.deployment_id ? <span><span className="mono">{p.deployment_id}</span>{p.deployment_name ? <span className="muted"> ({p.deployment_name})</span> : null}</span> : <Missing />],
          ['Deployment type', <Val v={humanize(p.deployment_type)} />],
          ['Snapshot hash', <Digest hex={p.snapshot_hash} />],
          ['Run', <Val v={p.run_id} mono />],
          ['Run agent', <Val v={p.run_agent_id} mono />],
          ...(extra ?? []),
        ]}
      />
    </Section>
  );
}

/** Where the replay cannot support the declared tier, say so (from what the packet says). */
export function tierWarning(agent: Agent): string | null {
  const structured = agent.evidence_tier === 'native_structured' || agent.evidence_tier === 'hosted_structured';
  if (structured && !agent.replay) return `Declared ${humanize(agent.evidence_tier)}, but the bundle holds no replay for this agent, so no model or tool events support it.`;
  if (structured && agent.permissions && agent.permissions.observed === null) return `Declared ${humanize(agent.evidence_tier)}, but no observed tool or host use was recorded.`;
  return null;
}

function DimensionTable({ packet }: { packet: Packet }) {
  const dims = Object.entries(packet.gate.dimension_results);
  if (dims.length === 0) return <p><Missing what="no scorecard dimensions recorded" /></p>;
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="sr-only">Scorecard deltas per dimension</caption>
        <thead>
          <tr>
            <th scope="col">Dimension</th>
            <th scope="col">Better</th>
            <th scope="col" className="num">Baseline</th>
            <th scope="col" className="num">Candidate</th>
            <th scope="col" className="num">Delta</th>
            <th scope="col" className="num">Warn at</th>
            <th scope="col" className="num">Fail at</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {dims.map(([key, d]: [string, DimensionResult]) => (
            <tr key={key} className={`outcome-row outcome-${d.outcome}${packet.decision.deciding_metric === key ? ' deciding' : ''}`}>
              <th scope="row">
                {humanize(key)}
                {packet.decision.deciding_metric === key ? <Pill kind="info">deciding</Pill> : null}
                {d.state !== 'available' ? <span className="muted small"> ({humanize(d.state)})</span> : null}
              </th>
              <td>{d.better_direction}</td>
              <td className="num">{formatNumber(d.baseline_value) ?? <Missing what="unavailable" />}</td>
              <td className="num">{formatNumber(d.candidate_value) ?? <Missing what="unavailable" />}</td>
              <td className="num">{formatSigned(d.observed_delta) ?? <Missing what="unavailable" />}</td>
              <td className="num">{formatNumber(d.warn_threshold) ?? <Missing what="none" />}</td>
              <td className="num">{formatNumber(d.fail_threshold) ?? <Missing what="none" />}</td>
              <td>
                <Pill kind={d.outcome}>{d.outcome}</Pill>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Overview(props: ViewProps) {
  const { packet, onOpenStep } = props;
  const { decision, gate } = packet;
  const rec = decision.recommendation;
  return (
    <div className="view overview">
      <div className="decision-hero">
        <div className={`decision decision-${rec}`}>
          <span className="eyebrow">Decision</span>
          <span className="decision-word" data-testid="decision">{RECOMMENDATION[rec] ?? rec}</span>
          <span className="decision-metric">
            deciding metric: <strong>{humanize(decision.deciding_metric)}</strong>
          </span>
        </div>
        <div className="decision-body">
          <h2 className="packet-title">{packet.title}</h2>
          <p className="muted small">
            <span className="mono">{packet.bundle_id}</span> · created {packet.created_at} · by {packet.producer.name}
            {packet.producer.version ? ` ${packet.producer.version}` : ''}
          </p>
          <p className="rationale">{decision.rationale ?? <Missing what="no rationale recorded" />}</p>
          {decision.conditions.length > 0 ? (
            <div>
              <span className="eyebrow">Conditions</span>
              <ul className="conditions">
                {decision.conditions.map((c, i) => (
                  <li key={i}>{c}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="gate-line">
            <span className="eyebrow">Gate verdict</span> <Pill kind={gate.verdict}>{VERDICT[gate.verdict] ?? gate.verdict}</Pill>{' '}
            <span className="mono small">{gate.reason_code}</span>
            {gate.summary ? <p>{gate.summary}</p> : null}
          </div>
          <ExportPdfSlot packet={packet} report={props.report} host={props.host} />
        </div>
      </div>

      <Checklist packet={packet} />

      <Section title="Scorecard deltas">
        <DimensionTable packet={packet} />
      </Section>

      <Section title="Automatic fail conditions">
        {gate.auto_fail_conditions.length === 0 ? (
          <p><Missing what="none listed" /></p>
        ) : (
          <ul className="plain-list">
            {gate.auto_fail_conditions.map((c) => (
              <li key={c.key} className={c.triggered ? 'triggered' : undefined}>
                <Pill kind={c.triggered ? 'fail' : 'pass'}>{c.triggered ? 'triggered' : 'not triggered'}</Pill> <strong>{humanize(c.key)}</strong>: {c.description}
                {c.evidence.length > 0 ? (
                  <ul className="refs">
                    {c.evidence.map((r, i) => (
                      <li key={i}>
                        <StepRef runAgentId={r.run_agent_id} seq={r.sequence_number} note={r.note} onOpen={onOpenStep} />
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <div className="grid-2">
        <ParticipantCard title="Candidate" p={packet.candidate} />
        <ParticipantCard
          title="Baseline"
          p={packet.baseline}
          extra={[
            ['Selection', <Val v={humanize(packet.baseline.selection.strategy)} />],
            ['Max age', packet.baseline.selection.max_age_days === null ? <Missing what="no max-age policy" /> : `${packet.baseline.selection.max_age_days} days`],
            ['Age', packet.baseline.selection.age_days === null ? <Missing /> : `${formatNumber(packet.baseline.selection.age_days, 1)} days`],
          ]}
        />
      </div>

      <Section title="Workload">
        <KV
          rows={[
            ['Challenge pack', <span>{packet.workload.challenge_pack.name} <span className="muted">({packet.workload.challenge_pack.slug})</span></span>],
            ['Pack version', <span>v{packet.workload.challenge_pack.version_number} <span className="mono muted">{packet.workload.challenge_pack.version_id}</span></span>],
            ['Pack manifest digest', <Digest hex={packet.workload.challenge_pack.manifest_sha256} />],
            ['Input set', <span>{packet.workload.input_set.name ?? packet.workload.input_set.key} <span className="mono muted">{packet.workload.input_set.id}</span></span>],
            ['Input set digest', <Digest hex={packet.workload.input_set.input_sha256} />],
            ['Cases', <Val v={packet.workload.input_set.case_count} />],
          ]}
        />
      </Section>

      <div className="grid-2">
        <Section title="Owners">
          <KV
            rows={[
              ['Release owner', <PersonText p={packet.owners.release_owner} />],
              ['Rollback owner', <PersonText p={packet.owners.rollback_owner} />],
              ...packet.owners.approvers.map((a, i): [string, React.ReactNode] => [`Approver ${i + 1} (${a.role})`, <PersonText p={a} />]),
            ]}
          />
        </Section>
        <Section title="Retention">
          <KV
            rows={[
              ['Policy', <Val v={packet.retention.policy} />],
              ['Replay retention', packet.retention.replay_retention_days === null ? <Missing /> : `${packet.retention.replay_retention_days} days`],
              ['Retain until', <Val v={packet.retention.retain_until} />],
            ]}
          />
        </Section>
      </div>

      <Section title="Evidence tier per agent">
        <table className="data">
          <caption className="sr-only">Evidence tier per agent</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Role</th>
              <th scope="col">Evidence tier</th>
              <th scope="col">Support</th>
            </tr>
          </thead>
          <tbody>
            {packet.agents.map((a) => {
              const warn = tierWarning(a);
              return (
                <tr key={a.run_agent_id}>
                  <th scope="row">
                    {a.label} <span className="mono muted small">{a.run_agent_id}</span>
                  </th>
                  <td>{a.role}</td>
                  <td>
                    <Pill kind={`tier-${a.evidence_tier}`}>{humanize(a.evidence_tier)}</Pill>
                  </td>
                  <td>{warn ? <span className="warn-text">{warn}</span> : <span className="muted">replay present</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <dl className="legend">
          {EVIDENCE_TIERS.map((t) => (
            <div key={t}>
              <dt>
                <Pill kind={`tier-${t}`}>{humanize(t)}</Pill>
              </dt>
              <dd>{EVIDENCE_TIER_LEGEND[t]}</dd>
            </div>
          ))}
        </dl>
      </Section>
    </div>
  );
}
