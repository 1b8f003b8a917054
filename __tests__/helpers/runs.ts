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

/** Names of storedSuite's 12 benchmarks (the last two in ops/s), in app.bench.ts. */
export const STORED_NAMES = [
  'parse',
  'render',
  'sort',
  'hash',
  'query',
  'encode',
  'decode',
  'route',
  'match',
  'format',
  'throughput',
  'requests',
];

/**
 * Stored mode: a history of 5 Runs (newest first, commits main0…main4) of 12 benchmarks with 5
 * forks each, every run on a runner a little faster or slower (±1 %), and a head Run (pr1) on
 * a runner 3 % faster. `slowdown` gives the head's time factor by benchmark name, or `all` for
 * every one. Two benchmarks are in ops/s (higher is better), so a slowdown lowers them.
 */
export function storedSuite(slowdown: Record<string, number> = {}): { history: Run[]; head: Run } {
  const perSecond = (i: number) => i >= 10;
  const runners = [1.01, 0.995, 1.004, 0.99, 1.006];
  const random = prng(23);
  const benchOf = (i: number, factor: number, seed: number) => {
    const time = 1000 * 1.6 ** i * factor;
    const medians = Array.from(
      { length: 5 },
      () => (perSecond(i) ? 1e9 / time : time) * Math.exp(0.005 * noisy(1, 1, 1, random)[0]),
    );
    const b = forkedBench(`app.bench.ts > ${STORED_NAMES[i]}`, medians, seed, 0.01);
    return perSecond(i) ? { ...b, unit: 'ops/s', direction: 'bigger' as const } : b;
  };
  const timestamp = (day: number) => `2026-11-${String(20 + day).padStart(2, '0')}T12:00:00.000Z`;
  const history = runners.map((runner, r) => {
    const run = forkedRun(
      STORED_NAMES.map((_, i) => benchOf(i, runner, 100 * r + i)),
      `main${r}`,
    );
    return { ...run, meta: { ...run.meta, timestamp: timestamp(5 - r) } };
  });
  const head = forkedRun(
    STORED_NAMES.map((name, i) =>
      benchOf(i, 0.97 * (slowdown[name] ?? slowdown.all ?? 1), 900 + i),
    ),
    'pr1',
  );
  return { history, head: { ...head, meta: { ...head.meta, timestamp: timestamp(6) } } };
}
