// An ordered diff of two sequences of step signatures (interned integers) in linear space:
// Myers' O((N+M)D) algorithm with the middle-snake divide and conquer (Myers 1986, 4b),
// driven by an explicit stack. A work budget keeps hostile inputs (two long runs with
// nothing in common) bounded: past it, what is left is reported as replaced.

export type DiffRun =
  | { kind: 'equal'; aStart: number; bStart: number; length: number }
  /** a[aStart..aStart+length) has no partner; bStart is where in b it would sit. */
  | { kind: 'delete'; aStart: number; bStart: number; length: number }
  /** b[bStart..bStart+length) has no partner; aStart is where in a it would sit. */
  | { kind: 'insert'; aStart: number; bStart: number; length: number };

export interface StepDiff {
  /** In order, covering all of a and all of b; adjacent runs differ in kind; no empty run; a delete comes before an adjacent insert. */
  runs: DiffRun[];
  /** Deleted plus inserted elements (0 when identical). */
  distance: number;
  /** True when the work budget ran out and an unresolved middle part is reported as one delete + one insert instead of an exact diff. */
  approximate: boolean;
  /** Where the sequences first differ, or null when identical. */
  firstDivergence: { a: number; b: number } | null;
  /** Start of the first 'equal' run after the first divergence, or null when they never resynchronise (or are identical). */
  resync: { a: number; b: number } | null;
}

export interface DiffOptions {
  /** Upper bound on the diagonal and snake steps examined over the whole diff; default 5,000,000. Past it, approximate = true. */
  maxWork?: number;
}

export interface AlignedRow {
  /** Indexes into a and b; -1 when that side has no element on this row. */
  a: number;
  b: number;
  kind: 'equal' | 'changed' | 'delete' | 'insert';
}

const DEFAULT_MAX_WORK = 5_000_000;

type Seq = ArrayLike<number>;
type Task = { box: true; x0: number; x1: number; y0: number; y1: number } | { box: false; x: number; y: number; length: number };

/** The middle snake of a box whose ends differ, as [x, y, u, v] relative to it; null when the budget ran out. */
function middleSnake(
  a: Seq,
  b: Seq,
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  vf: Int32Array,
  vb: Int32Array,
  budget: { left: number },
): [number, number, number, number] | null {
  const n = x1 - x0;
  const m = y1 - y0;
  const delta = n - m;
  const odd = (delta & 1) !== 0;
  const off = n + m + 1;
  const max = Math.ceil((n + m) / 2);
  vf[off + 1] = 0;
  vb[off + 1] = 0;
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && vf[off + k - 1]! < vf[off + k + 1]!) ? vf[off + k + 1]! : vf[off + k - 1]! + 1;
      let y = x - k;
      const sx = x;
      const sy = y;
      while (x < n && y < m && a[x0 + x] === b[y0 + y]) {
        x++;
        y++;
      }
      budget.left -= x - sx + 1;
      vf[off + k] = x;
      const c = delta - k;
      if (odd && c >= -(d - 1) && c <= d - 1 && x + vb[off + c]! >= n) return [sx, sy, x, y];
    }
    for (let c = -d; c <= d; c += 2) {
      let x = c === -d || (c !== d && vb[off + c - 1]! < vb[off + c + 1]!) ? vb[off + c + 1]! : vb[off + c - 1]! + 1;
      let y = x - c;
      const sx = x;
      const sy = y;
      while (x < n && y < m && a[x1 - 1 - x] === b[y1 - 1 - y]) {
        x++;
        y++;
      }
      budget.left -= x - sx + 1;
      vb[off + c] = x;
      const k = delta - c;
      if (!odd && k >= -d && k <= d && x + vf[off + k]! >= n) return [n - x, m - y, n - sx, m - sy];
    }
    if (budget.left < 0) return null;
  }
  return null;
}

/** Diffs a against b: exact (minimal inserts + deletes) unless the work budget runs out. */
export function diffSteps(a: Seq, b: Seq, options: DiffOptions = {}): StepDiff {
  const raw: DiffRun[] = [];
  const budget = { left: options.maxWork ?? DEFAULT_MAX_WORK };
  let approximate = false;
  let vf: Int32Array | null = null;
  let vb: Int32Array | null = null;
  const stack: Task[] = [{ box: true, x0: 0, x1: a.length, y0: 0, y1: b.length }];
  while (stack.length) {
    const t = stack.pop()!;
    if (!t.box) {
      emit(raw, 'equal', t.x, t.y, t.length);
      continue;
    }
    const { x0, x1, y0, y1 } = trimBox(a, b, t, raw, stack);
    if (x0 === x1 || y0 === y1) {
      emitReplace(raw, x0, x1, y0, y1);
      continue;
    }
    // Every later box lies inside this first one, so vectors sized for it serve them all.
    const size = 2 * (x1 - x0 + (y1 - y0)) + 4;
    vf ??= new Int32Array(size);
    vb ??= new Int32Array(size);
    const snake = budget.left > 0 ? middleSnake(a, b, x0, x1, y0, y1, vf, vb, budget) : null;
    if (!snake) {
      approximate = true;
      emitReplace(raw, x0, x1, y0, y1);
      continue;
    }
    const [x, y, u, v] = snake;
    stack.push({ box: true, x0: x0 + u, x1, y0: y0 + v, y1 });
    if (u > x) stack.push({ box: false, x: x0 + x, y: y0 + y, length: u - x });
    stack.push({ box: true, x0, x1: x0 + x, y0, y1: y0 + y });
  }
  return summarize(normalize(raw), approximate);
}

