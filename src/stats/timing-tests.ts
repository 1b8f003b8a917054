/**
 * The timing tests with the fork as replicate. Pure.
 *
 * Three designs, one shape: an estimate of ln(head/base), the variance of one replicate with
 * its degrees of freedom (pooled across benchmarks by moderated-variance.ts), and the factor
 * that turns that variance into the estimate's variance. The test is Student's t.
 *
 * - forks (two Runs measured separately): fork levels of base and head, pooled two-sample t.
 *   It sees between-fork and within-fork noise (a fork's level carries both), not the
 *   difference between two moments or two machines.
 * - paired (`--against`): base and head forks run alternately as pairs on one machine;
 *   d = head level − base level per pair, one-sample t on d. Drift of the machine that
 *   touches both forks of a pair cancels in d.
 * - history (stored mode): the head's run level (mean of its fork levels) against the levels
 *   of the last main runs; the variance is the history's run-to-run variance, which already
 *   contains fork noise, machine noise and noise between runners: one test, no extra band.
 */
import { normalQuantile, normalSf } from './normal.js';
import { studentQuantile, studentSf } from './student-t.js';
import { mean, variance } from './fork-levels.js';
import { moderate, type VarianceEstimate, type VariancePrior } from './moderated-variance.js';

export type TimingDesign = 'forks' | 'paired' | 'history';

export interface Contrast {
  design: TimingDesign;
  /** ln(head / base). */
  estimate: number;
  /** Variance of one replicate and its df; df 0 when the benchmark has too few replicates. */
  own: VarianceEstimate;
  /** A variance component shared by every benchmark (the history's run effect): added to the
   * pooled own variance, degrees of freedom by Welch–Satterthwaite. */
  shared?: VarianceEstimate;
  /** Variance of the estimate = replicate variance × factor (+ known). */
  factor: number;
  /** A variance added to the estimate's, estimated from many benchmarks (no df of its own). */
  known?: number;
  /** Replicates behind it: forks per side, pairs, or history runs used. */
  replicates: { base: number; head: number };
  /**
   * Orientation as time: ln(time) = sign · ln(value); −1 for units where higher is better
   * (ops/s), where a slow runner lowers the value. Absent: 1. The history's run effects and the
   * head's shift are taken as time, so that ns and ops/s benchmarks agree on them.
   */
  sign?: 1 | -1;
}

/** Two-sample contrast of fork levels; null when a side has no fork. */
export function forksContrast(base: readonly number[], head: readonly number[]): Contrast | null {
  if (base.length === 0 || head.length === 0) return null;
  const df = base.length + head.length - 2;
  const pooled =
    df > 0 ? ((base.length - 1) * variance(base) + (head.length - 1) * variance(head)) / df : 0;
  return {
    design: 'forks',
    estimate: mean(head) - mean(base),
    own: { variance: pooled, df },
    factor: 1 / base.length + 1 / head.length,
    replicates: { base: base.length, head: head.length },
  };
}

/** Paired contrast of fork levels run as (base, head) pairs; null without pairs. */
export function pairedContrast(
  pairs: ReadonlyArray<{ base: number; head: number }>,
): Contrast | null {
  if (pairs.length === 0) return null;
  const d = pairs.map((p) => p.head - p.base);
  return {
    design: 'paired',
    estimate: mean(d),
    own: { variance: variance(d), df: d.length - 1 },
    factor: 1 / d.length,
    replicates: { base: d.length, head: d.length },
  };
}

/**
 * Runs of the history since its last step: a step is a jump between two consecutive runs
 * larger than STEP_LIMIT robust sds of the jumps (a commit on main that changed the speed).
 * Runs before it measure other code; mixing them in would shift the reference. With 5 runs the
 * robust sd comes from 4 jumps and is often small by chance: at 5 sds, 0.8 % of steady
 * benchmarks had a false step (simulated, normal noise), and the short segment left behind
 * flagged 10 % of them at p < 0.01. At 10 sds the false steps are 0.1 %; a real step of 30 %
 * over 2 % run noise is still about 10 sds.
 */
export const STEP_LIMIT = 10;

