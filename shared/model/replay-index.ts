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
//
// The column tables and the ReplayIndex type are in replay-index-columns.ts, the queries on
// a finished index in replay-index-query.ts; both are re-exported here for importers.

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
import type { EventColumns, NotableEvent, ReplayFinding, ReplayIndex, StepColumns } from './replay-index-columns';
import {
  EVENT_COLUMNS,
  STEP_COLUMNS,
  STEP_INTERRUPTED,
  STEP_PAIRED,
  allocate,
  growAll,
  releaseAll,
  sliceAll,
} from './replay-index-columns';

export {
  EVENT_FAILED,
  EVENT_POLICY,
  EVENT_FALLBACK,
  EVENT_SANDBOX_FAILED,
  EVENT_OFFLOADED,
  EVENT_UNKNOWN_TYPE,
  EVENT_UNREADABLE,
} from './replay-events';

export type { NotableEvent, ReplayFinding, ReplayIndex } from './replay-index-columns';
export { STEP_INTERRUPTED, STEP_PAIRED } from './replay-index-columns';
export { eventBySeq, eventOutput, indexBuffers, indexByteSize, stepBySeq, stepEvents } from './replay-index-query';

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

  /** Set by finish, which releases the columns: the builder takes no more entries. */
  private finished = false;

  constructor(readonly runAgentId: string) {}

  private assertOpen(): void {
    if (this.finished) throw new Error('This replay index is finished; a builder makes one index.');
  }

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
    this.assertOpen();
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
    this.assertOpen();
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
    // The index has its own copies; the builder's columns (a quarter to half of them unused
    // capacity) are given back now rather than left to the collector.
    releaseAll(EVENT_COLUMNS, this.c);
    releaseAll(STEP_COLUMNS, this.s);
    this.finished = true;
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
