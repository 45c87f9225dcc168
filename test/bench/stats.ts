/**
 * Small numeric helpers for the benchmark: percentiles over latency samples, medians over repeated runs, and
 * number formatting for the report. Kept free of I/O so the watcher child can import it cheaply.
 */

/** Nearest-rank percentile (p in [0, 100]) of samples; sorts a copy, so callers may keep appending. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** One sort for all three numbers (the watch report has up to a million samples). */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] ?? 0 };
}

/** Median of repeated measurements (the methodology of reference/environment.md §4: median of N runs). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Fixed-precision number for tables; NaN (metric not measured) prints as a dash. */
export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

/** Integer with thousands separators, for rates and counts. */
export function fmtInt(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return Math.round(value).toLocaleString('en-US');
}

/** kcp-ts ÷ raw etcd, printed as `0.62×`. */
export function ratio(kcp: number, raw: number): string {
  if (!Number.isFinite(kcp) || !Number.isFinite(raw) || raw === 0) return '–';
  return `${(kcp / raw).toFixed(2)}×`;
}

/** Wall clock with sub-millisecond resolution that is comparable across processes on one machine. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
