import { describe, expect, it } from 'vitest';
import { statsSchema } from '../../src/model/run.js';
import { quantile, summarize, tCritical95 } from '../../src/stats/summary.js';

describe('summarize', () => {
  it('computes the summary of a known sample', () => {
    // mean 5, sample sd sqrt(32/7) = 2.138..., t(7) = 2.3646
    const stats = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(stats.n).toBe(8);
    expect(stats.mean).toBe(5);
    expect(stats.median).toBe(4.5);
    expect(stats.min).toBe(2);
    expect(stats.max).toBe(9);
    expect(stats.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(stats.p99).toBeCloseTo(9 - 0.07 * 2, 12);
    const moe = (2.3646 * Math.sqrt(32 / 7)) / Math.sqrt(8);
    expect(stats.rme).toBeCloseTo((moe / 5) * 100, 3);
  });

  it('does not depend on the order of the samples and does not sort the input', () => {
    const samples = [9, 2, 7, 4, 5, 4, 5, 4];
    const copy = [...samples];
    expect(summarize(samples)).toEqual(summarize([2, 4, 4, 4, 5, 5, 7, 9]));
    expect(samples).toEqual(copy);
  });

  it('gives zero spread for one sample and all zeros (schema-valid) for none', () => {
    expect(summarize([42])).toEqual({
      n: 1,
      mean: 42,
      median: 42,
      min: 42,
      max: 42,
      sd: 0,
      p99: 42,
      rme: 0,
    });
    const empty = summarize([]);
    expect(empty.n).toBe(0);
    expect(statsSchema.safeParse(empty).success).toBe(true);
    expect(JSON.parse(JSON.stringify(empty))).toEqual(empty);
  });

  it('keeps rme non-negative for negative means (foreign units)', () => {
    expect(summarize([-1, -2, -3]).rme).toBeGreaterThan(0);
  });

  it('narrows the margin of error as n grows for the same spread', () => {
    const small = summarize([1, 2, 3, 4]);
    const large = summarize(Array.from({ length: 400 }, (_, i) => (i % 4) + 1));
    expect(large.rme).toBeLessThan(small.rme / 5);
  });
});

describe('tCritical95', () => {
  it('matches published two-sided 95% values', () => {
    expect(tCritical95(1)).toBeCloseTo(12.7062, 4);
    expect(tCritical95(10)).toBeCloseTo(2.2281, 4);
    expect(tCritical95(30)).toBeCloseTo(2.0423, 4);
    expect(tCritical95(40)).toBeCloseTo(2.0211, 3);
    expect(tCritical95(60)).toBeCloseTo(2.0003, 3);
    expect(tCritical95(120)).toBeCloseTo(1.9799, 3);
    expect(tCritical95(1e9)).toBeCloseTo(1.96, 3);
  });

  it('is decreasing in the degrees of freedom', () => {
    for (let df = 1; df < 300; df++) expect(tCritical95(df + 1)).toBeLessThan(tCritical95(df));
  });
});

describe('quantile', () => {
  it('interpolates linearly between order statistics', () => {
    expect(quantile([10, 20, 30, 40], 0)).toBe(10);
    expect(quantile([10, 20, 30, 40], 1)).toBe(40);
    expect(quantile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(quantile([10, 20, 30, 40], 1 / 3)).toBeCloseTo(20, 12);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
