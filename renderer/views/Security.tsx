import { useMemo } from 'react';
import type { ViewProps } from './types';
import type { PermissionComparison, SecurityAgent } from '../../shared/model/slices-types';
import { buildSecuritySlice } from '../../shared/model/slices';
import { KV, MaybeView, Missing, Pill, Section, StepList } from '../components/common';
import { humanize } from '../format';

function List({ items, empty = 'none' }: { items: readonly string[] | null | undefined; empty?: string }) {
  if (!items || items.length === 0) return <Missing what={empty} />;
  return (
    <ul className="tag-list">
      {items.map((x, i) => (
        <li key={i} className="tag">
          {x}
        </li>
      ))}
    </ul>
  );
}

/** Declared vs observed as a small chart: one row per permission, two bars. */
function PermissionChart({ perms, label }: { perms: PermissionComparison; label: string }) {
  const observed = perms.basis === 'replay' ? perms.observedInReplay : perms.observedInPacket;
  if (perms.declared === null && observed === null)
    return (
      <p>
        <Missing what="no permissions recorded or observed" />
      </p>
    );
  const declared = new Set(perms.declared ?? []);
  const seen = new Set(observed ?? []);
  const unused = new Set(perms.unusedGrants.value ?? []);
  const unexpected = new Set(perms.unexpectedUses.value ?? []);
  const all = [...new Set([...declared, ...seen, ...unused, ...unexpected])].sort();
  return (
    <div>
      <p className="small">
        Observed from:{' '}
        <strong>{perms.basis === 'replay' ? 'the replay' : perms.basis === 'packet' ? 'the packet (not the replay)' : 'nothing'}</strong>.
        Unused grants: <MaybeView m={perms.unusedGrants} render={(v) => <strong>{v.length}</strong>} />; Unexpected uses:{' '}
        <MaybeView m={perms.unexpectedUses} render={(v) => <strong className={v.length ? 'fail-text' : undefined}>{v.length}</strong>} />
      </p>
      {all.length === 0 ? null : (
        <table className="data perm-chart">
          <caption className="sr-only">Declared versus observed permissions of {label}</caption>
          <thead>
            <tr>
              <th scope="col">Permission</th>
              <th scope="col">Declared</th>
              <th scope="col">Observed</th>
              <th scope="col">Finding</th>
            </tr>
          </thead>
          <tbody>
            {all.map((p) => {
              const d = declared.has(p);
              const o = observed === null ? null : seen.has(p);
              return (
                <tr key={p} className={unexpected.has(p) ? 'perm-unexpected' : undefined}>
                  <th scope="row" className="mono">
                    {p}
                  </th>
                  <td>
                    <span className={`bar ${d ? 'bar-on' : 'bar-off'}`} role="img" aria-label={d ? 'declared' : 'not declared'} />
                  </td>
                  <td>
                    {o === null ? (
                      <Missing what="not observed" />
                    ) : (
                      <span
                        className={`bar ${o ? (d ? 'bar-on' : 'bar-bad') : 'bar-off'}`}
                        role="img"
                        aria-label={o ? 'observed' : 'not observed'}
                      />
                    )}
                  </td>
                  <td>
                    {unexpected.has(p) ? (
                      <Pill kind="fail">unexpected use</Pill>
                    ) : unused.has(p) ? (
                      <Pill kind="warn">unused grant</Pill>
                    ) : o ? (
                      <span className="muted">declared and used</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function AgentCard({ a, onOpenStep }: { a: SecurityAgent; onOpenStep: ViewProps['onOpenStep'] }) {
  return (
    <Section title={`${a.label} (${a.role})`}>
      <p className="small">
        <Pill kind={`tier-${a.evidenceTier}`}>{humanize(a.evidenceTier)}</Pill> <span className="muted">{a.tierLegend}</span>
        {a.tierSupport.status === 'contradicted' ? <span className="fail-text"> {a.tierSupport.detail}</span> : null}
      </p>
      <div className="grid-2">
        <div>
          <h4>Tool policy</h4>
          {a.toolPolicy ? (
            <KV
              rows={[
                ['Allowed tool kinds', <List items={a.toolPolicy.allowed_tool_kinds} />],
                ['Shell', a.toolPolicy.allow_shell ? <Pill kind="warn">allowed</Pill> : <Pill kind="pass">denied</Pill>],
                ['Network', a.toolPolicy.allow_network ? <Pill kind="warn">allowed</Pill> : <Pill kind="pass">denied</Pill>],
                [
                  'Max tool calls per case',
                  a.toolPolicy.max_tool_calls === null ? <Missing what="no limit" /> : String(a.toolPolicy.max_tool_calls),
                ],
                [
                  'Tool calls seen (whole run, all cases)',
                  a.toolCallCount === null ? (
                    <Missing what="not observed" />
                  ) : (
                    <span>
                      {a.toolCallCount}
                      {a.toolCallsOverLimit ? <Pill kind="fail">over the limit</Pill> : null}
                    </span>
                  ),
                ],
              ]}
            />
          ) : (
            <Missing what="no tool policy recorded" />
          )}
          <h4>Network bounds</h4>
          {a.network.bounds ? (
            <KV
              rows={[
                ['Access', <Pill kind={a.network.bounds.access === 'open' ? 'warn' : 'pass'}>{a.network.bounds.access}</Pill>],
                ['Allowlist', <List items={a.network.bounds.allowlist} empty="empty" />],
                [
                  'Hosts contacted',
                  a.network.hostsContacted === null ? <Missing what="not observed" /> : <List items={a.network.hostsContacted} />,
                ],
                [
                  'Outside the bounds',
                  <MaybeView
                    m={a.network.outsideBounds}
                    render={(v) =>
                      v.length ? (
                        <ul className="tag-list">
                          {v.map((h) => (
                            <li key={h} className="tag tag-bad">
                              {h}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <Pill kind="pass">none</Pill>
                      )
                    }
                  />,
                ],
              ]}
            />
          ) : (
            <Missing what="no network bounds recorded" />
          )}
          <h4>Secrets handling</h4>
          {a.secrets ? (
            <KV
              rows={[
                ['Handling', a.secrets.handling],
                ['Planted canaries', a.secrets.planted_canaries === null ? <Missing /> : String(a.secrets.planted_canaries)],
                [
                  'Leaks detected',
                  a.secrets.leaks_detected === null ? (
                    <Missing />
                  ) : a.secrets.leaks_detected > 0 ? (
                    <Pill kind="fail">{a.secrets.leaks_detected}</Pill>
                  ) : (
                    <Pill kind="pass">0</Pill>
                  ),
                ],
              ]}
            />
          ) : (
            <Missing what="no secrets handling recorded" />
          )}
        </div>
        <div>
          <h4>Declared vs observed permissions</h4>
          <PermissionChart perms={a.permissions} label={a.label} />
          <h4>Policy-blocked tool calls</h4>
          <MaybeView m={a.policyBlocked} render={(v) => <StepList steps={v} onOpen={onOpenStep} empty="none blocked" />} />
          <h4>AI bill of materials</h4>
          {a.aiBom ? (
            <KV
              rows={[
                ['Models', <List items={a.aiBom.models} />],
                [
                  'Models used outside the BOM',
                  <MaybeView m={a.modelsOutsideBom} render={(v) => (v.length ? <List items={v} /> : <Pill kind="pass">none</Pill>)} />,
                ],
                ['RAG sources', <List items={a.aiBom.rag_sources} />],
                ['External APIs', <List items={a.aiBom.external_apis} />],
                ['Frameworks', <List items={a.aiBom.frameworks} />],
                [
                  'Routing',
                  a.routing ? (
                    <span>
                      {humanize(a.routing.policy_kind)}: {a.routing.models.join(' → ')}
                    </span>
                  ) : (
                    <Missing />
                  ),
                ],
              ]}
            />
          ) : (
            <Missing what="no AI bill of materials recorded" />
          )}
        </div>
      </div>
    </Section>
  );
}

export function Security({ packet, observations, onOpenStep }: ViewProps) {
  const slice = useMemo(() => buildSecuritySlice(packet, observations), [packet, observations]);
  return (
    <div className="view security">
      {slice.agents.map((a) => (
        <AgentCard key={a.runAgentId} a={a} onOpenStep={onOpenStep} />
      ))}
      <Section title="Automatic fail conditions with replay evidence">
        {slice.autoFailConditions.length === 0 ? (
          <p>
            <Missing what="none point at this bundle's replays" />
          </p>
        ) : (
          <ul className="plain-list">
            {slice.autoFailConditions.map((c) => (
              <li key={c.key}>
                <Pill kind={c.triggered ? 'fail' : 'pass'}>{c.triggered ? 'triggered' : 'not triggered'}</Pill>{' '}
                <strong>{humanize(c.key)}</strong>: {c.description}
                {c.evidence.length > 0 ? <StepList steps={c.evidence} onOpen={onOpenStep} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
