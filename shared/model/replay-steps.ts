// What the Replay tab shows of a ReplayIndex: a step's kind, headline, status, duration,
// tokens and cost; the filters; the steps the packet points at (refs: "referenced by the packet");
// the rows of the timeline (case headers and steps); and search over an entry's text.
// Pure functions over the compact arrays, so they run on the page and in tests alike.

import type { Packet, Ref } from './packet-types';
import type { ReplayIndex } from './replay-index';
import { familyOf } from './replay-events';
import {
  EVENT_FAILED,
  EVENT_FALLBACK,
  EVENT_OFFLOADED,
  EVENT_POLICY,
  EVENT_SANDBOX_FAILED,
  EVENT_UNKNOWN_TYPE,
  EVENT_UNREADABLE,
  STEP_INTERRUPTED,
  STEP_PAIRED,
  eventOutput,
  stepBySeq,
  stepEvents,
} from './replay-index';

export type StepStatus = 'completed' | 'failed' | 'interrupted' | 'event' | 'unreadable';

const KIND_LABELS: Record<string, string> = {
  'system.run': 'Run',
  'system.step': 'Agent step',
  'model.call': 'Model call',
  'tool.call': 'Tool call',
  'sandbox.command': 'Sandbox command',
  scoring: 'Scoring',
  'grader.verification': 'Verification',
  'model.routing.fallback': 'Routing fallback',
  'model.output.delta': 'Output delta',
  'model.tool_calls.proposed': 'Tool calls proposed',
  'system.output.finalized': 'Final output',
  'scoring.metric.recorded': 'Metric',
  'sandbox.file.read': 'File read',
  'sandbox.file.written': 'File written',
  'sandbox.file.listed': 'File listing',
};

const PAIR_ENDINGS = ['.started', '.completed', '.failed'];

/** A step's kind: the family of a start/terminal pair (`tool.call`), or the event type of a lone event. */
function kindOfType(type: string): string {
  return PAIR_ENDINGS.some((e) => type.endsWith(e)) && familyOf(type) in KIND_LABELS ? familyOf(type) : type;
}

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

export function stepKind(index: ReplayIndex, step: number): string {
  const start = index.stepStart[step]!;
  if (index.flags[start]! & EVENT_UNREADABLE) return index.types[0]!;
  return kindOfType(index.types[index.type[start]!]!);
}

export function stepStatus(index: ReplayIndex, step: number): StepStatus {
  const f = index.stepFlags[step]!;
  const start = index.stepStart[step]!;
  if (f & EVENT_UNREADABLE) return 'unreadable';
  if (f & EVENT_FAILED) return 'failed';
  if (f & STEP_INTERRUPTED) return 'interrupted';
  if (f & STEP_PAIRED) return 'completed';
  const type = index.types[index.type[start]!]!;
  return type.endsWith('.completed') ? 'completed' : 'event';
}

/** The step's tool, model, command... (from its start, else its terminal event); '' when none. */
export function stepName(index: ReplayIndex, step: number): string {
  const start = index.stepStart[step]!;
  const end = index.stepEnd[step]!;
  const id = index.name[start]! || (end >= 0 ? index.name[end]! : 0);
  return index.names[id]!;
}

/** The first line of what the step produced (its terminal event's output, else its start's). */
export function stepOutput(index: ReplayIndex, step: number): string {
  const start = index.stepStart[step]!;
  const end = index.stepEnd[step]!;
  return (end >= 0 && end !== start ? eventOutput(index, end) : '') || eventOutput(index, start);
}

export function stepCase(index: ReplayIndex, step: number): string | null {
  const c = index.caseOf[index.stepStart[step]!]!;
  return c === 0 ? null : index.cases[c]!;
}

/** Milliseconds from the step's start to its terminal event; null for a lone or interrupted step or missing times. */
export function stepDurationMs(index: ReplayIndex, step: number): number | null {
  const start = index.stepStart[step]!;
  const end = index.stepEnd[step]!;
  if (end <= start) return null;
  const d = index.time[end]! - index.time[start]!;
  return Number.isFinite(d) ? d : null;
}

export interface StepTokens {
  input: number | null;
  output: number | null;
}

export function stepTokens(index: ReplayIndex, step: number): StepTokens {
  let input: number | null = null;
  let output: number | null = null;
  for (const e of stepEvents(index, step)) {
    const i = index.tokensIn[e]!;
    const o = index.tokensOut[e]!;
    if (!Number.isNaN(i)) input = (input ?? 0) + i;
    if (!Number.isNaN(o)) output = (output ?? 0) + o;
  }
  return { input, output };
}

