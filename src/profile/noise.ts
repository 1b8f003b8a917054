/**
 * Is a function's change beyond sampling noise? Judged from the sample counts.
 *
 * A sampling profiler's count for a function is (close to) Poisson: k ≈ Poisson(t · e), where t is
 * the function's time per op and e the exposure (samples per unit of time per op). Given
 * n = k_base + k_head, under "no change" k_head ~ Binomial(n, e_head / (e_base + e_head)): the
 * conditional test for two Poisson rates. "No change" can also be taken relative to the typical
 * function (see NullReference), which is robust to a profile-wide factor. Real profiles vary a bit more than Poisson between runs
 * (JIT tiers, GC timing, caches), so the variance is scaled by a dispersion factor φ ≥ 1
 * estimated from the functions themselves when there are enough of them (quasi-Poisson: median
 * z² around the typical ratio, so a change of the whole profile does not mask itself), or by a
 * count's own between-recording variance (CountPair.extraVariance, spread.ts) when that is
 * larger: one function can vary between processes while the typical one does not. Many
 * functions are tested at once, so p-values are Holm-adjusted. Pure.
 */
import { sortedMedian } from '../stats/median.js';

export interface CountPair {
  base: number;
  head: number;
  /**
   * Variance of ln(head value / base value) beyond sampling noise: how much the value moves
   * between recordings of the same code (spread.ts). 0 when absent.
   */
  extraVariance?: number;
}

export interface NoiseOptions {
  /** Family-wise error rate over all functions of one profile pair. */
  alpha?: number;
}

/**
 * What "no change" means: 'exposure' = the same value per exposure on both sides; 'typical' =
 * the same ratio as the typical (median) function, which takes out a profile-wide factor (a
 * slower or busier machine, a longer recording) and assumes most functions did not change.
 */
export type NullReference = 'exposure' | 'typical';

export const DEFAULT_PROFILE_ALPHA = 0.01;
/** Median of χ²(1): E[median z²] for a well-calibrated test. */
const CHI2_1_MEDIAN = 0.4549364231195724;
/** Functions with fewer pooled samples than this do not inform the dispersion estimate. */
const MIN_SAMPLES_FOR_DISPERSION = 20;
/** A median of fewer χ² values is too noisy to scale the variance by. */
const MIN_FUNCTIONS_FOR_DISPERSION = 5;

/** Upper tail of the standard normal, accurate to ~1e-7 (Abramowitz & Stegun 7.1.26 on erfc). */
export function normalSf(z: number): number {
  if (z < 0) return 1 - normalSf(-z);
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * poly * Math.exp(-x * x);
}

function zScore(k: CountPair, p: number, dispersion: number, continuity: boolean): number {
  const n = k.base + k.head;
  if (n === 0 || p <= 0 || p >= 1) return 0;
  const diff = Math.abs(k.head - n * p) - (continuity ? 0.5 : 0);
  return Math.max(0, diff) / Math.sqrt(dispersion * n * p * (1 - p));
}

/**
 * The variance factor of one count pair: the profile's dispersion φ, or the sampling variance plus
 * the pair's between-recording variance, whichever is larger. On the ln scale the sampling
 * variance is 1/(n·p·(1−p)), so an extra variance V is a factor 1 + V·n·p·(1−p) (the larger of the
 * two rather than their sum: φ, measured on the pair itself, already holds part of the spread).
 */
function varianceFactor(k: CountPair, p: number, phi: number): number {
  const n = k.base + k.head;
  return Math.max(phi, 1 + (k.extraVariance ?? 0) * n * p * (1 - p));
}

function informative(counts: readonly CountPair[]): CountPair[] {
  return counts.filter((k) => k.base + k.head >= MIN_SAMPLES_FOR_DISPERSION);
}

/** Functions with enough samples to say what is typical. */
export const MIN_FUNCTIONS_FOR_TYPICAL = 3;
/**
 * Samples the typical functions need on each side for their ratio to be a reference: with fewer,
 * the reference itself is uncertain by more than ±14 % (1/√100 + 1/√100 on the ln scale), more than
 * any function's spread between recordings, and a function that holds the rest of the profile
 * would be judged against a few start-up functions' noise.
 */
export const MIN_SAMPLES_FOR_TYPICAL = 100;

/**
 * The typical function's head share k_head / (k_base + k_head): starting from the median over
 * the functions with enough samples, pooled over those that agree with it (|z| ≤ 3), iterated —
 * a robust estimate that uses all the samples of the unchanged majority. Undefined with fewer than
 * `minFunctions`, or when the agreeing functions hold fewer than MIN_SAMPLES_FOR_TYPICAL samples
 * on a side.
 */
