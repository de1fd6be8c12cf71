// Shared presentational pieces. Every string from a bundle is rendered as a React text
// child: never HTML, never a link that navigates.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import type { Person } from '../../shared/model/packet-types';
import type { Maybe, StepRef as StepRefModel } from '../../shared/model/slices-types';
import type { AgentNames } from '../../shared/model/agent-names';
import { stepIds, stepName } from '../../shared/model/agent-names';

export function Missing({ what = 'not recorded' }: { what?: string }) {
  return <span className="missing">{what}</span>;
}

export function Val({ v, mono = false }: { v: string | number | null | undefined; mono?: boolean }) {
  if (v === null || v === undefined || v === '') return <Missing />;
  return <span className={mono ? 'mono' : undefined}>{String(v)}</span>;
}

export function Digest({ hex }: { hex: string | null | undefined }) {
  if (!hex) return <Missing />;
  return (
    <code className="digest" title={hex}>
      {hex}
    </code>
  );
}

export function PersonText({ p }: { p: Person | null | undefined }) {
  if (!p) return <Missing what="not named" />;
  return (
    <span>
      {p.name}
      {p.email ? <span className="muted"> &lt;{p.email}&gt;</span> : null}
    </span>
  );
}

export function Section({ title, children, id, className }: { title: string; children: ReactNode; id?: string; className?: string }) {
  const headingId = id ? `${id}-h` : undefined;
  return (
    <section className={`card ${className ?? ''}`} aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {children}
    </section>
  );
}

export function Pill({ kind, children }: { kind: string; children: ReactNode }) {
  return <span className={`pill pill-${kind}`}>{children}</span>;
}

export function KV({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <dl className="kv">
      {rows.map(([k, v]) => (
        <div key={k} className="kv-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A link to a replay step: a button that switches to the Replay tab, never a navigation. */
function StepRef({
  runAgentId,
  seq,
  note,
  onOpen,
}: {
  runAgentId: string;
  seq: number;
  note?: string | null;
  onOpen: (runAgentId: string, seq: number) => void;
}) {
  return (
    <button type="button" className="linkish" onClick={() => onOpen(runAgentId, seq)}>
      <AgentStepName runAgentId={runAgentId} seq={seq} />
      {note ? <span className="muted"> — {note}</span> : null}
    </button>
  );
}

/** A Maybe from the slices: the value rendered, or the reason it is missing. */
export function MaybeView<T>({ m, render }: { m: Maybe<T>; render: (v: T) => ReactNode }) {
  if (m.missing !== null) return <Missing what={m.missing} />;
  return <>{render(m.value as T)}</>;
}

/** A list of replay steps from a slice, each a button to the Replay tab. */
export function StepList({
  steps,
  onOpen,
  empty = 'none',
}: {
  steps: readonly StepRefModel[];
  onOpen: (runAgentId: string, seq: number) => void;
  empty?: string;
}) {
  if (steps.length === 0) return <Missing what={empty} />;
  return (
    <ul className="refs">
      {steps.map((r, i) => (
        <li key={i}>
          <StepRef runAgentId={r.runAgentId} seq={r.sequence} note={r.headline ?? r.note} onOpen={onOpen} />
          {r.caseKey ? <span className="muted small mono"> ({r.caseKey})</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** A packet's code read as words, with the code itself as secondary text. */
export function CodeText({ code, words }: { code: string; words: string }) {
  return (
    <span className="code-text">
      {words}
      {words.toLowerCase() !== code.toLowerCase() ? <code className="code-secondary"> {code}</code> : null}
    </span>
  );
}

/** run_agent_id -> what a reader calls the agent ("candidate", "baseline"); provided by the tab frame. */
export const AgentNamesContext = createContext<AgentNames>(new Map());

/** "candidate · step 69", with the run agent id as a tooltip; the id itself when the agent is not in the packet. */
export function AgentStepName({ runAgentId, seq }: { runAgentId: string; seq: number }) {
  const names = useContext(AgentNamesContext);
  return <span title={stepIds(names, runAgentId, seq) ?? undefined}>{stepName(names, runAgentId, seq)}</span>;
}