/** Cost in USD from the packet's pricing (per million tokens, keyed provider/model); null when not priced. */
export function stepCostUsd(index: ReplayIndex, step: number, pricing: Packet['pricing']): number | null {
  if (!pricing) return null;
  const t = stepTokens(index, step);
  if (t.input === null && t.output === null) return null;
  const name = stepName(index, step);
  const price = Object.prototype.hasOwnProperty.call(pricing, name) ? pricing[name] : undefined;
  if (!price) return null;
  return ((t.input ?? 0) * price.input_per_mtok_usd + (t.output ?? 0) * price.output_per_mtok_usd) / 1_000_000;
}

export interface StepMarks {
  policy: boolean;
  fallback: boolean;
  sandboxFailed: boolean;
  offloaded: boolean;
  unknownType: boolean;
  /** The packet points at this step (a case's refs or an auto-fail condition's evidence). */
  verdict: boolean;
}

export function stepMarks(index: ReplayIndex, step: number, refs: ReadonlyMap<number, string[]>): StepMarks {
  const f = index.stepFlags[step]!;
  return {
    policy: (f & EVENT_POLICY) !== 0,
    fallback: (f & EVENT_FALLBACK) !== 0,
    sandboxFailed: (f & EVENT_SANDBOX_FAILED) !== 0,
    offloaded: (f & EVENT_OFFLOADED) !== 0,
    unknownType: (f & EVENT_UNKNOWN_TYPE) !== 0,
    verdict: refs.has(step),
  };
}

/** Where the packet points into this run agent's replay, and why: the steps referenced by the packet. */
export function packetRefSteps(index: ReplayIndex, packet: Packet): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const add = (ref: Ref, why: string) => {
    if (ref.run_agent_id !== index.runAgentId) return;
    const step = stepBySeq(index, ref.sequence_number);
    if (step < 0) return;
    const list = out.get(step) ?? [];
    const text = ref.note ? `${why}: ${ref.note}` : why;
    if (!list.includes(text)) list.push(text);
    out.set(step, list);
  };
  for (const c of packet.cases ?? [])
    for (const r of c.refs ?? []) add(r, `Case ${c.case_key}${c.drove_verdict ? ' (drove the verdict)' : ''}`);
  for (const cond of packet.gate?.auto_fail_conditions ?? [])
    for (const r of cond.evidence ?? []) add(r, `Auto-fail condition ${cond.key}${cond.triggered ? ' (triggered)' : ''}`);
  return out;
}

export type StatusFilter = 'failed' | 'policy' | 'fallback' | 'sandbox' | 'interrupted' | 'marked';

export interface StepFilter {
  /** A case key; '' for run-level steps; null for all. */
  caseKey: string | null;
  kind: string | null;
  /** A tool, model or command name. */
  name: string | null;
  status: StatusFilter | null;
}

export const NO_FILTER: StepFilter = { caseKey: null, kind: null, name: null, status: null };

/** The steps that pass the filter, in display order. */
export function filterSteps(index: ReplayIndex, filter: StepFilter, refs: ReadonlyMap<number, string[]>): Int32Array {
  const { order } = index;
  if (!filter.caseKey && filter.caseKey !== '' && !filter.kind && !filter.name && !filter.status) return order;
  const caseId = filter.caseKey === null ? -1 : filter.caseKey === '' ? 0 : index.cases.indexOf(filter.caseKey);
  const nameId = filter.name === null ? -1 : index.names.indexOf(filter.name);
  if ((filter.caseKey !== null && caseId < 0) || (filter.name !== null && nameId <= 0)) return new Int32Array(0);
  const kindCache = new Map<number, string>();
  const out = new Int32Array(order.length);
  let n = 0;
  for (let i = 0; i < order.length; i++) {
    const s = order[i]!;
    const start = index.stepStart[s]!;
    if (caseId >= 0 && index.caseOf[start] !== caseId) continue;
    if (nameId > 0) {
      const end = index.stepEnd[s]!;
      if (index.name[start] !== nameId && (end < 0 || index.name[end] !== nameId)) continue;
    }
    if (filter.kind !== null) {
      const t = index.type[start]!;
      let k = kindCache.get(t);
      if (k === undefined) kindCache.set(t, (k = stepKind(index, s)));
      if (k !== filter.kind) continue;
    }
    if (filter.status !== null && !statusMatches(index, s, filter.status, refs)) continue;
    out[n++] = s;
  }
  return out.slice(0, n);
}

