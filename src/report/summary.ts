/** Shared wording of the verdict for every renderer (markdown, terminal). Pure. */
import { kinds } from '../kinds/index.js';
import type { BenchmarkComparison, Check, Comparison, Status } from '../model/comparison.js';

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What fails the gate, counted: "2 regressions, 1 failed benchmark". */
export function failureCounts(comparison: Comparison): string[] {
  const parts: string[] = [];
  const { summary, benchmarks } = comparison;
  const failing = (check: Check) => benchmarks.filter((b) => b.failed.includes(check)).length;
  const time = failing('time');
  if (time > 0) parts.push(plural(time, 'regression'));
  for (const kind of kinds()) {
    if (!kind.gate) continue;
    const count = failing(kind.gate.check);
    if (count > 0) parts.push(plural(count, `${kind.gate.noun} regression`));
  }
  if (summary.failed > 0) parts.push(plural(summary.failed, 'failed benchmark'));
  return parts;
}

/** One phrase for the headline, without the icon. */
export function headlineText(comparison: Comparison): string {
  const failures = failureCounts(comparison);
  if (comparison.accepted) {
    return `passed, ${failures.length > 0 ? failures.join(', ') : 'regressions'} accepted`;
  }
  if (comparison.verdict === 'fail') {
    return failures.length > 0 ? failures.join(', ') : plural(comparison.reasons.length, 'failure');
  }
  if (comparison.baseRuns === 0) return 'no baseline yet';
  const { regression, improvement } = comparison.summary;
  const parts = [
    regression > 0 ? `${plural(regression, 'regression')} (not gating)` : 'no regressions',
  ];
  if (improvement > 0) parts.push(plural(improvement, 'improvement'));
  return parts.join(', ');
}

const ORDER: readonly Status[] = [
  'regression',
  'improvement',
  'noisy',
  'unchanged',
  'new',
  'removed',
  'failed',
];

/** "12 benchmarks: 2 regressions · 1 improvement · 8 unchanged". */
export function countsLine(comparison: Comparison): string {
  const parts = ORDER.filter((s) => comparison.summary[s] > 0).map((s) =>
    s === 'regression' || s === 'improvement'
      ? plural(comparison.summary[s], s)
      : `${comparison.summary[s]} ${s}`,
  );
  return `${plural(comparison.benchmarks.length, 'benchmark')}${parts.length > 0 ? `: ${parts.join(' · ')}` : ''}`;
}

/** Regressions first (largest first), then improvements (largest first). */
export function changedBenchmarks(comparison: Comparison): BenchmarkComparison[] {
  const size = (b: BenchmarkComparison) => Math.abs(b.time.change ?? Infinity);
  const by = (status: Status) =>
    comparison.benchmarks.filter((b) => b.status === status).sort((x, y) => size(y) - size(x));
  return [...by('regression'), ...by('improvement')];
}

export { clip } from '../text/format.js';

/** Benchmarks that get a diagnosis line: time regressions (largest first), then the others
 * that fail a gate on queries or memory. */
export function diagnosedBenchmarks(comparison: Comparison): BenchmarkComparison[] {
  const timed = changedBenchmarks(comparison).filter((b) => b.status === 'regression');
  const others = comparison.benchmarks.filter(
    (b) => b.status !== 'regression' && b.failed.some((check) => check !== 'time'),
  );
  return [...timed, ...others];
}
