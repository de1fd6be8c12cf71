// The replay index: one run agent's replay (JSON Lines of AgentClash canonical event
// envelopes, one file or chunks) reduced to compact arrays, one slot per event (sequence,
// type, time, case, tool or model, flags, tokens, where its line is), and the steps built
// from start/terminal pairs per case the way AgentClash's replay builder does. Payloads
// are not kept: a step's events are read again from their chunk when it is opened.
//
// Every byte is an attacker's: a line that is not an event is indexed as an unreadable
// line (never dropped), strings are bounded, the interning tables are capped, and
// problems become findings that say the chunk and line.

/** Event flags (ReplayIndex.flags). */
export const EVENT_FAILED = 1;
export const EVENT_POLICY = 2;
export const EVENT_FALLBACK = 4;
export const EVENT_SANDBOX_FAILED = 8;
export const EVENT_OFFLOADED = 16;
export const EVENT_UNKNOWN_TYPE = 32;
export const EVENT_UNREADABLE = 64;

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
 * The compact form. Plain data (typed arrays, strings, arrays of strings), so it crosses
 * a worker boundary by structured clone with its buffers transferred.
 */
export interface ReplayIndex {
  runAgentId: string;
  /** Entry paths, in order; ReplayIndex.chunk points into it. */
  paths: string[];
  eventCount: number;
  /** sequence_number, NaN when the line had none. */
  seq: Float64Array;
  /** Into `types`. */
  type: Uint16Array;
  /** occurred_at as epoch milliseconds, NaN when absent or unparsable. */
  time: Float64Array;
  /** Into `cases`; 0 is "no case" (run-level events). */
  caseOf: Uint32Array;
  /** Into `names` (tool name, provider/model, command, validator...); 0 is none. */
  name: Uint32Array;
  flags: Uint8Array;
  /** payload.usage tokens, NaN when not recorded. */
  tokensIn: Float64Array;
  tokensOut: Float64Array;
  /** Where the event's line is: entry (into paths), byte offset and byte length in it. */
  chunk: Uint32Array;
  offset: Uint32Array;
  length: Uint32Array;
  /** 1-based line number of the event in its entry. */
  line: Uint32Array;
  /** First line of the event's output (model text, tool result, stdout, error), bounded. */
  outputText: string;
  /** outputText.slice(outputStart[i], outputStart[i + 1]) is event i's output. */
  outputStart: Uint32Array;
  /** The step each event belongs to. */
  eventStep: Int32Array;
  types: string[];
  cases: string[];
  names: string[];

  stepCount: number;
  /** Event index of the step's first event. */
  stepStart: Int32Array;
  /** Event index of its terminal event; -1 when interrupted; stepStart for a lone event. */
  stepEnd: Int32Array;
  stepFlags: Uint16Array;
  /** Steps in display order: grouped by case (cases in order of first appearance, run-level first), by start within a case. */
  order: Int32Array;
  /** Event indexes sorted by sequence number (identity when the file was in order). */
  bySeq: Int32Array;
  findings: ReplayFinding[];
  /** All findings, including those beyond the listed ones. */
  findingCount: number;
}

const MAX_FINDINGS = 200;
const MAX_NAME = 120;
const MAX_OUTPUT = 160;
const MAX_TABLE = 60_000;

/** AgentClash's event types (runtime/runevents) plus EVB's and the grader's; others are generic events. */
const KNOWN_TYPES = new Set([
  'system.run.started',
  'system.run.completed',
  'system.run.failed',
  'system.output.finalized',
  'system.step.started',
  'system.step.completed',
  'model.call.started',
  'model.call.completed',
  'model.output.delta',
  'model.tool_calls.proposed',
  'tool.call.started',
  'tool.call.completed',
  'tool.call.failed',
  'sandbox.command.started',
  'sandbox.command.completed',
  'sandbox.command.failed',
  'sandbox.file.read',
  'sandbox.file.written',
  'sandbox.file.listed',
  'scoring.started',
  'scoring.metric.recorded',
  'scoring.completed',
  'scoring.failed',
  'model.routing.fallback',
  'grader.verification.started',
  'grader.verification.completed',
  'grader.verification.failed',
  'grader.verification.file_captured',
  'grader.verification.directory_listed',
  'grader.verification.code_executed',
  'race.standings.injected',
  'turn.user.message',
  'turn.user.simulated',
  'turn.assistant.message',
  'turn.completed',
  'turn.awaiting_human',
  'turn.state.captured',
  'conversation.completed',
]);

/** The families whose `.started` opens a step that `.completed` / `.failed` closes. */
const PAIRED_FAMILIES = new Set([
  'system.run',
  'system.step',
  'model.call',
  'tool.call',
  'sandbox.command',
  'scoring',
  'grader.verification',
]);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, max = MAX_NAME): string | null =>
  typeof v === 'string' && v !== '' ? (v.length > max ? `${v.slice(0, max - 1)}…` : v) : null;
