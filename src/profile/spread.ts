/**
 * How much a function's own time moves between recordings of the same code, beyond sampling
 * noise. Pure.
 *
 * Sampling is not the only noise between two profiles. On a shared machine one function can run
 * slower for a while and the others not (a neighbour on the same core contending for the unit it
 * uses most, a JIT tier change, a collector phase): measured on the V8 profile workload
 * (docs/profiling.md), one function's share of the samples moved by up to ±25 % between eighths of
 * one recording, where sampling alone explains ±8 %. A change of that size between one base and
 * one head is no evidence of a code change, and a test that only knows sampling noise reports it.
 *
 * Three estimates, on the scale of ln(value), as extra variance beyond sampling (the noise rule
 * weighs it against the sampling variance, noise.ts):
 * - within each recording, from its blocks (ProfileTree.nodeBlocks): a function's counts in the
 *   recording's eighths against its share of the whole (quasi-Poisson dispersion, Pearson χ² with
 *   7 degrees of freedom), so the variance of the recording's count is φ·k instead of k;
 * - across the recordings of a side, when it has several (the bases of a stored history, the
 *   head recordings `perfgate profile diff` is given): each function's spread between them after
 *   their profile-wide factors, which also holds what persists through a whole process;
 * - for a single recording a side, the profiler's prior (PRIOR_SPREAD).
 * The first two are moderated toward the typical function's (limma's empirical Bayes: a
 * per-function estimate from few degrees of freedom is noisy, the typical one is not); the
 * largest applies.
 */
import { sortedMedian } from '../stats/median.js';

/**
 * Spread of a function's own time between processes that persists through a whole recording
 * (coefficient of variation), by profile source: what one base and one head cannot show, taken
 * when there is a single base (and as the floor of every function's spread across several). V8: the
 * workload's most variable function (`inner`) spread 0–5.9 % between fresh processes, depending on
 * the machine's state, steady through each recording, so its blocks do not show it. 4 % is the
 * least prior that met the A/A target on 190 real A/A pairs (docs/profiling.md, the table "Prior
 * spread … weighed"): 0.5 false changes per 100 pairs and a 1.3× function first in 64 % of 120
 * pairs, against 8.9 and 74 % without a prior and 0 and 52 % at 5 %. Other sources have no
 * prior: their spread (0–23 % in the Go and perf pools of the same day) is left to the
 * stored history to measure, since a prior that large would hide every 1.3× change.
 */
export const PRIOR_SPREAD: Readonly<Record<string, number>> = { v8: 0.04 };

/** The prior spread of a profile source (0 when none was measured). */
export function priorSpread(source: string | undefined): number {
  return source !== undefined ? (PRIOR_SPREAD[source] ?? 0) : 0;
}

/**
 * Extra variance of ln(head / base) by the prior alone, for `bases` base recordings pooled against
 * `heads` head recordings: what a flame graph's frames get (merged trees keep no blocks or
 * per-recording counts).
 */
export function priorVariance(source: string | undefined, bases = 1, heads = 1): number {
  return priorSpread(source) ** 2 * (1 / Math.max(1, heads) + 1 / Math.max(1, bases));
}

/** Samples a function needs (on a side, or in every base) for its own estimate. */
const MIN_SAMPLES = 40;
/** Functions needed to say what is typical (and to take out the bases' profile-wide factors). */
const MIN_FUNCTIONS = 3;
/** Weight of the typical function's estimate, in degrees of freedom (limma's d0). */
const PRIOR_DEGREES = 4;

/**
 * median(χ²_ν) / ν: a median of ν-degree variance estimates is this much below the variance
 * (exact for ν ≤ 7, beyond: Wilson–Hilferty).
 */
function chiSquareMedianRatio(nu: number): number {
  const table = [0.4549, 0.6931, 0.7887, 0.8392, 0.8703, 0.8914, 0.9065];
  return nu <= table.length ? table[nu - 1]! : (1 - 2 / (9 * nu)) ** 3;
}

/**
 * Each estimate moderated toward the typical one (median, unbiased for its degrees of freedom;
 * at least `floor`).
 */
function moderated(
  estimates: ReadonlyArray<number | undefined>,
  nu: number,
  floor = 0,
): number[] | undefined {
  const known = estimates.filter((e): e is number => e !== undefined).sort((a, b) => a - b);
  if (known.length < MIN_FUNCTIONS) return undefined;
  const typical = Math.max(floor, sortedMedian(known) / chiSquareMedianRatio(nu));
  return estimates.map((e) =>
    e === undefined ? typical : (PRIOR_DEGREES * typical + nu * e) / (PRIOR_DEGREES + nu),
  );
}

/**
 * Dispersion φ ≥ 1 of each function's count within one recording: `blocks[f]` its own samples in
 * each block, `totals` all samples in each block. Undefined when the recording has no blocks or
 * too few functions have enough samples to say.
 */
