/**
 * Digamma, trigamma and tetragamma, and the inverse of trigamma. Pure.
 *
 * Needed by the empirical-Bayes pooling of variances (moderated-variance.ts): the log of a
 * sample variance with d degrees of freedom has mean ln σ² + ψ(d/2) − ln(d/2) and variance
 * ψ₁(d/2), which is how the prior's degrees of freedom are read off the spread of many
 * benchmarks' variances. Each function shifts x up by the recurrence until the asymptotic
 * series is accurate (x ≥ 6: error < 1e-10), then sums the series.
 */

const SHIFT_TO = 6;

/** ψ(x) = d/dx ln Γ(x), x > 0. */
export function digamma(x: number): number {
  let result = 0;
  while (x < SHIFT_TO) {
    result -= 1 / x;
    x += 1;
  }
  const inv2 = 1 / (x * x);
  return (
    result +
    Math.log(x) -
    0.5 / x -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))))
  );
}

/** ψ₁(x) = d²/dx² ln Γ(x), x > 0. */
export function trigamma(x: number): number {
  let result = 0;
  while (x < SHIFT_TO) {
    result += 1 / (x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    result +
    inv +
    inv2 / 2 +
    inv * inv2 * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 * (1 / 30 - (inv2 * 5) / 66))))
  );
}

/** ψ₂(x) = d³/dx³ ln Γ(x), x > 0 (the derivative Newton's method needs for trigammaInverse). */
export function tetragamma(x: number): number {
  let result = 0;
  while (x < SHIFT_TO) {
    result -= 2 / (x * x * x);
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  return (
    result -
    inv2 -
    inv2 * inv -
    inv2 * inv2 * (0.5 - inv2 * (1 / 6 - inv2 * (1 / 6 - (inv2 * 3) / 10)))
  );
}

/**
 * x such that ψ₁(x) = y, y > 0. Newton's method on 1/ψ₁, which is nearly linear in x (the
 * scheme of Smyth 2004, limma's `trigammaInverse`), started from x = ½ + 1/y.
 */
export function trigammaInverse(y: number): number {
  if (!(y > 0)) throw new RangeError(`trigammaInverse: y must be > 0, got ${y}`);
  if (y > 1e7) return 1 / Math.sqrt(y);
  if (y < 1e-6) return 1 / y;
  let x = 0.5 + 1 / y;
  for (let i = 0; i < 50; i++) {
    const tri = trigamma(x);
    const step = (tri * (1 - tri / y)) / tetragamma(x);
    x += step;
    if (-step / x < 1e-8) break;
  }
  return x;
}
