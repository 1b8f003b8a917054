/**
 * BenchmarkDotNet's full JSON exporter (`[JsonExporterAttribute.Full]` or `--exporters json`,
 * `*-report-full.json`). `Statistics.OriginalValues` are the per-operation times of the workload
 * iterations (ns): the samples. With `[MemoryDiagnoser]`, `Memory.BytesAllocatedPerOperation`
 * becomes the memory attachment.
 */
import type { Benchmark } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import {
  allocationAttachment,
  failedBenchmark,
  joinId,
  rawBenchmark,
  summaryBenchmark,
} from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson, type JsonRecord } from '../content.js';
import type { Importer } from '../importer.js';

export const benchmarkdotnetImporter: Importer = {
  name: 'benchmarkdotnet',
  describes: 'BenchmarkDotNet full JSON report (--exporters json: *-report-full.json)',
  detect(text) {
    const data = tryJson(text);
    return (
      isRecord(data) &&
      Array.isArray(data.Benchmarks) &&
      ('HostEnvironmentInfo' in data || 'Title' in data)
    );
  },
  parse(text, file) {
    const data = parseJsonOf(text, file, 'benchmarkdotnet');
    if (!isRecord(data) || !Array.isArray(data.Benchmarks)) {
      throw new InputError('not a BenchmarkDotNet report: no "Benchmarks" array', file);
    }
    const benchmarks = data.Benchmarks.map((entry: unknown, index) =>
      dotnetBenchmark(entry, index, file),
    );
    return { benchmarks, warnings: [] };
  },
};

function dotnetBenchmark(entry: unknown, index: number, file: string): Benchmark {
  if (!isRecord(entry) || typeof entry.Method !== 'string') {
    throw new InputError(`Benchmarks.${index}: expected an entry with "Method"`, file);
  }
  const type = [entry.Namespace, entry.Type]
    .filter((part) => typeof part === 'string' && part !== '')
    .join('.');
  const parameters =
    typeof entry.Parameters === 'string' && entry.Parameters !== '' ? `(${entry.Parameters})` : '';
  const name = `${entry.Method}${parameters}`;
  const identity = { id: joinId(type, name), name, file: type };
  const stats = isRecord(entry.Statistics) ? entry.Statistics : undefined;
  if (!stats)
    return failedBenchmark({
      ...identity,
      unit: 'ns',
      error: 'no Statistics: the benchmark did not run (see the BenchmarkDotNet log)',
    });
  const memory = allocated(entry.Memory);
  const common = { ...identity, unit: 'ns', direction: 'smaller' as const, ...memory };
  const samples = workload(entry, stats);
  if (samples.length > 0) return rawBenchmark({ ...common, samples });
  if (!isFiniteNumber(stats.Mean))
    throw new InputError(`Benchmarks.${index} (${name}): no Statistics.Mean`, file);
  return summaryBenchmark({
    ...common,
    summary: {
      mean: stats.Mean,
      sd: isFiniteNumber(stats.StandardDeviation) ? stats.StandardDeviation : undefined,
      n: isFiniteNumber(stats.N) ? stats.N : undefined,
      median: isFiniteNumber(stats.Median) ? stats.Median : undefined,
      min: isFiniteNumber(stats.Min) ? stats.Min : undefined,
      max: isFiniteNumber(stats.Max) ? stats.Max : undefined,
    },
  });
}

/** Per-op workload times: OriginalValues, else the Workload/Actual measurements. */
function workload(entry: JsonRecord, stats: JsonRecord): number[] {
  if (
    Array.isArray(stats.OriginalValues) &&
    stats.OriginalValues.length > 0 &&
    stats.OriginalValues.every(isFiniteNumber)
  ) {
    return stats.OriginalValues;
  }
  if (!Array.isArray(entry.Measurements)) return [];
  return entry.Measurements.flatMap((m: unknown) =>
    isRecord(m) &&
    m.IterationMode === 'Workload' &&
    m.IterationStage === 'Actual' &&
    isFiniteNumber(m.Nanoseconds) &&
    isFiniteNumber(m.Operations) &&
    m.Operations > 0
      ? [m.Nanoseconds / m.Operations]
      : [],
  );
}

function allocated(memory: unknown): { memory?: ReturnType<typeof allocationAttachment> } {
  if (!isRecord(memory) || !isFiniteNumber(memory.BytesAllocatedPerOperation)) return {};
  return {
    memory: allocationAttachment(
      [memory.BytesAllocatedPerOperation],
      'BenchmarkDotNet MemoryDiagnoser',
    ),
  };
}
