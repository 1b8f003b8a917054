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
 */
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

/**
 * Fits (s₀², d₀) by matching moments of ln s² (Smyth 2004, §6.2); null with fewer than
 * MIN_BENCHMARKS_FOR_PRIOR usable estimates. Zero variances carry no log and are left out.
 */
export function fitVariancePrior(estimates: readonly VarianceEstimate[]): VariancePrior | null {
  const usable = estimates.filter(
    (e) => e.df > 0 && e.variance > 0 && Number.isFinite(e.variance) && Number.isFinite(e.df),
  );
  const n = usable.length;
  if (n < MIN_BENCHMARKS_FOR_PRIOR) return null;
  // e = ln s² − ψ(d/2) + ln(d/2) has mean ln s₀² − ψ(d₀/2) + ln(d₀/2) and variance
  // ψ₁(d/2) + ψ₁(d₀/2).
  const e = usable.map((u) => Math.log(u.variance) - digamma(u.df / 2) + Math.log(u.df / 2));
  const mean = e.reduce((s, x) => s + x, 0) / n;
  let spread = e.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  spread -= usable.reduce((s, u) => s + trigamma(u.df / 2), 0) / n;
  // The prior is estimated from these benchmarks: it cannot know s₀² better than all their
  // degrees of freedom together. Uncapped, "all variances alike" gives d₀ = ∞ (the normal
  // quantile), which with 20 benchmarks × 4 df made the tail at alpha/m 1.5× too likely
  // (measured on the synthetic suites: 1.9 % of A/A pull requests failing at alpha 1 %).
  // The cap is on the certainty only: the scale s₀² stays the one fitted.
  const total = usable.reduce((s, u) => s + u.df, 0);
  if (!(spread > 0)) return { variance: Math.exp(mean), df: total };
  const fitted = 2 * trigammaInverse(spread);
  const variance = Math.exp(mean + digamma(fitted / 2) - Math.log(fitted / 2));
  return { variance, df: Math.min(fitted, total) };
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
