// Queries on a finished ReplayIndex: the event or step of a sequence number, a step's
// events, an event's output, the index's buffers (for a worker's transfer list) and its size.

import type { EventColumns, ReplayIndex, StepColumns, TypedArray } from './replay-index-columns';
import { EVENT_COLUMNS, STEP_COLUMNS } from './replay-index-columns';

/** Every typed array of an index, for a worker's transfer list. */
export function indexBuffers(index: ReplayIndex): ArrayBuffer[] {
  const arrays: TypedArray[] = [
    ...Object.keys(EVENT_COLUMNS).map((k) => index[k as keyof EventColumns]),
    ...Object.keys(STEP_COLUMNS).map((k) => index[k as keyof StepColumns]),
    index.order,
    index.bySeq,
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** The event with this sequence number, or -1. */
export function eventBySeq(index: ReplayIndex, seq: number): number {
  let lo = 0;
  let hi = index.eventCount - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const e = index.bySeq[mid]!;
    const s = index.seq[e]!;
    if (s === seq) return e;
    if (Number.isNaN(s) || s > seq) hi = mid - 1;
    else lo = mid + 1;
  }
  return -1;
}

/** The step holding the event with this sequence number, or -1. */
export function stepBySeq(index: ReplayIndex, seq: number): number {
  const e = eventBySeq(index, seq);
  return e < 0 ? -1 : index.eventStep[e]!;
}

/** The events of a step, in order (its start and, when paired, its terminal event). */
export function stepEvents(index: ReplayIndex, step: number): number[] {
  const start = index.stepStart[step]!;
  const end = index.stepEnd[step]!;
  return end > start ? [start, end] : [start];
}

export function eventOutput(index: ReplayIndex, event: number): string {
  return index.outputText.slice(index.outputStart[event]!, index.outputStart[event + 1]!);
}

/** What the index holds in memory, in bytes: its arrays, and its strings at two bytes a character at most. */
export function indexByteSize(index: ReplayIndex): number {
  const arrays = indexBuffers(index).reduce((n, b) => n + b.byteLength, 0);
  const strings = [index.outputText, ...index.types, ...index.cases, ...index.names, ...index.paths].reduce(
    (n, s) => n + 2 * s.length + 16,
    0,
  );
  return arrays + strings;
}
