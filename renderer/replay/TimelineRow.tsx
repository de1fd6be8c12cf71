// One row of the replay timeline: a case header, or a step (sequence, kind, name and first
// output line, status, duration, tokens, cost, and its marks).
import { memo } from 'react';
import type { Packet } from '../../shared/model/packet-types';
import type { ReplayIndex } from '../../shared/model/replay-index';
import {
  kindLabel,
  stepCostUsd,
  stepDurationMs,
  stepKind,
  stepMarks,
  stepName,
  stepOutput,
  stepStatus,
  stepTokens,
} from '../../shared/model/replay-steps';
import { describeStepDuration, formatCost, formatTokens } from './format';

interface TimelineRowProps {
  index: ReplayIndex;
  /** Row number in the list (for its id). */
  row: number;
  /** A step index, or -(caseId + 1) for a case header. */
  value: number;
  refs: ReadonlyMap<number, string[]>;
  pricing: Packet['pricing'];
  cursor: boolean;
  open: boolean;
  matched: boolean;
  noted: boolean;
  onClick: (row: number) => void;
}

/** Memoized: while the list scrolls, the rows that stay in view are not rendered again (issue 19: scroll p95). */
export const TimelineRow = memo(function TimelineRow({
  index,
  row,
  value,
  refs,
  pricing,
  cursor,
  open,
  matched,
  noted,
  onClick,
}: TimelineRowProps) {
  if (value < 0) {
    const c = -value - 1;
    return (
      <div id={`replay-row-${row}`} className="tl-row tl-case" role="option" aria-selected={false} aria-disabled="true">
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
  const s = value;
  const seq = index.seq[index.stepStart[s]!]!;
  const status = stepStatus(index, s);
  const marks = stepMarks(index, s, refs);
  const name = stepName(index, s);
  const out = stepOutput(index, s);
  const tokens = stepTokens(index, s);
  const duration = describeStepDuration(stepDurationMs(index, s));
  const head = [name, out].filter(Boolean).join(' — ');
  return (
    <div
      id={`replay-row-${row}`}
      role="option"
      aria-selected={cursor}
      className={`tl-row${cursor ? ' tl-cursor' : ''}${open ? ' tl-open' : ''}${matched ? ' tl-match' : ''} tl-${status}`}
      onClick={() => onClick(row)}
      data-seq={seq}
    >
      <span className="tl-seq mono">{Number.isNaN(seq) ? '?' : seq}</span>
      <span className="tl-kind" title={kindLabel(stepKind(index, s))}>
        {kindLabel(stepKind(index, s))}
      </span>
      <span className="tl-head" title={head || undefined}>
        {name ? <span className="mono">{name}</span> : null}
        {name && out ? ' — ' : null}
        {out ? <span className="muted">{out}</span> : null}
      </span>
      <span className={`tl-status st-${status}`}>{status}</span>
      <span className={`tl-num${duration.anomaly ? ' warn-text' : ''}`} title={duration.anomaly ?? undefined}>
        {duration.anomaly ? '⚠ ' : ''}
        {duration.text}
      </span>
      <span className="tl-num">
        {tokens.input === null && tokens.output === null ? '—' : formatTokens((tokens.input ?? 0) + (tokens.output ?? 0))}
      </span>
      <span className="tl-num">{formatCost(stepCostUsd(index, s, pricing))}</span>
      <StepMarks marks={marks} noted={noted} />
    </div>
  );
});

/** Glyphs common system fonts have (DejaVu Sans on Linux too): an emoji such as U+26D4 is an empty box without a colour-emoji font. */
export const MARKS: Array<[keyof ReturnType<typeof stepMarks> | 'noted', string, string, string]> = [
  ['policy', 'mk mk-policy', 'policy violation', '⊘'],
  ['sandboxFailed', 'mk mk-fail', 'sandbox failure', '✖'],
  ['fallback', 'mk mk-fallback', 'routing fallback', '↪'],
  ['verdict', 'mk mk-verdict', 'referenced by the packet', '★'],
  ['offloaded', 'mk', 'offloaded payload', '⇲'],
  ['noted', 'mk', 'has your note', '✎'],
];

function StepMarks({ marks, noted }: { marks: ReturnType<typeof stepMarks>; noted: boolean }) {
  const on = MARKS.filter(([k]) => (k === 'noted' ? noted : marks[k]));
  return (
    <span className="tl-marks" aria-label={on.length ? on.map(([, , title]) => title).join(', ') : 'no marks'}>
      {on.map(([k, className, title, glyph]) => (
        <span key={k} className={className} title={title}>
          {glyph}
        </span>
      ))}
    </span>
  );
}