const tokens = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : NaN);

/** The first non-blank line of a text, control characters folded to spaces, bounded. */
export function firstLine(text: string, max = MAX_OUTPUT): string {
  const slice = text.length > 4 * max ? text.slice(0, 4 * max) : text;
  for (const raw of slice.split('\n')) {
    const line = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
    if (line) return line.length > max ? `${line.slice(0, max - 1)}…` : line;
  }
  return '';
}

/** `tool.call` of `tool.call.completed`; the family a step is paired in. */
export function familyOf(type: string): string {
  const dot = type.lastIndexOf('.');
  return dot > 0 ? type.slice(0, dot) : type;
}

function phaseOf(type: string): 'start' | 'end' | 'lone' {
  const family = familyOf(type);
  if (!PAIRED_FAMILIES.has(family)) return 'lone';
  const last = type.slice(family.length + 1);
  if (last === 'started') return 'start';
  if (last === 'completed' || last === 'failed') return 'end';
  return 'lone';
}

function nameOf(type: string, p: Obj): string | null {
  const tool = str(p.tool_name);
  if (tool) return tool;
  if (type.startsWith('model.') && type !== 'model.routing.fallback') {
    const model = str(p.provider_model_id) ?? str(p.model);
    const provider = str(p.provider_key);
    if (model) return provider ? `${provider}/${model}` : model;
  }
  if (type === 'model.routing.fallback') return str(p.to_model);
  if (type.startsWith('sandbox.')) return str(p.command) ?? str(p.path);
  if (type.startsWith('system.step.')) {
    const title = str(p.title);
    if (title) return title;
    return typeof p.step_index === 'number' && Number.isSafeInteger(p.step_index) ? `step ${p.step_index}` : null;
  }
  return str(p.validator_key) ?? str(p.metric_key) ?? str(p.subagent_label);
}

function outputOf(type: string, p: Obj): string {
  if (type === 'model.routing.fallback') {
    const parts = [`${str(p.from_model) ?? '?'} → ${str(p.to_model) ?? '?'}`, str(p.reason, 4 * MAX_OUTPUT)].filter(Boolean);
    return firstLine(parts.join(': '));
  }
  const result = isObj(p.result) ? p.result : null;
  const candidates = [
    p.error_message,
    p.error,
    p.output_text,
    result?.content,
    p.stderr,
    p.stdout,
    p.final_output,
    p.reason,
    p.verdict,
    p.text,
  ];
  for (const c of candidates) {
    if (typeof c === 'string' && c.trim() !== '') return firstLine(c);
  }
  if (typeof p.exit_code === 'number' && Number.isFinite(p.exit_code)) return `exit ${p.exit_code}`;
  return '';
}

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

/** Growable typed array storage. */
function grow<T extends Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  next.set(a);
  return next;
}

const UNREADABLE = '(unreadable line)';

/**
 * Builds a ReplayIndex from the entries of one replay, in order (a whole file, or the
 * chunks of a chunk folder sorted by name). Feed with addEntry, then call finish.
 */
export class ReplayIndexBuilder {
  private n = 0;
  private cap = 1024;
  private seq = new Float64Array(this.cap);
  private type = new Uint16Array(this.cap);
  private time = new Float64Array(this.cap);
  private caseOf = new Uint32Array(this.cap);
  private name = new Uint32Array(this.cap);
  private flags = new Uint8Array(this.cap);
  private tokensIn = new Float64Array(this.cap);
  private tokensOut = new Float64Array(this.cap);
  private chunk = new Uint32Array(this.cap);
  private offset = new Uint32Array(this.cap);
  private length = new Uint32Array(this.cap);
  private line = new Uint32Array(this.cap);
  private outputStart = new Uint32Array(this.cap + 1);
  private outputs: string[] = [];
  private outputLength = 0;
  private eventStep = new Int32Array(this.cap);

  private steps = 0;
  private stepCap = 1024;
  private stepStart = new Int32Array(this.stepCap);
  private stepEnd = new Int32Array(this.stepCap);
  private stepFlags = new Uint16Array(this.stepCap);
  /** Open steps per (case, family[, step index]): a stack of step indexes. */
  private open = new Map<string, number[]>();

