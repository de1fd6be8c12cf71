// The verifying screen's card: a bar over the work actually left (inflated bytes digested plus
// the whole-file hash), the time elapsed, an estimate of the time left after 2 s, and Cancel.
// It ticks on its own every half second, so the elapsed time moves even between reports.
import { useEffect, useState } from 'react';
import type { Progress } from '../../shared/platform/ports';
import type { BundleHandle } from '../../shared/ipc/host-api';
import { formatBytes } from '../format';
import { formatDuration, phaseLabel, progressFigures } from './verify-progress-figures';

const TICK_MS = 500;

export function VerifyProgress({ phase, onCancel }: { phase: { handle: BundleHandle; progress: Progress | null }; onCancel: () => void }) {
  const { progress } = phase;
  const [clock, setClock] = useState(() => {
    const t = performance.now();
    return { started: t, now: t };
  });
  const [shownBefore, setShownBefore] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setClock((c) => ({ ...c, now: performance.now() })), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  const figures = progressFigures(progress, clock.now - clock.started, shownBefore);
  if (figures.share > shownBefore) setShownBefore(figures.share); // the bar never goes back
  const pct = Math.floor(figures.share * 100);
  return (
    <section className="card progress-card" aria-labelledby="progress-h" data-testid="verify-progress">
      <h2 id="progress-h">Verifying {phase.handle.name}</h2>
      <progress max={1000} value={Math.floor(figures.share * 1000)} aria-label="Verification progress" aria-valuetext={`${pct}%`} />
      <p className="small">
        {progress
          ? `${formatBytes(progress.done)} of ${formatBytes(progress.total)} · ${pct}% · ${phaseLabel(progress.phase)}`
          : 'Starting…'}
        {progress?.entry ? <span className="mono muted"> · {progress.entry}</span> : null}
      </p>
      <p className="small muted">
        <span data-testid="verify-elapsed">{formatDuration(figures.elapsedMs)} elapsed</span>
        {figures.leftMs !== null ? <span data-testid="verify-left"> · about {formatDuration(figures.leftMs)} left</span> : null}
      </p>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </section>
  );
}
