// One run agent's timeline on the Replay tab: filters, search (match count, next/previous),
// the virtualized list of steps grouped by case with keyboard navigation (j/k or arrows,
// Enter to open), and the opened step beside it. Mounted per agent (keyed by its id), so
// another agent starts with no filter, search or cursor.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, RefObject } from 'react';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import { stepBySeq } from '../../shared/model/replay-index';
import { NO_FILTER, filterChoices, filterSteps, kindLabel, timelineRows } from '../../shared/model/replay-steps';
import type { StatusFilter, StepFilter } from '../../shared/model/replay-steps';
import type { ExhibitDb, NoteRow } from '../db';
import { ScaledList } from './ScaledList';
import type { ScrollRequest } from './ScaledList';
import { StepDetail } from './StepDetail';
import { MARKS, TimelineRow } from './TimelineRow';
import { CasePicker } from './CasePicker';
import { ReplaySplit, useElementHeight } from './ReplaySplit';
import { useReplaySearch } from './useReplaySearch';
import type { SearchState } from './useReplaySearch';
import type { ReplaySession } from './session';
import type { StepId, StepRequest } from './format';

const ROW_HEIGHT = 30;
/** Typing in the search box runs the search once the typing pauses this long. */
const SEARCH_DEBOUNCE_MS = 300;

const STATUS_CHOICES: Array<[StatusFilter, string]> = [
  ['failed', 'failed'],
  ['policy', 'policy-blocked'],
  ['fallback', 'routing fallback'],
  ['sandbox', 'sandbox failure'],
  ['interrupted', 'interrupted'],
  ['marked', 'referenced by the packet'],
];

/** A step asked for by sequence number: with the filter that shows it, and its row; null when not in the replay. */
function locate(
  index: ReplayIndex,
  refs: ReadonlyMap<number, string[]>,
  filter: StepFilter,
  request: StepRequest & { resetFilter?: boolean },
) {
  const step = stepBySeq(index, request.sequence);
  if (step < 0) return null;
  const rowOf = (f: StepFilter) => timelineRows(index, filterSteps(index, f, refs)).indexOf(step);
  const row = request.resetFilter ? -1 : rowOf(filter);
  return row >= 0 ? { filter, row, step } : { filter: NO_FILTER, row: rowOf(NO_FILTER), step };
}

interface AgentTimelineProps {
  session: ReplaySession;
  index: ReplayIndex;
  packet: Packet;
  refs: ReadonlyMap<number, string[]>;
  db: ExhibitDb;
  bundleSha256: string | null;
  notes: NoteRow[];
  onNotesChanged: () => void;
  /** A step of this agent asked for; each new token opens it. */
  request: (StepRequest & { resetFilter?: boolean }) | null;
  onStepShown: (step: StepId) => void;
  label: string;
}

