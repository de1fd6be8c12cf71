// The Replay tab: pick a run agent, then its steps as a virtualized timeline grouped by
// case, with filters, search (match count, next/previous), keyboard navigation (j/k or
// arrows, Enter to open) and the opened step beside the list; or the compare view.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import { stepBySeq } from '../../shared/model/replay-index';
import {
  NO_FILTER,
  filterChoices,
  filterSteps,
  kindLabel,
  packetRefSteps,
  stepCostUsd,
  stepDurationMs,
  stepKind,
  stepMarks,
  stepName,
  stepOutput,
  stepStatus,
  stepTokens,
  timelineRows,
} from '../../shared/model/replay-steps';
import type { StatusFilter, StepFilter } from '../../shared/model/replay-steps';
import type { ExhibitDb, NoteRow } from '../db';
import { listNotes } from '../db';
import { ScaledList } from './ScaledList';
import type { ScrollRequest } from './ScaledList';
import { StepDetail } from './StepDetail';
import { CompareView } from './CompareView';
import type { ReplaySession } from './session';
import { formatCost, formatDuration, formatTokens } from './format';

const ROW_HEIGHT = 30;
const LIST_HEIGHT = 560;

const STATUS_CHOICES: Array<[StatusFilter, string]> = [
  ['failed', 'failed'],
  ['policy', 'policy-blocked'],
  ['fallback', 'routing fallback'],
  ['sandbox', 'sandbox failure'],
  ['interrupted', 'interrupted'],
  ['marked', 'verdict-driving'],
];

export interface ReplayTabProps {
  session: ReplaySession;
  packet: Packet;
  db: ExhibitDb;
  bundleSha256: string | null;
  /** The step asked for (a link elsewhere in the app, or the URL fragment). */
  step: { runAgentId: string; seq: number; token: number } | null;
  /** Tells the app which step is open, for the URL fragment. */
  onStepShown: (runAgentId: string, seq: number) => void;
}

interface SearchState {
  query: string;
  running: boolean;
  progress: string | null;
  /** Per step: 1 when one of its events matched. Null before any search. */
  matched: Uint8Array | null;
  events: number;
  note: string | null;
}

const NO_SEARCH: SearchState = { query: '', running: false, progress: null, matched: null, events: 0, note: null };

function useIndex(session: ReplaySession, runAgentId: string) {
  const [index, setIndex] = useState<ReplayIndex | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setTick] = useState(0);
  useEffect(() => session.subscribe(() => setTick((t) => t + 1)), [session]);
  useEffect(() => {
    let live = true;
    setIndex(null);
    setError(null);
    session
      .index(runAgentId)
      .then((i) => live && setIndex(i))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [session, runAgentId]);
  return { index, error, state: session.state(runAgentId) };
}

