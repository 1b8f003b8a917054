/**
 * compare(): base history + head Run → Comparison (statuses, verdict, reasons, highlights).
 * Pure and deterministic: no I/O, no randomness. The statistics are explained in
 * docs/statistics.md.
 */
import type { Config } from '../config/schema.js';
import type {
  BenchmarkComparison,
  Check,
  Comparison,
  Status,
  TimeComparison,
  TimingMode,
} from '../model/comparison.js';
import type { Benchmark, Run } from '../model/run.js';
import { attachmentOf, kinds, optionsOf, resultOf } from '../kinds/index.js';
import { envDifferences } from './env.js';
import { median, sortedCopy, sortedMedian } from '../stats/median.js';
import { attachmentReason, failedReason, highlightsOf, timeReason } from './reasons.js';
import { compareSummary, isSummaryOnly } from './summary.js';
import { thresholdFor } from './thresholds.js';
import { compareTime } from './time.js';
import { judgeForks, trendOf, type ForkStatus } from './forks.js';

/** The gate's options, and each kind's under its name (its defaults when absent). */
export type CompareOptions = Pick<Config, 'threshold' | 'thresholds' | 'failOn' | 'alpha'> &
  Partial<Omit<Config, 'threshold' | 'thresholds' | 'failOn' | 'alpha'>> & {
    /** `against`: bases[0] was measured with head in alternating fork pairs (default stored). */
    mode?: TimingMode;
    /**
     * `against` only: the stored history (newest first), which still draws the trend of each
     * regression; the verdict comes from the pairs alone.
     */
    storedHistory?: Run[];
  };

export const STATUSES: readonly Status[] = [
  'regression',
  'improvement',
  'unchanged',
  'noisy',
  'new',
  'removed',
  'failed',
];

/** Compares head with the base history (newest first; empty when there is no baseline). Pure. */
export function compare(bases: Run[], head: Run, options: CompareOptions): Comparison {
  const indexes = bases.map(indexById);
  const headIds = new Set<string>();
  const benchmarks: Unjudged[] = [];
  const mode = options.mode ?? 'stored';

  // A duplicated id keeps its first occurrence.
  const heads = head.benchmarks.filter((b) => !headIds.has(b.id) && headIds.add(b.id));
  // Timing of all benchmarks with forks is judged together (pooled variances, BH).
  const forks = judgeForks(
    heads
      // Summary-only foreign results have no samples to split into forks (compareSummary).
      .filter((b) => b.error === undefined && b.samples.length > 0 && !isSummaryOnly(b))
      .map((b) => ({
        head: b,
        bases: indexes.map((index) => {
          const base = index.get(b.id);
          return usable(base) && !isSummaryOnly(base) ? base : undefined;
        }),
        threshold: thresholdFor(b.id, options.threshold, options.thresholds),
      })),
    mode,
    options.alpha,
    bases.map((b) => b.meta.commit),
  );
  if (mode === 'against') addHistoryTrends(forks.results, options.storedHistory ?? []);
  for (const benchmark of heads) {
    benchmarks.push(compareBenchmark(benchmark, indexes, options, forks.results.get(benchmark.id)));
  }
  // Removed: in the current baseline (newest run) but not in head. Older runs do not count:
  // a benchmark deleted on main long ago is not this pull request's doing.
  for (const benchmark of bases[0]?.benchmarks ?? []) {
    if (headIds.has(benchmark.id)) continue;
    headIds.add(benchmark.id);
    benchmarks.push(removedBenchmark(benchmark, options));
  }

  const failOn = [...options.failOn];
  const judged = benchmarks.map((b) => judge(b, failOn));
  const reasons = [
    ...nothingComparedReasons(bases[0], head, judged, options),
    ...judged.flatMap((b) => b.reasons),
  ];
  const highlights = judged.flatMap(highlightsOf);

  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const b of judged) summary[b.status] += 1;

  const newest = bases[0];
  return {
    verdict: reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    highlights,
    failOn,
    baseRuns: bases.length,
    mode,
    ...(forks.shift ? { runShift: forks.shift } : {}),
    ...(newest
      ? {
          base: {
            commit: newest.meta.commit,
            ref: newest.meta.ref,
            timestamp: newest.meta.timestamp,
          },
        }
      : {}),
    head: { commit: head.meta.commit, ref: head.meta.ref, timestamp: head.meta.timestamp },
    envDifferences: newest ? envDifferences(newest.meta.env, head.meta.env) : [],
    summary,
    benchmarks: judged,
  };
}

