import { describe, expect, it } from 'vitest';
import { quantileLine } from '../../src/stats/quantile-line.js';

describe('quantileLine', () => {
  it('recovers an exact line', () => {
    const xs = [1, 2, 3, 4, 5];
    const line = quantileLine(
      xs,
      xs.map((x) => 3 + 2 * x),
      0.5,
    )!;
    expect(line.slope).toBeCloseTo(2, 12);
    expect(line.intercept).toBeCloseTo(3, 12);
  });

  it('follows the line underneath one-sided steps at the lower quartile', () => {
    // Two round sizes; half of the small rounds carry a step up (a backing store doubling).
    const xs = [2, 1, 2, 1, 2, 1, 2, 1, 2];
    const ys = xs.map((x, i) => 100 * x + (i === 1 || i === 5 ? 150 : 0));
    const line = quantileLine(xs, ys, 0.25)!;
    expect(line.slope).toBeCloseTo(100, 9);
    expect(line.intercept).toBeCloseTo(0, 9);
  });

  it('prefers the flattest of equally good lines, and needs two distinct xs', () => {
    expect(quantileLine([1, 2, 1, 2], [5, 5, 5, 5], 0.25)!.slope).toBe(0);
    expect(quantileLine([3, 3, 3], [1, 2, 3], 0.25)).toBeNull();
    expect(() => quantileLine([1], [1, 2], 0.5)).toThrow(/one y per x/);
  });
});
