// The Replay tab: pick a run agent, then its timeline (AgentTimeline: filters, search,
// keyboard navigation, the opened step), or the compare view; the index's figures and the
// problems found in the replay above both.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import { packetRefSteps } from '../../shared/model/replay-steps';
import type { ExhibitDb, NoteRow } from '../db';
import { listNotes } from '../db';
import { AgentTimeline } from './AgentTimeline';
import { CompareView } from './CompareView';
import type { ReplaySession } from './session';
import type { StepId, StepRequest } from './format';
import { formatDuration } from './format';

export interface ReplayTabProps {
  session: ReplaySession;
  packet: Packet;
  db: ExhibitDb;
  bundleSha256: string | null;
  /** The step asked for (a link elsewhere in the app, or the URL fragment). */
  step: StepRequest | null;
  /** Tells the app which step is open, for the URL fragment. */
  onStepShown: (step: StepId) => void;
}

/** The index of a run agent's replay from the session (built once, then shared), and the session's progress. */
function useIndex(session: ReplaySession, runAgentId: string) {
  const [result, setResult] = useState<{
    session: ReplaySession;
    runAgentId: string;
    index: ReplayIndex | null;
    error: string | null;
  } | null>(null);
  const [, setTick] = useState(0);
  useEffect(() => session.subscribe(() => setTick((t) => t + 1)), [session]);
  useEffect(() => {
    let live = true;
    session.index(runAgentId).then(
      (index) => live && setResult({ session, runAgentId, index, error: null }),
      (e: Error) => live && setResult({ session, runAgentId, index: null, error: e.message }),
    );
    return () => {
      live = false;
    };
  }, [session, runAgentId]);
  const current = result && result.session === session && result.runAgentId === runAgentId ? result : null;
  return { index: current?.index ?? null, error: current?.error ?? null, state: session.state(runAgentId) };
}

/** The notes on this bundle's steps, and a way to read them again after one is saved. */
function useNotes(db: ExhibitDb, bundleSha256: string | null) {
  const [notes, setNotes] = useState<NoteRow[]>([]);
  const reload = useCallback(() => {
    if (bundleSha256)
      void listNotes(db, bundleSha256)
        .then(setNotes)
        .catch(() => undefined);
  }, [db, bundleSha256]);
  useEffect(reload, [reload]);
  return { notes, reload };
}

/** Time from the index being ready (or the tab opening, if later) to the first rows on screen, per agent: the benchmark reads it. */
function useFirstPaint(index: ReplayIndex | null, runAgentId: string, readyAt: number | null): number | null {
  const [firstPaint, setFirstPaint] = useState<{ runAgentId: string; ms: number } | null>(null);
  // An index built in the background before the tab opened is timed from the tab's opening.
  const [mountedAt] = useState(() => performance.now());
  const known = firstPaint?.runAgentId === runAgentId;
  useEffect(() => {
    if (!index || known) return;
    const ready = Math.max(readyAt ?? performance.now(), mountedAt);
    requestAnimationFrame(() => requestAnimationFrame(() => setFirstPaint({ runAgentId, ms: performance.now() - ready })));
  }, [index, known, readyAt, runAgentId, mountedAt]);
  return known ? firstPaint!.ms : null;
}

export function ReplayTab({ session, packet, db, bundleSha256, step, onStepShown }: ReplayTabProps) {
  const agents = packet.agents;
  const known = (id: string) => agents.some((a) => a.run_agent_id === id);
  const [agentId, setAgentId] = useState(() =>
    step && known(step.runAgentId) ? step.runAgentId : ((agents.find((a) => a.role === 'candidate') ?? agents[0])?.run_agent_id ?? ''),
  );
  const [mode, setMode] = useState<'timeline' | 'compare'>('timeline');
  const [request, setRequest] = useState<(StepRequest & { resetFilter?: boolean }) | null>(step);
  const [seenStep, setSeenStep] = useState(step);
  /** A link that named a run agent this bundle does not have. */
  const [badAgent, setBadAgent] = useState<string | null>(step && !known(step.runAgentId) ? step.runAgentId : null);
  /** Requests from the compare view count down from -1, so they never equal the app's (which count up from 1). */
  const compareToken = useRef(-1);
  const { index, error, state } = useIndex(session, agentId);
  const { notes, reload } = useNotes(db, bundleSha256);
  const firstPaintMs = useFirstPaint(index, agentId, state.readyAt);
  const refs = useMemo(() => (index ? packetRefSteps(index, packet) : new Map<number, string[]>()), [index, packet]);

  // A step asked for from elsewhere in the app: its agent, on the timeline.
  if (step !== seenStep) {
    setSeenStep(step);
    setBadAgent(step && !known(step.runAgentId) ? step.runAgentId : null);
    if (step && known(step.runAgentId)) {
      setAgentId(step.runAgentId);
      setMode('timeline');
      setRequest(step);
    }
  }

  const agent = agents.find((a) => a.run_agent_id === agentId);
  const withheld = session.withheld(agentId);
  /** Nothing of this replay is intact: no timeline, only why. */
  const allWithheld = withheld.length > 0 && session.paths(agentId).length === 0;
  return (
    <div className="view replay" data-testid="replay-tab">
      <section className="card replay-controls" aria-label="Replay controls">
        <ReplayPickers agents={agents} agentId={agentId} onAgent={setAgentId} mode={mode} onMode={setMode} />
        {allWithheld ? null : (
          <IndexStats index={index} error={error} state={state} firstPaintMs={firstPaintMs} hasReplay={!agent || Boolean(agent.replay)} />
        )}
        {badAgent !== null ? (
          <p className="error" role="alert" data-testid="bad-step-link">
            The link names run agent <span className="mono">{badAgent}</span>, which this bundle does not have; its agents are{' '}
            {agents.map((a) => a.run_agent_id).join(', ')}.
          </p>
        ) : null}
        {error ? (
          <p className="error" role="alert">
            The replay could not be indexed: {error}
          </p>
        ) : null}
        <WithheldNote paths={withheld} all={allWithheld} />
        {index ? <ReplayFindings index={index} /> : null}
      </section>

      {mode === 'compare' ? (
        <CompareView
          session={session}
          packet={packet}
          onOpenStep={({ runAgentId, sequence }) => {
            setAgentId(runAgentId);
            setMode('timeline');
            setRequest({ runAgentId, sequence, token: compareToken.current--, resetFilter: true });
          }}
        />
      ) : index && !allWithheld ? (
        <AgentTimeline
          key={agentId}
          session={session}
          index={index}
          packet={packet}
          refs={refs}
          db={db}
          bundleSha256={bundleSha256}
          notes={notes}
          onNotesChanged={reload}
          request={request && request.runAgentId === agentId ? request : null}
          onStepShown={onStepShown}
          label={agent?.label ?? agentId}
        />
      ) : null}
    </div>
  );
}

