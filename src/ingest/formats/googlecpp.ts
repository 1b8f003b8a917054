/**
 * Google Benchmark JSON (`--benchmark_format=json` or `--benchmark_out=FILE`). With
 * `--benchmark_repetitions=N` each repetition is one sample; aggregates (mean, median, stddev, cv)
 * are used only when the file has no repetitions (`--benchmark_report_aggregates_only`).
 * User counters become benchmarks of their own, `<id> [<counter>]`. The id is the benchmark's
 * run_name (`BM_Sort/2000`), as github-action-benchmark names it, so imported history pairs up;
 * the executable is kept as the benchmark's file.
 */
import { basename } from 'node:path';
import type { Benchmark } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import {
  directionOfUnit,
  failedBenchmark,
  metricIdentity,
  normalizeUnit,
  rawBenchmark,
  summaryBenchmark,
} from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson, type JsonRecord } from '../content.js';
import type { Importer } from '../importer.js';

/** Fields of a benchmark entry that are not user counters. */
const KNOWN = new Set([
  'name',
  'family_index',
  'per_family_instance_index',
  'run_name',
  'run_type',
  'repetitions',
  'repetition_index',
  'threads',
  'iterations',
  'real_time',
  'cpu_time',
  'time_unit',
  'aggregate_name',
  'aggregate_unit',
  'error_occurred',
  'error_message',
  'label',
  'big_o',
  'rms',
  'complexity_n',
]);

interface Entry {
  id: string;
  name: string;
  file: string;
  times: number[];
  iterations: number[];
  counters: Map<string, number[]>;
  aggregates: Map<string, JsonRecord>;
  unit: string;
  error?: string;
}

export const googlecppImporter: Importer = {
  name: 'googlecpp',
  describes: 'Google Benchmark JSON (--benchmark_format=json or --benchmark_out=FILE)',
  detect(text) {
    const data = tryJson(text);
    if (!isRecord(data) || !isRecord(data.context) || !Array.isArray(data.benchmarks)) return false;
    const first: unknown = data.benchmarks[0];
    return (
      !isRecord(first) || 'real_time' in first || 'run_type' in first || 'error_occurred' in first
    );
  },
  parse(text, file) {
    const data = parseJsonOf(text, file, 'googlecpp');
    if (!isRecord(data) || !Array.isArray(data.benchmarks)) {
      throw new InputError('not Google Benchmark JSON: no "benchmarks" array', file);
    }
    const context = isRecord(data.context) ? data.context : {};
    const executable = typeof context.executable === 'string' ? basename(context.executable) : '';
    const entries = new Map<string, Entry>();
    data.benchmarks.forEach((raw: unknown, index) => {
      if (!isRecord(raw) || typeof raw.name !== 'string') {
        throw new InputError(`benchmarks.${index}: expected an entry with "name"`, file);
      }
      const runName = typeof raw.run_name === 'string' ? raw.run_name : raw.name;
      const id = runName;
      let entry = entries.get(id);
      if (!entry) {
        entry = {
          id,
          name: runName,
          file: executable,
          times: [],
          iterations: [],
          counters: new Map(),
          aggregates: new Map(),
          unit: 'ns',
        };
        entries.set(id, entry);
      }
      if (raw.error_occurred === true) {
        entry.error = typeof raw.error_message === 'string' ? raw.error_message : 'error_occurred';
        return;
      }
      if (raw.run_type === 'aggregate') {
        if (typeof raw.aggregate_name === 'string') entry.aggregates.set(raw.aggregate_name, raw);
        return;
      }
      const { scale } = normalizeUnit(typeof raw.time_unit === 'string' ? raw.time_unit : 'ns');
      if (!isFiniteNumber(raw.real_time)) {
        throw new InputError(`benchmarks.${index} (${raw.name}): real_time is missing`, file);
      }
      entry.times.push(raw.real_time * scale);
      if (isFiniteNumber(raw.iterations)) entry.iterations.push(raw.iterations);
      for (const [key, value] of Object.entries(raw)) {
        if (KNOWN.has(key) || !isFiniteNumber(value)) continue;
        const values = entry.counters.get(key) ?? [];
        values.push(value);
        entry.counters.set(key, values);
      }
    });
    const benchmarks = [...entries.values()].flatMap(toBenchmarks);
    return { benchmarks, warnings: [] };
  },
};

function toBenchmarks(entry: Entry): Benchmark[] {
  const identity = { id: entry.id, name: entry.name, file: entry.file };
  if (entry.error !== undefined && entry.times.length === 0) {
    return [failedBenchmark({ ...identity, unit: 'ns', error: entry.error })];
  }
  const benchmarks: Benchmark[] = [];
  if (entry.times.length > 0) {
    const iterations = entry.iterations.length > 0 ? Math.min(...entry.iterations) : undefined;
    benchmarks.push(
      rawBenchmark({
        ...identity,
        unit: 'ns',
        direction: 'smaller',
        samples: entry.times,
        ...(iterations && iterations > 0 ? { opsPerSample: iterations } : {}),
      }),
    );
  } else {
    const summary = aggregateSummary(entry.aggregates);
    if (summary)
      benchmarks.push(summaryBenchmark({ ...identity, unit: 'ns', direction: 'smaller', summary }));
  }
  for (const [counter, values] of entry.counters) {
    // Google Benchmark's own rates are per second; user counters keep their name as unit.
    const unit = /_per_second$/.test(counter)
      ? `${counter.replace(/_per_second$/, '')}/s`
      : counter;
    benchmarks.push(
      rawBenchmark({
        ...metricIdentity(identity, counter),
        unit,
        direction: directionOfUnit(unit),
        samples: values,
      }),
    );
  }
  return benchmarks;
}

function aggregateSummary(aggregates: Map<string, JsonRecord>) {
  const time = (name: string): number | undefined => {
    const entry = aggregates.get(name);
    if (!entry || !isFiniteNumber(entry.real_time)) return undefined;
    const { scale } = normalizeUnit(typeof entry.time_unit === 'string' ? entry.time_unit : 'ns');
    return entry.real_time * scale;
  };
  const mean = time('mean');
  if (mean === undefined) return undefined;
  const repetitions = aggregates.get('mean')?.repetitions;
  return {
    mean,
    median: time('median'),
    sd: time('stddev'),
    n: isFiniteNumber(repetitions) ? repetitions : undefined,
  };
}
