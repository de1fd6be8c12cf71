// The verifying card's figures (renderer/components/verify-progress-figures.ts): share of the
// work that never goes back, and an estimate only after 2 s.
import { describe, expect, it } from 'vitest';
import { ESTIMATE_AFTER_MS, formatDuration, progressFigures } from '../../renderer/components/verify-progress-figures';

describe('progress figures', () => {
  it('gives no estimate before 2 s or before any work, then the time left at the rate so far', () => {
    const half = { phase: 'payload' as const, done: 50, total: 100 };
    expect(progressFigures(half, ESTIMATE_AFTER_MS - 1).leftMs).toBeNull();
    expect(progressFigures({ ...half, done: 0 }, 10_000).leftMs).toBeNull();
    expect(progressFigures(null, 10_000)).toEqual({ share: 0, elapsedMs: 10_000, leftMs: null });
    expect(progressFigures(half, 4000)).toEqual({ share: 0.5, elapsedMs: 4000, leftMs: 4000 });
    expect(progressFigures({ ...half, done: 25 }, 3000).leftMs).toBe(9000);
    expect(progressFigures({ ...half, done: 100 }, 3000).leftMs).toBeNull();
  });

  it('never shows less than it showed before, nor more than all', () => {
    expect(progressFigures({ phase: 'payload', done: 10, total: 100 }, 0, 0.3).share).toBe(0.3);
    expect(progressFigures({ phase: 'report', done: 120, total: 100 }, 0).share).toBe(1);
  });

  it('formats durations as m:ss and h:mm:ss', () => {
    expect([formatDuration(0), formatDuration(7_400), formatDuration(62_000), formatDuration(3_723_000)]).toEqual([
      '0:00',
      '0:07',
      '1:02',
      '1:02:03',
    ]);
  });
});
