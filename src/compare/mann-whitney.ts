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
  if (tieTerm === 0 && (Math.min(n1, n2) <= 8 || n1 + n2 <= 40)) {
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
  let logBinomial = 0;
  const k = Math.min(n1, n2);
  for (let i = 1; i <= k; i++) logBinomial += Math.log(n1 + n2 - k + i) - Math.log(i);
  return Math.min(1, 2 * Math.exp(-logBinomial));
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
 * P(U <= k) under the null hypothesis, no ties. Recurrence on the probability of each U value
 * for sizes (m, n): p(m,n,u) = m/(m+n)·p(m-1,n,u-n) + n/(m+n)·p(m,n-1,u), truncated at degree k
 * (low U values only depend on lower ones).
 */
function exactCdf(n1: number, n2: number, k: number): number {
  if (k < 0) return 0;
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  if (k >= m * n) return 1;
  const width = k + 1;
  // previous[j] = distribution for sizes (i-1, j), current[j] for (i, j); j = 0..n.
  let previous: Float64Array[] = [];
  for (let j = 0; j <= n; j++) {
    const dist = new Float64Array(width);
    dist[0] = 1; // sizes (0, j): U is always 0
    previous.push(dist);
  }
  for (let i = 1; i <= m; i++) {
    const current: Float64Array[] = [];
    const base = new Float64Array(width);
    base[0] = 1; // sizes (i, 0)
    current.push(base);
    for (let j = 1; j <= n; j++) {
      const dist = new Float64Array(width);
      const fromA = i / (i + j); // largest value belongs to the first sample: it beats all j
      const fromB = j / (i + j);
      const left = previous[j];
      const down = current[j - 1];
      for (let u = 0; u < width; u++) {
        dist[u] = fromB * down[u] + (u >= j ? fromA * left[u - j] : 0);
      }
      current.push(dist);
    }
    previous = current;
  }
  let total = 0;
  for (const p of previous[n]) total += p;
  return Math.min(1, total);
}
