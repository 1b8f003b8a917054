// The timing pass: warm-up, calibration of ops per round, then rounds in measurement order.
// perfgate drives its own loop (not tinybench's) because it needs three things tinybench 6 does
// not give: samples in time order, batching of fast ops into rounds without an `await` per op,
// and a bounded number of samples. See docs/runner.md.
import type { RunOptions } from '../config/run-options.js';
import type { BenchTask } from '../model/task.js';
import { runOperation } from '../hooks/operation.js';
import { isThenable } from '../hooks/thenable.js';

export interface TimingResult {
  /** Nanoseconds per operation, one value per round, in round order (at most maxSamples). */
  samples: number[];
  /** Operations per round (every sample averages this many ops). */
  opsPerSample: number;
  /** Rounds measured before the cap kept the newest maxSamples. */
  rounds: number;
}

/** A monotonic clock in nanoseconds. */
export type Clock = () => number;

const hrtimeOrigin = process.hrtime.bigint();
/** Nanoseconds since the module loaded, as a double (exact for ~104 days). */
export const hrtimeNs: Clock = () => Number(process.hrtime.bigint() - hrtimeOrigin);

/** A round shorter than this is too close to timer cost and jitter to be trusted. */
export const MIN_ROUND_NS = 1_000_000;
/** Safety bound on batching (a no-op task would otherwise grow N forever). */
const MAX_OPS_PER_ROUND = 2 ** 30;
/** Warm-up runs at least this many rounds, so calibration never rests on the first cold call. */
const MIN_WARMUP_ROUNDS = 3;

/**
 * Round length to aim for: long enough to dwarf the timer, and long enough that the time budget
 * yields about maxSamples rounds (so few rounds are dropped by the cap).
 */
export function roundTargetNs(options: RunOptions): number {
  return Math.max(MIN_ROUND_NS, (options.time * 1e6) / options.maxSamples);
}

/** Next batch size after a round of `ops` took `elapsed` ns, aiming at `target` ns. */
export function nextOpsPerRound(ops: number, elapsed: number, target: number): number {
  const grown = elapsed > 0 ? Math.ceil((ops * target * 1.1) / elapsed) : ops * 10;
  return Math.min(MAX_OPS_PER_ROUND, Math.max(ops + 1, Math.min(grown, ops * 100)));
}

// Results of the measured function are stored here so that V8 cannot drop a pure call as dead code.
let sink: unknown;
/** Last value a measured function returned (keeps the results observable). */
export function lastResult(): unknown {
  return sink;
}

/** Runs `ops` operations and returns the measured ns; sync when the task is sync. */
type Round = (ops: number) => number | Promise<number>;

/**
 * What one `clock(); clock()` pair costs, ns (median of many pairs): the bias added to every
 * separately timed op. Slow on some VMs (~300 ns per hrtime call measured on a cloud VM).
 */
export function timerOverheadNs(clock: Clock, pairs = 2000): number {
  const deltas: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const start = clock();
    deltas.push(clock() - start);
  }
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(deltas.length / 2)];
}

/** Builds the round function for a task, given what its first call returned. */
function makeRound(task: BenchTask, async: boolean, clock: Clock): Round {
  const { fn, beforeEach, afterEach } = task;
  if (beforeEach || afterEach) {
    // Per-op hooks cannot be inside the timed span: time each call of fn and add them up, less
    // the cost of reading the clock (else a fast op is dominated by a constant that dilutes
    // every relative change). Hooks and fn are awaited only when they return a promise.
    const overhead = timerOverheadNs(clock);
    return async (ops) => {
      let total = 0;
      for (let i = 0; i < ops; i++) {
        if (beforeEach) {
          const before = beforeEach();
          if (isThenable(before)) await before;
        }
        const start = clock();
        const result = fn();
        if (async && isThenable(result)) await result;
        total += clock() - start;
        sink = result;
        if (afterEach) {
          const after = afterEach();
          if (isThenable(after)) await after;
        }
      }
      // Subtracted per round, not clamped per op: per-op clamping at 0 would bias fast ops up.
      return Math.max(0, total - ops * overhead);
    };
  }
  if (async) {
    return async (ops) => {
      const start = clock();
      for (let i = 0; i < ops; i++) sink = await fn();
      return clock() - start;
    };
  }
  return (ops) => {
    const start = clock();
    for (let i = 0; i < ops; i++) sink = fn();
    return clock() - start;
  };
}

/**
 * Measures one task. The caller runs beforeAll/afterAll around it; this pass runs
 * beforeEach/afterEach around every op. Errors thrown by the task propagate.
 */
export async function measureTiming(
  task: BenchTask,
  options: RunOptions,
  clock: Clock = hrtimeNs,
): Promise<TimingResult> {
  const target = roundTargetNs(options);

  // First call, with its hooks: tells a sync task from an async one.
  let async = false;
  const firstCall = runOperation(task, () => {
    const first = task.fn();
    async = isThenable(first);
    sink = first;
    return first;
  });
  if (firstCall) await firstCall;
  const round = makeRound(task, async, clock);
  const run = async (ops: number): Promise<number> => {
    const elapsed = round(ops);
    return typeof elapsed === 'number' ? elapsed : await elapsed;
  };

  // Warm-up and calibration: grow the batch while rounds are shorter than the target, and keep
  // warming until the warm-up time has passed (calibration finishes even with warmup 0). The
  // batch is sized on wall time, so slow per-op hooks cannot make a round last forever.
  let ops = 1;
  const warmupEnd = clock() + options.warmup * 1e6;
  for (let rounds = 1; ; rounds++) {
    const start = clock();
    await run(ops);
    const wall = clock() - start;
    if (wall < target && ops < MAX_OPS_PER_ROUND) {
      ops = nextOpsPerRound(ops, wall, target);
      continue;
    }
    // A few rounds at the final size, unless one round is already long: a single slow round
    // (a GC pause) must not fix the batch size of a fast task.
    if (clock() >= warmupEnd && (rounds >= MIN_WARMUP_ROUNDS || wall >= 20 * target)) break;
  }

  // Measurement: at least `time` ms and at least minSamples rounds.
  const samples: number[] = [];
  const end = clock() + options.time * 1e6;
  while (samples.length < options.minSamples || clock() < end) {
    samples.push((await run(ops)) / ops);
  }
  const rounds = samples.length;
  // The cap keeps the newest rounds: the oldest are the closest to warm-up.
  if (samples.length > options.maxSamples) samples.splice(0, samples.length - options.maxSamples);
  return { samples, opsPerSample: ops, rounds };
}
