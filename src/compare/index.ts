/**
 * compare(): base history + head Run → Comparison (statuses, verdict, reasons, highlights).
 * Pure and deterministic: no I/O, no randomness. The statistics are explained in
 * docs/statistics.md.
 */
import type { Config } from '../config/schema.js';
import type {
  BenchmarkComparison,
  Comparison,
  Status,
  TimeComparison,
  TimingMode,
} from '../model/comparison.js';
import type { Benchmark, Run } from '../model/run.js';
import { compareMemory } from '../memory/compare.js';
import { compareProfiles } from '../profile/compare.js';
import { compareQueries } from '../queries/compare.js';
import { envDifferences } from './env.js';
import { median, sortedCopy, sortedMedian } from './median.js';
import { attachmentReason, failedReason, highlightsOf, timeReason } from './reasons.js';
import { thresholdFor } from './thresholds.js';
import { compareTime } from './time.js';
import { judgeForks, type ForkStatus } from './forks.js';

export type CompareOptions = Pick<
  Config,
  'threshold' | 'thresholds' | 'failOn' | 'alpha' | 'profile' | 'queries' | 'memory'
> & {
  /** `against`: bases[0] was measured with head in alternating fork pairs (default stored). */
  mode?: TimingMode;
};

const STATUSES: readonly Status[] = [
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
  const benchmarks: BenchmarkComparison[] = [];
  const mode = options.mode ?? 'stored';

  // A duplicated id keeps its first occurrence.
  const heads = head.benchmarks.filter((b) => !headIds.has(b.id) && headIds.add(b.id));
  // Timing of all benchmarks with forks is judged together (pooled variances, BH).
  const forks = judgeForks(
    heads
      .filter((b) => b.error === undefined && b.samples.length > 0)
      .map((b) => ({
        head: b,
        bases: indexes.map((index) => {
          const base = index.get(b.id);
          return usable(base) ? base : undefined;
        }),
        threshold: thresholdFor(b.id, options.threshold, options.thresholds),
      })),
    mode,
    options.alpha,
    bases.map((b) => b.meta.commit),
  );
  for (const benchmark of heads) {
    benchmarks.push(compareBenchmark(benchmark, indexes, options, forks.get(benchmark.id)));
  }
  // Removed: in the current baseline (newest run) but not in head. Older runs do not count:
  // a benchmark deleted on main long ago is not this pull request's doing.
  for (const benchmark of bases[0]?.benchmarks ?? []) {
    if (headIds.has(benchmark.id)) continue;
    headIds.add(benchmark.id);
    benchmarks.push(removedBenchmark(benchmark, options));
  }

  const reasons: string[] = [];
  const highlights: string[] = [];
  const failOn = [...options.failOn];
  for (const b of benchmarks) {
    if (b.status === 'failed') reasons.push(failedReason(b));
    if (b.status === 'regression' && failOn.includes('time')) reasons.push(timeReason(b));
    if (b.queries?.regressed && failOn.includes('queries')) {
      for (const reason of b.queries.reasons) reasons.push(attachmentReason(b, 'queries', reason));
    }
    if (b.memory?.regressed && failOn.includes('memory')) {
      for (const reason of b.memory.reasons) reasons.push(attachmentReason(b, 'memory', reason));
    }
    highlights.push(...highlightsOf(b));
  }

  const summary = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const b of benchmarks) summary[b.status] += 1;

  const newest = bases[0];
  return {
    verdict: reasons.length > 0 ? 'fail' : 'pass',
    reasons,
    highlights,
    failOn,
    baseRuns: bases.length,
    mode,
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
    benchmarks,
  };
}

function indexById(run: Run): Map<string, Benchmark> {
  const index = new Map<string, Benchmark>();
  for (const b of run.benchmarks) if (!index.has(b.id)) index.set(b.id, b);
  return index;
}

function usable(b: Benchmark | undefined): b is Benchmark {
  return b !== undefined && b.error === undefined && b.samples.length > 0;
}

function compareBenchmark(
  head: Benchmark,
  indexes: Map<string, Benchmark>[],
  options: CompareOptions,
  forks: { time: TimeComparison; status: ForkStatus } | undefined,
): BenchmarkComparison {
  const history = indexes.map((index) => index.get(head.id)).filter(usable);
  const threshold = thresholdFor(head.id, options.threshold, options.thresholds);
  const identity = identityOf(head);

  if (head.error !== undefined || head.samples.length === 0) {
    const baseSamples = history[0] ? sortedCopy(history[0].samples) : null;
    return {
      ...identity,
      status: 'failed',
      time: emptyTime(head, threshold, baseSamples ? sortedMedian(baseSamples) : null, null, {
        base: baseSamples?.length ?? 0,
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
      time: emptyTime(head, threshold, null, sortedMedian(headSamples), {
        base: 0,
        head: headSamples.length,
      }),
      ...attachments,
    };
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

function compareAttachments(
  head: Benchmark,
  history: Benchmark[],
  options: CompareOptions,
): Pick<BenchmarkComparison, 'functions' | 'queries' | 'memory'> {
  const result: Pick<BenchmarkComparison, 'functions' | 'queries' | 'memory'> = {};
  const functions = compareProfiles(
    history.flatMap((b) => (b.profile ? [b.profile] : [])),
    head.profile,
  );
  if (functions !== undefined) result.functions = functions;
  const queries = compareQueries(
    history.flatMap((b) => (b.queries ? [b.queries] : [])),
    head.queries,
    options.queries,
  );
  if (queries !== undefined) result.queries = queries;
  const memory = compareMemory(
    history.flatMap((b) => (b.memory ? [b.memory] : [])),
    head.memory,
    { ...options.memory, alpha: options.alpha },
  );
  if (memory !== undefined) result.memory = memory;
  return result;
}

function removedBenchmark(base: Benchmark, options: CompareOptions): BenchmarkComparison {
  const threshold = thresholdFor(base.id, options.threshold, options.thresholds);
  const median = base.samples.length > 0 ? sortedMedian(sortedCopy(base.samples)) : null;
  return {
    ...identityOf(base),
    status: 'removed',
    time: emptyTime(base, threshold, median, null, { base: base.samples.length, head: 0 }),
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
