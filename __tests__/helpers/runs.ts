/** Hand-made, schema-valid Runs for tests that do not need to run benchmarks. */
import type { Benchmark, Run } from '../../src/model/run.js';

export interface BenchSpec {
  name: string;
  /** Median time per op, ns. */
  ns: number;
  /** Relative spread of the samples (default 2 %). */
  spread?: number;
  samples?: number;
}

/** Deterministic pseudo-random samples around `ns` (no Math.random: reproducible). */
function samplesAround(ns: number, spread: number, n: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: n }, () => ns * (1 + (next() - 0.5) * 2 * spread));
}

export function makeBenchmark(spec: BenchSpec, file = 'bench/app.bench.ts', seed = 1): Benchmark {
  const samples = samplesAround(spec.ns, spec.spread ?? 0.02, spec.samples ?? 40, seed);
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
  const sd = Math.sqrt(samples.reduce((s, v) => s + (v - mean) ** 2, 0) / (samples.length - 1));
  return {
    id: `${file} > ${spec.name}`,
    name: spec.name,
    file,
    unit: 'ns',
    direction: 'smaller',
    samples,
    stats: {
      n: samples.length,
      mean,
      median: sorted[Math.floor(sorted.length / 2)]!,
      min: sorted[0]!,
      max: sorted[sorted.length - 1]!,
      sd,
      p99: sorted[Math.floor(sorted.length * 0.99)]!,
      rme: ((1.96 * sd) / Math.sqrt(samples.length) / mean) * 100,
    },
  };
}

export function makeRun(commit: string, benches: BenchSpec[], timestamp?: string): Run {
  return {
    schemaVersion: 1,
    tool: 'perfgate',
    meta: {
      commit,
      ref: 'refs/heads/main',
      timestamp: timestamp ?? new Date().toISOString(),
      env: { os: 'linux', cpu: 'test cpu', cores: 2, node: 'v20.20.0', runner: 'github-actions' },
    },
    benchmarks: benches.map((b, i) => makeBenchmark(b, undefined, i + commit.length + 7)),
  };
}
