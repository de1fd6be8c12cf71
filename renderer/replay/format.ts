// Small formatting for the Replay tab, and the deep link to a step: the URL fragment
// `#replay/<run agent id>/<sequence number>`, so a reviewer can paste a link to a step.

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A step's duration as shown: a negative one (its end event is timed before its start) is an anomaly, never a number. */
export function describeStepDuration(ms: number | null): { text: string; anomaly: string | null } {
  if (ms === null || Number.isNaN(ms)) return { text: '—', anomaly: null };
  if (ms < 0)
    return {
      text: 'end before start',
      anomaly: `The step's last event is timed ${formatDuration(-ms)} before its first: the recorded timestamps are inconsistent.`,
    };
  return { text: formatDuration(ms), anomaly: null };
}

export function formatTokens(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en');
}

export function formatCost(usd: number | null): string {
  if (usd === null) return '—';
  return usd < 0.01 ? `$${usd.toFixed(5)}` : `$${usd.toFixed(4)}`;
}

/** A signed difference for the compare view, with the unit. */
export function formatDelta(d: number | null, unit: 'ms' | 'tok' | 'usd'): string {
  if (d === null) return '—';
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const a = Math.abs(d);
  if (unit === 'usd') return `${sign}$${a < 0.01 ? a.toFixed(5) : a.toFixed(4)}`;
  if (unit === 'ms') return `${sign}${formatDuration(a)}`;
  return `${sign}${a.toLocaleString('en')}`;
}

/** A replay step, named one way everywhere: its run agent and the sequence number of its first event. */
export interface StepId {
  runAgentId: string;
  sequence: number;
}

/** A step asked for: `token` tells one request from the next for the same step. */
export interface StepRequest extends StepId {
  token: number;
}

export function stepFragment({ runAgentId, sequence }: StepId): string {
  return `#replay/${encodeURIComponent(runAgentId)}/${sequence}`;
}

/** The step a URL fragment names, or null when it names none. */
export function parseStepFragment(hash: string): StepId | null {
  const m = /^#replay\/([^/]{1,512})\/(\d{1,15})$/.exec(hash);
  if (!m) return null;
  let runAgentId: string;
  try {
    runAgentId = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  const sequence = Number(m[2]);
  return runAgentId && Number.isSafeInteger(sequence) ? { runAgentId, sequence } : null;
}

/** The full link to a step of the bundle open in this window. */
export function stepLink(step: StepId): string {
  return `${location.href.split('#')[0]}${stepFragment(step)}`;
}
