/**
 * Forks: each bench file runs in several child processes, and the forks of different files
 * (and, with `--against`, of base and head) are interleaved in time, so that a slow moment of
 * the machine touches every file a little rather than one file a lot. Pure planning and
 * merging; runner/index.ts runs the plan.
 */
import { hasAttachments, withoutPasses } from '../kinds/index.js';
import type { Config } from '../config/schema.js';
import type { Benchmark } from '../model/run.js';
import { summarize } from '../stats/summary.js';

export interface ForkJob<P, F> {
  project: P;
  file: F;
  /** 0-based fork index. */
  fork: number;
  /** The instrumented passes run in this fork. */
  passes: boolean;
  /**
   * Its timing samples count. False for a fork run only for the passes: a kind that prepares
   * the process before the file loads (the exact-calls hooks rewrite the project's functions,
   * the query capture wraps the drivers) changes the code being timed, so that fork's timing
   * would be a different program's (tiny functions ran ~3× slower with the calls hooks).
   */
  timed: boolean;
}

export interface ScheduleOptions {
  /** Pair order with two projects: random by default. */
  random?: () => number;
  /**
   * Run the passes in one extra fork per file whose timing is not counted (see
   * ForkJob.timed), instead of in the last timing fork.
   */
  separatePasses?: boolean;
}

/**
 * Fork by fork, each file once per round: A1 B1 A2 B2 …. With two projects (base, head), each
 * file's pair of forks runs back to back, the order of each pair drawn by `random`. The passes
 * run in the last fork, or with `separatePasses` in one more fork after the timed ones.
 */
export function forkSchedule<P, F>(
  projects: ReadonlyArray<{ project: P; files: readonly F[] }>,
  forks: number,
  key: (file: F) => string,
  options: ScheduleOptions = {},
): Array<ForkJob<P, F>> {
  const random = options.random ?? Math.random;
  const separate = options.separatePasses === true;
  const jobs: Array<ForkJob<P, F>> = [];
  const keys = [...new Set(projects.flatMap((p) => p.files.map(key)))];
  const rounds = separate ? forks + 1 : forks;
  for (let fork = 0; fork < rounds; fork++) {
    const timed = fork < forks;
    const passes = separate ? !timed : fork === forks - 1;
    for (const k of keys) {
      const pair = projects.flatMap(({ project, files }) =>
        files.filter((f) => key(f) === k).map((file) => ({ project, file, fork, passes, timed })),
      );
      if (pair.length === 2 && random() < 0.5) pair.reverse();
      jobs.push(...pair);
    }
  }
  return jobs;
}

/**
 * The config a fork runs with: the measuring and warm-up time of a task split across the forks
 * (the total stays about what one process had), samples capped per fork; the instrumented
 * passes only where they run.
 */
export function forkConfig(config: Config, forks: number, passes: boolean): Config {
  const run = {
    ...config.run,
    time: config.run.time / forks,
    warmup: config.run.warmup / forks,
    maxSamples: Math.max(config.run.minSamples, Math.ceil(config.run.maxSamples / forks)),
  };
  if (passes) return { ...config, run };
  return withoutPasses({ ...config, run });
}

/**
 * One benchmark from its timed forks, in fork order: samples concatenated, `forks` their
 * counts. `passes`: the benchmark from a fork run only for the passes (its samples not
 * counted), whose attachments it takes.
 */
export function mergeForks(timedParts: readonly Benchmark[], passes?: Benchmark): Benchmark {
  // No timed fork delivered it (they failed): the passes fork's benchmark is all there is.
  const parts = timedParts.length > 0 ? timedParts : passes ? [passes] : [];
  const last = parts[parts.length - 1];
  if (last === undefined) throw new Error('mergeForks: no fork delivered this benchmark');
  if (parts.length === 1 && (passes === undefined || parts[0] === passes))
    return { ...last, forks: [last.samples.length] };
  const samples = parts.flatMap((p) => p.samples);
  const error = [...parts, ...(passes ? [passes] : [])].find((p) => p.error !== undefined)?.error;
  // Attachments come from the fork that ran the passes.
  const attached = passes ?? parts.find(hasAttachments) ?? last;
  const { error: _ignored, ...rest } = attached;
  return {
    ...rest,
    samples,
    forks: parts.map((p) => p.samples.length),
    stats: summarize(samples),
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * The config of a confirmation in `forks` forks: each fork measures as long as a fork of the
 * first measurement did (forkConfig divides the totals by the forks again).
 */
export function confirmationConfig(config: Config, forks: number): Config {
  const scale = forks / config.run.forks;
  const perFork = Math.max(
    config.run.minSamples,
    Math.ceil(config.run.maxSamples / config.run.forks),
  );
  return {
    ...config,
    run: {
      ...config.run,
      forks,
      time: config.run.time * scale,
      warmup: config.run.warmup * scale,
      maxSamples: perFork * forks,
    },
  };
}
