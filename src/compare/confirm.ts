/**
 * Confirm before failing (docs/statistics.md, "Confirmation"). Pure: which benchmarks to
 * measure again, the Runs to judge them on, and the first Comparison with their outcome.
 *
 * The confirmation decides alone: a suspected benchmark fails the gate only when its new
 * measurement, in fresh processes, is a regression by the same test. Its first measurement
 * only chose it; mixing that in would count the evidence that chose it twice.
 */
import type { BenchmarkComparison, Comparison } from '../model/comparison.js';
import type { Run } from '../model/run.js';
import { highlightsOf } from './reasons.js';
import { judge, STATUSES, type Unjudged } from './index.js';

/** The benchmarks that fail the gate on timing: the ones a confirmation measures again. */
export function suspects(comparison: Comparison): BenchmarkComparison[] {
  return comparison.benchmarks.filter((b) => b.failed.includes('time'));
}

/** `run` with its benchmarks of the same id replaced by those of `again` (others kept). */
export function substitute(run: Run, again: Run): Run {
  const remeasured = new Map(again.benchmarks.map((b) => [b.id, b]));
  return { ...run, benchmarks: run.benchmarks.map((b) => remeasured.get(b.id) ?? b) };
}

export interface ConfirmationInfo {
  forks: number;
  seconds: number;
}

/**
 * The first Comparison with each of `ids` judged by `second` (the comparison of the Runs with
 * those benchmarks measured again): a regression there stays one (confirmed); otherwise it
 * becomes `noisy` (not confirmed) and no longer fails on time. Ids the second comparison lacks
 * (their re-run failed) keep the first verdict. Verdict, reasons and summary follow.
 */
export function applyConfirmation(
  first: Comparison,
  second: Comparison,
  ids: readonly string[],
  info: ConfirmationInfo,
): Comparison {
  const again = new Map(second.benchmarks.map((b) => [b.id, b]));
  const own = new Set(first.benchmarks.flatMap((b) => b.reasons));
  const general = first.reasons.filter((r) => !own.has(r));
  const benchmarks = first.benchmarks.map((b): BenchmarkComparison => {
    const re = ids.includes(b.id) ? again.get(b.id) : undefined;
    if (re === undefined || re.time.change === null) return b;
    const confirmed = re.status === 'regression';
    const { regressed: _r, failed: _f, reasons: _reasons, ...rest } = b;
    const unjudged: Unjudged = {
      ...rest,
      status: confirmed ? 'regression' : 'noisy',
      time: {
        ...b.time,
        confirmation: {
          forks: info.forks,
          confirmed,
          seconds: info.seconds,
          change: re.time.change,
          ci: re.time.ci,
          pAdjusted: re.time.pAdjusted ?? re.time.pValue,
        },
      },
    };
    return judge(unjudged, first.failOn);
  });
  const reasons = [...general, ...benchmarks.flatMap((b) => b.reasons)];
  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Comparison['summary'];
  for (const b of benchmarks) summary[b.status] += 1;
  return {
    ...first,
    verdict: reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    highlights: benchmarks.flatMap(highlightsOf),
    summary,
    benchmarks,
  };
}
