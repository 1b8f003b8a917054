/**
 * Variances pooled across benchmarks: empirical-Bayes moderation (Smyth 2004, "Linear models
 * and empirical Bayes methods for assessing differential expression", the method of limma).
 * Pure.
 *
 * With 3–5 forks, or 5 runs of history, a benchmark's own variance has 2–4 degrees of freedom:
 * the t quantile at alpha = 1 % is then 4.6–9.9 and a test sees only very large changes. But
 * the benchmarks of one suite measured on one machine have related variances. Treat each
 * benchmark's true variance as drawn from a scaled inverse-χ² prior (s₀², d₀) fitted to all of
 * them; each benchmark's variance is then shrunk towards s₀²,
 *   s̃² = (d₀·s₀² + d·s²) / (d₀ + d),   with d₀ + d degrees of freedom,
 * and its t statistic keeps the t distribution with d₀ + d degrees of freedom. When the
 * benchmarks' variances really differ (a JIT-bimodal one next to steady ones), d₀ comes out
 * small and each benchmark keeps mostly its own variance; when they agree, d₀ is large.
 *
 * With a covariate (`fitVariancePriors`), the prior's scale follows it (Smyth's "limma-trend",
 * Law et al. 2014): ln s₀² is a line in the covariate, and d₀ comes from the spread around the
 * line. Measured on a real suite on an idle machine, between-fork sds ran from 1 % (a hash
 * loop) to 90 % (a for-of sum V8 compiles three ways); one prior for all of them gave the steady
 * benchmarks the variance of the unsteady ones (a 1.5 % benchmark stated an MDE of 26 %).
 */
import { normalQuantile } from './normal.js';
import { digamma, trigamma, trigammaInverse } from './polygamma.js';

export interface VarianceEstimate {
  /** Sample variance (of log-scale values). */
  variance: number;
  /** Its degrees of freedom (0: no estimate of its own). */
  df: number;
}

/** The prior fitted across benchmarks; df at most the benchmarks' df together. */
export type VariancePrior = VarianceEstimate;

/** Fewest benchmarks with a positive variance from which a prior is fitted. */
export const MIN_BENCHMARKS_FOR_PRIOR = 3;

/** An estimate with a variance and df of its own, both finite (zero variances carry no log). */
function usable(e: VarianceEstimate): boolean {
  return e.df > 0 && e.variance > 0 && Number.isFinite(e.variance) && Number.isFinite(e.df);
}

/**
 * e = ln s² − ψ(d/2) + ln(d/2): its mean is ln s₀² − ψ(d₀/2) + ln(d₀/2) and its variance
 * ψ₁(d/2) + ψ₁(d₀/2), of which ψ₁(d/2) is sampling (the moments both fits match).
 */
function logVariance(u: VarianceEstimate): number {
  return Math.log(u.variance) - digamma(u.df / 2) + Math.log(u.df / 2);
}

/** The sampling part of the spread of e, averaged over the estimates. */
function samplingSpread(estimates: readonly VarianceEstimate[]): number {
  return estimates.reduce((s, u) => s + trigamma(u.df / 2), 0) / estimates.length;
}

/**
 * Fits (s₀², d₀) by matching moments of ln s² (Smyth 2004, §6.2); null with fewer than
 * MIN_BENCHMARKS_FOR_PRIOR usable estimates. Zero variances carry no log and are left out.
 */
export function fitVariancePrior(estimates: readonly VarianceEstimate[]): VariancePrior | null {
  const fitted = estimates.filter(usable);
  const n = fitted.length;
  if (n < MIN_BENCHMARKS_FOR_PRIOR) return null;
  const e = fitted.map(logVariance);
  const mean = e.reduce((s, x) => s + x, 0) / n;
  const spread = e.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) - samplingSpread(fitted);
  // The prior is estimated from these benchmarks: it cannot know s₀² better than all their
  // degrees of freedom together. Uncapped, "all variances alike" gives d₀ = ∞ (the normal
  // quantile), which with 20 benchmarks × 4 df made the tail at alpha/m 1.5× too likely
  // (measured on the synthetic suites: 1.9 % of A/A pull requests failing at alpha 1 %).
  // The cap is on the certainty only: the scale s₀² stays the one fitted.
  const total = fitted.reduce((s, u) => s + u.df, 0);
  if (!(spread > 0)) return { variance: Math.exp(mean), df: total };
  const d0 = 2 * trigammaInverse(spread);
  const variance = Math.exp(mean + digamma(d0 / 2) - Math.log(d0 / 2));
  return { variance, df: Math.min(d0, total) };
}

