/**
 * Timing with forks as replicates for a whole comparison: which design each benchmark gets,
 * its data, and the judgement as a TimeComparison. Pure. The model is in src/stats
 * (timing-verdict.ts) and explained in docs/statistics.md.
 *
 * - `against`: the base Run was measured with the head in alternating fork pairs → paired.
 * - stored, at least MIN_HISTORY_RUNS base runs → history (the run-to-run spread in one test).
 * - one base Run (`perfgate compare a.json b.json`) with ≥ 3 forks in all → forks.
 * - otherwise (one fork a side: version-1 Runs, foreign formats): not judged here; the caller
 *   falls back to the samples of the one process (Mann-Whitney, compare/time.ts).
 */
import type { Status, TimeComparison, TimeMethod, TimingMode } from '../model/comparison.js';
import type { Benchmark } from '../model/run.js';
import { forkLevels, mean, withinForkNoise } from '../stats/fork-levels.js';
import {
  judgeTiming,
  type TimingCase,
  type TimingData,
  type TimingShift,
} from '../stats/timing-verdict.js';

/** Fewest base runs for the stored-mode history test. */
export const MIN_HISTORY_RUNS = 3;

export interface ForkInput {
  head: Benchmark;
  /** The benchmark in each base run, aligned with the base runs (newest first). */
  bases: Array<Benchmark | undefined>;
  threshold: number;
}

export type ForkStatus = Extract<Status, 'regression' | 'improvement' | 'unchanged' | 'noisy'>;

const METHOD: Record<TimingData['design'], TimeMethod> = {
  forks: 'forks-t',
  paired: 'paired-t',
  history: 'history-t',
};

const levelsOf = (b: Benchmark) => forkLevels(b.samples, b.forks);

function dataOf(input: ForkInput, mode: TimingMode): TimingData | null {
  const head = levelsOf(input.head);
  if (head.length === 0) return null;
  const newestBase = input.bases.find((b) => b !== undefined);
  if (newestBase === undefined) return null;
  const newest = levelsOf(newestBase);
  if (mode === 'against') {
    const n = Math.min(newest.length, head.length);
    if (n < 2) return null;
    return {
      design: 'paired',
      pairs: Array.from({ length: n }, (_, i) => ({ base: newest[i], head: head[i] })),
    };
  }
  if (input.bases.filter((b) => b !== undefined).length >= MIN_HISTORY_RUNS) {
    return {
      design: 'history',
      history: input.bases.map((b) => {
        const levels = b ? levelsOf(b) : [];
        return levels.length > 0 ? mean(levels) : null;
      }),
      head,
      newest,
    };
  }
  if (newest.length + head.length < 3) return null;
  return { design: 'forks', base: newest, head };
}

/** Within-fork noise of the head's and the newest base's forks together. */
function noiseOf(head: Benchmark, base: Benchmark | undefined): number | null {
  const sides = base ? [base, head] : [head];
  return withinForkNoise(
    sides.flatMap((b) => b.samples),
    sides.flatMap((b) => b.forks ?? [b.samples.length]),
  );
}

export interface ForkVerdict {
  /** By benchmark id; the ids left out take the one-fork fallback. */
  results: Map<string, { time: TimeComparison; status: ForkStatus }>;
  /** Stored mode: the head run's shift common to its benchmarks (Comparison.runShift). */
  shift: TimingShift | null;
}

/**
 * Judges every benchmark that has replicates, together (pooling and Benjamini–Hochberg need
 * them all); the ids it leaves out take the one-fork fallback.
 */
export function judgeForks(
  inputs: readonly ForkInput[],
  mode: TimingMode,
  alpha: number,
  /** Commit of each base run (newest first), for the trend of regressions. */
  commits: ReadonlyArray<string | undefined> = [],
): ForkVerdict {
  const cases: Array<{ input: ForkInput; timing: TimingCase }> = [];
  for (const input of inputs) {
    const data = dataOf(input, mode);
    if (data === null) continue;
    cases.push({
      input,
      timing: {
        data,
        direction: input.head.direction,
        threshold: input.threshold,
        noise: noiseOf(
          input.head,
          input.bases.find((b) => b !== undefined),
        ),
      },
    });
  }
  const { judgements: judged, shift } = judgeTiming(
    cases.map((c) => c.timing),
    alpha,
  );
  const result = new Map<string, { time: TimeComparison; status: ForkStatus }>();
  cases.forEach(({ input }, i) => {
    const j = judged[i];
    const head = Math.exp(mean(levelsOf(input.head)));
    const baseRun = input.bases.find((b) => b !== undefined)!;
    result.set(input.head.id, {
      status: j.status,
      time: {
        base: head / (1 + j.change),
        head,
        change: j.change,
        ci: j.ci,
        pValue: j.pValue,
        unit: input.head.unit,
        direction: input.head.direction,
        threshold: input.threshold,
        samples: { base: baseRun.samples.length, head: input.head.samples.length },
        method: METHOD[j.design],
        pAdjusted: j.pAdjusted,
        mde: j.mde,
        forks: j.replicates,
        spread: j.spread,
        unstable: j.unstable,
        ...(j.status === 'regression' && j.design === 'history'
          ? { trend: trendOf(input.bases, commits) }
          : {}),
      },
    });
  });
  return { results: result, shift };
}

/** The benchmark's value in each base run that has it (newest first), oldest first. */
export function trendOf(
  bases: ReadonlyArray<Benchmark | undefined>,
  commits: ReadonlyArray<string | undefined>,
): NonNullable<TimeComparison['trend']> {
  const points: NonNullable<TimeComparison['trend']> = [];
  bases.forEach((b, i) => {
    const levels = b ? levelsOf(b) : [];
    if (levels.length === 0) return;
    const commit = commits[i];
    points.push({ ...(commit !== undefined ? { commit } : {}), value: Math.exp(mean(levels)) });
  });
  return points.reverse();
}
