/**
 * The timing verdict of a whole comparison: every benchmark's contrast, variances pooled across
 * benchmarks of the same design, Student's t, Benjamini–Hochberg across the suite, the
 * threshold, the unstable rule, and each benchmark's minimum detectable change. Pure and
 * deterministic (no resampling: the same Runs always give the same verdict).
 */
import { benjaminiHochberg } from './benjamini-hochberg.js';
import {
  forkSpread,
  mean,
  noiseCovariate,
  UNSTABLE_FACTOR,
  UNSTABLE_SPREAD,
} from './fork-levels.js';
import { fitVariancePriors, type VariancePrior } from './moderated-variance.js';
import {
  forksContrast,
  historyContrasts,
  minimumDetectableChange,
  pairedContrast,
  splitHistory,
  testContrast,
  type Contrast,
  type TestResult,
  type TimingDesign,
} from './timing-tests.js';

/** What one benchmark brings, by design. All levels are ln(fork median). */
export type TimingData =
  | { design: 'forks'; base: readonly number[]; head: readonly number[] }
  | { design: 'paired'; pairs: ReadonlyArray<{ base: number; head: number }> }
  | {
      design: 'history';
      /** Run level (mean of its fork levels) in each history run, newest first, aligned across
       * the benchmarks of the comparison; null where a run lacks the benchmark. */
      history: ReadonlyArray<number | null>;
      /** Fork levels of the head run. */
      head: readonly number[];
      /** Fork levels of the newest history run (for the between-fork spread). */
      newest: readonly number[];
    };

export interface TimingCase {
  data: TimingData;
  direction: 'smaller' | 'bigger';
  /** Smallest relative change that matters (fraction). */
  threshold: number;
  /**
   * Noise within a fork (robust sd of ln samples, fork-levels.ts withinForkNoise): the
   * covariate along which the variance prior's scale is fitted; absent: one prior for all.
   */
  noise?: number | null;
}

export type TimingStatus = 'regression' | 'improvement' | 'unchanged' | 'noisy';

export interface TimingJudgement {
  status: TimingStatus;
  design: TimingDesign;
  /** head/base − 1 from the contrast (ratio of geometric means of fork medians). */
  change: number;
  /** 95 % interval of `change`; null when untested. */
  ci: [number, number] | null;
  /** Two-sided p-value of the benchmark's own test; null when no test was possible. */
  pValue: number | null;
  /** Benjamini–Hochberg adjusted p-value across the suite's tested benchmarks. */
  pAdjusted: number | null;
  /** Degrees of freedom of the test (after pooling). */
  df: number | null;
  /** Minimum detectable change (fraction) at 90 % power; null when untested. */
  mde: number | null;
  /** Largest between-fork spread of the two sides (fraction); null with < 2 forks a side. */
  spread: number | null;
  unstable: boolean;
  replicates: { base: number; head: number };
}

/**
 * Stored mode: the head run's shift common to its benchmarks (the median of their changes, as
 * time), tested against how much the history's runs moved as a whole. Each benchmark's own
 * change is judged beyond it; a significant shift counts for the benchmarks that moved with it.
 */
export interface TimingShift {
  /** The run's common change as time, head/history − 1 (positive: slower; for ops/s units too). */
  change: number;
  /** 95 % interval of `change`. */
  ci: [number, number];
  pValue: number;
  /** Adjusted with the benchmarks' own tests (one Benjamini–Hochberg family). */
  pAdjusted: number;
  /** pAdjusted < alpha. */
  significant: boolean;
  /** Benchmarks the shift is the median of. */
  benchmarks: number;
  /** History runs it is tested against. */
  runs: number;
}

export interface TimingVerdict {
  /** Aligned with the cases. */
  judgements: TimingJudgement[];
  /** Null outside stored mode or with too few benchmarks to take a shift. */
  shift: TimingShift | null;
}

/** Power at which the minimum detectable change is stated. */
export const MDE_POWER = 0.9;

function contrastsOf(cases: readonly TimingCase[]): Array<Contrast | null> {
  const contrasts = cases.map((c) =>
    c.data.design === 'forks'
      ? forksContrast(c.data.base, c.data.head)
      : c.data.design === 'paired'
        ? pairedContrast(c.data.pairs)
        : null,
  );
  // Stored mode is judged for all benchmarks at once: the history's run effect is shared.
  const history = cases.flatMap((c, i) =>
    c.data.design === 'history' && c.data.head.length > 0 ? [{ i, data: c.data }] : [],
  );
  const stored = historyContrasts(
    history.map(({ i, data }) => ({
      history: data.history,
      head: mean(data.head),
      ...(cases[i].direction === 'bigger' ? { sign: -1 as const } : {}),
    })),
  );
  history.forEach(({ i }, k) => (contrasts[i] = stored[k]));
  return contrasts;
}

/**
 * Between-fork spread: the larger of the two sides'. In pairs, the spread of the differences
 * over √2 (the per-fork spread when both sides vary alike), so that machine drift shared by
 * the forks of a pair, which the paired model cancels, does not count as fork disagreement.
 */
