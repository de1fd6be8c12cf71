import { useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { ViewProps } from './types';
import type { DimensionRow, OverviewModel, ParticipantView } from '../../shared/model/slices-types';
import { EVIDENCE_TIERS, EVIDENCE_TIER_LEGEND } from '../../shared/model/packet-types';
import { buildOverview } from '../../shared/model/slices';
import { buildChecklist } from '../../shared/model/checklist';
import { AgentStepName, CodeText, Digest, KV, Missing, Pill, PersonText, Section, StepList, Val } from '../components/common';
import { formatNumber, formatPercent, formatSigned, humanize } from '../format';
import { codeWords } from '../../shared/model/code-words';
import { ExportPdfSlot } from './ExportPdfSlot';
import { NotesWaitForFileSha256 } from '../components/FileSha256';
import { OverviewHero } from './OverviewHero';
import { checkDecisionAgainstGate } from '../../shared/model/decision-check';
import { compareApproversWithSigners } from '../../shared/model/approvers';
import { Checklist } from './Checklist';
import type { NoteRow } from '../db';
import { listNotes } from '../db';

/** The reviewer's notes on replay steps of this bundle file, each a link to its step. */
function ReviewerNotes({
  db,
  bundleSha256,
  onOpenStep,
}: {
  db: ViewProps['db'];
  bundleSha256: string | null;
  onOpenStep: ViewProps['onOpenStep'];
}) {
  const [notes, setNotes] = useState<NoteRow[] | null>(null);
  useEffect(() => {
    let live = true;
    if (bundleSha256)
      void listNotes(db, bundleSha256)
        .then((n) => live && setNotes(n))
        .catch(() => live && setNotes([]));
    return () => {
      live = false;
    };
  }, [db, bundleSha256]);
  return (
    <Section title="Your notes on replay steps" id="notes">
      {bundleSha256 === null ? (
        <NotesWaitForFileSha256 />
      ) : notes === null || notes.length === 0 ? (
        <p className="muted small">
          No notes yet. Open a step on the Replay tab to write one; notes stay on this machine and go into the PDF.
        </p>
      ) : (
        <ul className="plain-list" data-testid="overview-notes">
          {notes.map((n) => (
            <li key={`${n.runAgentId}|${n.sequenceNumber}`}>
              <button type="button" className="linkish" onClick={() => onOpenStep(n.runAgentId, n.sequenceNumber)}>
                <AgentStepName runAgentId={n.runAgentId} seq={n.sequenceNumber} />
              </button>{' '}
              <span className="muted small">{n.updatedAt}</span>
              <p className="note-text">{n.text}</p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function ParticipantCard({ title, p, extra }: { title: string; p: ParticipantView; extra?: Array<[string, ReactNode]> }) {
  return (
    <Section title={title}>
      <KV
        rows={[
          ['Label', <Val v={p.label} />],
          ['Build', <Val v={p.agentBuildId} mono />],
          ['Build version', <Val v={p.buildVersionId} mono />],
          [
            'Deployment',
            p.deploymentId ? (
              <span>
                <span className="mono">{p.deploymentId}</span>
                {p.deploymentName ? <span className="muted"> ({p.deploymentName})</span> : null}
              </span>
            ) : (
              <Missing />
            ),
          ],
          ['Deployment type', <Val v={humanize(p.deploymentType)} />],
          ['Snapshot hash', <Digest hex={p.snapshotHash} />],
          ['Run', <Val v={p.runId} mono />],
          ['Run agent', <Val v={p.runAgentId} mono />],
          ...(extra ?? []),
        ]}
      />
    </Section>
  );
}

/**
 * Whether the values are scores that fall as the dimension worsens although its better
 * direction is "lower": AgentClash normalises latency and cost to higher-is-better scores and
 * keeps "lower" for the measured quantity. The gate's own worsening says which it is.
 */
function higherIsBetterScore(d: DimensionRow): boolean {
  if (d.betterDirection !== 'lower' || d.baselineValue === null || d.candidateValue === null || !d.worseningDelta) return false;
  const drop = d.baselineValue - d.candidateValue;
  return drop !== 0 && Math.sign(drop) === Math.sign(d.worseningDelta);
}

function DimensionTable({ model }: { model: OverviewModel }) {
  if (model.dimensions.length === 0)
    return (
      <p>
        <Missing what="no scorecard dimensions recorded" />
      </p>
    );
  const deciding = model.decision.decidingMetric;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Scorecard table (scrolls sideways)">
      <table className="data">
        <caption className="sr-only">Scorecard deltas per dimension</caption>
        <thead>
          <tr>
            <th scope="col">Dimension</th>
            <th scope="col">Better</th>
            <th scope="col" className="num">
              Baseline
            </th>
            <th scope="col" className="num">
              Candidate
            </th>
            <th scope="col" className="num">
              Change
            </th>
            <th scope="col" className="num">
              Worsening
            </th>
            <th scope="col" className="num">
              Warn at
            </th>
            <th scope="col" className="num">
              Fail at
            </th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {model.dimensions.map((d: DimensionRow) => (
            <tr key={d.key} className={`outcome-row outcome-${d.outcome}${deciding === d.key ? ' deciding' : ''}`} data-dimension={d.key}>
              <th scope="row">
                {codeWords(d.key)}
                {deciding === d.key ? <Pill kind="info">deciding</Pill> : null}
                {d.derived ? <Pill kind="neutral">derived</Pill> : null}
                {d.state !== 'available' ? <span className="muted small"> ({humanize(d.state)})</span> : null}
              </th>
              <td>
                {d.betterDirection}
                {higherIsBetterScore(d) ? <span className="muted small"> (the measure; the score: higher is better)</span> : null}
              </td>
              <td className="num">{formatNumber(d.baselineValue) ?? <Missing what="unavailable" />}</td>
              <td className="num">{formatNumber(d.candidateValue) ?? <Missing what="unavailable" />}</td>
              <td className="num">{formatSigned(d.observedDelta) ?? <Missing what="unavailable" />}</td>
              <td className="num worsening">
                {d.worseningDelta === null ? (
                  <Missing what="unavailable" />
                ) : (
                  <span>
                    <strong>{formatPercent(d.worseningDelta, true)}</strong>{' '}
                    <span className="muted small">({formatSigned(d.worseningDelta)})</span>
                  </span>
                )}
              </td>
              <td className="num">{formatPercent(d.warnThreshold) ?? <Missing what="none" />}</td>
              <td className="num">{formatPercent(d.failThreshold) ?? <Missing what="none" />}</td>
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
  const { packet, observations, onOpenStep } = props;
  const model = useMemo(() => buildOverview(packet, observations), [packet, observations]);
  const checklist = useMemo(() => buildChecklist(packet, props.report), [packet, props.report]);
  const check = useMemo(() => checkDecisionAgainstGate(packet), [packet]);
  const approvers = useMemo(() => compareApproversWithSigners(packet.owners, props.report.signatures), [packet, props.report]);
  return (
    <div className="view overview">
      <OverviewHero
        model={model}
        report={props.report}
        check={check}
        approvers={approvers}
        exportSlot={
          <ExportPdfSlot
            packet={packet}
            report={props.report}
            host={props.host}
            packetBytes={props.packetBytes}
            observations={props.observations}
            db={props.db}
          />
        }
      />

      <Checklist items={checklist} />

      <ReviewerNotes db={props.db} bundleSha256={props.report.fileSha256 ?? null} onOpenStep={onOpenStep} />
      <Section title="Scorecard deltas">
        <DimensionTable model={model} />
        <p className="muted small table-note">
          Values are the scorecard&apos;s scores as recorded. Change is candidate minus baseline. Worsening is what the warn and fail
          thresholds act on: how much worse the candidate is than the baseline in the dimension&apos;s better direction, as a fraction
          (shown as a percentage, the raw fraction beside it); a negative worsening is an improvement. Where the better direction is lower
          but the score falls as the dimension worsens, the values are normalised scores (higher is better) and &quot;lower&quot; names the
          measured quantity, as AgentClash records latency and cost.
        </p>
      </Section>

      <Section title="Automatic fail conditions">
        {model.autoFailConditions.length === 0 ? (
          <p>
            <Missing what="none listed" />
          </p>
        ) : (
          <ul className="plain-list">
            {model.autoFailConditions.map((c) => (
              <li key={c.key} className={c.triggered ? 'triggered' : undefined}>
                <Pill kind={c.triggered ? 'fail' : 'pass'}>{c.triggered ? 'triggered' : 'not triggered'}</Pill>{' '}
                <strong>
                  <CodeText code={c.key} words={codeWords(c.key)} />
                </strong>
                : {c.description}
                {c.evidence.length > 0 ? <StepList steps={c.evidence} onOpen={onOpenStep} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <div className="grid-2">
        <ParticipantCard title="Candidate" p={model.candidate} />
        <ParticipantCard
          title="Baseline"
          p={model.baseline}
          extra={[
            ['Selection', <Val v={humanize(model.baseline.selection.strategy)} />],
            [
              'Max age',
              model.baseline.selection.maxAgeDays === null ? (
                <Missing what="no max-age policy" />
              ) : (
                `${model.baseline.selection.maxAgeDays} days`
              ),
            ],
            [
              'Age',
              model.baseline.selection.ageDays === null ? (
                <Missing />
              ) : (
                <span>
                  {formatNumber(model.baseline.selection.ageDays, 1)} days{' '}
                  {model.baseline.selection.stale ? <Pill kind="fail">older than its max age</Pill> : null}
                </span>
              ),
            ],
          ]}
        />
      </div>

      <Section title="Workload">
        <KV
          rows={[
            [
              'Challenge pack',
              <span>
                {model.workload.pack.name} <span className="muted">({model.workload.pack.slug})</span>
              </span>,
            ],
            [
              'Pack version',
              <span>
                v{model.workload.pack.versionNumber} <span className="mono muted">{model.workload.pack.versionId}</span>
              </span>,
            ],
            ['Pack manifest digest', <Digest hex={model.workload.pack.manifestSha256} />],
            [
              'Input set',
              <span>
                {model.workload.inputSet.name ?? model.workload.inputSet.key}{' '}
                <span className="mono muted">{model.workload.inputSet.id}</span>
              </span>,
            ],
            ['Input set digest', <Digest hex={model.workload.inputSet.inputSha256} />],
            [
              'Cases',
              <span>
                {model.workload.inputSet.caseCount ?? <Missing what="count not recorded" />} declared ·{' '}
                {model.workload.inputSet.casesInPacket} in the packet · {model.cases.droveVerdict} drove the verdict
              </span>,
            ],
          ]}
        />
      </Section>

      <div className="grid-2">
        <Section title="Owners">
          <KV
            rows={[
              ['Release owner', <PersonText p={model.owners.releaseOwner} />],
              ['Rollback owner', <PersonText p={model.owners.rollbackOwner} />],
              ...model.owners.approvers.map((a, i): [string, ReactNode] => [`Approver ${i + 1} (${a.role})`, <PersonText p={a} />]),
            ]}
          />
        </Section>
        <Section title="Retention">
          <KV
            rows={[
              ['Policy', <Val v={model.retention.policy} />],
              [
                'Replay retention',
                model.retention.replayRetentionDays === null ? <Missing /> : `${model.retention.replayRetentionDays} days`,
              ],
              ['Retain until', <Val v={model.retention.retainUntil} />],
            ]}
          />
        </Section>
      </div>

      <Section title="Evidence tier per agent">
        <table className="data" data-testid="tiers">
          <caption className="sr-only">Evidence tier per agent</caption>
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Role</th>
              <th scope="col">Evidence tier</th>
              <th scope="col">Does the replay support it?</th>
            </tr>
          </thead>
          <tbody>
            {model.agents.map((a) => (
              <tr key={a.runAgentId}>
                <th scope="row">
                  {a.label} <span className="mono muted small">{a.runAgentId}</span>
                </th>
                <td>{a.role}</td>
                <td>
                  <Pill kind={`tier-${a.evidenceTier}`}>{humanize(a.evidenceTier)}</Pill>
                  {a.tierDerived ? <Pill kind="neutral">derived</Pill> : null}
                </td>
                <td>
                  <Pill
                    kind={a.tierSupport.status === 'consistent' ? 'pass' : a.tierSupport.status === 'contradicted' ? 'fail' : 'neutral'}
                  >
                    {a.tierSupport.status === 'consistent' ? 'consistent with the replay' : a.tierSupport.status}
                  </Pill>{' '}
                  <span className={a.tierSupport.status === 'contradicted' ? 'fail-text' : 'muted'}>{a.tierSupport.detail}</span>
                </td>
              </tr>
            ))}
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

      {model.attachments.length > 0 ? (
        <Section title="Attachments">
          <ul className="plain-list">
            {model.attachments.map((a) => (
              <li key={a.path}>
                {a.title}{' '}
                <span className="mono muted small">
                  {a.path} · {a.mediaType}
                </span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}