/** Over 80 lines with its JSX (filters, search, list, detail side by side); the logic is in the hooks below. */
export function AgentTimeline(props: AgentTimelineProps) {
  const { session, index, packet, refs, request, onStepShown } = props;
  const [filter, setFilter] = useState<StepFilter>(NO_FILTER);
  const [draft, setDraft] = useState('');
  const { search, run, note } = useReplaySearch(session, index);
  const bodyRef = useRef<HTMLDivElement>(null);
  const listBox = useRef<HTMLDivElement>(null);
  const listHeight = useElementHeight(listBox, 400);
  /** The query last run (typed and paused on, or submitted). */
  const [ran, setRan] = useState('');
  const runNow = useCallback(
    (text: string) => {
      // Enter on the query the pause already ran does not run it again (a second pass over every chunk).
      if (text.trim() === ran) return;
      setRan(text.trim());
      void run(text);
    },
    [run, ran],
  );
  useEffect(() => {
    if (draft.trim() === ran) return;
    const t = setTimeout(() => runNow(draft), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [draft, ran, runNow]);

  const choices = useMemo(() => filterChoices(index), [index]);
  const steps = useMemo(() => filterSteps(index, filter, refs), [index, filter, refs]);
  const rows = useMemo(() => timelineRows(index, steps), [index, steps]);
  const notedSeqs = useMemo(
    () => new Set(props.notes.filter((n) => n.runAgentId === index.runAgentId).map((n) => n.sequenceNumber)),
    [props.notes, index.runAgentId],
  );
  const matchRows = useMemo(() => {
    if (!search.matched) return [] as number[];
    const out: number[] = [];
    for (let r = 0; r < rows.length; r++) if (rows[r]! >= 0 && search.matched[rows[r]!]) out.push(r);
    return out;
  }, [rows, search.matched]);

  const { cursor, openStep, scrollTo, moveTo } = useCursor(index, refs, rows, filter, setFilter, request, note, onStepShown, bodyRef);
  const { nextMatch, onListKey } = useKeyboardNav(rows, cursor, matchRows, moveTo);

  const onRowClick = useCallback((row: number) => moveTo(row, true), [moveTo]);

  const renderRow = (r: number) => (
    <TimelineRow
      key={rows[r]! < 0 ? `h${r}` : `s${rows[r]}`}
      index={index}
      row={r}
      value={rows[r]!}
      refs={refs}
      pricing={packet.pricing}
      cursor={r === cursor}
      open={openStep === rows[r]}
      matched={rows[r]! >= 0 && search.matched?.[rows[r]!] === 1}
      noted={rows[r]! >= 0 && notedSeqs.has(index.seq[index.stepStart[rows[r]!]!]!)}
      onClick={onRowClick}
    />
  );

  return (
    <>
      <section className="card replay-filters" aria-label="Filters and search">
        <Filters filter={filter} onFilter={setFilter} choices={choices} />
        <SearchBar
          draft={draft}
          onDraft={setDraft}
          onSearch={() => runNow(draft)}
          pending={draft.trim() !== ran}
          onNext={nextMatch}
          status={searchStatus(search, matchRows, matchRows.indexOf(cursor), filter !== NO_FILTER)}
          hasMatches={matchRows.length > 0}
        />
        {search.note ? (
          <p className="small warn-text" role="alert" data-testid="replay-note">
            {search.note}
          </p>
        ) : null}
      </section>

      <ReplaySplit
        bodyRef={bodyRef}
        left={
          <section className="card timeline" aria-label="Steps">
            <div className="tl-row tl-headrow" aria-hidden="true">
              <span className="tl-seq">#</span>
              <span className="tl-kind">Type</span>
              <span className="tl-head">Tool / model — output</span>
              <span className="tl-status">Status</span>
              <span className="tl-num">Duration</span>
              <span className="tl-num tl-tokens">Tokens</span>
              <span className="tl-num tl-cost">Cost</span>
              <span className="tl-marks">Marks</span>
            </div>
            <div className="slist-box" ref={listBox}>
              {rows.length === 0 ? (
                <p className="muted">No steps match these filters.</p>
              ) : (
                <ScaledList
                  count={rows.length}
                  rowHeight={ROW_HEIGHT}
                  height={listHeight}
                  renderRow={renderRow}
                  label={`Steps of ${props.label}: ${steps.length.toLocaleString('en')} steps. j and k move, Enter opens.`}
                  scrollTo={scrollTo}
                  onKeyDown={onListKey}
                  activeDescendant={cursor >= 0 ? `replay-row-${cursor}` : undefined}
                  testId="timeline"
                />
              )}
            </div>
            <MarksLegend />
            <p className="small muted">
              j / k or arrows move · Enter opens · n / N next or previous match · {steps.length.toLocaleString('en')} of{' '}
              {index.stepCount.toLocaleString('en')} steps shown
            </p>
          </section>
        }
        right={<StepPane {...props} step={openStep} />}
      />
    </>
  );
}

/**
 * The cursor over the rows, the open step and the list's scroll requests. A step asked for
 * (a link, the URL, the compare view) is opened, with the filter dropped when it hides it;
 * the open step is put in the URL.
 */
function useCursor(
  index: ReplayIndex,
  refs: ReadonlyMap<number, string[]>,
  rows: Int32Array,
  filter: StepFilter,
  setFilter: (f: StepFilter) => void,
  request: AgentTimelineProps['request'],
  note: (text: string) => void,
  onStepShown: (step: StepId) => void,
  bodyRef: RefObject<HTMLDivElement | null>,
) {
  const [cursor, setCursor] = useState(-1);
  const [openStep, setOpenStep] = useState<number | null>(null);
  const [scrollTo, setScrollTo] = useState<ScrollRequest | null>(null);
  const [handled, setHandled] = useState<number | null>(null);
  const moveTo = useCallback(
    (row: number, open: boolean) => {
      if (row < 0 || row >= rows.length) return;
      setCursor(row);
      setScrollTo((prev) => ({ index: row, token: (prev?.token ?? 0) + 1 }));
      if (open && rows[row]! >= 0) setOpenStep(rows[row]!);
    },
    [rows],
  );

  if (request && request.token !== handled) {
    setHandled(request.token);
    const found = locate(index, refs, filter, request);
    if (!found) note(`Step ${request.sequence} is not in this replay of ${index.runAgentId}: the link names a step that does not exist.`);
    else {
      setFilter(found.filter);
      setCursor(found.row);
      setScrollTo((prev) => ({ index: found.row, token: (prev?.token ?? 0) + 1 }));
      setOpenStep(found.step);
    }
  }

  // A step asked for is brought into view with the list and its detail side by side.
  useEffect(() => {
    if (handled !== null) bodyRef.current?.scrollIntoView({ block: 'start' });
  }, [handled, bodyRef]);

  useEffect(() => {
    if (openStep === null) return;
    const sequence = index.seq[index.stepStart[openStep]!]!;
    if (!Number.isNaN(sequence)) onStepShown({ runAgentId: index.runAgentId, sequence });
  }, [openStep, index, onStepShown]);

  return { cursor, openStep, scrollTo, moveTo };
}

/** j/k and arrows move the cursor over steps, Enter opens, Home and End, n/N the next or previous match. */
function useKeyboardNav(rows: Int32Array, cursor: number, matchRows: number[], moveTo: (row: number, open: boolean) => void) {
  const nextMatch = (dir: 1 | -1) => {
    if (!matchRows.length) return;
    const target =
      dir === 1
        ? (matchRows.find((r) => r > cursor) ?? matchRows[0])
        : ([...matchRows].reverse().find((r) => r < cursor) ?? matchRows[matchRows.length - 1]);
    if (target !== undefined) moveTo(target, true);
  };

  const moveCursor = (dir: 1 | -1) => {
    let r = cursor < 0 ? (dir === 1 ? -1 : rows.length) : cursor;
    do r += dir;
    while (r >= 0 && r < rows.length && rows[r]! < 0);
    if (r >= 0 && r < rows.length) moveTo(r, false);
  };

  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'j' || e.key === 'ArrowDown') moveCursor(1);
    else if (e.key === 'k' || e.key === 'ArrowUp') moveCursor(-1);
    else if (e.key === 'Enter' && cursor >= 0) moveTo(cursor, true);
    else if (e.key === 'Home') moveTo(rows[0]! < 0 && rows.length > 1 ? 1 : 0, false);
    else if (e.key === 'End') moveTo(rows.length - 1, false);
    else if (e.key === 'n') nextMatch(1);
    else if (e.key === 'N') nextMatch(-1);
    else return;
    e.preventDefault();
  };
  return { nextMatch, onListKey };
}

