import { useMemo } from 'react';
import type { ViewProps } from './types';
import { buildComplianceSlice } from '../../shared/model/slices';
import { KV, MaybeView, Missing, Pill, PersonText, Section, Val } from '../components/common';
import { CiRunSection } from './AgentClashSections';
import { mathKind, trustKind } from '../components/signature-words';
import { MATH_WORDS, TRUST_WORDS } from '../../shared/evb/signature-words';

const HEX = /^[0-9a-f]{32,}$/i;

export function Compliance({ packet, report }: ViewProps) {
  const slice = useMemo(() => buildComplianceSlice(packet, report), [packet, report]);
  return (
    <div className="view compliance">
      <Section title="Traceability chain">
        <p className="muted small">
          From the approved workload to the verdict and the signatures over it. Each link names the digest or id it rests on, and the packet
          field it comes from.
        </p>
        <ol className="chain" data-testid="chain">
          {slice.chain.map((link) => (
            <li key={link.key} className={`chain-link chain-${link.state}`} data-link={link.key} data-state={link.state}>
              <span className="chain-title">
                {link.title} {link.state !== 'present' ? <Pill kind={link.state === 'missing' ? 'fail' : 'warn'}>{link.state}</Pill> : null}
              </span>
              <span className="chain-body">
                {link.entries.map((e, i) => (
                  <span key={i} className="chain-entry">
                    <span className="muted small">{e.label}: </span>
                    {e.value === null ? (
                      <Missing what={e.missing ?? 'not recorded'} />
                    ) : HEX.test(e.value) ? (
                      <code className="digest">{e.value}</code>
                    ) : (
                      <span className="mono">{e.value}</span>
                    )}
                  </span>
                ))}
              </span>
            </li>
          ))}
        </ol>
      </Section>
      <CiRunSection ci={slice.ciRun} baseline={slice.baselineResolution} />
      <Section title="Retention">
        <KV
          rows={[
            ['Policy', <Val v={slice.retention.policy} />],
            [
              'Replay retention',
              slice.retention.replayRetentionDays === null ? <Missing /> : `${slice.retention.replayRetentionDays} days`,
            ],
            ['Retain until', <Val v={slice.retention.retainUntil} />],
            [
              'Agents without a replay',
              slice.retention.agentsWithoutReplay.length === 0 ? 'none' : slice.retention.agentsWithoutReplay.join(', '),
            ],
          ]}
        />
      </Section>
      <Section title="Who signed, in which role, and when (as claimed)">
        <MaybeView
          m={slice.signers}
          render={(rows) =>
            rows.length === 0 ? (
              <p>
                <Missing what="nobody signed this bundle" />
              </p>
            ) : (
              <table className="data">
                <caption className="sr-only">Signers</caption>
                <thead>
                  <tr>
                    <th scope="col">Role</th>
                    <th scope="col">Signer (claimed)</th>
                    <th scope="col">Trust store principal</th>
                    <th scope="col">Signed at (claimed)</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => (
                    <tr key={s.file}>
                      <td>{s.role ?? <Missing what="unknown" />}</td>
                      <td>
                        <PersonText p={s.signer} />
                      </td>
                      <td>{s.principal ?? <Missing what="not in your trust store" />}</td>
                      <td>{s.claimedTime ?? <Missing />}</td>
                      <td>
                        <Pill kind={mathKind(s.math)}>{MATH_WORDS[s.math]}</Pill>{' '}
                        <Pill kind={trustKind(s.trust)}>{TRUST_WORDS[s.trust]}</Pill>
                        {s.trustDetail ? <div className="muted small">{s.trustDetail}</div> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        />
        <h4>Named in the packet</h4>
        <KV
          rows={[
            ['Release owner', <PersonText p={slice.owners.releaseOwner} />],
            ['Rollback owner', <PersonText p={slice.owners.rollbackOwner} />],
            ...slice.owners.approvers.map((a, i): [string, React.ReactNode] => [`Approver ${i + 1} (${a.role})`, <PersonText p={a} />]),
          ]}
        />
        {slice.approvers ? (
          <div data-testid="compliance-approvers" data-flagged={slice.approvers.flagged}>
            <h4>Named approvers against the signers</h4>
            {slice.approvers.flagged ? (
              <ul className="plain-list">
                {slice.approvers.problems.map((p, i) => (
                  <li key={i} className="flag-text">
                    ⚑ {p}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="small">Every named approver signed with a trusted key, and every signer is named.</p>
            )}
          </div>
        ) : null}
      </Section>
    </div>
  );
}
