// The replay index: one run agent's replay (JSON Lines of AgentClash canonical event
// envelopes, one file or chunks) reduced to compact arrays, one slot per event (sequence,
// type, time, case, tool or model, flags, tokens, where its line is), and the steps built
// from start/terminal pairs per case the way AgentClash's replay builder does. Payloads
// are not kept: a step's events are read again from their chunk when it is opened. What a
// line must hold and how an event is classified are the rules of replay-events.ts.
//
// Every byte is an attacker's: a line that is not an event is indexed as an unreadable
// line (never dropped), strings are bounded, the interning tables are capped, and
// problems become findings that say the chunk and line.

import type { Envelope, NotableKind, Obj } from './replay-events';
import {
  EVENT_UNREADABLE,
  caseKeyOf,
  chunkFirstSeq,
  eventFlags,
  familyOf,
  firstLine,
  hostOf,
  isObj,
  nameOf,
  notableHeadline,
  notableKind,
  outputOf,
  phaseOf,
  readEnvelope,
  str,
  tokens,
} from './replay-events';
import { MAX_REPLAY_LINE_BYTES } from '../evb/limits';

export {
  EVENT_FAILED,
  EVENT_POLICY,
  EVENT_FALLBACK,
  EVENT_SANDBOX_FAILED,
  EVENT_OFFLOADED,
  EVENT_UNKNOWN_TYPE,
  EVENT_UNREADABLE,
} from './replay-events';

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
const EVENT_COLUMNS = {
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
const STEP_COLUMNS = {
  /** Event index of the step's first event. */
  stepStart: { array: Int32Array, extra: 0 },
  /** Event index of its terminal event; -1 when interrupted; stepStart for a lone event. */
  stepEnd: { array: Int32Array, extra: 0 },
  stepFlags: { array: Uint16Array, extra: 0 },
} as const;

type TypedArray = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;
type ColumnSpec = Record<string, { array: new (n: number) => TypedArray; extra: number }>;
type Columns<T extends ColumnSpec> = { [K in keyof T]: InstanceType<T[K]['array']> };
type EventColumns = Columns<typeof EVENT_COLUMNS>;
type StepColumns = Columns<typeof STEP_COLUMNS>;

function allocate<T extends ColumnSpec>(spec: T, cap: number): Columns<T> {
  const out: Record<string, TypedArray> = {};
  for (const [k, c] of Object.entries(spec)) out[k] = new c.array(cap + c.extra);
  return out as Columns<T>;
}

/** Every column at least `cap` slots (plus its extra), contents kept. */
function growAll<T extends ColumnSpec>(spec: T, cols: Columns<T>, cap: number): void {
  const c = cols as Record<string, TypedArray>;
  for (const [k, s] of Object.entries(spec)) {
    const old = c[k]!;
    const next = new s.array(cap + s.extra);
    next.set(old);
    c[k] = next;
  }
}

/** Every column cut to `n` slots (plus its extra), as copies. */
function sliceAll<T extends ColumnSpec>(spec: T, cols: Columns<T>, n: number): Columns<T> {
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

const MAX_FINDINGS = 200;
const MAX_TABLE = 60_000;
/** Most notable events of each kind, and most hosts, an index keeps. */
const MAX_NOTABLE = 1000;

/** Interns strings into a capped table; index 0 is reserved for "none" where asked. */
class Table {
  readonly list: string[];
  private readonly ids = new Map<string, number>();
  overflowed = false;
  constructor(
    first: string[],
    private readonly overflowName: string,
  ) {
    this.list = [...first];
    first.forEach((s, i) => this.ids.set(s, i));
  }
  id(s: string): number {
    const known = this.ids.get(s);
    if (known !== undefined) return known;
    if (this.list.length >= MAX_TABLE) {
      this.overflowed = true;
      return this.id(this.overflowName);
    }
    this.ids.set(s, this.list.length);
    this.list.push(s);
    return this.list.length - 1;
  }
}

const UNREADABLE = '(unreadable line)';

/**
 * Builds a ReplayIndex from the entries of one replay, in order (a whole file, or the
 * chunks of a chunk folder sorted by name). Feed with addEntry, then call finish.
 */
export class ReplayIndexBuilder {
  private n = 0;
  private cap = 1024;
  private c: EventColumns = allocate(EVENT_COLUMNS, this.cap);
  private outputs: string[] = [];
  private outputLength = 0;

  private steps = 0;
  private stepCap = 1024;
  private s: StepColumns = allocate(STEP_COLUMNS, this.stepCap);
  /** Open steps per (case, family[, step index]): a stack of step indexes. */
  private open = new Map<string, number[]>();

  private readonly types = new Table([UNREADABLE, '(more event types than can be listed)'], '(more event types than can be listed)');
  private readonly cases = new Table([''], '(more cases than can be listed)');
  private readonly names = new Table([''], '(more names than can be listed)');
  private readonly paths: string[] = [];
  private readonly findings: ReplayFinding[] = [];
  private findingCount = 0;
  private readonly notable: NotableEvent[] = [];
  private readonly notableCounts: Record<NotableKind, number> = { policy: 0, toolFailure: 0, sandboxFailure: 0, fallback: 0 };
  private readonly hosts = new Set<string>();
  private lastSeq = -Infinity;
  private inOrder = true;
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(readonly runAgentId: string) {}

  private find(f: ReplayFinding): void {
    this.findingCount += 1;
    if (this.findings.length < MAX_FINDINGS) this.findings.push(f);
  }

  private ensure(): void {
    if (this.n < this.cap) return;
    this.cap *= 2;
    growAll(EVENT_COLUMNS, this.c, this.cap);
  }

  private newStep(event: number, flags: number): number {
    if (this.steps >= this.stepCap) {
      this.stepCap *= 2;
      growAll(STEP_COLUMNS, this.s, this.stepCap);
    }
    const s = this.steps++;
    this.s.stepStart[s] = event;
    this.s.stepEnd[s] = event;
    this.s.stepFlags[s] = flags;
    this.c.eventStep[event] = s;
    return s;
  }

  /**
   * Adds one entry (a replay file or chunk) in order. `path` is its entry path; a chunk's
   * name says its first sequence number, which is checked.
   */
  addEntry(path: string, bytes: Uint8Array): void {
    const entry = this.paths.length;
    this.paths.push(path);
    const named = chunkFirstSeq(path);
    let checkName = named !== null;
    forEachLine(bytes, this.decoder, (text, offset, length, lineNo) => {
      if (text === null) {
        this.addLine('', entry, offset, length, lineNo, `(a line of ${length} bytes, too long to read)`);
      } else if (!isBlank(text)) {
        this.addLine(text, entry, offset, length, lineNo);
      } else return;
      if (checkName) {
        checkName = false;
        const s = this.c.seq[this.n - 1]!;
        if (s !== named) {
          this.find({
            code: 'chunk-name',
            message: `The chunk is named for sequence ${named} but its first event is ${Number.isNaN(s) ? 'not readable' : `sequence ${s}`}.`,
            path,
            line: lineNo,
          });
        }
      }
    });
  }

  /** Indexes one line as event i: an event envelope, or an unreadable line (`tooLong` says why when it was not read). */
  private addLine(text: string, entry: number, offset: number, length: number, lineNo: number, tooLong?: string): void {
    this.ensure();
    const i = this.n++;
    const c = this.c;
    c.chunk[i] = entry;
    c.offset[i] = offset;
    c.length[i] = length;
    c.line[i] = lineNo;
    c.seq[i] = NaN;
    c.time[i] = NaN;
    c.tokensIn[i] = NaN;
    c.tokensOut[i] = NaN;
    c.caseOf[i] = 0;
    c.name[i] = 0;
    const read = tooLong === undefined ? readEnvelope(text) : ({ ok: false, json: false, seq: null } as const);
    let output: string;
    let flags: number;
    if (!read.ok) {
      const path = this.paths[entry]!;
      this.find(
        read.json
          ? {
              code: 'not-an-event',
              message:
                'This line is not an event envelope (it needs event_type and an integer sequence_number); it is listed as an unreadable line.',
              path,
              line: lineNo,
            }
          : { code: 'unreadable-line', message: 'This line is not JSON; it is listed as an unreadable line.', path, line: lineNo },
      );
      flags = EVENT_UNREADABLE;
      c.type[i] = 0;
      if (read.seq !== null) c.seq[i] = read.seq;
      output = tooLong ?? firstLine(text);
    } else {
      flags = eventFlags(read.env.type, read.env.p);
      output = this.addEvent(i, read.env, flags, entry, lineNo);
    }
    c.flags[i] = flags;
    this.outputs.push(output);
    this.outputLength += output.length;
    c.outputStart[i + 1] = this.outputLength;
    this.pair(i, flags, read.ok ? read.env.e : null);
  }

  /** Fills event i's columns from its envelope; returns its output line. */
  private addEvent(i: number, env: Envelope, flags: number, entry: number, lineNo: number): string {
    const { e, type, seq, p } = env;
    const c = this.c;
    const path = this.paths[entry]!;
    c.seq[i] = seq;
    c.type[i] = this.types.id(type);
    if (typeof e.occurred_at === 'string' && e.occurred_at.length <= 64) {
      const t = Date.parse(e.occurred_at);
      if (Number.isFinite(t)) c.time[i] = t;
    }
    if (e.run_agent_id !== this.runAgentId) {
      this.find({
        code: 'foreign-run-agent',
        message: `This event names run agent ${JSON.stringify(str(e.run_agent_id, 80))}, not ${this.runAgentId}.`,
        path,
        line: lineNo,
      });
    }
    const caseKey = caseKeyOf(env);
    if (caseKey !== null) c.caseOf[i] = this.cases.id(caseKey);
    const name = nameOf(type, p);
    if (name !== null) c.name[i] = this.names.id(name);
    const usage = isObj(p.usage) ? p.usage : null;
    if (usage) {
      c.tokensIn[i] = tokens(usage.input_tokens);
      c.tokensOut[i] = tokens(usage.output_tokens);
    }
    if (flags !== 0 || type === 'tool.call.failed') this.noteNotable(i, type, flags, p);
    if (this.hosts.size < MAX_NOTABLE && p.arguments !== undefined) {
      const host = hostOf(type, p);
      if (host !== null) this.hosts.add(host);
    }
    if (seq <= this.lastSeq) {
      this.inOrder = false;
      this.find({
        code: 'sequence-order',
        message: `Sequence ${seq} comes after ${this.lastSeq}; a replay is ordered by strictly increasing sequence numbers.`,
        path,
        line: lineNo,
      });
    }
    this.lastSeq = Math.max(this.lastSeq, seq);
    return outputOf(type, p);
  }

  private noteNotable(i: number, type: string, flags: number, p: Obj): void {
    const kind = notableKind(type, flags);
    if (kind === null || this.notableCounts[kind] >= MAX_NOTABLE) return;
    this.notableCounts[kind] += 1;
    this.notable.push({ event: i, kind, headline: notableHeadline(kind, p) });
  }

  /** Puts event i into a step: a start opens one, a terminal closes the latest open one of its family in its case. */
  private pair(i: number, flags: number, e: Obj | null): void {
    const type = this.types.list[this.c.type[i]!]!;
    const phase = flags & EVENT_UNREADABLE ? 'lone' : phaseOf(type);
    if (phase === 'lone') {
      this.newStep(i, flags);
      return;
    }
    let family = familyOf(type);
    if (family === 'system.step' && e && isObj(e.payload) && typeof e.payload.step_index === 'number') family += `#${e.payload.step_index}`;
    const key = `${this.c.caseOf[i]}|${family}`;
    if (phase === 'start') {
      const s = this.newStep(i, flags | STEP_INTERRUPTED | STEP_PAIRED);
      const stack = this.open.get(key);
      if (stack) stack.push(s);
      else this.open.set(key, [s]);
      return;
    }
    const stack = this.open.get(key);
    const s = stack?.pop();
    if (s === undefined) {
      this.newStep(i, flags);
      return;
    }
    if (stack!.length === 0) this.open.delete(key);
    this.s.stepEnd[s] = i;
    this.s.stepFlags[s] = (this.s.stepFlags[s]! & ~STEP_INTERRUPTED) | flags;
    this.c.eventStep[i] = s;
  }

  finish(): ReplayIndex {
    const n = this.n;
    for (const stack of this.open.values()) for (const s of stack) this.s.stepEnd[s] = -1;
    this.open.clear();
    if (this.types.overflowed || this.cases.overflowed || this.names.overflowed) {
      this.find({
        code: 'too-many-names',
        message: `More than ${MAX_TABLE} distinct event types, cases or names; the rest are listed under one name.`,
        path: this.paths[0] ?? '',
        line: null,
      });
    }
    const events = sliceAll(EVENT_COLUMNS, this.c, n);
    const steps = sliceAll(STEP_COLUMNS, this.s, this.steps);
    return {
      ...events,
      ...steps,
      runAgentId: this.runAgentId,
      paths: this.paths,
      eventCount: n,
      outputText: this.outputs.join(''),
      types: this.types.list,
      cases: this.cases.list,
      names: this.names.list,
      notable: this.notable,
      hosts: [...this.hosts],
      stepCount: this.steps,
      order: groupByCase(steps.stepStart, events.caseOf, this.cases.list.length),
      bySeq: this.inOrder ? identity(n) : sortBySeq(events.seq),
      findings: this.findings,
      findingCount: this.findingCount,
    };
  }
}

/** Bytes decoded at a time: well under the longest string a JavaScript engine makes (2^29 characters). */
const PIECE_BYTES = 32 * 1024 * 1024;
/** A line longer than this is not parsed (an event line is a few kilobytes; payloads are offloaded). */
const MAX_LINE_BYTES = MAX_REPLAY_LINE_BYTES;

/**
 * Calls `each` for every line of a JSON Lines text, decoded in pieces cut at line ends,
 * with the line's byte offset and length and its 1-based number. A line longer than
 * MAX_LINE_BYTES comes as null text. A leading byte order mark is skipped.
 */
export function forEachLine(
  bytes: Uint8Array,
  decoder: TextDecoder,
  each: (text: string | null, offset: number, length: number, lineNo: number) => void,
  limits: { pieceBytes: number; maxLineBytes: number } = { pieceBytes: PIECE_BYTES, maxLineBytes: MAX_LINE_BYTES },
): void {
  const len = bytes.length;
  let lineNo = 0;
  let pos = len >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (pos < len) {
    let end = Math.min(len, pos + limits.pieceBytes);
    if (end < len) {
      const nl = bytes.lastIndexOf(10, end - 1);
      if (nl >= pos) {
        end = nl + 1;
      } else {
        // The line at pos is longer than a piece: on its own, or not at all when too long.
        const next = bytes.indexOf(10, pos);
        const lineEnd = next < 0 ? len : next;
        lineNo += 1;
        each(lineEnd - pos > limits.maxLineBytes ? null : decoder.decode(bytes.subarray(pos, lineEnd)), pos, lineEnd - pos, lineNo);
        pos = lineEnd + 1;
        continue;
      }
    }
    const text = decoder.decode(bytes.subarray(pos, end));
    let bPos = pos;
    let sPos = 0;
    while (bPos < end) {
      let bEnd = bytes.indexOf(10, bPos);
      if (bEnd < 0 || bEnd > end) bEnd = end;
      let sEnd = text.indexOf('\n', sPos);
      if (sEnd < 0) sEnd = text.length;
      lineNo += 1;
      each(text.slice(sPos, sEnd), bPos, bEnd - bPos, lineNo);
      bPos = bEnd + 1;
      sPos = sEnd + 1;
    }
    pos = end;
  }
}

function isBlank(text: string): boolean {
  for (let i = 0, to = text.length; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function sortBySeq(seq: Float64Array): Int32Array {
  const a = identity(seq.length);
  // NaN (unreadable lines) last; ties by file order.
  a.sort((x, y) => {
    const sx = seq[x]!;
    const sy = seq[y]!;
    if (Number.isNaN(sx) || Number.isNaN(sy)) return Number.isNaN(sx) === Number.isNaN(sy) ? x - y : Number.isNaN(sx) ? 1 : -1;
    return sx - sy || x - y;
  });
  return a;
}

/** Steps grouped by case (run-level first, then cases by first appearance), by start within each: a counting sort. */
function groupByCase(stepStart: Int32Array, caseOf: Uint32Array, caseCount: number): Int32Array {
  const steps = stepStart.length;
  const rank = new Int32Array(caseCount).fill(-1);
  rank[0] = 0;
  let next = 1;
  for (let s = 0; s < steps; s++) {
    const c = caseOf[stepStart[s]!]!;
    if (rank[c] === -1) rank[c] = next++;
  }
  const counts = new Int32Array(next + 1);
  for (let s = 0; s < steps; s++) counts[rank[caseOf[stepStart[s]!]!]! + 1]! += 1;
  for (let r = 1; r <= next; r++) counts[r]! += counts[r - 1]!;
  const order = new Int32Array(steps);
  for (let s = 0; s < steps; s++) order[counts[rank[caseOf[stepStart[s]!]!]!]!++] = s;
  return order;
}

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