/** Newest-first levels of the history, cut at the newest step. */
export function currentSegment(levels: readonly number[]): number[] {
  if (levels.length < 3) return levels.slice();
  const jumps = levels.slice(1).map((l, i) => Math.abs(l - levels[i]));
  const sorted = [...jumps].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const mad = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  // MAD of |N(0, 2σ²)| = 0.6745·σ√2.
  const sd = mad / (normalQuantile(0.75) * Math.SQRT2);
  if (!(sd > 0)) return levels.slice();
  const step = jumps.findIndex((j) => j > STEP_LIMIT * sd * Math.SQRT2);
  return step === -1 ? levels.slice() : levels.slice(0, step + 1);
}

/** One benchmark in stored mode: its run levels in the history runs, and the head's. */
export interface HistoryLevels {
  /** Level (mean fork level) in each history run, newest first, aligned across benchmarks;
   * null where the run lacks the benchmark. */
  history: ReadonlyArray<number | null>;
  /** The head run's level. */
  head: number;
  /** −1 for a unit where higher is better (ops/s): its levels are turned into time. */
  sign?: 1 | -1;
}

/**
 * Head run levels against the history (stored mode), for all benchmarks of the comparison
 * together. A history run is slower or faster as a whole (its runner, its moment): that part is
 * shared by every benchmark, so it has only (runs − 1) degrees of freedom however many
 * benchmarks there are, and pooling it across benchmarks would pretend otherwise (measured:
 * 3–4 % of A/A pull requests failing at alpha = 1 %). So the run-to-run variance is split:
 * - the shared run effect c_r = median over benchmarks of their deviation in run r, as time
 *   (an ops/s level counts negated: a slow runner lowers it); its variance has (runs − 1) df
 *   and is added to every benchmark unpooled (`shared`);
 * - each benchmark's own run-to-run variance, of its level minus c_r, pooled across benchmarks.
 * The runner effect is never subtracted from the head: a pull request that slows everything
 * is a slowdown, not a slow runner. The reference is the mean of the current segment (runs
 * since the newest step), taken on the average runner: each segment run's level less its run
 * effect, plus the mean run effect of the whole history. Without a step that is the plain mean;
 * after a step it keeps a benchmark whose segment holds only a fast runner's runs from being
 * judged against a faster reference than the rest of the suite (whose shift it is compared
 * with). The head is a new draw, so the variance is σ²·(1 + 1/m).
 */
export function historyContrasts(cases: readonly HistoryLevels[]): Array<Contrast | null> {
  const segments = cases.map((c) => {
    const sign = c.sign ?? 1;
    const present = c.history.flatMap((level, run) =>
      level === null ? [] : [{ level: sign * level, run }],
    );
    const kept = currentSegment(present.map((p) => p.level)).length;
    const segment = present.slice(0, kept);
    return { sign, segment, centre: mean(segment.map((p) => p.level)) };
  });
  const runs = Math.max(0, ...cases.map((c) => c.history.length));
  // Deviation of each benchmark in each run from its centre, sorted per run.
  const byRun = Array.from({ length: runs }, (_, run) =>
    segments
      .flatMap((s, i) =>
        s.segment.filter((p) => p.run === run).map((p) => ({ i, d: p.level - s.centre })),
      )
      .sort((x, y) => x.d - y.d),
  );
  const effects: Array<number | null> = byRun.map((ds) =>
    ds.length > 0 ? medianOf(ds.map((x) => x.d)) : null,
  );
  const known = effects.filter((e): e is number => e !== null);
  const shared: VarianceEstimate = { variance: variance(known), df: known.length - 1 };
  // The run effects each benchmark's own variance is read against leave the benchmark out:
  // with it in, the median follows its own noise a little and the residuals understate its
  // variance (by about 5 % with 20 benchmarks, 8 % with 12). A run that only it has keeps
  // the whole effect (a suite of one benchmark: the run-to-run variance is all shared).
  const effectsWithout = (i: number): Array<number | null> =>
    byRun.map((ds, run) => {
      const k = ds.findIndex((x) => x.i === i);
      if (k === -1 || ds.length < 2) return effects[run];
      return medianWithout(
        ds.map((x) => x.d),
        k,
      );
    });

  return cases.map((c, i): Contrast | null => {
    const { sign, segment } = segments[i];
    const m = segment.length;
    if (m === 0) return null;
    const own = effectsWithout(i);
    const residuals = segment.map((p) => p.level - (own[p.run] ?? 0));
    // As time, on the average runner of the history (the mean run effect over all its runs).
    const knownOwn = own.filter((e): e is number => e !== null);
    const reference = mean(residuals) + (knownOwn.length > 0 ? mean(knownOwn) : 0);
    return {
      design: 'history',
      estimate: sign * (sign * c.head - reference),
      own: { variance: variance(residuals), df: m - 1 },
      ...(shared.df > 0 ? { shared } : {}),
      factor: 1 + 1 / m,
      replicates: { base: m, head: 1 },
      ...(sign === -1 ? { sign } : {}),
    };
  });
}