function spreadOf(data: TimingData): number | null {
  if (data.design === 'paired') {
    const spread = forkSpread(data.pairs.map((p) => (p.head - p.base) / Math.SQRT2));
    return spread;
  }
  const sides = data.design === 'forks' ? [data.base, data.head] : [data.newest, data.head];
  const spreads = sides.map(forkSpread).filter((s): s is number => s !== null);
  return spreads.length > 0 ? Math.max(...spreads) : null;
}

/** Judges every case of one comparison together (pooling and BH need them all). */
export function judgeTiming(cases: readonly TimingCase[], alpha: number): TimingVerdict {
  const contrasts = contrastsOf(cases);
  // One prior per benchmark, fitted across the benchmarks of its design, its scale following
  // the benchmark's within-fork noise (steady and unsteady benchmarks do not share a scale).
  const priors: Array<VariancePrior | null> = contrasts.map(() => null);
  for (const design of ['forks', 'paired', 'history'] as const) {
    const indices = contrasts.flatMap((c, i) => (c?.design === design ? [i] : []));
    const fitted = fitVariancePriors(
      indices.map((i) => contrasts[i]!.own),
      indices.map((i) => noiseCovariate(cases[i].noise)),
    );
    indices.forEach((i, k) => (priors[i] = fitted[k]));
  }
  const tests: Array<TestResult | null> = contrasts.map((c, i) =>
    c === null ? null : testContrast(c, priors[i]),
  );
  // Stored mode: each benchmark's own change and the run's common shift, one family for BH.
  const split = splitHistory(contrasts, priors);
  const decisive = tests.map((t, i) => split?.own[i] ?? t);
  const tested = decisive.flatMap((t, i) => (t === null ? [] : [i]));
  const family = tested.map((i) => decisive[i]!.pValue);
  if (split) family.push(split.shiftTest.pValue);
  const adjusted = benjaminiHochberg(family);
  const pAdjusted = new Map(tested.map((i, k) => [i, adjusted[k]]));
  const shiftAdjusted = split ? adjusted[adjusted.length - 1] : null;
  // MDE at the level a single changed benchmark must reach under BH (alpha/m): what the gate
  // can see in this suite, not what one benchmark alone could.
  const mdeAlpha = alpha / Math.max(1, family.length);

  const judgements = cases.map((c, i): TimingJudgement => {
    const contrast = contrasts[i];
    const test = tests[i];
    const own = decisive[i];
    const estimate = contrast?.estimate ?? 0;
    const change = Math.expm1(estimate);
    const spread = spreadOf(c.data);
    const unstable = spread !== null && spread > UNSTABLE_SPREAD;
    let p = pAdjusted.get(i) ?? null;
    // The benchmark's own change counts in the direction of its whole change; so does the
    // run's shift, when it is significant (a pull request that slows everything).
    if (split?.own[i] && Math.sign(split.own[i]!.estimate) !== Math.sign(estimate)) p = null;
    // The shift is time: an ops/s benchmark moves with a slowdown when its value falls.
    const time = (contrast?.sign ?? 1) * estimate;
    if (split && shiftAdjusted! < alpha && Math.sign(split.shift) === Math.sign(time)) {
      p = Math.min(p ?? 1, shiftAdjusted!);
    }

    const worse = c.direction === 'smaller' ? estimate > 0 : estimate < 0;
    const beyond = Math.abs(change) > c.threshold;
    let status: TimingStatus = 'unchanged';
    if (own !== null && p !== null && p < alpha && beyond && estimate !== 0) {
      status = worse ? 'regression' : 'improvement';
      // Forks that disagree make the t test's normal model doubtful: only a change well beyond
      // their spread counts.
      if (unstable && Math.abs(estimate) <= UNSTABLE_FACTOR * Math.log1p(spread)) status = 'noisy';
    }
    return {
      status,
      design: contrast?.design ?? c.data.design,
      change,
      // The interval of the whole change keeps the runner's noise: it is what one run shows.
      ci: test ? [Math.expm1(test.ci[0]), Math.expm1(test.ci[1])] : null,
      pValue: own?.pValue ?? null,
      pAdjusted: pAdjusted.get(i) ?? null,
      df: own?.df ?? null,
      mde: own ? minimumDetectableChange(own.se, own.df, mdeAlpha, MDE_POWER) : null,
      spread,
      unstable,
      replicates: contrast?.replicates ?? { base: 0, head: 0 },
    };
  });
  const shift: TimingShift | null = split
    ? {
        change: Math.expm1(split.shift),
        ci: [Math.expm1(split.shiftTest.ci[0]), Math.expm1(split.shiftTest.ci[1])],
        pValue: split.shiftTest.pValue,
        pAdjusted: shiftAdjusted!,
        significant: shiftAdjusted! < alpha,
        benchmarks: split.benchmarks,
        runs: split.runs,
      }
    : null;
  return { judgements, shift };
}
