// The step diff: exact against an LCS reference on random sequences, its invariants, the
// first divergence and resync it names, large inputs, and the work budget.
import { describe, expect, it } from 'vitest';
import { alignRows, diffSteps } from '../../shared/model/replay-diff';
import type { StepDiff } from '../../shared/model/replay-diff';

function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lcs(a: number[], b: number[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let prev = 0;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? prev + 1 : Math.max(row[j]!, row[j - 1]!);
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function checkInvariants(a: ArrayLike<number>, b: ArrayLike<number>, d: StepDiff) {
  let x = 0;
  let y = 0;
  const rebuilt: number[] = [];
  d.runs.forEach((r, i) => {
    expect(r.length).toBeGreaterThan(0);
    if (i > 0) expect(r.kind).not.toBe(d.runs[i - 1]!.kind);
    if (i > 0 && r.kind === 'delete') expect(d.runs[i - 1]!.kind).not.toBe('insert');
    expect([r.aStart, r.bStart]).toEqual([x, y]);
    if (r.kind === 'equal') {
      for (let j = 0; j < r.length; j++) {
        expect(a[x + j]).toBe(b[y + j]);
        rebuilt.push(a[x + j]!);
      }
      x += r.length;
      y += r.length;
    } else if (r.kind === 'delete') x += r.length;
    else {
      for (let j = 0; j < r.length; j++) rebuilt.push(b[y + j]!);
      y += r.length;
    }
  });
  expect([x, y]).toEqual([a.length, b.length]);
  expect(rebuilt).toEqual(Array.from(b));
  const rows = alignRows(d);
  expect(rows.filter((r) => r.a >= 0).map((r) => r.a)).toEqual(Array.from({ length: a.length }, (_, i) => i));
  expect(rows.filter((r) => r.b >= 0).map((r) => r.b)).toEqual(Array.from({ length: b.length }, (_, i) => i));
}

/** Random base of n over a large alphabet, with `edits` deletions and insertions of fresh symbols: the exact distance is known. */
function scattered(n: number, edits: number, rnd: () => number) {
  const a = Int32Array.from({ length: n }, () => Math.floor(rnd() * 1000));
  const del = new Set<number>();
  const ins = new Set<number>();
  while (del.size + ins.size < edits) (rnd() < 0.5 ? del : ins).add(Math.floor(rnd() * n));
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    if (ins.has(i) && !del.has(i)) b.push(1_000_000 + i);
    if (!del.has(i)) b.push(a[i]!);
  }
  return { a, b, distance: a.length + b.length - 2 * (n - del.size) };
}

/** The run invariants, checked without one expect per element (for long inputs). */
function checkRuns(a: ArrayLike<number>, b: ArrayLike<number>, d: StepDiff) {
  let x = 0;
  let y = 0;
  let bad = 0;
  d.runs.forEach((r, i) => {
    if (r.length <= 0 || r.aStart !== x || r.bStart !== y || (i > 0 && d.runs[i - 1]!.kind === r.kind)) bad++;
    if (r.kind === 'equal') for (let j = 0; j < r.length; j++) if (a[x + j] !== b[y + j]) bad++;
    if (r.kind !== 'insert') x += r.length;
    if (r.kind !== 'delete') y += r.length;
  });
  expect([bad, x, y]).toEqual([0, a.length, b.length]);
}

describe('diffSteps', () => {
  it('finds nothing between identical runs', () => {
    const d = diffSteps([1, 2, 3], [1, 2, 3]);
    expect(d.runs).toEqual([{ kind: 'equal', aStart: 0, bStart: 0, length: 3 }]);
    expect([d.distance, d.firstDivergence, d.resync, d.approximate]).toEqual([0, null, null, false]);
  });

  it('handles empty runs', () => {
    expect(diffSteps([], [])).toMatchObject({ runs: [], distance: 0, firstDivergence: null, resync: null });
    expect(diffSteps([], [4, 5])).toMatchObject({
      runs: [{ kind: 'insert', aStart: 0, bStart: 0, length: 2 }],
      firstDivergence: { a: 0, b: 0 },
      resync: null,
    });
    expect(diffSteps([4, 5], [])).toMatchObject({
      runs: [{ kind: 'delete', aStart: 0, bStart: 0, length: 2 }],
      distance: 2,
      firstDivergence: { a: 0, b: 0 },
      resync: null,
    });
  });

  it('names the first divergence and the resync around an inserted step', () => {
    const d = diffSteps([1, 2, 3, 4], [1, 2, 9, 3, 4]);
    expect(d.firstDivergence).toEqual({ a: 2, b: 2 });
    expect(d.resync).toEqual({ a: 2, b: 3 });
    expect(d.distance).toBe(1);
  });

  it('pairs a replaced step as changed', () => {
    const d = diffSteps([1, 2, 3], [1, 7, 3]);
    expect(d.runs).toEqual([
      { kind: 'equal', aStart: 0, bStart: 0, length: 1 },
      { kind: 'delete', aStart: 1, bStart: 1, length: 1 },
      { kind: 'insert', aStart: 2, bStart: 1, length: 1 },
      { kind: 'equal', aStart: 2, bStart: 2, length: 1 },
    ]);
    expect([d.distance, d.firstDivergence, d.resync]).toEqual([2, { a: 1, b: 1 }, { a: 2, b: 2 }]);
    expect(alignRows(d)).toEqual([
      { a: 0, b: 0, kind: 'equal' },
      { a: 1, b: 1, kind: 'changed' },
      { a: 2, b: 2, kind: 'equal' },
    ]);
  });

  it('says the runs never resynchronise when they differ to the end', () => {
    const d = diffSteps([1, 2, 3, 4], [1, 2, 8, 9, 10]);
    expect(d.firstDivergence).toEqual({ a: 2, b: 2 });
    expect(d.resync).toBeNull();
  });

  it('is exact: the distance is N + M - 2 LCS on random sequences, with every invariant', () => {
    const rnd = mulberry32(42);
    for (let t = 0; t < 500; t++) {
      const alphabet = 1 + Math.floor(rnd() * 4);
      const a = Array.from({ length: Math.floor(rnd() * 31) }, () => Math.floor(rnd() * alphabet));
      const b = Array.from({ length: Math.floor(rnd() * 31) }, () => Math.floor(rnd() * alphabet));
      const d = diffSteps(a, b);
      expect(d.distance, JSON.stringify([a, b])).toBe(a.length + b.length - 2 * lcs(a, b));
      expect(d.approximate).toBe(false);
      checkInvariants(a, b, d);
    }
  });

  it('diffs 300,000 steps with 20 scattered insertions exactly', () => {
    const n = 300_000;
    const a = Int32Array.from({ length: n }, (_, i) => i % 50);
    const rnd = mulberry32(7);
    const at = new Set(Array.from({ length: 20 }, () => 1 + Math.floor(rnd() * (n - 2))));
    const b: number[] = [];
    for (let i = 0; i < n; i++) {
      if (at.has(i)) b.push(1000 + i);
      b.push(a[i]!);
    }
    const d = diffSteps(a, b);
    expect(d.distance).toBe(at.size);
    expect(d.approximate).toBe(false);
    expect(d.runs.filter((r) => r.kind === 'insert').map((r) => r.bStart)).toEqual([...at].sort((x, y) => x - y).map((p, i) => p + i));
    expect(d.firstDivergence).toEqual({ a: Math.min(...at), b: Math.min(...at) });
    expect(d.resync).toEqual({ a: Math.min(...at), b: Math.min(...at) + 1 });
  });

  it('diffs 1,000,000 steps with a few edits and 200,000 steps with ~1000 scattered edits exactly', () => {
    for (const [n, edits] of [
      [1_000_000, 10],
      [200_000, 1000],
    ] as const) {
      const { a, b, distance } = scattered(n, edits, mulberry32(n));
      const d = diffSteps(a, b);
      expect(d.approximate).toBe(false);
      expect(d.distance).toBe(distance);
      checkRuns(a, b, d);
    }
  });

  it('stays bounded on runs with nothing in common, reporting an approximate replacement', () => {
    const rnd = mulberry32(3);
    const a = Array.from({ length: 2000 }, () => Math.floor(rnd() * 1000));
    const b = Array.from({ length: 2000 }, () => 1000 + Math.floor(rnd() * 1000));
    const d = diffSteps(a, b, { maxWork: 100 });
    expect(d.approximate).toBe(true);
    checkInvariants(a, b, d);
    const c = Array.from({ length: 2000 }, () => Math.floor(rnd() * 3));
    const e = Array.from({ length: 2000 }, () => Math.floor(rnd() * 3));
    const exact = diffSteps(c, e);
    const cheap = diffSteps(c, e, { maxWork: 100 });
    expect(cheap.approximate).toBe(true);
    expect(cheap.distance).toBeGreaterThanOrEqual(exact.distance);
    checkInvariants(c, e, cheap);
  });

  it('keeps the resolved prefix and suffix exact when the budget runs out', () => {
    const rnd = mulberry32(11);
    const mid = (base: number) => Array.from({ length: 500 }, () => base + Math.floor(rnd() * 5));
    const a = [...Array.from({ length: 10 }, (_, i) => 100 + i), ...mid(0), 7, 8, 9];
    const b = [...Array.from({ length: 10 }, (_, i) => 100 + i), ...mid(0), 7, 8, 9];
    const d = diffSteps(a, b, { maxWork: 10 });
    expect(d.approximate).toBe(true);
    expect(d.runs[0]).toEqual({ kind: 'equal', aStart: 0, bStart: 0, length: expect.any(Number) });
    expect(d.runs[0]!.length).toBeGreaterThanOrEqual(10);
    expect(d.runs.at(-1)!.kind).toBe('equal');
    expect(d.runs.at(-1)!.length).toBeGreaterThanOrEqual(3);
    expect(d.firstDivergence!.a).toBeGreaterThanOrEqual(10);
    checkInvariants(a, b, d);
  });

  it('is not approximate when only a common prefix and suffix surround a one-sided change', () => {
    const d = diffSteps([1, 2, 3], [1, 2, 5, 6, 3], { maxWork: 0 });
    expect(d.approximate).toBe(false);
    expect(d.distance).toBe(2);
  });
});

describe('alignRows', () => {
  const diff = (runs: StepDiff['runs']): StepDiff => ({ runs, distance: 0, approximate: false, firstDivergence: null, resync: null });

  it('pairs an insert followed by a delete too, leaving the longer tail one-sided', () => {
    const rows = alignRows(
      diff([
        { kind: 'insert', aStart: 0, bStart: 0, length: 1 },
        { kind: 'delete', aStart: 0, bStart: 1, length: 3 },
        { kind: 'equal', aStart: 3, bStart: 1, length: 1 },
        { kind: 'delete', aStart: 4, bStart: 2, length: 1 },
        { kind: 'insert', aStart: 5, bStart: 2, length: 2 },
      ]),
    );
    expect(rows).toEqual([
      { a: 0, b: 0, kind: 'changed' },
      { a: 1, b: -1, kind: 'delete' },
      { a: 2, b: -1, kind: 'delete' },
      { a: 3, b: 1, kind: 'equal' },
      { a: 4, b: 2, kind: 'changed' },
      { a: -1, b: 3, kind: 'insert' },
    ]);
  });

  it('leaves a lone delete or insert one-sided', () => {
    expect(alignRows(diffSteps([1, 2, 3], [1, 3]))).toEqual([
      { a: 0, b: 0, kind: 'equal' },
      { a: 1, b: -1, kind: 'delete' },
      { a: 2, b: 1, kind: 'equal' },
    ]);
    expect(alignRows(diffSteps([], [4]))).toEqual([{ a: -1, b: 0, kind: 'insert' }]);
  });
});
