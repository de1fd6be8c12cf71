// The opened step: what it is (kind, tool or model, case, status, duration, tokens, cost),
// why it is marked, a link to it, the reviewer's note on it, and its events read from the
// bundle on demand, each payload as a JSON tree or as text (never as HTML).
import { useEffect, useState } from 'react';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import { stepEvents } from '../../shared/model/replay-index';
import type { EventText } from '../../shared/model/replay-worker';
import {
  kindLabel,
  stepCase,
  stepCostUsd,
  stepDurationMs,
  stepKind,
  stepMarks,
  stepName,
  stepStatus,
  stepTokens,
} from '../../shared/model/replay-steps';
import type { ExhibitDb } from '../db';
import { getNote, saveNote } from '../db';
import { KV, Missing, Pill } from '../components/common';
import { JsonTree, jsonText } from './JsonTree';
import type { ReplaySession } from './session';
import { EventReadable, hasReadable } from './EventReadable';
import { describeStepDuration, formatCost, formatTokens, stepLink } from './format';
import { NotesWaitForFileSha256 } from '../components/FileSha256';

/** A duration, or the anomaly of a step whose end is timed before its start. */
function durationCell(ms: number | null) {
  const d = describeStepDuration(ms);
  return d.anomaly ? <span className="warn-text">⚠ {d.anomaly}</span> : d.text;
}

type EventMode = 'readable' | 'tree' | 'text';

/** How an event is shown: readable (model and tool calls), its JSON tree, or its text. */
function ModeSwitch({ mode, onMode, readable }: { mode: EventMode; onMode: (m: EventMode) => void; readable: boolean }) {
  const modes: Array<[EventMode, string]> = [
    ...(readable ? [['readable', 'Readable'] as [EventMode, string]] : []),
    ['tree', 'JSON tree'],
    ['text', 'Text'],
  ];
  return (
    <span className="seg small event-mode" role="group" aria-label="Show the event as">
      {modes.map(([m, label]) => (
        <button key={m} type="button" className="linkish" aria-pressed={mode === m} onClick={() => onMode(m)}>
          {label}
        </button>
      ))}
    </span>
  );
}