function ReplayPickers(props: {
  agents: Packet['agents'];
  agentId: string;
  onAgent: (id: string) => void;
  mode: 'timeline' | 'compare';
  onMode: (mode: 'timeline' | 'compare') => void;
}) {
  const { agents, agentId, mode } = props;
  const setAgentId = props.onAgent;
  const setMode = props.onMode;
  return (
    <div className="row-actions">
      <div role="radiogroup" aria-label="Run agent" className="seg">
        {agents.map((a) => (
          <button
            key={a.run_agent_id}
            type="button"
            role="radio"
            aria-checked={a.run_agent_id === agentId}
            onClick={() => setAgentId(a.run_agent_id)}
          >
            {a.role}: {a.label}
          </button>
        ))}
      </div>
      <div role="radiogroup" aria-label="View" className="seg">
        <button type="button" role="radio" aria-checked={mode === 'timeline'} onClick={() => setMode('timeline')}>
          Timeline
        </button>
        <button type="button" role="radio" aria-checked={mode === 'compare'} onClick={() => setMode('compare')} data-testid="compare-mode">
          Compare baseline and candidate
        </button>
      </div>
    </div>
  );
}

/** The index's figures (events, steps, files, time; the benchmark reads the data attributes), or its progress. */
function IndexStats(props: {
  index: ReplayIndex | null;
  error: string | null;
  state: ReturnType<ReplaySession['state']>;
  firstPaintMs: number | null;
  hasReplay: boolean;
}) {
  const { index, error, state, firstPaintMs } = props;
  return (
    <p
      className="small muted"
      data-testid="replay-stats"
      data-index-ms={state.ms !== null ? Math.round(state.ms) : undefined}
      data-first-paint-ms={firstPaintMs !== null ? Math.round(firstPaintMs) : undefined}
    >
      {index
        ? `${index.eventCount.toLocaleString('en')} events · ${index.stepCount.toLocaleString('en')} steps · ${index.paths.length} ${index.paths.length === 1 ? 'file' : 'chunks'}${state.ms !== null ? ` · indexed in ${formatDuration(state.ms)}` : ''}`
        : error
          ? null
          : !props.hasReplay
            ? 'This run agent has no replay in the packet.'
            : state.progress
              ? `Indexing… ${state.progress.entriesDone} of ${state.progress.entries} ${state.progress.entries === 1 ? 'file' : 'chunks'}`
              : 'Indexing…'}
    </p>
  );
}

/** Replay files whose bytes do not match what was signed: named, and left out of the timeline (issue 18.1). */
function WithheldNote({ paths, all }: { paths: string[]; all: boolean }) {
  if (paths.length === 0) return null;
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ` and ${paths.length - 5} more` : '');
  const verb = paths.length === 1 ? 'does' : 'do';
  return (
    <p className="error" role="alert" data-testid="replay-withheld">
      {all
        ? `This replay is not shown: ${shown} ${verb} not match what was signed (see the Integrity tab).`
        : `Left out of this replay: ${shown} ${verb} not match what was signed (see the Integrity tab); the timeline shows only the rest.`}
    </p>
  );
}

function ReplayFindings({ index }: { index: ReplayIndex }) {
  if (index.findingCount === 0) return null;
  return (
    <details className="replay-findings">
      <summary className="warn-text">
        {index.findingCount} problem{index.findingCount === 1 ? '' : 's'} in this replay (every line is still listed)
      </summary>
      <ul className="findings small">
        {index.findings.map((f, i) => (
          <li key={i}>
            <span className="mono">
              {f.path}
              {f.line !== null ? `:${f.line}` : ''}
            </span>{' '}
            — {f.message}
          </li>
        ))}
      </ul>
    </details>
  );
}