/** In `against` mode, the trend of each regression from the stored history. */
function addHistoryTrends(forks: ReturnType<typeof judgeForks>['results'], history: Run[]): void {
  if (history.length === 0) return;
  const indexes = history.map(indexById);
  for (const [id, { status, time }] of forks) {
    if (status !== 'regression') continue;
    const trend = trendOf(
      indexes.map((index) => {
        const b = index.get(id);
        return usable(b) && !isSummaryOnly(b) ? b : undefined;
      }),
      history.map((run) => run.meta.commit),
    );
    if (trend.length > 0) time.trend = trend;
  }
}

/** A benchmark before its verdict is recorded on it. */
export type Unjudged = Omit<BenchmarkComparison, 'regressed' | 'failed' | 'reasons'>;

/** Which checks regressed, which of them gate, and why: decided here once for every reader. */
export function judge(b: Unjudged, failOn: readonly Check[]): BenchmarkComparison {
  const regressed: Check[] = [];
  const kindReasons = new Map<Check, string[]>();
  if (b.status === 'regression') regressed.push('time');
  const judged: BenchmarkComparison = { ...b, regressed, failed: [], reasons: [] };
  for (const kind of kinds()) {
    const result = resultOf(judged, kind);
    if (!kind.gate || result === undefined) continue;
    const verdict = kind.gate.verdict(result);
    if (!verdict.regressed) continue;
    regressed.push(kind.gate.check);
    kindReasons.set(kind.gate.check, verdict.reasons);
  }
  judged.failed = regressed.filter((check) => failOn.includes(check));
  if (b.status === 'failed') judged.reasons.push(failedReason(judged));
  for (const check of judged.failed) {
    if (check === 'time') judged.reasons.push(timeReason(judged));
    else {
      for (const reason of kindReasons.get(check) ?? [])
        judged.reasons.push(attachmentReason(judged, check, reason));
    }
  }
  return judged;
}

/**
 * No silent green: a head that measured nothing, or that kept none of the baseline's benchmarks,
 * compared nothing, so it cannot pass unless the config says so explicitly.
 */
function nothingComparedReasons(
  newest: Run | undefined,
  head: Run,
  benchmarks: BenchmarkComparison[],
  options: CompareOptions,
): string[] {
  if (options.allowNoBenchmarks) return [];
  const accept = '(allowNoBenchmarks in the config accepts this)';
  if (head.benchmarks.length === 0) {
    return [`the head run has no benchmarks: nothing was measured ${accept}`];
  }
  const base = newest?.benchmarks.length ?? 0;
  if (base > 0 && benchmarks.every((b) => b.status === 'removed' || b.status === 'new')) {
    return [
      `none of the ${base} baseline benchmarks is in the head run (all removed): nothing was compared ${accept}`,
    ];
  }
  return [];
}

function indexById(run: Run): Map<string, Benchmark> {
  const index = new Map<string, Benchmark>();
  for (const b of run.benchmarks) if (!index.has(b.id)) index.set(b.id, b);
  return index;
}

function usable(b: Benchmark | undefined): b is Benchmark {
  return b !== undefined && b.error === undefined && (b.samples.length > 0 || isSummaryOnly(b));
}

/** The value a benchmark is judged by: its median, or the mean of a summary-only one. */
function centreOf(b: Benchmark): number | null {
  if (isSummaryOnly(b)) return b.stats.mean;
  return b.samples.length > 0 ? sortedMedian(sortedCopy(b.samples)) : null;
}