/** What the match count says: progress while searching, then matching steps and events. */
function searchStatus(search: SearchState, matchRows: number[], currentMatch: number, filtered: boolean): string | null {
  if (search.running) return search.progress;
  if (!search.matched) return null;
  const n = matchRows.length;
  return `${n} matching step${n === 1 ? '' : 's'}${currentMatch >= 0 ? ` (${currentMatch + 1} of ${n})` : ''} · ${search.events} event${search.events === 1 ? '' : 's'}${filtered ? ' in the filtered steps' : ''}`;
}

function SearchBar(props: {
  draft: string;
  onDraft: (text: string) => void;
  onSearch: () => void;
  onNext: (dir: 1 | -1) => void;
  status: string | null;
  hasMatches: boolean;
  /** Typed but not searched yet (the search runs when typing pauses). */
  pending: boolean;
}) {
  return (
    <form
      className="search-row"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSearch();
      }}
    >
      <label htmlFor="replay-search" className="sr-only">
        Search the payloads of this replay
      </label>
      <input
        id="replay-search"
        type="search"
        placeholder="Search payload text (tool output, URLs, errors…)"
        value={props.draft}
        onChange={(e) => props.onDraft(e.target.value)}
        data-testid="replay-search"
      />
      <button type="submit">Search</button>
      <button type="button" onClick={() => props.onNext(-1)} disabled={!props.hasMatches} aria-label="Previous match">
        ↑
      </button>
      <button type="button" onClick={() => props.onNext(1)} disabled={!props.hasMatches} aria-label="Next match" data-testid="next-match">
        ↓
      </button>
      <span className="small" role="status" data-testid="match-count">
        {props.pending ? 'Searching when you pause typing…' : props.status}
      </span>
    </form>
  );
}

/** What the glyphs of the Marks column mean. */
function MarksLegend() {
  return (
    <p className="small muted marks-legend" data-testid="marks-legend">
      Marks:{' '}
      {MARKS.map(([k, className, title, glyph]) => (
        <span key={k} className="legend-item">
          <span className={className} aria-hidden="true">
            {glyph}
          </span>{' '}
          {title}
        </span>
      ))}
    </p>
  );
}

function StepPane({ step, session, index, packet, refs, db, bundleSha256, onNotesChanged }: AgentTimelineProps & { step: number | null }) {
  if (step === null)
    return (
      <section className="card">
        <p className="muted">Open a step to see its events and payloads.</p>
      </section>
    );
  return (
    <StepDetail
      key={step}
      session={session}
      index={index}
      step={step}
      packet={packet}
      refReasons={refs.get(step)}
      db={db}
      bundleSha256={bundleSha256}
      bundleId={packet.bundle_id ?? null}
      onNotesChanged={onNotesChanged}
    />
  );
}

function Filters({
  filter,
  onFilter,
  choices,
}: {
  filter: StepFilter;
  onFilter: (f: StepFilter) => void;
  choices: ReturnType<typeof filterChoices>;
}) {
  const pick = (v: string) => (v === '*' ? null : v);
  return (
    <div className="filter-row">
      <CasePicker
        cases={choices.cases}
        hasRunLevel={choices.hasRunLevel}
        value={filter.caseKey}
        onChange={(caseKey) => onFilter({ ...filter, caseKey })}
      />
      <label>
        Type
        <select value={filter.kind ?? '*'} onChange={(e) => onFilter({ ...filter, kind: pick(e.target.value) })} data-testid="filter-kind">
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
        <select value={filter.name ?? '*'} onChange={(e) => onFilter({ ...filter, name: pick(e.target.value) })} data-testid="filter-name">
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
          onChange={(e) => onFilter({ ...filter, status: pick(e.target.value) as StatusFilter | null })}
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
      <button type="button" onClick={() => onFilter(NO_FILTER)} disabled={filter === NO_FILTER}>
        Clear filters
      </button>
    </div>
  );
}
