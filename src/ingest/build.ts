/**
 * Building Benchmarks of the Run model from what foreign tools write: ids, time units,
 * raw samples versus summaries, the derived metric benchmarks. Pure.
 */
import type { Benchmark, Direction, Stats } from '../model/run.js';
import { summarize, tCritical95 } from '../stats/summary.js';
import type { MemoryAttachment } from '../model/memory.js';

/** Nanoseconds in one of each time unit the tools write. */
const TIME_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
};

/** Scale to nanoseconds of a time unit (`ns`, `us`, `µs`, `ms`, `s`), undefined otherwise. */
export function nanosecondsPer(unit: string): number | undefined {
  return TIME_UNITS[unit.trim()];
}

/**
 * A value in a tool's unit → the Run's: time units become ns (so one benchmark never mixes
 * units across runs: Catch2 picks a unit per value), other units are kept.
 */
export function normalizeUnit(unit: string): { unit: string; scale: number } {
  const scale = nanosecondsPer(unit);
  return scale === undefined ? { unit: unit.trim(), scale: 1 } : { unit: 'ns', scale };
}

/** Throughput-like units (`ops/s`, `MB/s`, `req/s`) are bigger-is-better; the rest smaller. */
export function directionOfUnit(unit: string): Direction {
  return /\/\s*(s|sec|second)$/i.test(unit.trim()) ? 'bigger' : 'smaller';
}

/** `a > b > c`, the empty parts left out: the id shape of perfgate's own benchmarks. */
export function joinId(...parts: Array<string | undefined>): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join(' > ');
}

interface Identity {
  id: string;
  name: string;
  file: string;
  group?: string;
}

interface Common extends Identity {
  unit: string;
  direction: Direction;
  opsPerSample?: number;
  memory?: MemoryAttachment;
}

/** A benchmark with raw samples (already in `unit`). */
export function rawBenchmark(fields: Common & { samples: number[] }): Benchmark {
  const { samples, group, opsPerSample, memory, ...rest } = fields;
  return {
    ...rest,
    ...(group !== undefined ? { group } : {}),
    samples,
    stats: summarize(samples),
    samplesKind: 'raw',
    ...(opsPerSample !== undefined ? { opsPerSample } : {}),
    ...(memory !== undefined ? { memory } : {}),
  };
}

/** What a tool says when it keeps only a summary. `n` and `sd` undefined when it does not say. */
export interface Summary {
  mean: number;
  n?: number;
  sd?: number;
  median?: number;
  min?: number;
  max?: number;
  p99?: number;
}

/** A benchmark with only a summary: no samples are made up (see samplesKind in the model). */
export function summaryBenchmark(fields: Common & { summary: Summary }): Benchmark {
  const { summary, group, opsPerSample, memory, ...rest } = fields;
  const n = summary.n !== undefined && summary.n > 0 ? Math.round(summary.n) : 0;
  const sd = summary.sd !== undefined && summary.sd > 0 ? summary.sd : 0;
  const moe = n > 1 && sd > 0 ? (tCritical95(n - 1) * sd) / Math.sqrt(n) : 0;
  const stats: Stats = {
    n,
    mean: summary.mean,
    median: summary.median ?? summary.mean,
    min: summary.min ?? summary.mean,
    max: summary.max ?? summary.mean,
    sd,
    p99: summary.p99 ?? summary.max ?? summary.mean,
    rme: summary.mean !== 0 ? Math.abs((moe / summary.mean) * 100) : 0,
  };
  return {
    ...rest,
    ...(group !== undefined ? { group } : {}),
    samples: [],
    stats,
    samplesKind: 'summary',
    ...(opsPerSample !== undefined ? { opsPerSample } : {}),
    ...(memory !== undefined ? { memory } : {}),
  };
}

/** A benchmark the tool reported as failed (or that the file stops before): fails the gate. */
export function failedBenchmark(fields: Identity & { unit: string; error: string }): Benchmark {
  const { error, group, ...rest } = fields;
  return {
    ...rest,
    ...(group !== undefined ? { group } : {}),
    direction: 'smaller',
    samples: [],
    stats: summarize([]),
    error,
  };
}

/**
 * A second metric of one benchmark (Go's allocs/op and MB/s, Google Benchmark counters, Julia's
 * allocations) as its own benchmark: id `<id> [<metric>]`, so it is compared and gated like time.
 */
export function metricIdentity(base: Identity, metric: string): Identity {
  return { ...base, id: `${base.id} [${metric}]`, name: `${base.name} [${metric}]` };
}

/**
 * Allocated bytes per operation measured by a foreign tool, as the memory attachment. Only
 * allocation is measured by these tools: retained growth, peak RSS and heap are not, and are 0
 * (no leak is ever claimed from them).
 */
export function allocationAttachment(samples: number[], method: string): MemoryAttachment {
  const mean = samples.reduce((sum, value) => sum + value, 0) / Math.max(1, samples.length);
  return {
    allocBytesPerOp: Math.max(0, mean),
    ...(samples.length > 1 ? { allocSamples: samples } : {}),
    retainedBytesPerOp: 0,
    leak: null,
    peakRss: 0,
    peakHeap: 0,
    topAllocations: [],
    method,
  };
}

/** Standard deviation from a relative margin of error (percent, 95 %, t-based) and n. */
export function sdFromRme(mean: number, rmePercent: number, n: number): number | undefined {
  if (!(n > 1) || !(rmePercent >= 0)) return undefined;
  const sem = (Math.abs(mean) * rmePercent) / 100 / tCritical95(n - 1);
  return sem * Math.sqrt(n);
}

/** A number written with thousands separators (`1,431,759`). */
export function parseNumber(text: string): number {
  return Number(text.replace(/,/g, ''));
}
