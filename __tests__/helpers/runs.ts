// The one builder of synthetic Runs for tests: a seeded PRNG, a sample generator, a Benchmark
// (stats by the project's own summarize) and a Run (meta and env defaults in one place).
import type { Benchmark, Env, Run } from '../../src/model/run.js';
import { summarize } from '../../src/stats/summary.js';

export const ENV: Env = {
  os: 'linux',
  cpu: 'AMD EPYC 7763',
  cores: 4,
  node: 'v20.20.0',
  runner: 'local',
};

/** Deterministic PRNG (mulberry32): no Math.random, so fixtures are the same on every run. */
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

/** A Benchmark from its id (`file > name`) and samples, in ns, smaller is better. */
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

/** A benchmark of `medians.length` forks of 30 samples each around the given medians. */
export function forkedBench(id: string, medians: number[], seed: number, cv: number): Benchmark {
  const random = prng(seed);
  const samples = medians.flatMap((m) => noisy(m, 30, cv, random));
  return bench(id, samples, { forks: medians.map(() => 30) });
}

/** A Run of schemaVersion 2 (benchmarks with forks). */
export function forkedRun(benchmarks: Benchmark[], commit = 'abc'): Run {
  return { ...run(benchmarks, { commit }), schemaVersion: 2 };
}

/** A benchmark described by its median: the shape most tests that do not study noise need. */
export interface BenchSpec {
  name: string;
  /** Median time per op, ns. */
  ns: number;
  /** Relative spread of the samples (default 2 %). */
  spread?: number;
  samples?: number;
}

export function makeBenchmark(spec: BenchSpec, file = 'bench/app.bench.ts', seed = 1): Benchmark {
  const samples = noisy(spec.ns, spec.samples ?? 40, spec.spread ?? 0.02, prng(seed));
  return bench(`${file} > ${spec.name}`, samples);
}

/**
 * A Run of `commit` (undefined: a Run without one) with one benchmark per spec. Benchmark i draws from seed `seed * 100 + i`, so
 * two Runs with the same seed share their noise and differ only where the specs differ.
 */
export function makeRun(
  commit: string | undefined,
  benches: BenchSpec[],
  options: { seed?: number; timestamp?: string } = {},
): Run {
  const { seed = 1, timestamp } = options;
  return run(
    benches.map((spec, i) => makeBenchmark(spec, undefined, seed * 100 + i)),
    timestamp === undefined ? { commit } : { commit, timestamp },
  );
}
