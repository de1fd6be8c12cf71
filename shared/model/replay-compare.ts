// Baseline against candidate, case by case: each case's steps reduced to signatures (step
// kind + tool), aligned by an ordered diff in linear space (replay-diff), the
// first divergent step and the point where the runs resynchronise named, per-step cost,
// token and latency deltas, and a summary across cases of where each diverged first and
// which changed outcome.

import type { Outcome, Packet } from './packet-types';
import type { ReplayIndex } from './replay-index';
import { alignRows, diffSteps } from './replay-diff';
import type { StepDiff } from './replay-diff';
import { kindLabel, stepCase, stepCostUsd, stepDurationMs, stepKind, stepName, stepTokens } from './replay-steps';

/** Each case's steps in display order ('' holds the run-level steps). */
export function stepsByCase(index: ReplayIndex): Map<string, Int32Array> {
  const out = new Map<string, Int32Array>();
  const { order } = index;
  let from = 0;
  for (let i = 1; i <= order.length; i++) {
    if (i === order.length || index.caseOf[index.stepStart[order[i]!]!] !== index.caseOf[index.stepStart[order[from]!]!]) {
      out.set(stepCase(index, order[from]!) ?? '', order.subarray(from, i));
      from = i;
    }
  }
  return out;
}

/**
 * What two steps must share to be "the same step": the kind, plus the tool for a tool call
 * and the program for a sandbox command. The model is left out on purpose: a candidate
 * usually changes model, and every model call would then differ; a fallback is a step
 * of its own and still shows where the runs part.
 */
function stepSignature(index: ReplayIndex, step: number): string {
  const kind = stepKind(index, step);
  if (kind === 'tool.call') return `${kind}|${stepName(index, step)}`;
  if (kind === 'sandbox.command') return `${kind}|${stepName(index, step).split(/\s+/, 1)[0]}`;
  return kind;
}

function describeStep(index: ReplayIndex, step: number): string {
  const name = stepName(index, step);
  const seq = index.seq[index.stepStart[step]!]!;
  return `${kindLabel(stepKind(index, step))}${name ? ` ${name}` : ''} (#${Number.isNaN(seq) ? '?' : seq})`;
}

export interface DivergencePoint {
  /** Positions in the case's step lists. */
  a: number;
  b: number;
  /** The steps there (-1 when that run has no step there: it ended). */
  baselineStep: number;
  candidateStep: number;
  description: string;
}

export interface CaseComparison {
  caseKey: string;
  baseline: Int32Array;
  candidate: Int32Array;
  diff: StepDiff;
  firstDivergence: DivergencePoint | null;
  resync: DivergencePoint | null;
  baselineOutcome: Outcome | null;
  candidateOutcome: Outcome | null;
  /** The verdict differs between the runs (from the packet's cases). */
  outcomeChanged: boolean;
}

function point(
  base: ReplayIndex,
  cand: ReplayIndex,
  c: { baseline: Int32Array; candidate: Int32Array },
  p: { a: number; b: number },
  what: 'diverge' | 'resync',
): DivergencePoint {
  const baselineStep = p.a < c.baseline.length ? c.baseline[p.a]! : -1;
  const candidateStep = p.b < c.candidate.length ? c.candidate[p.b]! : -1;
  const side = (index: ReplayIndex, s: number) => (s < 0 ? 'ended' : describeStep(index, s));
  const description =
    what === 'resync'
      ? `back in step at baseline ${side(base, baselineStep)} = candidate ${side(cand, candidateStep)}`
      : `baseline ${side(base, baselineStep)} · candidate ${side(cand, candidateStep)}`;
  return { a: p.a, b: p.b, baselineStep, candidateStep, description };
}

