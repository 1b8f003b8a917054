// The timing pass, in-process with a simulated clock: the clock advances only when the task runs,
// so batching, sample counts and ordering are checked exactly, without timing assertions.
import { describe, expect, it } from 'vitest';
import { runOptionsSchema, type RunOptions } from '../../src/config/run-options.js';
import type { BenchTask } from '../../src/model/task.js';
import {
  MIN_ROUND_NS,
  measureTiming,
  nextOpsPerRound,
  roundTargetNs,
  timerOverheadNs,
} from '../../src/runner/timing.js';

function options(input: Partial<RunOptions> = {}): RunOptions {
  return runOptionsSchema.parse({ time: 50, warmup: 10, ...input });
}

/** A clock in ns that only moves when told to. */
function simulatedClock() {
  let now = 0;
  return {
    clock: () => now,
    advance: (ns: number) => {
      now += ns;
    },
  };
}

describe('measureTiming', () => {
  it('batches a fast sync task into rounds of many ops, ns per op, capped at maxSamples', async () => {
    const { clock, advance } = simulatedClock();
    const task: BenchTask = { name: 'fast', fn: () => advance(100) };
    const opts = options({ maxSamples: 20 });
    const result = await measureTiming(task, opts, clock);
    expect(result.opsPerSample).toBeGreaterThan(1);
    // Every round is at least the target length (2.5 ms here: 50 ms / 20 samples).
    expect(result.opsPerSample * 100).toBeGreaterThanOrEqual(roundTargetNs(opts));
    expect(result.samples.length).toBeLessThanOrEqual(20);
    expect(result.samples.length).toBeGreaterThanOrEqual(opts.minSamples);
    for (const sample of result.samples) expect(sample).toBeCloseTo(100, 9);
  });

  it('keeps the newest rounds, in measurement order, when the cap applies', async () => {
    const { clock, advance } = simulatedClock();
    let calls = 0;
    // Each op is 1 ns slower than the previous one: samples must come out increasing.
    const task: BenchTask = {
      name: 'drift',
      fn: () => {
        calls++;
        advance(2_000_000 + calls);
      },
    };
    // minSamples above maxSamples forces more rounds than the cap keeps.
    const opts = options({ time: 10, minSamples: 15, maxSamples: 10 });
    const result = await measureTiming(task, opts, clock);
    expect(result.opsPerSample).toBe(1);
    expect(result.rounds).toBe(15);
    expect(result.samples).toHaveLength(10);
    for (let i = 1; i < result.samples.length; i++) {
      expect(result.samples[i]).toBe(result.samples[i - 1] + 1);
    }
    // The last sample is the last op run.
    expect(result.samples.at(-1)).toBe(2_000_000 + calls);
  });

  it('takes at least minSamples rounds of a slow task, however short the time budget', async () => {
    const { clock, advance } = simulatedClock();
    const task: BenchTask = { name: 'slow', fn: () => advance(50_000_000) };
    const result = await measureTiming(task, options({ time: 1, minSamples: 7 }), clock);
    expect(result.opsPerSample).toBe(1);
    expect(result.samples).toEqual(Array(7).fill(50_000_000));
  });

  it('runs sync tasks without yielding to the event loop between ops of a round', async () => {
    const { clock, advance } = simulatedClock();
    let ops = 0;
    let yieldsBetweenOps = 0;
    let pending = false;
    const task: BenchTask = {
      name: 'sync',
      fn: () => {
        ops++;
        if (pending) return advance(10);
        // A microtask queued now runs at the first await: count ops that happen after it ran.
        pending = true;
        queueMicrotask(() => {
          pending = false;
          yieldsBetweenOps++;
        });
        advance(10);
      },
    };
    const result = await measureTiming(task, options(), clock);
    expect(ops).toBeGreaterThan(100_000);
    // At most one yield per round (between rounds), never one per op.
    expect(yieldsBetweenOps).toBeLessThan(ops / result.opsPerSample + 50);
    expect(yieldsBetweenOps).toBeLessThan(ops / 100);
  });

  it('awaits async tasks and measures their whole duration', async () => {
    const { clock, advance } = simulatedClock();
    const task: BenchTask = {
      name: 'async',
      fn: async () => {
        await Promise.resolve();
        advance(300_000);
      },
    };
    const result = await measureTiming(task, options(), clock);
    expect(result.opsPerSample).toBe(Math.ceil(MIN_ROUND_NS / 300_000));
    for (const sample of result.samples) expect(sample).toBeCloseTo(300_000, 6);
  });

  it('runs beforeEach/afterEach around every op and keeps them out of the measured time', async () => {
    const { clock, advance } = simulatedClock();
    const order: string[] = [];
    const task: BenchTask = {
      name: 'hooks',
      beforeEach: () => {
        order.push('before');
        advance(1_000_000);
      },
      fn: () => {
        order.push('fn');
        advance(1_000);
      },
      afterEach: async () => {
        order.push('after');
        advance(2_000_000);
      },
    };
    const result = await measureTiming(task, options(), clock);
    for (const sample of result.samples) expect(sample).toBeCloseTo(1_000, 6);
    expect(order.length % 3).toBe(0);
    for (let i = 0; i < order.length; i += 3) {
      expect(order.slice(i, i + 3)).toEqual(['before', 'fn', 'after']);
    }
    // Batches are sized on wall time, so 3 ms of hooks per op keep rounds to one op.
    expect(result.opsPerSample).toBe(1);
  });

  it('subtracts the cost of reading the clock from separately timed ops', async () => {
    // Every clock read costs 50 ns: a per-op measurement would otherwise say 1050 ns.
    let now = 0;
    const clock = () => {
      const t = now;
      now += 50;
      return t;
    };
    expect(timerOverheadNs(clock)).toBe(50);
    const task: BenchTask = {
      name: 'hooks',
      beforeEach: () => undefined,
      fn: () => {
        now += 1_000;
      },
    };
    const result = await measureTiming(task, options(), clock);
    for (const sample of result.samples) expect(sample).toBe(1_000);
  });

  it('propagates an error thrown by the task', async () => {
    const { clock, advance } = simulatedClock();
    let calls = 0;
    const task: BenchTask = {
      name: 'throws',
      fn: () => {
        advance(10);
        if (++calls === 1000) throw new RangeError('op 1000 failed');
      },
    };
    await expect(measureTiming(task, options(), clock)).rejects.toThrow('op 1000 failed');
  });
});

describe('calibration helpers', () => {
  it('aims rounds at the time budget split into maxSamples, never under 1 ms', () => {
    expect(roundTargetNs(options({ time: 500, maxSamples: 200 }))).toBe(2_500_000);
    expect(roundTargetNs(options({ time: 50, maxSamples: 200 }))).toBe(MIN_ROUND_NS);
  });

  it('grows the batch towards the target, at least by one and at most 100x per step', () => {
    expect(nextOpsPerRound(1, 0, 1_000_000)).toBe(10);
    expect(nextOpsPerRound(1, 10, 1_000_000)).toBe(100);
    expect(nextOpsPerRound(100, 500_000, 1_000_000)).toBeGreaterThanOrEqual(220);
    expect(nextOpsPerRound(100, 500_000, 1_000_000)).toBeLessThanOrEqual(221);
    expect(nextOpsPerRound(100, 999_999, 1_000_000)).toBeGreaterThanOrEqual(101);
  });
});