function emit(raw: DiffRun[], kind: DiffRun['kind'], aStart: number, bStart: number, length: number): void {
  if (length > 0) raw.push({ kind, aStart, bStart, length });
}

/** A box's a part as deleted, then its b part as inserted. */
function emitReplace(raw: DiffRun[], x0: number, x1: number, y0: number, y1: number): void {
  emit(raw, 'delete', x0, y0, x1 - x0);
  emit(raw, 'insert', x1, y0, y1 - y0);
}

/** Strips a box's common prefix (emitted now) and suffix (queued after the rest); returns what is left. */
function trimBox(a: Seq, b: Seq, box: { x0: number; x1: number; y0: number; y1: number }, raw: DiffRun[], stack: Task[]) {
  let { x0, x1, y0, y1 } = box;
  while (x0 < x1 && y0 < y1 && a[x0] === b[y0]) {
    x0++;
    y0++;
  }
  emit(raw, 'equal', box.x0, box.y0, x0 - box.x0);
  let suffix = 0;
  while (x1 > x0 && y1 > y0 && a[x1 - 1] === b[y1 - 1]) {
    x1--;
    y1--;
    suffix++;
  }
  if (suffix) stack.push({ box: false, x: x1, y: y1, length: suffix });
  return { x0, x1, y0, y1 };
}

function summarize(runs: DiffRun[], approximate: boolean): StepDiff {
  let distance = 0;
  for (const r of runs) if (r.kind !== 'equal') distance += r.length;
  const first = runs.findIndex((r) => r.kind !== 'equal');
  const again = first < 0 ? -1 : runs.findIndex((r, i) => i > first && r.kind === 'equal');
  return {
    runs,
    distance,
    approximate,
    firstDivergence: first < 0 ? null : { a: runs[first]!.aStart, b: runs[first]!.bStart },
    resync: again < 0 ? null : { a: runs[again]!.aStart, b: runs[again]!.bStart },
  };
}

/** Merges neighbours: equal runs that touch, and each stretch between equal runs into one delete then one insert. */
function normalize(raw: DiffRun[]): DiffRun[] {
  const out: DiffRun[] = [];
  let i = 0;
  while (i < raw.length) {
    const r = raw[i]!;
    if (r.kind === 'equal') {
      const last = out[out.length - 1];
      if (last?.kind === 'equal' && last.aStart + last.length === r.aStart) last.length += r.length;
      else out.push({ ...r });
      i++;
      continue;
    }
    let deleted = 0;
    let inserted = 0;
    const aStart = r.aStart;
    const bStart = r.bStart;
    while (i < raw.length && raw[i]!.kind !== 'equal') {
      if (raw[i]!.kind === 'delete') deleted += raw[i]!.length;
      else inserted += raw[i]!.length;
      i++;
    }
    if (deleted) out.push({ kind: 'delete', aStart, bStart, length: deleted });
    if (inserted) out.push({ kind: 'insert', aStart: aStart + deleted, bStart, length: inserted });
  }
  return out;
}

/**
 * Side-by-side rows from the runs. A delete run next to an insert run (either order) is paired
 * row by row as 'changed' (min of the two lengths); the rest of the longer one stays one-sided.
 */
export function alignRows(diff: StepDiff): AlignedRow[] {
  const rows: AlignedRow[] = [];
  const { runs } = diff;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i]!;
    const next = runs[i + 1];
    if (r.kind === 'equal') {
      for (let j = 0; j < r.length; j++) rows.push({ a: r.aStart + j, b: r.bStart + j, kind: 'equal' });
    } else if (next && next.kind !== 'equal' && next.kind !== r.kind) {
      const [del, ins] = r.kind === 'delete' ? [r, next] : [next, r];
      pairRows(rows, del, ins);
      i++;
    } else pushOneSided(rows, r, 0);
  }
  return rows;
}

/** Pairs a delete with an insert as 'changed' rows, then the unpaired tail of the longer one. */
function pairRows(rows: AlignedRow[], del: DiffRun, ins: DiffRun): void {
  const paired = Math.min(del.length, ins.length);
  for (let j = 0; j < paired; j++) rows.push({ a: del.aStart + j, b: ins.bStart + j, kind: 'changed' });
  pushOneSided(rows, del, paired);
  pushOneSided(rows, ins, paired);
}

function pushOneSided(rows: AlignedRow[], r: DiffRun, from: number): void {
  for (let j = from; j < r.length; j++)
    rows.push(r.kind === 'delete' ? { a: r.aStart + j, b: -1, kind: 'delete' } : { a: -1, b: r.bStart + j, kind: 'insert' });
}
