/**
 * Medians and the distribution-free interval for a ratio of medians. Pure.
 *
 * Interval: Price & Bonett (2002), "Distribution-free confidence intervals for difference and
 * ratio of medians", J. Statist. Comput. Simul. 72(2). The standard error of each sample's
 * log-median is read off the order statistics that bracket the median (the classic binomial
 * interval for a median, converted to a normal-scale width), and the two are combined:
 *   ln(m_head / m_base) ± z · sqrt(se_base² + se_head²)
 * No distribution is assumed (no normality, no equal shapes), it costs O(1) on sorted samples,
 * and it is centred on the same ratio of medians that `change` reports.
 */
import { normalQuantile } from './normal.js';

/** Median of an ascending sample. */
export function sortedMedian(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Median of an unsorted sample without sorting it: quickselect on a copy, O(n). Used for the
 * medians of the history runs, where only the centre is needed.
 */
export function median(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return NaN;
  const a = new Float64Array(values);
  const upper = select(a, n >> 1);
  if (n % 2 === 1) return upper;
  // Lower middle: the largest value left of the upper one (select partitions around it).
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/** k-th smallest (0-based) of `a`, which is reordered (Hoare's selection, median of three). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Ascending copy (typed array: numeric sort, compact). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return new Float64Array(values).sort();
}

const zByN = new Map<number, number>();

/**
 * Rank c of the lower bracketing order statistic, and the normal quantile matching the exact
 * coverage of [Y(c), Y(n-c+1)] as an interval for the median: 1 - 2·P(Bin(n, ½) ≤ c-1).
 */
function bracket(n: number): { c: number; z: number } {
  const c = Math.max(1, Math.round((n + 1) / 2 - Math.sqrt(n)));
  let z = zByN.get(n);
  if (z === undefined) {
    // P(Bin(n, ½) ≤ c-1), summed in logs (n can be large).
    let logTerm = -n * Math.LN2; // log C(n,0)·2^-n
    let tail = 0;
    for (let i = 0; i <= c - 1; i++) {
      tail += Math.exp(logTerm);
      logTerm += Math.log(n - i) - Math.log(i + 1);
    }
    z = normalQuantile(Math.min(1 - 1e-12, 1 - tail));
    zByN.set(n, z);
  }
  return { c, z };
}

/**
 * Standard error of ln(median) of an ascending sample; null when it cannot be estimated
 * (n < 2, or a median that is not positive).
 */
export function logMedianStandardError(sorted: ArrayLike<number>): number | null {
  const n = sorted.length;
  if (n < 2) return null;
  const median = sortedMedian(sorted);
  if (!(median > 0)) return null;
  const { c, z } = bracket(n);
  const low = sorted[c - 1];
  const high = sorted[n - c];
  if (!(z > 0)) return null;
  if (low > 0) return (Math.log(high) - Math.log(low)) / (2 * z);
  // Zero or negative order statistic: delta method on the raw scale, se(ln m) ≈ se(m) / m.
  return (high - low) / (2 * z * median);
}

/**
 * Confidence interval of head/base - 1 (same scale as `change`), or null when a side has too
 * few samples or a non-positive median.
 */
export function ratioInterval(
  base: ArrayLike<number>,
  head: ArrayLike<number>,
  confidence = 0.95,
): [number, number] | null {
  const seBase = logMedianStandardError(base);
  const seHead = logMedianStandardError(head);
  if (seBase === null || seHead === null) return null;
  const logRatio = Math.log(sortedMedian(head)) - Math.log(sortedMedian(base));
  const halfWidth = normalQuantile(1 - (1 - confidence) / 2) * Math.hypot(seBase, seHead);
  return [Math.expm1(logRatio - halfWidth), Math.expm1(logRatio + halfWidth)];
}