function EventView({ e, index }: { e: EventText; index: ReplayIndex }) {
  const seq = index.seq[e.event]!;
  const type = index.types[index.type[e.event]!]!;
  const payload = (e.value as { payload?: unknown } | undefined)?.payload;
  const shown = e.offloaded?.value !== undefined && e.offloaded?.value !== null ? e.offloaded.value : payload;
  const readable = hasReadable(type, shown);
  const [mode, setMode] = useState<EventMode>(readable ? 'readable' : 'tree');
  const asText = mode === 'text';
  return (
    <article className="event" aria-label={`Event ${Number.isNaN(seq) ? '(unreadable)' : seq}`}>
      <header className="event-head">
        <span className="mono">#{Number.isNaN(seq) ? '?' : seq}</span> <span className="mono">{type}</span>{' '}
        <span className="muted small">
          {Number.isFinite(index.time[e.event]!) ? new Date(index.time[e.event]!).toISOString() : 'no time'}
        </span>
        <span className="muted small">
          {' '}
          · {index.paths[index.chunk[e.event]!]} line {index.line[e.event]}
        </span>
        <ModeSwitch mode={mode} onMode={setMode} readable={readable} />
      </header>
      {e.value === undefined ? (
        <>
          <p className="small fail-text">This line is not JSON; it is shown as written.</p>
          <pre className="payload-text">{e.text}</pre>
        </>
      ) : asText ? (
        <pre className="payload-text">{jsonText(e.value, e.text)}</pre>
      ) : mode === 'readable' ? (
        <EventReadable type={type} payload={shown} />
      ) : (
        <JsonTree value={payload === undefined ? e.value : payload} label={`Payload of event ${seq}`} />
      )}
      {e.offloaded ? (
        <div className="offloaded">
          <p className="small">
            Payload offloaded to <span className="mono">{e.offloaded.path ?? '(outside the bundle)'}</span>
          </p>
          {e.offloaded.error ? <p className="small fail-text">{e.offloaded.error}</p> : null}
          {e.offloaded.text !== null && mode !== 'readable' ? (
            asText || e.offloaded.value === undefined ? (
              <pre className="payload-text">{jsonText(e.offloaded.value, e.offloaded.text)}</pre>
            ) : (
              <JsonTree value={e.offloaded.value} label={`Offloaded payload of event ${seq}`} />
            )
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

function NoteEditor({
  db,
  bundleSha256,
  bundleId,
  runAgentId,
  seq,
  onSaved,
}: {
  db: ExhibitDb;
  bundleSha256: string;
  bundleId: string | null;
  runAgentId: string;
  seq: number;
  onSaved: () => void;
}) {
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Mounted per step (keyed), so it starts empty and loads its note once.
  useEffect(() => {
    let live = true;
    void getNote(db, bundleSha256, runAgentId, seq).then((n) => {
      if (!live) return;
      setText(n?.text ?? '');
      setSaved(n?.updatedAt ?? null);
    });
    return () => {
      live = false;
    };
  }, [db, bundleSha256, runAgentId, seq]);
  const save = async () => {
    try {
      const updatedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await saveNote(db, { bundleSha256, bundleId, runAgentId, sequenceNumber: seq, text, updatedAt });
      setSaved(text.trim() ? updatedAt : null);
      setError(null);
      onSaved();
    } catch (e) {
      setError(`The note could not be saved: ${(e as Error).message}`);
    }
  };
  return (
    <div className="note-editor">
      <label htmlFor="step-note" className="small">
        Your note on this step (kept on this machine; listed on the Overview and in the PDF)
      </label>
      <textarea id="step-note" rows={3} value={text} maxLength={10_000} onChange={(e) => setText(e.target.value)} />
      <div className="row-actions">
        <button type="button" onClick={() => void save()}>
          Save note
        </button>
        <span className="muted small" role="status">
          {saved ? `Saved ${saved}` : 'No note saved'}
        </span>
      </div>
      {error ? (
        <p className="error small" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function StepDetail({
  session,
  index,
  step,
  packet,
  refReasons,
  db,
  bundleSha256,
  bundleId,
  onNotesChanged,
}: {
  session: ReplaySession;
  index: ReplayIndex;
  step: number;
  packet: Packet;
  refReasons: string[] | undefined;
  db: ExhibitDb;
  bundleSha256: string | null;
  bundleId: string | null;
  onNotesChanged: () => void;
}) {
  const [events, setEvents] = useState<EventText[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  // Mounted per step (keyed by the timeline), so it starts empty and reads the step's events once.
  useEffect(() => {
    let live = true;
    Promise.all(stepEvents(index, step).map((e) => session.reader.readEvent(index, e)))
      .then((list) => live && setEvents(list))
      .catch((e: Error) => live && setError(`The step's events could not be read: ${e.message}`));
    return () => {
      live = false;
    };
  }, [session, index, step]);

  const start = index.stepStart[step]!;
  const seq = index.seq[start]!;
  const marks = stepMarks(index, step, new Map(refReasons ? [[step, refReasons]] : []));
  const tokens = stepTokens(index, step);
  const status = stepStatus(index, step);
  const link = stepLink({ runAgentId: index.runAgentId, sequence: seq });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <section className="card step-detail" aria-labelledby="step-detail-h" data-testid="step-detail">
      <h3 id="step-detail-h">
        {kindLabel(stepKind(index, step))}
        {stepName(index, step) ? <span className="mono"> · {stepName(index, step)}</span> : null}
      </h3>
      <div className="tag-list">
        <Pill kind={status === 'failed' || status === 'unreadable' ? 'fail' : status === 'interrupted' ? 'warn' : 'pass'}>{status}</Pill>
        {marks.policy ? <Pill kind="fail">policy violation</Pill> : null}
        {marks.sandboxFailed ? <Pill kind="fail">sandbox failure</Pill> : null}
        {marks.fallback ? <Pill kind="warn">routing fallback</Pill> : null}
        {marks.verdict ? <Pill kind="info">referenced by the packet</Pill> : null}
        {marks.unknownType ? <Pill kind="unavailable">unknown event type</Pill> : null}
        {marks.offloaded ? <Pill kind="unavailable">offloaded payload</Pill> : null}
      </div>
      {refReasons?.length ? (
        <ul className="refs">
          {refReasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <KV
        rows={[
          ['Run agent', <span className="mono">{index.runAgentId}</span>],
          [
            'Sequence',
            <span className="mono">
              {stepEvents(index, step)
                .map((e) => (Number.isNaN(index.seq[e]!) ? '?' : index.seq[e]))
                .join(' → ')}
              {index.stepEnd[step]! < 0 ? ' → (no terminal event: interrupted)' : ''}
            </span>,
          ],
          ['Case', stepCase(index, step) ?? <Missing what="run-level" />],
          ['Duration', durationCell(stepDurationMs(index, step))],
          [
            'Tokens',
            tokens.input === null && tokens.output === null ? (
              <Missing />
            ) : (
              `${formatTokens(tokens.input)} in · ${formatTokens(tokens.output)} out`
            ),
          ],
          ['Cost', formatCost(stepCostUsd(index, step, packet.pricing))],
        ]}
      />
      <div className="step-link">
        <label htmlFor="step-link" className="small">
          Link to this step (paste it into a note or a message)
        </label>
        <div className="row-actions">
          <input id="step-link" readOnly value={link} className="mono small" onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </div>
      </div>
      {bundleSha256 && !Number.isNaN(seq) ? (
        <NoteEditor
          key={`${index.runAgentId}#${seq}`}
          db={db}
          bundleSha256={bundleSha256}
          bundleId={bundleId}
          runAgentId={index.runAgentId}
          seq={seq}
          onSaved={onNotesChanged}
        />
      ) : bundleSha256 === null ? (
        <NotesWaitForFileSha256 />
      ) : null}
      <h4>Events</h4>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : events === null ? (
        <p className="muted">Reading the step's events…</p>
      ) : (
        events.map((e) => <EventView key={e.event} e={e} index={index} />)
      )}
    </section>
  );
}