export function typicalShare(
  counts: readonly CountPair[],
  minFunctions = MIN_FUNCTIONS_FOR_TYPICAL,
): number | undefined {
  const enough = informative(counts);
  if (enough.length < minFunctions) return undefined;
  const pooled = (list: CountPair[]) => {
    let head = 0;
    let base = 0;
    for (const k of list) {
      head += k.head;
      base += k.base;
    }
    return { head, base };
  };
  // Start from the median share (robust to the changed functions, which can hold most of the
  // samples), then pool the functions that agree with it, and iterate. From the second round a
  // function is judged against the pool without itself: a large changed function must not vouch
  // for itself (pooled, its own samples would pull the share toward it and keep it in).
  const shares = enough.map((k) => k.head / (k.base + k.head)).sort((a, b) => a - b);
  const clamp = (q: number) => Math.min(0.99, Math.max(0.01, q));
  let kept = enough.filter((k) => Math.abs(signedZ(k, clamp(sortedMedian(shares)))) <= OUTLIER_Z);
  if (kept.length === 0) kept = enough;
  for (let round = 0; round < 5; round += 1) {
    const sums = pooled(kept);
    const inPool = new Set(kept);
    const agreeing = enough.filter((k) => {
      const head = sums.head - (inPool.has(k) ? k.head : 0);
      const all = sums.head + sums.base - (inPool.has(k) ? k.head + k.base : 0);
      return all > 0 && Math.abs(signedZ(k, clamp(head / all))) <= OUTLIER_Z;
    });
    if (agreeing.length === 0) break;
    const same = agreeing.length === kept.length && agreeing.every((k) => inPool.has(k));
    kept = agreeing;
    if (same) break;
  }
  const sums = pooled(kept);
  if (Math.min(sums.base, sums.head) < MIN_SAMPLES_FOR_TYPICAL) return undefined;
  return clamp(sums.head / (sums.head + sums.base));
}

const OUTLIER_Z = 3;

function signedZ(k: CountPair, p: number): number {
  const n = k.base + k.head;
  return n === 0 ? 0 : (k.head - n * p) / Math.sqrt(n * p * (1 - p));
}

/**
 * Dispersion φ ≥ 1 of the counts around the typical ratio (a profile-wide change moves every
 * function and is not noise).
 */
export function dispersion(counts: readonly CountPair[]): number {
  const typical = typicalShare(counts, MIN_FUNCTIONS_FOR_DISPERSION);
  if (typical === undefined) return 1;
  const z2 = informative(counts)
    .map((k) => zScore(k, typical, 1, false) ** 2)
    .sort((a, b) => a - b);
  return Math.max(1, (z2.length > 0 ? sortedMedian(z2) : 0) / CHI2_1_MEDIAN);
}

/**
 * For each function's counts, whether its change is significant, and its Holm-adjusted p-value.
 * `exposure` are the two sides' exposures (counts per unit of the compared value).
 */
/** The null share of head and the dispersion for a set of counts. */
export function nullModel(
  counts: readonly CountPair[],
  exposure: CountPair,
  reference: NullReference = 'exposure',
): { p: number; phi: number } {
  const byExposure = exposure.head / (exposure.base + exposure.head);
  const p = reference === 'typical' ? (typicalShare(counts) ?? byExposure) : byExposure;
  return { p, phi: dispersion(counts) };
}

export function significantChanges(
  counts: readonly CountPair[],
  exposure: CountPair,
  options: NoiseOptions & {
    reference?: NullReference;
    /** Use this null share and dispersion instead of estimating them from `counts`. */
    fixed?: { p: number; phi: number };
  } = {},
): Array<{ significant: boolean; pValue: number }> {
  const alpha = options.alpha ?? DEFAULT_PROFILE_ALPHA;
  const { p, phi } = options.fixed ?? nullModel(counts, exposure, options.reference);
  const raw = counts.map((k) => 2 * normalSf(zScore(k, p, varianceFactor(k, p, phi), true)));
  // Tarone: a function with too few samples could not reach significance even if all of them
  // fell on one side; leaving it out of the family keeps it from diluting the correction.
  const best = counts.map((k) => {
    const n = k.base + k.head;
    const extreme = { base: p <= 0.5 ? 0 : n, head: p <= 0.5 ? n : 0 };
    return 2 * normalSf(zScore(extreme, p, varianceFactor(k, p, phi), true));
  });
  const sortedBest = [...best].sort((a, b) => a - b);
  let family = counts.length;
  let testable = sortedBest.length;
  for (let size = 1; size <= counts.length; size += 1) {
    while (testable > 0 && sortedBest[testable - 1] > alpha / size) testable -= 1;
    if (testable <= size) {
      family = Math.max(1, testable);
      break;
    }
  }
  const tested = counts.map((_, i) => best[i] <= alpha / family);
  const order = raw
    .map((_, i) => i)
    .filter((i) => tested[i])
    .sort((a, b) => raw[a] - raw[b]);
  const m = order.length;
  const result = raw.map(() => ({ significant: false, pValue: 1 }));
  // Holm: the i-th smallest p-value (0-based) is compared with alpha / (m - i), stopping at the first failure.
  let running = 0;
  let stopped = false;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, raw[index] * (m - rank)));
    result[index].pValue = running;
    if (!stopped && raw[index] <= alpha / (m - rank)) result[index].significant = true;
    else stopped = true;
  });
  return result;
}
