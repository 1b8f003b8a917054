/**
 * Forks as replicates: a benchmark's samples cut into its forks, and one level per fork. Pure.
 *
 * V8 compiles the same code differently from one process to the next, so the samples of one
 * process are not independent replicates of "this code on this machine": the process is. The
 * level of a fork is ln(median of its samples): the median ignores GC pauses inside the fork,
 * the log makes changes relative (a 10 % slowdown is the same shift for a 10 ns and a 10 ms
 * benchmark) and makes the right-skewed spread of fork medians close to symmetric.
 */
import { median, sortedMedian } from './median.js';
import { normalQuantile } from './normal.js';

/**
 * The samples of each fork: `forks` holds the sample count of each fork in order (they
 * partition `samples`); without it the whole benchmark is one fork (a version-1 Run, a foreign
 * format).
 */
export function splitForks(
  samples: readonly number[],
  forks: readonly number[] | undefined,
): number[][] {
  if (forks === undefined || forks.length === 0) return [samples.slice()];
  const parts: number[][] = [];
  let start = 0;
  for (const count of forks) {
    parts.push(samples.slice(start, start + count));
    start += count;
  }
  return parts;
}

/** ln(median) of each fork with samples and a positive median. */
export function forkLevels(samples: readonly number[], forks?: readonly number[]): number[] {
  const levels: number[] = [];
  for (const part of splitForks(samples, forks)) {
    if (part.length === 0) continue;
    const m = median(part);
    if (m > 0 && Number.isFinite(m)) levels.push(Math.log(m));
  }
  return levels;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance (n − 1); 0 for fewer than two values. */
export function variance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  return squares / (values.length - 1);
}

/**
 * Forks of one side disagree beyond this between-fork spread (sd of the fork levels, as a
 * fraction: 0.1 ≈ fork medians typically ±10 % apart) → the benchmark is `unstable`. Steady
 * benchmarks measured here stay at a few percent; JIT-bimodal ones (a for-of loop compiled
 * two ways) reach 20–60 %.
 */
export const UNSTABLE_SPREAD = 0.1;

/**
 * An unstable benchmark fails the gate only for a change this many times its between-fork
 * spread (on the log scale). Two outcomes a ratio R apart, half the forks each, give a spread
 * of ln(R)/2; three spreads are 1.5·ln R, beyond the worst A/A split of such forks.
 */
export const UNSTABLE_FACTOR = 3;

/** Between-fork spread of ln levels as a fraction (expm1 of their sd); null for < 2 forks. */
export function forkSpread(levels: readonly number[]): number | null {
  if (levels.length < 2) return null;
  return Math.expm1(Math.sqrt(variance(levels)));
}

/** Robust sd of sorted values: the interquartile range over that of a standard normal. */
function robustSd(sorted: readonly number[]): number {
  const n = sorted.length;
  const q = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))];
  return (q(0.75) - q(0.25)) / (2 * normalQuantile(0.75));
}

/** Fewest samples in a fork from which its within-fork noise is read. */
const MIN_SAMPLES_FOR_NOISE = 4;

/**
 * Noise within a fork: the robust sd of ln samples inside each fork (how much one process's
 * rounds jitter), median over the forks; null when no fork has enough positive samples. A
 * quantity of the samples, not of the fork levels, so it can inform the between-fork variance
 * of a benchmark (docs/statistics.md, "variances pooled across benchmarks") without being it.
 */
export function withinForkNoise(
  samples: readonly number[],
  forks: readonly number[] | undefined,
): number | null {
  const sds = splitForks(samples, forks)
    .filter((f) => f.length >= MIN_SAMPLES_FOR_NOISE && f.every((x) => x > 0))
    .map((f) => robustSd(f.map(Math.log).sort((x, y) => x - y)))
    .sort((x, y) => x - y);
  return sds.length > 0 ? sortedMedian(sds) : null;
}

/** ln of the within-fork noise: the covariate the variance prior's scale is a line in. */
export function noiseCovariate(noise: number | null | undefined): number | null {
  return typeof noise === 'number' && noise > 0 ? Math.log(noise) : null;
}
