import type { ViewProps } from './types';
import type { Agent } from '../../shared/model/packet-types';
import { KV, Missing, Pill, Section, StepRef } from '../components/common';
import { humanize } from '../format';

function List({ items, empty = 'none' }: { items: readonly string[] | null | undefined; empty?: string }) {
  if (!items || items.length === 0) return <Missing what={empty} />;
  return (
    <ul className="tag-list">
      {items.map((x, i) => (
        <li key={i} className="tag">{x}</li>
      ))}
    </ul>
  );
}

function PermissionChart({ agent }: { agent: Agent }) {
  const perms = agent.permissions;
  if (!perms) return <p><Missing what="no permissions recorded" /></p>;
  if (perms.observed === null) {
    return (
      <p>
        Declared: <List items={perms.declared} /> <Missing what="observed use not recorded" />
      </p>
    );
  }
  const declared = new Set(perms.declared);
  const observed = new Set(perms.observed);
  const all = [...new Set([...perms.declared, ...perms.observed])].sort();
  const unused = all.filter((p) => declared.has(p) && !observed.has(p));
  const unexpected = all.filter((p) => !declared.has(p) && observed.has(p));
  return (
    <div>
      <p className="small">
        <strong>{unused.length}</strong> unused grant{unused.length === 1 ? '' : 's'}, <strong className={unexpected.length ? 'fail-text' : undefined}>{unexpected.length}</strong> unexpected use{unexpected.length === 1 ? '' : 's'}
      </p>
      <table className="data perm-chart">
        <caption className="sr-only">Declared versus observed permissions of {agent.label}</caption>
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
            const o = observed.has(p);
            const kind = d && o ? 'used' : d ? 'unused' : 'unexpected';
            return (
              <tr key={p} className={`perm-${kind}`}>
                <th scope="row" className="mono">{p}</th>
                <td><span className={`bar ${d ? 'bar-on' : 'bar-off'}`} aria-label={d ? 'declared' : 'not declared'} role="img" /></td>
                <td><span className={`bar ${o ? (d ? 'bar-on' : 'bar-bad') : 'bar-off'}`} aria-label={o ? 'observed' : 'not observed'} role="img" /></td>
                <td>
                  {kind === 'used' ? <span className="muted">declared and used</span> : kind === 'unused' ? <Pill kind="warn">unused grant</Pill> : <Pill kind="fail">unexpected use</Pill>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function Security({ packet, onOpenStep }: ViewProps) {
  const blocked = packet.cases.flatMap((c) => c.refs.filter((r) => /polic|block|denied|egress/i.test(r.note ?? '')).map((r) => ({ c, r })));
  const policyConditions = packet.gate.auto_fail_conditions.filter((c) => c.evidence.length > 0);
  return (
    <div className="view security">
      {packet.agents.map((a) => (
        <Section key={a.run_agent_id} title={`${a.label} (${a.role})`}>
          <div className="grid-2">
            <div>
              <h4>Tool policy</h4>
              {a.tool_policy ? (
                <KV
                  rows={[
                    ['Allowed tool kinds', <List items={a.tool_policy.allowed_tool_kinds} />],
                    ['Shell', a.tool_policy.allow_shell ? <Pill kind="warn">allowed</Pill> : <Pill kind="pass">denied</Pill>],
                    ['Network', a.tool_policy.allow_network ? <Pill kind="warn">allowed</Pill> : <Pill kind="pass">denied</Pill>],
                    ['Max tool calls', a.tool_policy.max_tool_calls === null ? <Missing what="no limit" /> : String(a.tool_policy.max_tool_calls)],
                  ]}
                />
              ) : (
                <Missing what="no tool policy recorded" />
              )}
              <h4>Network bounds</h4>
              {a.network ? (
                <KV rows={[['Access', <Pill kind={a.network.access === 'open' ? 'warn' : 'pass'}>{a.network.access}</Pill>], ['Allowlist', <List items={a.network.allowlist} empty="empty" />]]} />
              ) : (
                <Missing what="no network bounds recorded" />
              )}
              <h4>Secrets handling</h4>
              {a.secrets ? (
                <KV
                  rows={[
                    ['Handling', a.secrets.handling],
                    ['Planted canaries', a.secrets.planted_canaries === null ? <Missing /> : String(a.secrets.planted_canaries)],
                    ['Leaks detected', a.secrets.leaks_detected === null ? <Missing /> : a.secrets.leaks_detected > 0 ? <Pill kind="fail">{a.secrets.leaks_detected}</Pill> : <Pill kind="pass">0</Pill>],
                  ]}
                />
              ) : (
                <Missing what="no secrets handling recorded" />
              )}
              <h4>Evidence tier</h4>
              <Pill kind={`tier-${a.evidence_tier}`}>{humanize(a.evidence_tier)}</Pill>
            </div>
            <div>
              <h4>Declared vs observed permissions</h4>
              <PermissionChart agent={a} />
              <h4>AI bill of materials</h4>
              {a.ai_bom ? (
                <KV
                  rows={[
                    ['Models', <List items={a.ai_bom.models} />],
                    ['RAG sources', <List items={a.ai_bom.rag_sources} />],
                    ['External APIs', <List items={a.ai_bom.external_apis} />],
                    ['Frameworks', <List items={a.ai_bom.frameworks} />],
                  ]}
                />
              ) : (
                <Missing what="no AI bill of materials recorded" />
              )}
            </div>
          </div>
        </Section>
      ))}
      <Section title="Policy-blocked tool calls and policy evidence">
        {blocked.length === 0 && policyConditions.length === 0 ? (
          <p><Missing what="none referenced by the packet" /></p>
        ) : (
          <ul className="plain-list">
            {policyConditions.flatMap((c) =>
              c.evidence.map((r, i) => (
                <li key={`${c.key}-${i}`}>
                  <strong>{humanize(c.key)}</strong>: <StepRef runAgentId={r.run_agent_id} seq={r.sequence_number} note={r.note} onOpen={onOpenStep} />
                </li>
              )),
            )}
            {blocked.map(({ c, r }, i) => (
              <li key={`case-${i}`}>
                <span className="mono">{c.case_key}</span>: <StepRef runAgentId={r.run_agent_id} seq={r.sequence_number} note={r.note} onOpen={onOpenStep} />
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