/** Compares one case's steps; `signatures` interns signatures across both runs (pass one map for all cases). */
function compareCase(
  base: ReplayIndex,
  cand: ReplayIndex,
  caseKey: string,
  baseline: Int32Array,
  candidate: Int32Array,
  packet: Packet | null,
  signatures: Map<string, number> = new Map(),
): CaseComparison {
  const intern = (index: ReplayIndex, steps: Int32Array) => {
    const out = new Int32Array(steps.length);
    for (let i = 0; i < steps.length; i++) {
      const sig = stepSignature(index, steps[i]!);
      let id = signatures.get(sig);
      if (id === undefined) signatures.set(sig, (id = signatures.size));
      out[i] = id;
    }
    return out;
  };
  const diff = diffSteps(intern(base, baseline), intern(cand, candidate));
  const c = { baseline, candidate };
  const packetCase = packet?.cases.find((x) => x.case_key === caseKey) ?? null;
  const baselineOutcome = packetCase?.baseline ?? null;
  const candidateOutcome = packetCase?.candidate ?? null;
  return {
    caseKey,
    baseline,
    candidate,
    diff,
    firstDivergence: diff.firstDivergence ? point(base, cand, c, diff.firstDivergence, 'diverge') : null,
    resync: diff.resync ? point(base, cand, c, diff.resync, 'resync') : null,
    baselineOutcome,
    candidateOutcome,
    outcomeChanged: baselineOutcome !== null && candidateOutcome !== null && baselineOutcome.verdict !== candidateOutcome.verdict,
  };
}

/** Every case of either run (the packet's order first, then others as they appear, run level last). */
export function compareAllCases(base: ReplayIndex, cand: ReplayIndex, packet: Packet | null): CaseComparison[] {
  const a = stepsByCase(base);
  const b = stepsByCase(cand);
  const keys: string[] = [];
  const seen = new Set<string>();
  const add = (k: string) => {
    if (!seen.has(k)) {
      seen.add(k);
      keys.push(k);
    }
  };
  for (const c of packet?.cases ?? []) if (a.has(c.case_key) || b.has(c.case_key)) add(c.case_key);
  for (const k of [...a.keys(), ...b.keys()]) if (k !== '') add(k);
  if (a.has('') || b.has('')) add('');
  const signatures = new Map<string, number>();
  const empty = new Int32Array(0);
  return keys.map((k) => compareCase(base, cand, k, a.get(k) ?? empty, b.get(k) ?? empty, packet, signatures));
}

export interface StepDeltas {
  costUsd: number | null;
  tokens: number | null;
  /** Null too when a side's step ends before it starts: no delta is derived from a negative duration. */
  latencyMs: number | null;
  /** The sides whose step is timed to end before it starts (the recorded timestamps are inconsistent). */
  endBeforeStart: Array<'baseline' | 'candidate'>;
}

export interface CompareRow {
  kind: 'equal' | 'changed' | 'delete' | 'insert';
  /** Steps (-1 when that side has none on this row). */
  baselineStep: number;
  candidateStep: number;
  /** Candidate minus baseline, where both sides have the value. */
  delta: StepDeltas;
}

function totalTokens(index: ReplayIndex, step: number): number | null {
  const t = stepTokens(index, step);
  return t.input === null && t.output === null ? null : (t.input ?? 0) + (t.output ?? 0);
}

const minus = (x: number | null, y: number | null) => (x === null || y === null ? null : x - y);

/** The latency delta of a paired row, or the sides whose duration is negative and so gives none. */
function latencyDelta(base: ReplayIndex, bs: number, cand: ReplayIndex, cs: number): Pick<StepDeltas, 'latencyMs' | 'endBeforeStart'> {
  const b = stepDurationMs(base, bs);
  const c = stepDurationMs(cand, cs);
  const endBeforeStart: StepDeltas['endBeforeStart'] = [];
  if (b !== null && b < 0) endBeforeStart.push('baseline');
  if (c !== null && c < 0) endBeforeStart.push('candidate');
  return { latencyMs: endBeforeStart.length ? null : minus(c, b), endBeforeStart };
}

/** The side-by-side rows of a case comparison, with per-step deltas. */
export function compareRows(base: ReplayIndex, cand: ReplayIndex, cmp: CaseComparison, pricing: Packet['pricing']): CompareRow[] {
  return alignRows(cmp.diff).map((r) => {
    const bs = r.a >= 0 ? cmp.baseline[r.a]! : -1;
    const cs = r.b >= 0 ? cmp.candidate[r.b]! : -1;
    const delta: StepDeltas =
      bs >= 0 && cs >= 0
        ? {
            costUsd: minus(stepCostUsd(cand, cs, pricing), stepCostUsd(base, bs, pricing)),
            tokens: minus(totalTokens(cand, cs), totalTokens(base, bs)),
            ...latencyDelta(base, bs, cand, cs),
          }
        : { costUsd: null, tokens: null, latencyMs: null, endBeforeStart: [] };
    return { kind: r.kind, baselineStep: bs, candidateStep: cs, delta };
  });
}