export function blockDispersions(
  blocks: ReadonlyArray<readonly number[] | undefined>,
  totals: readonly number[] | undefined,
): number[] | undefined {
  if (!totals || totals.length < 2) return undefined;
  const all = totals.reduce((sum, t) => sum + t, 0);
  if (!(all > 0)) return undefined;
  const nu = totals.length - 1;
  const estimates = blocks.map((counts) => {
    if (!counts || counts.length !== totals.length) return undefined;
    const k = counts.reduce((sum, c) => sum + c, 0);
    if (k < MIN_SAMPLES) return undefined;
    let chi2 = 0;
    counts.forEach((c, b) => {
      const expected = (k * totals[b]!) / all;
      if (expected > 0) chi2 += (c - expected) ** 2 / expected;
    });
    return chi2 / nu;
  });
  const result = moderated(estimates, nu);
  return result?.map((phi) => Math.max(1, phi));
}

/**
 * Extra variance of ln(value) of one side beyond sampling, from its recordings' dispersions:
 * side `counts[r]` (the function's own samples in recording r) with dispersion `phi[r]` pools to
 * Σ counts, of variance Σ φ·k instead of Σ k: on the ln scale (Σ (φ − 1)·k) / (Σ k)².
 */
export function pooledExtra(counts: readonly number[], phi: readonly number[]): number {
  const k = counts.reduce((sum, c) => sum + c, 0);
  if (!(k > 0)) return 0;
  return counts.reduce((sum, c, r) => sum + ((phi[r] ?? 1) - 1) * c, 0) / (k * k);
}

/** Recordings of one side: `counts[f][r]` function f's own samples in recording r. */
export interface RecordingGroup {
  counts: readonly (readonly number[])[];
  exposures: readonly number[];
}

/**
 * Extra variance of ln(head / base) beyond sampling for each function from its spread c between
 * processes: c² Σ w² over both sides' recordings, each side pooled with weights w (its
 * recordings' shares of its exposure): c² (1 + Σ w²) for one head against several bases, 2c²/n
 * for n recordings a side. c is measured where a side has at least two recordings (each side's
 * spread after its own profile-wide factors, the sides' estimates weighed by their degrees of
 * freedom), moderated toward the typical function's, and never below `prior`; else, and for a
 * function too rarely sampled, `prior`.
 */
export function acrossRecordings(groups: readonly RecordingGroup[], prior = 0): number[] {
  const functions = groups[0]?.counts.length ?? 0;
  let weights = 0;
  for (const g of groups) {
    const total = g.exposures.reduce((sum, e) => sum + e, 0);
    weights += total > 0 ? g.exposures.reduce((sum, e) => sum + (e / total) ** 2, 0) : 1;
  }
  const fromPrior = Array.from({ length: functions }, () => prior ** 2 * weights);
  const measured = groups
    .map((g) => ({ nu: g.exposures.length - 1, estimates: spreadEstimates(g.counts, g.exposures) }))
    .filter((m): m is { nu: number; estimates: Array<number | undefined> } => !!m.estimates);
  if (measured.length === 0) return fromPrior;
  const nu = measured.reduce((sum, m) => sum + m.nu, 0);
  const estimates = fromPrior.map((_, f) => {
    const known = measured.filter((m) => m.estimates[f] !== undefined);
    const df = known.reduce((sum, m) => sum + m.nu, 0);
    return df > 0 ? known.reduce((sum, m) => sum + m.nu * m.estimates[f]!, 0) / df : undefined;
  });
  // The prior is a floor for every function, not only for the typical one: a new process can be
  // off by more than a few recordings that happened to agree show.
  const spreads = moderated(estimates, nu, prior ** 2);
  return spreads ? spreads.map((c2) => Math.max(c2, prior ** 2) * weights) : fromPrior;
}

/**
 * Each function's squared spread c² across recordings (`perBase[f][r]` its own samples in
 * recording r, `exposures[r]` the recordings' exposures), after each recording's profile-wide
 * factor and beyond sampling, with recordings − 1 degrees of freedom, not moderated; undefined
 * for a function with too few samples in some recording, and altogether with fewer than two
 * recordings or too few functions sampled in all.
 */
export function spreadEstimates(
  perBase: readonly (readonly number[])[],
  exposures: readonly number[],
): Array<number | undefined> | undefined {
  const bases = exposures.length;
  if (bases < 2) return undefined;
  const usable = perBase.map(
    (counts) => counts.length === bases && counts.every((k) => k >= MIN_SAMPLES / 2),
  );
  const rows = perBase.filter((_, f) => usable[f]);
  if (rows.length < MIN_FUNCTIONS) return undefined;
  // ln values centred per function, then the recordings' profile-wide factors (the median
  // function's offset in each) taken out.
  const centred = rows.map((counts) => {
    const logs = counts.map((k, b) => Math.log(k / exposures[b]!));
    const mean = logs.reduce((sum, y) => sum + y, 0) / bases;
    return logs.map((y) => y - mean);
  });
  const offsets = exposures.map((_, b) =>
    sortedMedian(centred.map((row) => row[b]!).sort((x, y) => x - y)),
  );
  const meanOffset = offsets.reduce((sum, o) => sum + o, 0) / bases;
  const nu = bases - 1;
  let i = 0;
  return perBase.map((counts, f) => {
    if (!usable[f]) return undefined;
    const row = centred[i++]!;
    const squares = row.reduce((sum, y, b) => sum + (y - offsets[b]! + meanOffset) ** 2, 0);
    // Sampling's own part of the variance of ln k is 1/k.
    const sampling = counts.reduce((sum, k) => sum + 1 / k, 0) / bases;
    return Math.max(0, squares / nu - sampling);
  });
}
