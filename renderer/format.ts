// Small display helpers. Missing values are shown as missing, never as zero.
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

export function formatNumber(n: number | null | undefined, digits = 3): string | null {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: digits });
}

export function formatSigned(n: number | null | undefined, digits = 3): string | null {
  const s = formatNumber(n, digits);
  if (s === null) return null;
  return n! > 0 ? `+${s}` : s;
}

export function formatUsd(n: number | null | undefined): string | null {
  if (n === null || n === undefined || !Number.isFinite(n)) return null;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: n < 1 ? 4 : 2 })}`;
}

export function humanize(key: string): string {
  return key.replace(/[_-]+/g, ' ');
}

/** A worsening or threshold fraction as the percentage the gate's thresholds act on (0.07 -> "7.0%"). */
export function formatPercent(fraction: number | null | undefined, signed = false): string | null {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return null;
  const v = fraction * 100;
  const text = `${Math.abs(v) < 10 && !Number.isInteger(v) ? v.toFixed(1) : formatNumber(v, 1)}%`;
  return signed && v > 0 ? `+${text}` : text;
}
