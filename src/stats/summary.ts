/** Summary statistics of samples; the Run's `stats` field (src/model/run.ts) has this shape. */
export interface Summary {
  n: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  sd: number;
  p99: number;
  rme: number;
}

/** Two-sided 95 % Student t critical values for 1..30 degrees of freedom. */
const T95 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788,
  2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639,
  2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];
const Z975 = 1.959963984540054;

/**
 * Two-sided 95 % critical value of Student's t with `df` degrees of freedom: a table up to 30,
 * then the Cornish-Fisher expansion around the normal quantile (error < 1e-4 there).
 */
export function tCritical95(df: number): number {
  if (!(df >= 1)) return Number.NaN;
  if (df <= T95.length) return T95[Math.floor(df) - 1];
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

/** Quantile `q` (0..1) of ascending `sorted` values, linear interpolation (R type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/**
 * Summary statistics of samples (any unit). sd is the sample standard deviation (n - 1);
 * rme is the 95 % margin of error of the mean (t-based), in percent of the mean.
 * Empty input gives all zeros (a benchmark that errored keeps a valid, JSON-safe record).
 */
export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  if (n === 0) return { n: 0, mean: 0, median: 0, min: 0, max: 0, sd: 0, p99: 0, rme: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / n;
  let squares = 0;
  for (const value of sorted) squares += (value - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const moe = n > 1 ? (tCritical95(n - 1) * sd) / Math.sqrt(n) : 0;
  return {
    n,
    mean,
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[n - 1],
    sd,
    p99: quantile(sorted, 0.99),
    rme: mean !== 0 ? Math.abs((moe / mean) * 100) : 0,
  };
}
