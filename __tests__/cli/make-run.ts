import type { Benchmark, Run } from '../../src/model/run.js';

/** Deterministic pseudo-random numbers (mulberry32), so fixtures are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` samples around `centre` ns with ±`noise` relative jitter. */
export function samples(centre: number, n = 60, noise = 0.02, seed = 1): number[] {
  const next = random(seed);
  return Array.from({ length: n }, () => centre * (1 + (next() * 2 - 1) * noise));
}

export function benchmark(name: string, values: number[], file = 'bench/app.bench.ts'): Benchmark {
  const sorted = [...values].sort((a, b) => a - b);
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, n - 1));
  return {
    id: `${file} > ${name}`,
    name,
    file,
    unit: 'ns',
    direction: 'smaller',
    samples: values,
    stats: {
      n,
      mean,
      median: n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
      min: sorted[0],
      max: sorted[n - 1],
      sd,
      p99: sorted[Math.min(n - 1, Math.ceil(0.99 * n) - 1)],
      rme: ((1.96 * sd) / Math.sqrt(n) / mean) * 100,
    },
  };
}

/** A Run with one benchmark per entry of `centres` (name → median ns). */
export function makeRun(
  centres: Record<string, number>,
  options: { seed?: number; commit?: string; timestamp?: string; scale?: number } = {},
): Run {
  const { seed = 1, scale = 1 } = options;
  return {
    schemaVersion: 1,
    tool: 'perfgate',
    meta: {
      commit: options.commit,
      timestamp: options.timestamp ?? '2026-01-01T00:00:00.000Z',
      env: { os: 'linux 6.1', cpu: 'Test CPU', cores: 2, node: 'v20.20.0', runner: 'local' },
    },
    benchmarks: Object.entries(centres).map(([name, centre], index) =>
      benchmark(name, samples(centre * scale, 60, 0.02, seed * 100 + index)),
    ),
  };
}