/** The benchmark's variance shrunk towards the prior; without a prior, its own. */
export function moderate(
  own: VarianceEstimate | null,
  prior: VariancePrior | null,
): VarianceEstimate | null {
  if (prior === null) return own !== null && own.df > 0 ? own : null;
  if (own === null || own.df <= 0) return prior;
  if (prior.df === Infinity) return { variance: prior.variance, df: Infinity };
  const df = prior.df + own.df;
  return { variance: (prior.df * prior.variance + own.df * own.variance) / df, df };
}

/**
 * k / χ²₀.₁₀(k) (Wilson–Hilferty): a spread estimated with k degrees of freedom, times this, is
 * its 90 % upper bound.
 */
function upperBoundFactor(k: number): number {
  const c = 2 / (9 * k);
  return 1 / (1 - c - normalQuantile(0.9) * Math.sqrt(c)) ** 3;
}

/** Fewest usable benchmarks for a prior whose scale follows a covariate (a line needs more). */
export const MIN_BENCHMARKS_FOR_TREND = 6;

/**
 * One prior per estimate, its scale a line in `covariates` (aligned with `estimates`, e.g. the
 * ln within-fork noise of each benchmark): `fitVariancePrior` when there are too few usable
 * estimates with a covariate, or the covariate does not vary. Estimates without a usable
 * covariate get the prior of the mean covariate.
 */
export function fitVariancePriors(
  estimates: readonly VarianceEstimate[],
  covariates: ReadonlyArray<number | null | undefined>,
): Array<VariancePrior | null> {
  const flat = () => {
    const prior = fitVariancePrior(estimates);
    return estimates.map(() => prior);
  };
  const points = estimates.flatMap((u, i) => {
    const x = covariates[i];
    return usable(u) && typeof x === 'number' && Number.isFinite(x) ? [{ ...u, x }] : [];
  });
  const n = points.length;
  if (n < MIN_BENCHMARKS_FOR_TREND) return flat();
  const e = points.map(logVariance);
  const mx = points.reduce((s, u) => s + u.x, 0) / n;
  const me = e.reduce((s, x) => s + x, 0) / n;
  let sxx = 0;
  let sxe = 0;
  points.forEach((u, i) => {
    sxx += (u.x - mx) ** 2;
    sxe += (u.x - mx) * (e[i] - me);
  });
  if (!(sxx > 1e-12)) return flat();
  const slope = sxe / sxx;
  const line = (x: number) => me + slope * (x - mx);
  // Spread around the line (n − 2 df: two parameters fitted) minus the sampling part.
  const residual = points.reduce((s, u, i) => s + (e[i] - line(u.x)) ** 2, 0) / (n - 2);
  const sampling = samplingSpread(points);
  const total = points.reduce((s, u) => s + u.df, 0);
  // Not extrapolated: a covariate beyond the fitted ones gets the prior at the nearest end.
  const low = Math.min(...points.map((u) => u.x));
  const high = Math.max(...points.map((u) => u.x));
  return estimates.map((_, i) => {
    const x = covariates[i];
    const at = typeof x === 'number' && Number.isFinite(x) ? Math.min(high, Math.max(low, x)) : mx;
    // The line is an estimate too: at `at` its error adds residual·(1/n + (at − x̄)²/Sxx) to
    // the spread of ln σ² around it (a prediction, not a known mean): the ends are less sure.
    // And the residual spread itself comes from n − 2 df: its 90 % upper bound is used. With
    // the point estimate, 1.6 % of simulated A/A pull requests failed at alpha 1 % (benchmarks
    // whose within-fork noise understated their fork noise got too small a prior); with the
    // bound, 0.8 % (eval/timing/heterogeneous.ts).
    const spread =
      upperBoundFactor(n - 2) * residual * (1 + 1 / n + (at - mx) ** 2 / sxx) - sampling;
    // As in fitVariancePrior: the scale from the fitted d₀, the certainty capped at what the
    // data behind the line at `at` hold: Σ d over the line's leverage there, n·(1/n + …).
    const fitted = spread > 0 ? 2 * trigammaInverse(spread) : Infinity;
    const shift = Number.isFinite(fitted) ? digamma(fitted / 2) - Math.log(fitted / 2) : 0;
    const cap = total / (1 + (n * (at - mx) ** 2) / sxx);
    return { variance: Math.exp(line(at) + shift), df: Math.min(fitted, cap) };
  });
}