/** Fewest stored-mode benchmarks from which the head run's common shift is estimated. */
export const MIN_BENCHMARKS_FOR_SHIFT = 5;

/** Stored mode split into the head run's common shift and each benchmark's own change. */
export interface HistorySplit {
  /** Median over the benchmarks of their contrast as time (ln; positive: slower): the head
   * run's shift, all together. */
  shift: number;
  /** The shift against the spread of the history runs' shifts (their run effects). */
  shiftTest: TestResult;
  /** Per contrast (aligned; null where untested): the benchmark's own change, its contrast
   * less the median shift of the OTHER benchmarks (leave-one-out, as time), tested with its
   * own (moderated) variance plus the variance of that median. In the contrast's unit. */
  own: Array<TestResult | null>;
  /** Per contrast: the leave-one-out shift it was measured against (ln, as time). */
  reference: Array<number | null>;
  /** Benchmarks the shift was taken over. */
  benchmarks: number;
  /** History runs behind the shift test (run effects). */
  runs: number;
}

/**
 * The power of one stored-mode run is eaten by the runner: a history run is faster or slower
 * as a whole, and 5 runs give that shared part 4 degrees of freedom. But the head run's own
 * runner effect is visible in the head itself, as the shift common to its benchmarks (their
 * median contrast, robust to the few a pull request changes). So two questions, each tested
 * against the variance that belongs to it:
 * - did this benchmark move relative to the rest of its run? (contrast − the median shift of
 *   the other benchmarks, against the benchmark's own run-to-run variance, pooled across
 *   benchmarks: many degrees of freedom). Leave-one-out: with the benchmark in the median, its
 *   own change would pull the reference it is judged against, and the variance of the
 *   difference would not be the sum of the two (they would be correlated);
 * - did the run as a whole move? (the shift against the history's run effects, runs − 1 df).
 * Shifts are taken as time (contrast × sign), so ops/s and ns benchmarks agree on them.
 * A pull request that slows everything is caught by the second, with the power the runner's
 * noise allows; it is never subtracted away. Null with too few benchmarks or no run effect.
 */
export function splitHistory(
  contrasts: ReadonlyArray<Contrast | null>,
  /** The variance prior of each contrast (aligned), or one for all. */
  priors: ReadonlyArray<VariancePrior | null> | VariancePrior | null,
): HistorySplit | null {
  const priorOf = (i: number): VariancePrior | null =>
    isPriorList(priors) ? (priors[i] ?? null) : priors;
  const usable = contrasts.flatMap((c, i) => {
    if (c === null || c.design !== 'history' || c.shared === undefined) return [];
    const own = moderate(c.own, priorOf(i));
    if (own === null) return [];
    const v = own.variance * c.factor;
    const sign = c.sign ?? 1;
    return [{ i, c, sign, time: sign * c.estimate, precision: v > 0 ? 1 / Math.sqrt(v) : 0 }];
  });
  if (usable.length < MIN_BENCHMARKS_FOR_SHIFT) return null;
  const times = usable.map((u) => u.time);
  const shift = medianOf(times);
  const sorted = times.map((t, k) => ({ t, k })).sort((a, b) => a.t - b.t);
  const rank = new Array<number>(sorted.length);
  sorted.forEach((s, r) => (rank[s.k] = r));
  const values = sorted.map((s) => s.t);
  // Variance of the median of independent normals with unequal variances: 1/(4 f(m)²) with
  // f the mixture density at the median, ≈ (π/2) / (Σ 1/σ_k)², over the others.
  const precision = usable.reduce((sum, u) => sum + u.precision, 0);
  const shared = usable[0].c.shared!;
  const shiftTest = testContrast(
    {
      design: 'history',
      estimate: shift,
      own: shared,
      factor: 1 + 1 / (shared.df + 1),
      replicates: { base: shared.df + 1, head: 1 },
    },
    null,
  )!;
  const own: Array<TestResult | null> = contrasts.map(() => null);
  const reference: Array<number | null> = contrasts.map(() => null);
  usable.forEach((u, k) => {
    const others = precision - u.precision;
    const looShift = medianWithout(values, rank[k]);
    reference[u.i] = looShift;
    own[u.i] = testContrast(
      {
        design: 'history',
        estimate: u.c.estimate - u.sign * looShift,
        own: u.c.own,
        factor: u.c.factor,
        known: others > 0 ? Math.PI / 2 / others ** 2 : 0,
        replicates: u.c.replicates,
      },
      priorOf(u.i),
    );
  });
  return { shift, shiftTest, own, reference, benchmarks: usable.length, runs: shared.df + 1 };
}

