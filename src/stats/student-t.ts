/** Student's t distribution: quantile for any degrees of freedom. Pure. */
import { normalQuantile } from './normal.js';

/** ln Γ(x), Lanczos approximation (g = 7, n = 9), relative error ~1e-15. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-14) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(a, b, x)) / a
    : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T > t) for t ≥ 0 with `df` degrees of freedom. */
export function studentSf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

const cache = new Map<string, number>();

/** t such that P(T ≤ t) = p, for 0.5 ≤ p < 1 (upper quantiles: all perfgate needs). */
export function studentQuantile(p: number, df: number): number {
  if (!(p >= 0.5 && p < 1) || !(df > 0)) {
    throw new RangeError(`studentQuantile: need 0.5 ≤ p < 1 and df > 0, got p=${p}, df=${df}`);
  }
  const key = `${p}:${df}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  // Bisection on the tail: the t quantile is above the normal one and below a generous bound.
  let lo = normalQuantile(p);
  let hi = Math.max(lo * 2, 10);
  while (studentSf(hi, df) > 1 - p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentSf(mid, df) > 1 - p) lo = mid;
    else hi = mid;
  }
  const t = (lo + hi) / 2;
  cache.set(key, t);
  return t;
}