function statusMatches(index: ReplayIndex, step: number, status: StatusFilter, refs: ReadonlyMap<number, string[]>): boolean {
  const f = index.stepFlags[step]!;
  switch (status) {
    case 'failed':
      return (f & (EVENT_FAILED | EVENT_UNREADABLE)) !== 0;
    case 'policy':
      return (f & EVENT_POLICY) !== 0;
    case 'fallback':
      return (f & EVENT_FALLBACK) !== 0;
    case 'sandbox':
      return (f & EVENT_SANDBOX_FAILED) !== 0;
    case 'interrupted':
      return (f & STEP_INTERRUPTED) !== 0;
    case 'marked':
      return refs.has(step);
  }
}

/** The choices the filter menus offer: cases in display order, kinds and names by frequency. */
export function filterChoices(index: ReplayIndex): { cases: string[]; kinds: string[]; names: string[]; hasRunLevel: boolean } {
  const kinds = new Map<string, number>();
  const typeKinds = new Map<number, string>();
  const names = new Map<number, number>();
  const seenCases = new Uint8Array(index.cases.length);
  const cases: string[] = [];
  let hasRunLevel = false;
  for (let i = 0; i < index.order.length; i++) {
    const s = index.order[i]!;
    const start = index.stepStart[s]!;
    const c = index.caseOf[start]!;
    if (c === 0) hasRunLevel = true;
    else if (!seenCases[c]) {
      seenCases[c] = 1;
      cases.push(index.cases[c]!);
    }
    let k = typeKinds.get(index.type[start]!);
    if (k === undefined) typeKinds.set(index.type[start]!, (k = stepKind(index, s)));
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
    const end = index.stepEnd[s]!;
    const nameId = index.name[start]! || (end >= 0 ? index.name[end]! : 0);
    if (nameId) names.set(nameId, (names.get(nameId) ?? 0) + 1);
  }
  const byCount = <K>(m: Map<K, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  return {
    cases,
    kinds: byCount(kinds),
    names: byCount(names)
      .slice(0, 500)
      .map((id) => index.names[id]!),
    hasRunLevel,
  };
}

/**
 * Timeline rows: a header row before each case's steps (encoded as -(caseId + 1)), then
 * the step indexes. `steps` is a filtered display order.
 */
export function timelineRows(index: ReplayIndex, steps: Int32Array): Int32Array {
  const rows = new Int32Array(steps.length * 2);
  let n = 0;
  let lastCase = -1;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const c = index.caseOf[index.stepStart[s]!]!;
    if (c !== lastCase) {
      rows[n++] = -(c + 1);
      lastCase = c;
    }
    rows[n++] = s;
  }
  return rows.slice(0, n);
}

/** The needles a query is looked for as: itself and its JSON-escaped form, lowercased. */
export function searchNeedles(query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const escaped = JSON.stringify(q).slice(1, -1);
  return escaped === q ? [q] : [q, escaped];
}

/** Whether a line contains any of the needles (already lowercased), ignoring case. */
export function lineMatches(line: string, needles: readonly string[]): boolean {
  const lower = line.toLowerCase();
  return needles.some((n) => n !== '' && lower.includes(n));
}

/** The 1-based numbers of the lines of a text that match (see lineMatches). */
export function searchLines(text: string, needles: readonly string[]): Uint32Array {
  const hits: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (lineMatches(line, needles)) hits.push(i + 1);
  });
  return Uint32Array.from(hits);
}

/** The events of an entry whose lines are listed (1-based line numbers, sorted). */
export function eventsOfLines(index: ReplayIndex, entry: number, lines: Uint32Array): number[] {
  // Events of one entry are contiguous; find the range, then walk both lists.
  let lo = 0;
  let hi = index.eventCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.chunk[mid]! < entry) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  let e = lo;
  for (const line of lines) {
    while (e < index.eventCount && index.chunk[e] === entry && index.line[e]! < line) e++;
    if (e >= index.eventCount || index.chunk[e] !== entry) break;
    if (index.line[e] === line) out.push(e);
  }
  return out;
}

/** Resolves a `$ref` of an offloaded payload to its entry path, or null when it would leave data/replays/payloads/. */
export function payloadRefPath(ref: unknown): string | null {
  if (typeof ref !== 'string' || ref === '' || ref.length > 1024) return null;
  if (ref.startsWith('/') || ref.includes('\\') || ref.includes('\u0000')) return null;
  const parts = ref.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return null;
  return `data/replays/payloads/${ref}`;
}
