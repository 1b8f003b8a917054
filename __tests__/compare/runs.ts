// Builders of synthetic Runs for the compare and report tests.
import type { Benchmark, Env, Run } from '../../src/model/run.js';
import { summarize } from '../../src/stats/summary.js';

export const ENV: Env = {
  os: 'linux',
  cpu: 'AMD EPYC 7763',
  cores: 4,
  node: 'v20.20.0',
  runner: 'local',
};

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n log-normal samples around `median` with relative spread `cv`. */
export function noisy(median: number, n: number, cv: number, random: () => number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return median * Math.exp(cv * z);
  });
}

export function bench(id: string, samples: number[], extra: Partial<Benchmark> = {}): Benchmark {
  const parts = id.split(' > ');
  return {
    id,
    name: parts[parts.length - 1],
    file: parts[0],
    unit: 'ns',
    direction: 'smaller',
    samples,
    stats: summarize(samples),
    ...extra,
  };
}

export function run(benchmarks: Benchmark[], meta: Partial<Run['meta']> = {}): Run {
  return {
    schemaVersion: 1,
    tool: 'perfgate',
    meta: { timestamp: '2026-11-25T12:00:00.000Z', env: ENV, commit: 'abc1234', ...meta },
    benchmarks,
  };
}