export function ReplayTab({ session, packet, db, bundleSha256, step, onStepShown }: ReplayTabProps) {
  const agents = packet.agents;
  const initialAgent =
    step && agents.some((a) => a.run_agent_id === step.runAgentId)
      ? step.runAgentId
      : ((agents.find((a) => a.role === 'candidate') ?? agents[0])?.run_agent_id ?? '');
  const [agentId, setAgentId] = useState(initialAgent);
  const [mode, setMode] = useState<'timeline' | 'compare'>('timeline');
  const { index, error, state } = useIndex(session, agentId);
  const [filter, setFilter] = useState<StepFilter>(NO_FILTER);
  const [search, setSearch] = useState<SearchState>(NO_SEARCH);
  const [draft, setDraft] = useState('');
  const [cursor, setCursor] = useState(-1);
  const [openStep, setOpenStep] = useState<number | null>(null);
  const [scrollTo, setScrollTo] = useState<ScrollRequest | null>(null);
  const [notes, setNotes] = useState<NoteRow[]>([]);
  const [firstPaintMs, setFirstPaintMs] = useState<number | null>(null);
  const searchAbort = useRef<AbortController | null>(null);
  const pendingStep = useRef<{ runAgentId: string; seq: number; token: number } | null>(step);
  const tokenRef = useRef(1);
  /** Bumped when a step is asked for from inside the tab (the compare view). */
  const [wake, setWake] = useState(0);

  const reloadNotes = useCallback(() => {
    if (bundleSha256)
      void listNotes(db, bundleSha256)
        .then(setNotes)
        .catch(() => undefined);
  }, [db, bundleSha256]);
  useEffect(reloadNotes, [reloadNotes]);
  const notedSeqs = useMemo(() => new Set(notes.filter((n) => n.runAgentId === agentId).map((n) => n.sequenceNumber)), [notes, agentId]);

  const refs = useMemo(() => (index ? packetRefSteps(index, packet) : new Map<number, string[]>()), [index, packet]);
  const choices = useMemo(() => (index ? filterChoices(index) : null), [index]);
  const steps = useMemo(() => (index ? filterSteps(index, filter, refs) : new Int32Array(0)), [index, filter, refs]);
  const rows = useMemo(() => (index ? timelineRows(index, steps) : new Int32Array(0)), [index, steps]);
  const matchRows = useMemo(() => {
    if (!search.matched) return [] as number[];
    const out: number[] = [];
    for (let r = 0; r < rows.length; r++) if (rows[r]! >= 0 && search.matched[rows[r]!]) out.push(r);
    return out;
  }, [rows, search.matched]);

  // A new agent: forget the filters, the search and the cursor.
  useEffect(() => {
    searchAbort.current?.abort();
    setFilter(NO_FILTER);
    setSearch(NO_SEARCH);
    setCursor(-1);
    setOpenStep(null);
    setFirstPaintMs(null);
  }, [agentId]);

  // Time from the index being ready (in the session) to the first rows on screen: the
  // render with the rows, then the next frame. The benchmark reads it.
  useEffect(() => {
    if (!index || firstPaintMs !== null) return;
    const ready = state.readyAt ?? performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => setFirstPaintMs(performance.now() - ready)));
  }, [index, firstPaintMs, state.readyAt]);

  const show = useCallback(
    (row: number, open: boolean) => {
      if (!index || row < 0 || row >= rows.length) return;
      setCursor(row);
      setScrollTo({ index: row, token: tokenRef.current++ });
      const s = rows[row]!;
      if (open && s >= 0) {
        setOpenStep(s);
        const seq = index.seq[index.stepStart[s]!]!;
        if (!Number.isNaN(seq)) onStepShown(index.runAgentId, seq);
      }
    },
    [index, rows, onStepShown],
  );

  // A step asked for from elsewhere: switch agent, drop filters that hide it, open it.
  useEffect(() => {
    if (step) pendingStep.current = step;
    const want = pendingStep.current;
    if (!want) return;
    if (want.runAgentId !== agentId) {
      if (agents.some((a) => a.run_agent_id === want.runAgentId)) {
        setAgentId(want.runAgentId);
        setMode('timeline');
      } else pendingStep.current = null;
      return;
    }
    if (!index) return;
    setMode('timeline');
    const s = stepBySeq(index, want.seq);
    if (s < 0) {
      pendingStep.current = null;
      setSearch((x) => ({ ...x, note: `Step ${want.seq} is not in this replay.` }));
      return;
    }
    let row = rows.indexOf(s);
    if (row < 0) {
      setFilter(NO_FILTER);
      return; // rows recompute; this effect runs again
    }
    pendingStep.current = null;
    show(row, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [step?.token, wake, index, rows, agentId]);

  const runSearch = async (query: string) => {
    searchAbort.current?.abort();
    if (!index || query.trim() === '') {
      setSearch(NO_SEARCH);
      return;
    }
    const controller = new AbortController();
    searchAbort.current = controller;
    setSearch({ ...NO_SEARCH, query, running: true, progress: 'Searching…' });
    try {
      const result = await session.search(index, query, controller.signal, (done, total) => {
        if (!controller.signal.aborted)
          setSearch((s) => ({ ...s, progress: `Searching… ${done} of ${total} ${total === 1 ? 'file' : 'chunks'}` }));
      });
      if (controller.signal.aborted) return;
      const matched = new Uint8Array(index.stepCount);
      for (const e of result.events) matched[index.eventStep[e]!] = 1;
      const note = result.payloadsSkipped
        ? `${result.payloadsSkipped} offloaded payloads were not searched (the search reads at most 256 MB of them).`
        : null;
      setSearch({ query, running: false, progress: null, matched, events: result.events.length, note });
    } catch (e) {
      if (controller.signal.aborted) return;
      setSearch({ ...NO_SEARCH, query, note: `The search failed: ${(e as Error).message}` });
    }
  };

  const nextMatch = (dir: 1 | -1) => {
    if (!matchRows.length) return;
    let target: number | undefined;
    if (dir === 1) target = matchRows.find((r) => r > cursor) ?? matchRows[0];
    else target = [...matchRows].reverse().find((r) => r < cursor) ?? matchRows[matchRows.length - 1];
    if (target !== undefined) show(target, true);
  };

  const moveCursor = (dir: 1 | -1) => {
    let r = cursor < 0 ? (dir === 1 ? -1 : rows.length) : cursor;
    do r += dir;
    while (r >= 0 && r < rows.length && rows[r]! < 0);
    if (r >= 0 && r < rows.length) show(r, false);
  };

  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'j' || e.key === 'ArrowDown') moveCursor(1);
    else if (e.key === 'k' || e.key === 'ArrowUp') moveCursor(-1);
    else if (e.key === 'Enter' && cursor >= 0) show(cursor, true);
    else if (e.key === 'Home') show(rows[0]! < 0 && rows.length > 1 ? 1 : 0, false);
    else if (e.key === 'End') show(rows.length - 1, false);
    else if (e.key === 'n') nextMatch(1);
    else if (e.key === 'N') nextMatch(-1);
    else return;
    e.preventDefault();
  };

  const currentMatch = matchRows.indexOf(cursor);
  const pricing = packet.pricing;

  const renderRow = (r: number) => {
    if (!index) return null;
    const s = rows[r]!;
    if (s < 0) {
      const c = -s - 1;
      return (
        <div key={`h${r}`} id={`replay-row-${r}`} className="tl-row tl-case" role="option" aria-selected={false} aria-disabled="true">
          {c === 0 ? (
            'Run level (no case)'
          ) : (
            <>
              Case <span className="mono">{index.cases[c]}</span>
            </>
          )}
        </div>
      );
    }
    const start = index.stepStart[s]!;
    const seq = index.seq[start]!;
    const status = stepStatus(index, s);
    const marks = stepMarks(index, s, refs);
    const name = stepName(index, s);
    const out = stepOutput(index, s);
    const tokens = stepTokens(index, s);
    const matched = search.matched?.[s] === 1;
    return (
      <div
        key={`s${s}`}
        id={`replay-row-${r}`}
        role="option"
        aria-selected={r === cursor}
        className={`tl-row${r === cursor ? ' tl-cursor' : ''}${openStep === s ? ' tl-open' : ''}${matched ? ' tl-match' : ''} tl-${status}`}
        onClick={() => show(r, true)}
        data-seq={seq}
      >
        <span className="tl-seq mono">{Number.isNaN(seq) ? '?' : seq}</span>
        <span className="tl-kind">{kindLabel(stepKind(index, s))}</span>
        <span className="tl-head">
          {name ? <span className="mono">{name}</span> : null}
          {name && out ? ' — ' : null}
          {out ? <span className="muted">{out}</span> : null}
        </span>
        <span className={`tl-status st-${status}`}>{status}</span>
        <span className="tl-num">{formatDuration(stepDurationMs(index, s))}</span>
        <span className="tl-num">
          {tokens.input === null && tokens.output === null ? '—' : formatTokens((tokens.input ?? 0) + (tokens.output ?? 0))}
        </span>
        <span className="tl-num">{formatCost(stepCostUsd(index, s, pricing))}</span>
        <span className="tl-marks" aria-label={markText(marks, notedSeqs.has(seq))}>
          {marks.policy ? (
            <span className="mk mk-policy" title="policy violation">
              ⛔
            </span>
          ) : null}
          {marks.sandboxFailed ? (
            <span className="mk mk-fail" title="sandbox failure">
              ✖
            </span>
          ) : null}
          {marks.fallback ? (
            <span className="mk mk-fallback" title="routing fallback">
              ↪
            </span>
          ) : null}
          {marks.verdict ? (
            <span className="mk mk-verdict" title="verdict-driving">
              ★
            </span>
          ) : null}
          {marks.offloaded ? (
            <span className="mk" title="offloaded payload">
              ⇲
            </span>
          ) : null}
          {notedSeqs.has(seq) ? (
            <span className="mk" title="has your note">
              ✎
            </span>
          ) : null}
        </span>
      </div>
    );
  };

  const agent = agents.find((a) => a.run_agent_id === agentId);
  return (
    <div className="view replay" data-testid="replay-tab">
      <section className="card replay-controls" aria-label="Replay controls">
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
            <button
              type="button"
              role="radio"
              aria-checked={mode === 'compare'}
              onClick={() => setMode('compare')}
              data-testid="compare-mode"
            >
              Compare baseline and candidate
            </button>
          </div>
        </div>
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
              : agent && !agent.replay
                ? 'This run agent has no replay in the packet.'
                : state.progress
                  ? `Indexing… ${state.progress.entriesDone} of ${state.progress.entries} ${state.progress.entries === 1 ? 'file' : 'chunks'}`
                  : 'Indexing…'}
        </p>
        {error ? (
          <p className="error" role="alert">
            The replay could not be indexed: {error}
          </p>
        ) : null}
        {index && index.findingCount > 0 ? (
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
        ) : null}
      </section>

      {mode === 'compare' ? (
        <CompareView
          session={session}
          packet={packet}
          onOpenStep={(ra, seq) => {
            pendingStep.current = { runAgentId: ra, seq, token: tokenRef.current++ };
            if (ra !== agentId) setAgentId(ra);
            setMode('timeline');
            setFilter(NO_FILTER);
            setWake((w) => w + 1);
          }}
        />
      ) : index && choices ? (
        <>
          <section className="card replay-filters" aria-label="Filters and search">
            <div className="filter-row">
              <label>
                Case
                <select
                  value={filter.caseKey ?? '*'}
                  onChange={(e) => setFilter({ ...filter, caseKey: e.target.value === '*' ? null : e.target.value })}
                  data-testid="filter-case"
                >
                  <option value="*">all cases</option>
                  {choices.hasRunLevel ? <option value="">run level</option> : null}
                  {choices.cases.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Type
                <select
                  value={filter.kind ?? '*'}
                  onChange={(e) => setFilter({ ...filter, kind: e.target.value === '*' ? null : e.target.value })}
                  data-testid="filter-kind"
                >
                  <option value="*">all types</option>
                  {choices.kinds.map((k) => (
                    <option key={k} value={k}>
                      {kindLabel(k)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Tool or model
                <select
                  value={filter.name ?? '*'}
                  onChange={(e) => setFilter({ ...filter, name: e.target.value === '*' ? null : e.target.value })}
                  data-testid="filter-name"
                >
                  <option value="*">any</option>
                  {choices.names.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Status
                <select
                  value={filter.status ?? '*'}
                  onChange={(e) => setFilter({ ...filter, status: e.target.value === '*' ? null : (e.target.value as StatusFilter) })}
                  data-testid="filter-status"
                >
                  <option value="*">any</option>
                  {STATUS_CHOICES.map(([v, l]) => (
                    <option key={v} value={v}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" onClick={() => setFilter(NO_FILTER)} disabled={filter === NO_FILTER}>
                Clear filters
              </button>
            </div>
            <form
              className="search-row"
              role="search"
              onSubmit={(e) => {
                e.preventDefault();
                void runSearch(draft);
              }}
            >
              <label htmlFor="replay-search" className="sr-only">
                Search the payloads of this replay
              </label>
              <input
                id="replay-search"
                type="search"
                placeholder="Search payload text (tool output, URLs, errors…)"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                data-testid="replay-search"
              />
              <button type="submit">Search</button>
              <button type="button" onClick={() => nextMatch(-1)} disabled={!matchRows.length} aria-label="Previous match">
                ↑
              </button>
              <button
                type="button"
                onClick={() => nextMatch(1)}
                disabled={!matchRows.length}
                aria-label="Next match"
                data-testid="next-match"
              >
                ↓
              </button>
              <span className="small" role="status" data-testid="match-count">
                {search.running
                  ? search.progress
                  : search.matched
                    ? `${matchRows.length} matching step${matchRows.length === 1 ? '' : 's'}${currentMatch >= 0 ? ` (${currentMatch + 1} of ${matchRows.length})` : ''} · ${search.events} event${search.events === 1 ? '' : 's'}${filter !== NO_FILTER ? ' in the filtered steps' : ''}`
                    : null}
              </span>
            </form>
            {search.note ? <p className="small warn-text">{search.note}</p> : null}
          </section>

          <div className="replay-body">
            <section className="card timeline" aria-label="Steps">
              <div className="tl-row tl-headrow" aria-hidden="true">
                <span className="tl-seq">#</span>
                <span className="tl-kind">Type</span>
                <span className="tl-head">Tool / model — output</span>
                <span className="tl-status">Status</span>
                <span className="tl-num">Duration</span>
                <span className="tl-num">Tokens</span>
                <span className="tl-num">Cost</span>
                <span className="tl-marks">Marks</span>
              </div>
              {rows.length === 0 ? (
                <p className="muted">No steps match these filters.</p>
              ) : (
                <ScaledList
                  count={rows.length}
                  rowHeight={ROW_HEIGHT}
                  height={LIST_HEIGHT}
                  renderRow={renderRow}
                  label={`Steps of ${agent?.label ?? agentId}: ${steps.length.toLocaleString('en')} steps. j and k move, Enter opens.`}
                  scrollTo={scrollTo}
                  onKeyDown={onListKey}
                  activeDescendant={cursor >= 0 ? `replay-row-${cursor}` : undefined}
                  testId="timeline"
                />
              )}
              <p className="small muted">
                j / k or arrows move · Enter opens · n / N next or previous match · {steps.length.toLocaleString('en')} of{' '}
                {index.stepCount.toLocaleString('en')} steps shown
              </p>
            </section>
            <div className="detail-col">
              {openStep !== null ? (
                <StepDetail
                  session={session}
                  index={index}
                  step={openStep}
                  packet={packet}
                  refReasons={refs.get(openStep)}
                  db={db}
                  bundleSha256={bundleSha256}
                  bundleId={packet.bundle_id ?? null}
                  onNotesChanged={reloadNotes}
                />
              ) : (
                <section className="card">
                  <p className="muted">Open a step to see its events and payloads.</p>
                </section>
              )}
            </div>
          </div>
        </>
      ) : null}
    </div>
  );
}

function markText(m: ReturnType<typeof stepMarks>, noted: boolean): string {
  const parts = [
    m.policy && 'policy violation',
    m.sandboxFailed && 'sandbox failure',
    m.fallback && 'routing fallback',
    m.verdict && 'verdict-driving',
    m.offloaded && 'offloaded payload',
    noted && 'has your note',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no marks';
}