function compareBenchmark(
  head: Benchmark,
  indexes: Map<string, Benchmark>[],
  options: CompareOptions,
  forks: { time: TimeComparison; status: ForkStatus } | undefined,
): Unjudged {
  const history = indexes.map((index) => index.get(head.id)).filter(usable);
  const threshold = thresholdFor(head.id, options.threshold, options.thresholds);
  const identity = identityOf(head);

  if (head.error !== undefined || !usable(head)) {
    return {
      ...identity,
      status: 'failed',
      time: emptyTime(head, threshold, history[0] ? centreOf(history[0]) : null, null, {
        base: history[0]?.samples.length ?? 0,
        head: head.samples.length,
      }),
      error: head.error ?? 'no samples recorded',
    };
  }

  const headSamples = sortedCopy(head.samples);
  const attachments = compareAttachments(head, history, options);
  if (history.length === 0) {
    return {
      ...identity,
      status: 'new',
      time: emptyTime(head, threshold, null, centreOf(head), {
        base: 0,
        head: isSummaryOnly(head) ? head.stats.n : headSamples.length,
      }),
      ...attachments,
    };
  }
  if (isSummaryOnly(head) || isSummaryOnly(history[0])) {
    const { time, status } = compareSummary({
      base: history[0].stats,
      head: head.stats,
      historyMeans: history.map((b) => b.stats.mean),
      unit: head.unit,
      direction: head.direction,
      threshold,
      alpha: options.alpha,
    });
    return { ...identity, status, time, ...attachments };
  }
  if (forks) return { ...identity, status: forks.status, time: forks.time, ...attachments };
  // One fork a side (version-1 Runs, foreign formats): the samples of the one process. The
  // newest base run is the reference; older runs give the noise band (docs/statistics.md).
  const reference = sortedCopy(history[0].samples);
  const historyMedians = history.map((b, i) =>
    i === 0 ? sortedMedian(reference) : median(b.samples),
  );
  const { time, status } = compareTime({
    base: reference,
    head: headSamples,
    historyMedians,
    unit: head.unit,
    direction: head.direction,
    threshold,
    alpha: options.alpha,
  });
  return { ...identity, status, time, ...attachments };
}

/** Each kind's comparison under its field (only the kinds with something to compare). */
function compareAttachments(
  head: Benchmark,
  history: Benchmark[],
  options: CompareOptions,
): Partial<BenchmarkComparison> {
  const result: Record<string, unknown> = {};
  for (const kind of kinds()) {
    const bases = history.flatMap((b) => {
      const attachment = attachmentOf(b, kind);
      return attachment === undefined ? [] : [attachment];
    });
    const compared = kind.compare(bases, attachmentOf(head, kind), optionsOf(options, kind), {
      alpha: options.alpha,
    });
    if (compared !== undefined) result[kind.comparisonField] = compared;
    Object.assign(result, kind.extraFields?.(bases, attachmentOf(head, kind)));
  }
  return result as Partial<BenchmarkComparison>;
}

function removedBenchmark(base: Benchmark, options: CompareOptions): Unjudged {
  const threshold = thresholdFor(base.id, options.threshold, options.thresholds);
  return {
    ...identityOf(base),
    status: 'removed',
    time: emptyTime(base, threshold, centreOf(base), null, { base: base.samples.length, head: 0 }),
  };
}

function identityOf(b: Benchmark): Pick<BenchmarkComparison, 'id' | 'name' | 'file' | 'group'> {
  return {
    id: b.id,
    name: b.name,
    file: b.file,
    ...(b.group !== undefined ? { group: b.group } : {}),
  };
}

function emptyTime(
  b: Benchmark,
  threshold: number,
  base: number | null,
  head: number | null,
  samples: { base: number; head: number },
): TimeComparison {
  return {
    base,
    head,
    change: null,
    ci: null,
    pValue: null,
    unit: b.unit,
    direction: b.direction,
    threshold,
    samples,
  };
}
