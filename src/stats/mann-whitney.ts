/**
 * Mann-Whitney U test (Wilcoxon rank-sum), two-sided. Pure.
 *
 * Same conventions as scipy.stats.mannwhitneyu: exact null distribution when a sample is
 * small and there are no ties, otherwise the normal approximation with tie correction and
 * continuity correction.
 */
import { normalSf } from './normal.js';

export interface MannWhitneyResult {
  /** U statistic of the first sample: pairs (a, b) with a > b, ties counting 1/2. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** Samples must be sorted ascending (compare sorts each sample once and reuses it). */
export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU: both samples must be non-empty');
  const { rankSumA, tieTerm } = rankSums(a, b);
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const uMax = Math.max(u, n1 * n2 - u);
  if (exactApplies(n1, n2, tieTerm > 0)) {
    // P(U >= uMax) = P(U <= n1*n2 - uMax) by symmetry of the null distribution.
    const p = 2 * exactCdf(n1, n2, n1 * n2 - uMax);
    return { u, pValue: Math.min(1, p), method: 'exact' };
  }
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, pValue: 1, method: 'asymptotic' };
  const z = (uMax - (n1 * n2) / 2 - 0.5) / Math.sqrt(variance);
  return { u, pValue: Math.min(1, 2 * normalSf(z)), method: 'asymptotic' };
}

/** Smallest two-sided p-value the test can give for these sizes (all of one sample above the other). */
export function minimumPValue(n1: number, n2: number): number {
  if (n1 === 0 || n2 === 0) return 1;
  // 2 / C(n1 + n2, n1), in logs to avoid overflow.
  return Math.min(1, 2 * Math.exp(-logBinomial(n1 + n2, Math.min(n1, n2))));
}

/** Rank sum of `a` in the merged sample (average ranks for ties) and Σ(t³ - t) over tie groups. */
function rankSums(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { rankSumA: number; tieTerm: number } {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let rank = 0; // ranks assigned so far
  let rankSumA = 0;
  let tieTerm = 0;
  while (i < n1 || j < n2) {
    const value = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    let countA = 0;
    let countB = 0;
    while (i < n1 && a[i] === value) {
      countA++;
      i++;
    }
    while (j < n2 && b[j] === value) {
      countB++;
      j++;
    }
    const t = countA + countB;
    const averageRank = rank + (t + 1) / 2;
    rankSumA += countA * averageRank;
    if (t > 1) tieTerm += t * t * t - t;
    rank += t;
  }
  return { rankSumA, tieTerm };
}

/**
 * Exact counts are integers up to C(n1+n2, n1); below this bound doubles hold them exactly.
 * Above it the normal approximation is used (the samples are then large anyway).
 */
const EXACT_LIMIT = 2 ** 52;

/** log C(n, k). */
function logBinomial(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

/** Whether the exact distribution is computed (scipy's rule, plus a size guard). */
function exactApplies(n1: number, n2: number, ties: boolean): boolean {
  if (ties || (Math.min(n1, n2) > 8 && n1 + n2 > 40)) return false;
  return logBinomial(n1 + n2, Math.min(n1, n2)) < Math.log(EXACT_LIMIT);
}

/**
 * P(U <= k) under the null hypothesis, no ties. The number of arrangements with U = u is the
 * coefficient of q^u in the Gaussian binomial [m+n choose m]_q = ∏ (1 − q^(n+i)) / (1 − q^i),
 * i = 1..m. Only degrees ≤ k are needed, so each factor costs O(k); after each pair of steps
 * the polynomial is a Gaussian binomial again, so every count stays an exact integer.
 */
function exactCdf(n1: number, n2: number, k: number): number {
  if (k < 0) return 0;
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  if (k >= m * n) return 1;
  const counts = new Float64Array(k + 1);
  counts[0] = 1;
  for (let i = 1; i <= m; i++) {
    const up = n + i; // multiply by (1 − q^up): descending
    for (let u = k; u >= up; u--) counts[u] -= counts[u - up];
    for (let u = i; u <= k; u++) counts[u] += counts[u - i]; // divide by (1 − q^i): ascending
  }
  let total = 0;
  for (const c of counts) total += c;
  return Math.min(1, total / Math.exp(logBinomial(m + n, m)));
}
