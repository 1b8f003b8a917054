// Statistics against reference values computed with scipy 1.17 (scipy.stats.mannwhitneyu,
// scipy.stats.norm); the calls are written next to each case so they can be re-checked.
import { describe, expect, it } from 'vitest';
import { mannWhitneyU, minimumPValue } from '../../src/stats/mann-whitney.js';
import { normalQuantile, normalSf } from '../../src/stats/normal.js';
import {
  logMedianStandardError,
  ratioInterval,
  sortedCopy,
  sortedMedian,
} from '../../src/stats/median.js';
import { noiseBand, runToRunSigma } from '../../src/compare/noise.js';
import { studentQuantile, studentSf } from '../../src/stats/student-t.js';

const sorted = (values: number[]) => sortedCopy(values);

describe('normal distribution', () => {
  it('matches scipy.stats.norm', () => {
    expect(normalSf(3)).toBeCloseTo(0.0013498980316300933, 9);
    // Far tail keeps its relative accuracy (norm.sf(8) = 6.22e-16).
    expect(normalSf(8) / 6.22096057427174e-16).toBeCloseTo(1, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(1e-5)).toBeCloseTo(-4.264890793922825, 7);
    expect(normalQuantile(0.5)).toBe(0);
  });
});

describe('Mann-Whitney U', () => {
  it('exact, no overlap: mannwhitneyu(head, base) = (30, 0.004329…)', () => {
    const result = mannWhitneyU(
      sorted([6.1, 7.4, 8.8, 9.0, 10.2, 11.5]),
      sorted([1.1, 2.3, 3.5, 4.2, 5.9]),
    );
    expect(result.method).toBe('exact');
    expect(result.u).toBe(30);
    expect(result.pValue).toBeCloseTo(0.004329004329004329, 12);
  });

  it('exact, overlapping samples: (49, 0.013986…)', () => {
    const result = mannWhitneyU(
      sorted([4.9, 7.1, 5.2, 8.3, 3.3, 6.6, 9.4, 7.7]),
      sorted([3.1, 1.2, 5.5, 2.8, 4.4, 6.0, 2.2]),
    );
    expect(result.u).toBe(49);
    expect(result.pValue).toBeCloseTo(0.013986013986013986, 12);
  });

  it('exact for 20 vs 18 samples: method="exact" gives 0.806014…', () => {
    const a = Array.from({ length: 20 }, (_, i) => 1 + 2 * i);
    const b = Array.from({ length: 18 }, (_, i) => 4.5 + 2 * i);
    const result = mannWhitneyU(sorted(b), sorted(a));
    expect(result.method).toBe('exact');
    expect(result.u).toBe(189);
    expect(result.pValue).toBeCloseTo(0.8060144506025131, 10);
  });

  it('exact, complete separation of 12 vs 12: 2/C(24,12)', () => {
    const a = Array.from({ length: 12 }, (_, i) => i + 1);
    const b = Array.from({ length: 12 }, (_, i) => i + 13);
    const result = mannWhitneyU(sorted(b), sorted(a));
    expect(result.pValue).toBeCloseTo(7.39602301050679e-7, 15);
    expect(minimumPValue(12, 12)).toBeCloseTo(7.39602301050679e-7, 15);
  });

  it('asymptotic with tie and continuity correction: (58.5, 0.031758…)', () => {
    const result = mannWhitneyU(
      sorted([2, 3, 4, 4, 5, 5, 6, 7, 7]),
      sorted([1, 2, 2, 3, 3, 3, 4, 5]),
    );
    expect(result.method).toBe('asymptotic');
    expect(result.u).toBe(58.5);
    expect(result.pValue).toBeCloseTo(0.03175895714806371, 6);
  });

  it('asymptotic for large samples: (681, 0.040733…)', () => {
    const a = Array.from({ length: 30 }, (_, i) => (i + 1) ** 1.1);
    const b = Array.from({ length: 35 }, (_, i) => (i + 1.37) ** 1.1 * 1.2);
    const result = mannWhitneyU(sorted(b), sorted(a));
    expect(result.method).toBe('asymptotic');
    expect(result.u).toBe(681);
    expect(result.pValue).toBeCloseTo(0.040733769538377304, 6);
  });

  it('two constant samples: only the tie groups, (100, 1.59e-5)', () => {
    const result = mannWhitneyU(sorted(Array(10).fill(10)), sorted(Array(10).fill(5)));
    expect(result.u).toBe(100);
    expect(result.pValue / 1.5937911688066244e-5).toBeCloseTo(1, 5);
  });

  it('identical samples give p = 1; all-equal values do not divide by zero', () => {
    const x = sorted([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4]);
    expect(mannWhitneyU(x, x).pValue).toBe(1);
    const flat = sorted(Array(50).fill(7));
    expect(mannWhitneyU(flat, flat).pValue).toBe(1);
  });

  it('is symmetric in its samples', () => {
    const a = sorted([1.5, 2.5, 2.7, 3.1, 9.2, 4.4, 5.0, 1.1, 0.3, 2.2]);
    const b = sorted([2.1, 3.9, 4.1, 5.6, 6.2, 7.0, 1.9, 2.8, 8.1, 3.3, 4.0]);
    expect(mannWhitneyU(a, b).pValue).toBeCloseTo(mannWhitneyU(b, a).pValue, 12);
    expect(mannWhitneyU(a, b).u + mannWhitneyU(b, a).u).toBe(a.length * b.length);
  });

  it('minimum p-value tells when a test can never reach alpha', () => {
    expect(minimumPValue(3, 3)).toBeCloseTo(0.1, 12); // 2/20
    expect(minimumPValue(5, 5)).toBeCloseTo(2 / 252, 12);
    expect(minimumPValue(1, 1000)).toBeCloseTo(2 / 1001, 15);
    expect(minimumPValue(200, 200)).toBeLessThan(1e-100);
  });
});

