/**
 * Timing comparison when a side has only a summary (foreign tools that write mean ± sd and n,
 * samplesKind 'summary'): the means are compared, with Welch's t-test when both sides give
 * n ≥ 2 and sd > 0 (the test the summary supports; no samples are made up), else on the
 * threshold alone. The interval is the delta-method interval of the ratio of means. Pure.
 */
import type { TimeComparison } from '../model/comparison.js';
import type { Benchmark, Stats } from '../model/run.js';
import { noiseBand, runToRunSigma } from './noise.js';
import { studentQuantile, studentSf } from '../stats/student-t.js';
import { judgeChange, relativeChange, type TimeStatus } from './time.js';

export interface SummaryInput {
  base: Stats;
  head: Stats;
  /** Means of this benchmark in each base run of the history, newest first. */
  historyMeans: readonly number[];
  unit: string;
  direction: Benchmark['direction'];
  threshold: number;
  alpha: number;
}

/** Whether a benchmark is compared through its summary rather than its samples. */
export function isSummaryOnly(b: Benchmark): boolean {
  return b.samplesKind === 'summary';
}

export function compareSummary(input: SummaryInput): { time: TimeComparison; status: TimeStatus } {
  const { base, head, direction, threshold, alpha } = input;
  const change = relativeChange(base.mean, head.mean);
  const welch = welchTest(base, head);
  const means = input.historyMeans.filter((m) => m > 0 && Number.isFinite(m));
  const band = noiseBand(runToRunSigma(means), alpha, means.length);
  const status = judgeChange({
    base: base.mean,
    head: head.mean,
    change,
    pValue: welch?.pValue ?? null,
    band,
    direction,
    threshold,
    alpha,
  });
  return {
    status,
    time: {
      base: base.mean,
      head: head.mean,
      change,
      ci: welch?.ci ?? null,
      pValue: welch?.pValue ?? null,
      unit: input.unit,
      direction,
      threshold,
      samples: { base: base.n, head: head.n },
      method: welch ? 'welch-t-summary' : 'summary-threshold-only',
      noiseBand: band,
    },
  };
}

/** Welch's t-test on two summaries and the 95 % interval of head/base − 1; null when untestable. */
export function welchTest(
  base: Pick<Stats, 'mean' | 'sd' | 'n'>,
  head: Pick<Stats, 'mean' | 'sd' | 'n'>,
): { pValue: number; ci: [number, number] | null } | null {
  if (base.n < 2 || head.n < 2 || !(base.sd > 0) || !(head.sd > 0)) return null;
  const vb = (base.sd * base.sd) / base.n;
  const vh = (head.sd * head.sd) / head.n;
  const se = Math.sqrt(vb + vh);
  const t = (head.mean - base.mean) / se;
  const df = (vb + vh) ** 2 / (vb ** 2 / (base.n - 1) + vh ** 2 / (head.n - 1));
  const pValue = Math.min(1, 2 * studentSf(Math.abs(t), df));
  if (!(base.mean > 0) || !(head.mean > 0)) return { pValue, ci: null };
  // ln(head/base) ± t · sqrt(vb/mb² + vh/mh²) (delta method), back on the change scale.
  const logRatio = Math.log(head.mean / base.mean);
  const halfWidth =
    studentQuantile(0.975, df) * Math.sqrt(vb / base.mean ** 2 + vh / head.mean ** 2);
  return { pValue, ci: [Math.expm1(logRatio - halfWidth), Math.expm1(logRatio + halfWidth)] };
}
