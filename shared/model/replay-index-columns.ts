// The replay index's shape: the per-event and per-step column tables (one table each for
// growing, finishing and exporting the typed arrays), the step flags, findings, notable
// events and the ReplayIndex itself. Built by ReplayIndexBuilder (replay-index.ts), read by
// the queries in replay-index-query.ts.

import type { NotableKind } from './replay-events';
import { releaseBuffers } from '../platform/release-buffer';

/** Step flags (ReplayIndex.stepFlags): the event flags of its events, plus these. */
export const STEP_INTERRUPTED = 256;
export const STEP_PAIRED = 512;

export interface ReplayFinding {
  code: 'unreadable-line' | 'not-an-event' | 'sequence-order' | 'foreign-run-agent' | 'chunk-name' | 'too-many-names';
  message: string;
  /** Entry path of the file or chunk. */
  path: string;
  /** 1-based line number in that file. */
  line: number | null;
}

/**
 * The per-event columns, one table for growing, finishing and exporting them (a column
 * left out of one of those is what once dropped the outputs past event 2,048). `extra` is
 * how many slots a column has beyond one per event.
 */
export const EVENT_COLUMNS = {
  /** sequence_number, NaN when the line had none. */
  seq: { array: Float64Array, extra: 0 },
  /** Into `types`. */
  type: { array: Uint16Array, extra: 0 },
  /** occurred_at as epoch milliseconds, NaN when absent or unparsable. */
  time: { array: Float64Array, extra: 0 },
  /** Into `cases`; 0 is "no case" (run-level events). */
  caseOf: { array: Uint32Array, extra: 0 },
  /** Into `names` (tool name, provider/model, command, validator...); 0 is none. */
  name: { array: Uint32Array, extra: 0 },
  flags: { array: Uint8Array, extra: 0 },
  /** payload.usage tokens, NaN when not recorded. */
  tokensIn: { array: Float64Array, extra: 0 },
  tokensOut: { array: Float64Array, extra: 0 },
  /** Where the event's line is: entry (into paths), byte offset and byte length in it. */
  chunk: { array: Uint32Array, extra: 0 },
  offset: { array: Uint32Array, extra: 0 },
  length: { array: Uint32Array, extra: 0 },
  /** 1-based line number of the event in its entry. */
  line: { array: Uint32Array, extra: 0 },
  /** outputText.slice(outputStart[i], outputStart[i + 1]) is event i's output. */
  outputStart: { array: Uint32Array, extra: 1 },
  /** The step each event belongs to. */
  eventStep: { array: Int32Array, extra: 0 },
} as const;

/** The per-step columns, likewise. */
export const STEP_COLUMNS = {
  /** Event index of the step's first event. */
  stepStart: { array: Int32Array, extra: 0 },
  /** Event index of its terminal event; -1 when interrupted; stepStart for a lone event. */
  stepEnd: { array: Int32Array, extra: 0 },
  stepFlags: { array: Uint16Array, extra: 0 },
} as const;

export type TypedArray = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;
type ColumnSpec = Record<string, { array: new (n: number) => TypedArray; extra: number }>;
type Columns<T extends ColumnSpec> = { [K in keyof T]: InstanceType<T[K]['array']> };
export type EventColumns = Columns<typeof EVENT_COLUMNS>;
export type StepColumns = Columns<typeof STEP_COLUMNS>;

export function allocate<T extends ColumnSpec>(spec: T, cap: number): Columns<T> {
  const out: Record<string, TypedArray> = {};
  for (const [k, c] of Object.entries(spec)) out[k] = new c.array(cap + c.extra);
  return out as Columns<T>;
}

/** Every column at least `cap` slots (plus its extra), contents kept; the outgrown arrays are released. */
export function growAll<T extends ColumnSpec>(spec: T, cols: Columns<T>, cap: number): void {
  const c = cols as Record<string, TypedArray>;
  const outgrown: ArrayBufferLike[] = [];
  for (const [k, s] of Object.entries(spec)) {
    const old = c[k]!;
    const next = new s.array(cap + s.extra);
    next.set(old);
    c[k] = next;
    outgrown.push(old.buffer);
  }
  releaseBuffers(outgrown);
}

/** Releases every column (a builder's, once its index is cut from them). */
export function releaseAll<T extends ColumnSpec>(spec: T, cols: Columns<T>): void {
  const c = cols as Record<string, TypedArray>;
  releaseBuffers(Object.keys(spec).map((k) => c[k]!.buffer));
}

/** Every column cut to `n` slots (plus its extra), as copies. */
export function sliceAll<T extends ColumnSpec>(spec: T, cols: Columns<T>, n: number): Columns<T> {
  const c = cols as Record<string, TypedArray>;
  const out: Record<string, TypedArray> = {};
  for (const [k, s] of Object.entries(spec)) out[k] = c[k]!.slice(0, n + s.extra);
  return out as Columns<T>;
}

/** A notable event (policy block, tool or sandbox failure, routing fallback) with its headline. */
export interface NotableEvent {
  event: number;
  kind: NotableKind;
  headline: string;
}

/**
 * The compact form. Plain data (typed arrays, strings, arrays of strings), so it crosses
 * a worker boundary by structured clone with its buffers transferred.
 */
export interface ReplayIndex extends EventColumns, StepColumns {
  runAgentId: string;
  /** Entry paths, in order; ReplayIndex.chunk points into it. */
  paths: string[];
  eventCount: number;
  /** First line of the event's output (model text, tool result, stdout, error), bounded. */
  outputText: string;
  types: string[];
  cases: string[];
  names: string[];
  /** Notable events in file order, at most MAX_NOTABLE of each kind. */
  notable: NotableEvent[];
  /** Distinct hosts of tool calls' `arguments.url`, in order of appearance, at most MAX_NOTABLE. */
  hosts: string[];

  stepCount: number;
  /** Steps in display order: grouped by case (cases in order of first appearance, run-level first), by start within a case. */
  order: Int32Array;
  /** Event indexes sorted by sequence number (identity when the file was in order). */
  bySeq: Int32Array;
  findings: ReplayFinding[];
  /** All findings, including those beyond the listed ones. */
  findingCount: number;
}
