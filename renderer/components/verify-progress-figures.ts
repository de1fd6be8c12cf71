// What the verifying screen shows beside its bar: the share of the work done (never
// going back), the time elapsed, and, after ESTIMATE_AFTER_MS, the time left at the rate
// so far. The work is what the verifier reports: the inflated bytes digested (the web
// build hashes the whole file after the status: shared/ipc/following-digest.ts).
import type { Progress } from '../../shared/platform/ports';

/** No estimate before this much time has passed (the first seconds' rate misleads). */
export const ESTIMATE_AFTER_MS = 2000;
/** ...nor before this share of the work is done. */
const ESTIMATE_FROM_SHARE = 0.005;

export interface ProgressFigures {
  /** 0..1, at least `shownBefore`. */
  share: number;
  elapsedMs: number;
  /** Milliseconds left at the rate so far, or null while there is no estimate. */
  leftMs: number | null;
}

export function progressFigures(progress: Progress | null, elapsedMs: number, shownBefore = 0): ProgressFigures {
  const raw = progress && progress.total > 0 ? Math.min(1, Math.max(0, progress.done / progress.total)) : 0;
  const share = Math.max(raw, shownBefore);
  const estimable = elapsedMs >= ESTIMATE_AFTER_MS && share >= ESTIMATE_FROM_SHARE && share < 1;
  return { share, elapsedMs, leftMs: estimable ? (elapsedMs * (1 - share)) / share : null };
}

/** "0:07", "1:02:03". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** The verifier's step, in words. */
export function phaseLabel(phase: Progress['phase']): string {
  switch (phase) {
    case 'container':
      return 'reading the archive';
    case 'payload':
      return 'checking the files';
    case 'signatures':
      return 'checking signatures';
    case 'index':
      return 'indexing';
    case 'report':
      return 'finishing';
    case 'file':
      return 'hashing the whole file';
  }
}
