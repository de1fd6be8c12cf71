// How the PDF writes values: a missing value says so ("not recorded", "not available (why)"),
// never 0; numbers keep six significant digits; dates are ISO 8601 to the second.

import type { EvidenceTier } from '../model/packet-types';
import { EVIDENCE_TIER_LEGEND } from '../model/packet-types';
import type { DimensionRow, Maybe, StepRef } from '../model/slices-types';
import type { AgentNames } from '../model/agent-names';
import { stepName } from '../model/agent-names';

export const NR = 'not recorded';

export const orNR = (v: string | number | null | undefined): string => (v === null || v === undefined || v === '' ? NR : String(v));

/** snake_case words as words: "conditional_ship" -> "conditional ship". */
export const words = (s: string): string => s.replace(/_/g, ' ');

export const person = (p: { name: string; email: string | null } | null): string =>
  p === null ? NR : p.email ? `${p.name} <${p.email}>` : p.name;

/** A number for a person; null is "unavailable" when the state says so, else "not recorded". */
export function num(v: number | null, state?: string): string {
  if (v === null) return state === 'unavailable' ? 'unavailable' : NR;
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  return abs !== 0 && (abs < 0.001 || abs >= 1e9) ? v.toExponential(3) : String(Number(v.toPrecision(6)));
}

/** As num, with a "+" before a positive value. */
export function signed(v: number | null, state?: string): string {
  const s = num(v, state);
  return v !== null && v > 0 ? `+${s}` : s;
}

export function usd(m: Maybe<number>): string {
  return m.value === null ? `not available (${m.missing})` : `$${m.value.toFixed(2)}`;
}

/** ISO 8601 in UTC, to the second. */
export function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whether one side of a dimension has no value because the gate could not compare. */
export function stateOf(d: DimensionRow, side: 'baseline' | 'candidate'): string | undefined {
  if (d.state === 'unavailable' || d.state === 'error') return 'unavailable';
  if (d.state === `missing_${side}`) return 'unavailable';
  return undefined;
}

/** The deciding dimension in one sentence: both values, the thresholds and the outcome. */
export function dimensionSentence(d: DimensionRow): string {
  if (d.outcome === 'unavailable' || d.state !== 'available')
    return `unavailable (${words(d.state)}): the gate could not compare baseline and candidate`;
  return `candidate ${num(d.candidateValue)} vs baseline ${num(d.baselineValue)} (${d.betterDirection} is better), worsening ${signed(d.worseningDelta)} against warn ${num(d.warnThreshold)} / fail ${num(d.failThreshold)}: ${d.outcome.toUpperCase()}`;
}

/** "Native structured", from the legend. */
export function tierName(t: EvidenceTier): string {
  return EVIDENCE_TIER_LEGEND[t].split(':')[0]!;
}

/** What the tier means, from the legend, without its final full stop. */
export function tierShort(t: EvidenceTier): string {
  return EVIDENCE_TIER_LEGEND[t]
    .slice(EVIDENCE_TIER_LEGEND[t].indexOf(':') + 1)
    .trim()
    .replace(/\.$/, '');
}

export function maybeList(m: Maybe<string[]>): string {
  return m.value === null ? `not available (${m.missing})` : m.value.length ? m.value.join(', ') : 'none';
}

/** How many steps, and the first five of them, named as the UI names them ("candidate · step 69"). */
export function maybeCount(m: Maybe<StepRef[]>, names: AgentNames): string {
  if (m.value === null) return `not available (${m.missing})`;
  if (m.value.length === 0) return '0';
  const first = m.value
    .slice(0, 5)
    .map((r) => stepName(names, r.runAgentId, r.sequence))
    .join(', ');
  return `${m.value.length}: ${first}${m.value.length > 5 ? ', \u2026' : ''}`;
}

/** A case's outcome on one side: "passed (0.9)", or "not recorded". */
export function outcome(o: { verdict: string; score: number | null } | null): string {
  if (o === null) return NR;
  return `${o.verdict}${o.score !== null ? ` (${num(o.score)})` : ''}`;
}

/** The step as the UI names it, its headline and the packet's note on it; says so when neither is known. */
export function stepLine(names: AgentNames, r: StepRef): string {
  const parts = [r.headline ?? null, r.note].filter((x): x is string => x !== null && x !== '');
  return `${stepName(names, r.runAgentId, r.sequence)}: ${parts.length ? parts.join(' \u2014 ') : 'the step is not summarized (replay not read)'}`;
}