describe('medians and the ratio interval (Price–Bonett)', () => {
  it('median of odd and even samples', () => {
    expect(sortedMedian(sorted([5, 1, 3]))).toBe(3);
    expect(sortedMedian(sorted([4, 1, 3, 2]))).toBe(2.5);
    expect(sortedMedian(sorted([]))).toBeNaN();
  });

  it('standard error of the log median, by hand for n = 20', () => {
    // c = round(21/2 − √20) = round(6.03) = 6; coverage of [Y(6), Y(15)] is
    // 1 − 2·P(Bin(20, ½) ≤ 5) = 1 − 2·0.020694732 → z = Φ⁻¹(0.979305268) = 2.0388.
    const values = sorted(Array.from({ length: 20 }, (_, i) => 100 + i));
    const expected = (Math.log(114) - Math.log(105)) / (2 * normalQuantile(1 - 0.020694732));
    expect(logMedianStandardError(values)).toBeCloseTo(expected, 8);
  });

  it('interval contains the ratio of medians and is null when it cannot be computed', () => {
    const base = sorted(Array.from({ length: 50 }, (_, i) => 100 + (i % 10)));
    const head = sorted(Array.from({ length: 50 }, (_, i) => 120 + (i % 10)));
    const ci = ratioInterval(base, head)!;
    const change = sortedMedian(head) / sortedMedian(base) - 1;
    expect(ci[0]).toBeLessThan(change);
    expect(ci[1]).toBeGreaterThan(change);
    expect(ci[0]).toBeGreaterThan(0.1);
    expect(ratioInterval(sorted([1]), head)).toBeNull();
    expect(ratioInterval(sorted([0, 0, 0]), head)).toBeNull();
  });

  it('covers the true ratio about 95 % of the time (simulation, log-normal noise)', () => {
    let seed = 42;
    const random = () => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const gaussian = () =>
      Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const trials = 1000;
    let covered = 0;
    for (let trial = 0; trial < trials; trial++) {
      const base = sorted(Array.from({ length: 60 }, () => 1000 * Math.exp(0.1 * gaussian())));
      const head = sorted(Array.from({ length: 60 }, () => 1150 * Math.exp(0.1 * gaussian())));
      const ci = ratioInterval(base, head)!;
      if (ci[0] <= 0.15 && 0.15 <= ci[1]) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.92);
    expect(covered / trials).toBeLessThan(0.985);
  });
});

describe('Student t', () => {
  it('matches scipy.stats.t', () => {
    expect(studentQuantile(0.995, 1)).toBeCloseTo(63.656741162871526, 6);
    expect(studentQuantile(0.995, 2)).toBeCloseTo(9.924843200918287, 8);
    expect(studentQuantile(0.995, 9)).toBeCloseTo(3.249835541592126, 8);
    expect(studentQuantile(0.995, 30)).toBeCloseTo(2.7499956535672254, 8);
    expect(studentSf(2.5, 4)).toBeCloseTo(0.03338327240599407, 10);
    expect(studentSf(2.5, 9)).toBeCloseTo(0.016930913841492867, 10);
    expect(studentSf(2.5, 1)).toBeCloseTo(0.12111894159084341, 10);
  });
});

describe('run-to-run noise', () => {
  it('needs five runs', () => {
    expect(runToRunSigma([100, 101, 99, 100])).toBeNull();
    expect(runToRunSigma([100, 101, 99, 100, 0])).toBeNull(); // non-positive medians do not count
    expect(runToRunSigma([100, 101, 99, 100, 102])).not.toBeNull();
    expect(noiseBand(null, 0.01, 10)).toBeNull();
  });

  it('is robust to one step change in the history', () => {
    const steady = runToRunSigma([100, 102, 99, 101, 100, 98, 101])!;
    const withStep = runToRunSigma([100, 102, 99, 101, 150, 148, 151])!;
    expect(steady).toBeGreaterThan(0);
    expect(withStep).toBeLessThan(steady * 2);
  });

  it('band is the (1 − alpha) range of a difference of two run medians, t with K − 1 df', () => {
    // |d| median 0.02 → σ = 0.02 / (0.67449·√2); band = exp(t(0.995, 4)·√2·σ) − 1,
    // scipy.stats.t.ppf(0.995, 4) = 4.604094871349992.
    const e = [0, 0.02, 0, 0.02, 0].map(Math.exp);
    const sigma = runToRunSigma(e)!;
    expect(sigma).toBeCloseTo(0.02 / (0.6744897501960817 * Math.SQRT2), 10);
    expect(noiseBand(sigma, 0.01, 5)).toBeCloseTo(
      Math.expm1((4.604094871349992 * 0.02) / 0.6744897501960817),
      6,
    );
  });
});

describe('median by selection', () => {
  it('equals the median of the sorted sample (property)', async () => {
    const fc = (await import('fast-check')).default;
    const { median } = await import('../../src/stats/median.js');
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 }),
        (values) => {
          return median(values) === sortedMedian(sortedCopy(values));
        },
      ),
      { numRuns: 500 },
    );
  });
});
