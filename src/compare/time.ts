/**
 * Timing comparison of one benchmark: change of the median, its 95 % interval, the Mann-Whitney
 * test, the threshold and the history's noise band → a status. Pure.
 */
import type { Status, TimeComparison, TimeMethod } from '../model/comparison.js';
import type { Direction } from '../model/run.js';
import { mannWhitneyU, minimumPValue } from '../stats/mann-whitney.js';
import { ratioInterval, sortedMedian } from '../stats/median.js';
import { noiseBand, runToRunSigma } from './noise.js';

export interface TimeInput {
  /** Ascending samples of the base run used as reference (the newest that has the benchmark). */
  base: ArrayLike<number>;
  /** Ascending head samples. */
  head: ArrayLike<number>;
  /** Medians of this benchmark in each base run of the history, newest first. */
  historyMedians: readonly number[];
  unit: string;
  direction: Direction;
  threshold: number;
  alpha: number;
}

export type TimeStatus = Extract<Status, 'regression' | 'improvement' | 'unchanged' | 'noisy'>;

export function compareTime(input: TimeInput): {
  time: TimeComparison;
  status: TimeStatus;
} {
  const { base, head, direction, threshold, alpha } = input;
  const baseMedian = sortedMedian(base);
  const headMedian = sortedMedian(head);
  const change = relativeChange(baseMedian, headMedian);

  // Could the test ever reach alpha with these sizes? (From 30 samples each: 2/C(60,30) ≈ 2e-17.)
  const smaller = Math.min(base.length, head.length);
  const testable =
    smaller >= 2 && (smaller >= 30 || minimumPValue(base.length, head.length) < alpha);
  let pValue: number | null = null;
  let method: TimeMethod = 'threshold-only';
  if (testable) {
    const test = mannWhitneyU(head, base);
    pValue = test.pValue;
    method = test.method === 'exact' ? 'mann-whitney-exact' : 'mann-whitney';
  }
  const ci = testable ? ratioInterval(base, head) : null;
  const medians = input.historyMedians.filter((m) => m > 0 && Number.isFinite(m));
  const band = noiseBand(runToRunSigma(medians), alpha, medians.length);

  const status = judgeChange({
    base: baseMedian,
    head: headMedian,
    change,
    pValue,
    band,
    direction,
    threshold,
    alpha,
  });
  return {
    status,
    time: {
      base: baseMedian,
      head: headMedian,
      change,
      ci,
      pValue,
      unit: input.unit,
      direction,
      threshold,
      samples: { base: base.length, head: head.length },
      method,
      noiseBand: band,
    },
  };
}

/**
 * The status of a change between two centres (medians, or means of summaries): beyond the
 * threshold, significant when there is a test (pValue null: the threshold alone), and outside the
 * history's noise band.
 */
export function judgeChange(input: {
  base: number;
  head: number;
  change: number | null;
  pValue: number | null;
  band: number | null;
  direction: Direction;
  threshold: number;
  alpha: number;
}): TimeStatus {
  const { base, head, change, pValue, band, direction, threshold, alpha } = input;
  const worse = direction === 'smaller' ? head > base : head < base;
  const better = direction === 'smaller' ? head < base : head > base;
  // A change from a zero centre has no finite relative size: any such change is beyond threshold.
  const beyond = change === null ? head !== base : Math.abs(change) > threshold;
  const significant = pValue === null ? true : pValue < alpha;
  if (!(beyond && significant && (worse || better))) return 'unchanged';
  if (band !== null && change !== null && Math.abs(Math.log1p(change)) <= Math.log1p(band)) {
    return 'noisy';
  }
  return worse ? 'regression' : 'improvement';
}

/** head/base − 1; 0 when both are equal; null when the base median is 0 (or not positive). */
export function relativeChange(base: number, head: number): number | null {
  if (base === head) return 0;
  if (!(base > 0) || !Number.isFinite(head)) return null;
  return head / base - 1;
}