  private readonly types = new Table([UNREADABLE, '(more event types than can be listed)'], '(more event types than can be listed)');
  private readonly cases = new Table([''], '(more cases than can be listed)');
  private readonly names = new Table([''], '(more names than can be listed)');
  private readonly paths: string[] = [];
  private readonly findings: ReplayFinding[] = [];
  private findingCount = 0;
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
    const need = this.n + 1;
    this.seq = grow(this.seq, need);
    this.type = grow(this.type, need);
    this.time = grow(this.time, need);
    this.caseOf = grow(this.caseOf, need);
    this.name = grow(this.name, need);
    this.flags = grow(this.flags, need);
    this.tokensIn = grow(this.tokensIn, need);
    this.tokensOut = grow(this.tokensOut, need);
    this.chunk = grow(this.chunk, need);
    this.offset = grow(this.offset, need);
    this.length = grow(this.length, need);
    this.line = grow(this.line, need);
    this.eventStep = grow(this.eventStep, need);
    this.cap = this.seq.length;
    // One more slot than events (the end of the last output), kept in step with cap: a
    // shorter array would drop the offsets silently (typed arrays ignore writes past the end).
    this.outputStart = grow(this.outputStart, this.cap + 1);
  }

  private newStep(event: number, flags: number): number {
    if (this.steps >= this.stepCap) {
      const need = this.steps + 1;
      this.stepStart = grow(this.stepStart, need);
      this.stepEnd = grow(this.stepEnd, need);
      this.stepFlags = grow(this.stepFlags, need);
      this.stepCap = this.stepStart.length;
    }
    const s = this.steps++;
    this.stepStart[s] = event;
    this.stepEnd[s] = event;
    this.stepFlags[s] = flags;
    this.eventStep[event] = s;
    return s;
  }

  /**
   * Adds one entry (a replay file or chunk) in order. `path` is its entry path; a chunk's
   * name says its first sequence number, which is checked.
   */
  addEntry(path: string, bytes: Uint8Array): void {
    const entry = this.paths.length;
    this.paths.push(path);
    const named = /\/(\d{10})\.jsonl$/.exec(path);
    let checkName = named !== null;
    forEachLine(bytes, this.decoder, (text, offset, length, lineNo) => {
      if (text === null) {
        this.addUnreadable(entry, offset, length, lineNo, `(a line of ${length} bytes, too long to read)`);
      } else if (!isBlank(text)) {
        this.addLine(text, entry, offset, length, lineNo);
      } else return;
      if (checkName) {
        checkName = false;
        const s = this.seq[this.n - 1]!;
        if (s !== Number(named![1])) {
          this.find({
            code: 'chunk-name',
            message: `The chunk is named for sequence ${Number(named![1])} but its first event is ${Number.isNaN(s) ? 'not readable' : `sequence ${s}`}.`,
            path,
            line: lineNo,
          });
        }
      }
    });
  }

  private addUnreadable(entry: number, offset: number, length: number, lineNo: number, output: string): void {
    this.addLine('', entry, offset, length, lineNo, output);
  }

  private addLine(text: string, entry: number, offset: number, length: number, lineNo: number, tooLong?: string): void {
    this.ensure();
    const i = this.n++;
    this.chunk[i] = entry;
    this.offset[i] = offset;
    this.length[i] = length;
    this.line[i] = lineNo;
    this.seq[i] = NaN;
    this.time[i] = NaN;
    this.tokensIn[i] = NaN;
    this.tokensOut[i] = NaN;
    this.caseOf[i] = 0;
    this.name[i] = 0;
    let output = '';
    let flags = 0;
    let e: unknown;
    try {
      e = tooLong === undefined ? JSON.parse(text) : undefined;
    } catch {
      e = undefined;
    }
    const path = this.paths[entry]!;
    const type = isObj(e) ? str(e.event_type, 200) : null;
    const seq = isObj(e) && typeof e.sequence_number === 'number' && Number.isSafeInteger(e.sequence_number) ? e.sequence_number : null;
    if (!isObj(e) || type === null || seq === null) {
      this.find(
        e === undefined
          ? { code: 'unreadable-line', message: 'This line is not JSON; it is listed as an unreadable line.', path, line: lineNo }
          : {
              code: 'not-an-event',
              message:
                'This line is not an event envelope (it needs event_type and an integer sequence_number); it is listed as an unreadable line.',
              path,
              line: lineNo,
            },
      );
      flags = EVENT_UNREADABLE;
      this.type[i] = 0;
      if (isObj(e) && seq !== null) this.seq[i] = seq;
      output = tooLong ?? firstLine(text);
    } else {
      this.seq[i] = seq;
      const typeId = this.types.id(type);
      this.type[i] = typeId;
      if (!KNOWN_TYPES.has(type)) flags |= EVENT_UNKNOWN_TYPE;
      if (typeof e.occurred_at === 'string' && e.occurred_at.length <= 64) {
        const t = Date.parse(e.occurred_at);
        if (Number.isFinite(t)) this.time[i] = t;
      }
      if (e.run_agent_id !== this.runAgentId) {
        this.find({
          code: 'foreign-run-agent',
          message: `This event names run agent ${JSON.stringify(str(e.run_agent_id, 80))}, not ${this.runAgentId}.`,
          path,
          line: lineNo,
        });
      }
      const p = isObj(e.payload) ? e.payload : {};
      const summary = isObj(e.summary) ? e.summary : {};
      const caseKey = str(p.case_key, 200) ?? str(summary.case_key, 200);
      if (caseKey !== null) this.caseOf[i] = this.cases.id(caseKey);
      if (typeof p.$ref === 'string') flags |= EVENT_OFFLOADED;
      const name = nameOf(type, p);
      if (name !== null) this.name[i] = this.names.id(name);
      if (type.endsWith('.failed')) flags |= EVENT_FAILED;
      if (type === 'tool.call.failed' && p.failure_origin === 'policy') flags |= EVENT_POLICY;
      if (type === 'sandbox.command.failed') flags |= EVENT_SANDBOX_FAILED;
      if (type === 'model.routing.fallback') flags |= EVENT_FALLBACK;
      const usage = isObj(p.usage) ? p.usage : null;
      if (usage) {
        this.tokensIn[i] = tokens(usage.input_tokens);
        this.tokensOut[i] = tokens(usage.output_tokens);
      }
      output = outputOf(type, p);
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
    }
    this.flags[i] = flags;
    this.outputs.push(output);
    this.outputLength += output.length;
    this.outputStart[i + 1] = this.outputLength;
    this.pair(i, flags, isObj(e) ? e : null);
  }

  /** Puts event i into a step: a start opens one, a terminal closes the latest open one of its family in its case. */
  private pair(i: number, flags: number, e: Obj | null): void {
    const type = this.types.list[this.type[i]!]!;
    const phase = flags & EVENT_UNREADABLE ? 'lone' : phaseOf(type);
    if (phase === 'lone') {
      this.newStep(i, flags);
      return;
    }
    let family = familyOf(type);
    if (family === 'system.step' && e && isObj(e.payload) && typeof e.payload.step_index === 'number') family += `#${e.payload.step_index}`;
    const key = `${this.caseOf[i]}|${family}`;
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
    this.stepEnd[s] = i;
    this.stepFlags[s] = (this.stepFlags[s]! & ~STEP_INTERRUPTED) | flags;
    this.eventStep[i] = s;
  }

  finish(): ReplayIndex {
    const n = this.n;
    for (const stack of this.open.values()) for (const s of stack) this.stepEnd[s] = -1;
    this.open.clear();
    if (this.types.overflowed || this.cases.overflowed || this.names.overflowed) {
      this.find({
        code: 'too-many-names',
        message: `More than ${MAX_TABLE} distinct event types, cases or names; the rest are listed under one name.`,
        path: this.paths[0] ?? '',
        line: null,
      });
    }
    const steps = this.steps;
    const stepStart = this.stepStart.slice(0, steps);
    const caseOf = this.caseOf.slice(0, n);
    return {
      runAgentId: this.runAgentId,
      paths: this.paths,
      eventCount: n,
      seq: this.seq.slice(0, n),
      type: this.type.slice(0, n),
      time: this.time.slice(0, n),
      caseOf,
      name: this.name.slice(0, n),
      flags: this.flags.slice(0, n),
      tokensIn: this.tokensIn.slice(0, n),
      tokensOut: this.tokensOut.slice(0, n),
      chunk: this.chunk.slice(0, n),
      offset: this.offset.slice(0, n),
      length: this.length.slice(0, n),
      line: this.line.slice(0, n),
      outputText: this.outputs.join(''),
      outputStart: this.outputStart.slice(0, n + 1),
      eventStep: this.eventStep.slice(0, n),
      types: this.types.list,
      cases: this.cases.list,
      names: this.names.list,
      stepCount: steps,
      stepStart,
      stepEnd: this.stepEnd.slice(0, steps),
      stepFlags: this.stepFlags.slice(0, steps),
      order: groupByCase(stepStart, caseOf, this.cases.list.length),
      bySeq: this.inOrder ? identity(n) : sortBySeq(this.seq.subarray(0, n)),
      findings: this.findings,
      findingCount: this.findingCount,
    };
  }
}

/** Bytes decoded at a time: well under the longest string a JavaScript engine makes (2^29 characters). */
const PIECE_BYTES = 32 * 1024 * 1024;
/** A line longer than this is not parsed (an event line is a few kilobytes; payloads are offloaded). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

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
  const arrays = [
    index.seq,
    index.type,
    index.time,
    index.caseOf,
    index.name,
    index.flags,
    index.tokensIn,
    index.tokensOut,
    index.chunk,
    index.offset,
    index.length,
    index.line,
    index.outputStart,
    index.eventStep,
    index.stepStart,
    index.stepEnd,
    index.stepFlags,
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