/** Median of ascending `sorted` without its element at `skip`. */
function medianWithout(sorted: readonly number[], skip: number): number {
  const n = sorted.length - 1;
  const at = (j: number) => sorted[j < skip ? j : j + 1];
  const mid = n >> 1;
  return n % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

function isPriorList(
  priors: ReadonlyArray<VariancePrior | null> | VariancePrior | null,
): priors is ReadonlyArray<VariancePrior | null> {
  return Array.isArray(priors);
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface TestResult {
  design: TimingDesign;
  estimate: number;
  /** Standard error of the estimate (log scale). */
  se: number;
  df: number;
  /** Two-sided p-value. */
  pValue: number;
  /** 95 % interval of ln(head/base). */
  ci: [number, number];
}

/** Beyond this many degrees of freedom the t distribution is the normal one (to 1e-3). */
const NORMAL_DF = 1000;

function upperQuantile(p: number, df: number): number {
  return df > NORMAL_DF ? normalQuantile(p) : studentQuantile(p, df);
}

function twoSidedP(t: number, df: number): number {
  const tail = df > NORMAL_DF ? normalSf(Math.abs(t)) : studentSf(Math.abs(t), df);
  return Math.min(1, 2 * tail);
}

/**
 * Student's t test of a contrast with its variance moderated by the prior; null when there is
 * no variance to test with (one fork each side and no prior).
 */
export function testContrast(c: Contrast, prior: VariancePrior | null): TestResult | null {
  const own = moderate(c.own, prior);
  const v = own && c.shared ? satterthwaite(own, c.shared) : own;
  if (v === null) return null;
  const se = Math.sqrt(v.variance * c.factor + (c.known ?? 0));
  let pValue: number;
  if (se > 0) pValue = twoSidedP(c.estimate / se, v.df);
  else pValue = c.estimate === 0 ? 1 : 0; // no spread at all: any difference is certain
  const half = upperQuantile(0.975, v.df) * se;
  return {
    design: c.design,
    estimate: c.estimate,
    se,
    df: v.df,
    pValue,
    ci: [c.estimate - half, c.estimate + half],
  };
}

/** Sum of two independent variance estimates, with Welch–Satterthwaite degrees of freedom. */
export function satterthwaite(a: VarianceEstimate, b: VarianceEstimate): VarianceEstimate {
  const variance = a.variance + b.variance;
  if (!(variance > 0)) return { variance: 0, df: Math.min(a.df, b.df) };
  const denominator = a.variance ** 2 / a.df + b.variance ** 2 / b.df;
  return { variance, df: denominator > 0 ? variance ** 2 / denominator : Infinity };
}

/**
 * Minimum detectable change: the relative change that a two-sided test at level `alpha`
 * detects with probability `power`, given the standard error and degrees of freedom the test
 * has: (t₁₋α/₂ + t_power)·se on the log scale, returned as a fraction (0.05 = 5 %).
 */
export function minimumDetectableChange(
  se: number,
  df: number,
  alpha: number,
  power = 0.9,
): number {
  return Math.expm1((upperQuantile(1 - alpha / 2, df) + upperQuantile(power, df)) * se);
}
