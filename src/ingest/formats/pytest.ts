/**
 * pytest-benchmark: `pytest --benchmark-json=out.json` (with `--benchmark-save-data` the
 * per-round times are in `stats.data`, else only the summary). Times in seconds per operation.
 */
import type { Benchmark } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import { rawBenchmark, summaryBenchmark } from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson, type JsonRecord } from '../content.js';
import type { Importer } from '../importer.js';

/** The fields of a pytest-benchmark JSON entry that decide its id. */
export interface PytestBenchmarkEntry {
  fullname: string;
  name?: string;
}

/**
 * The perfgate id of a pytest-benchmark entry: its `fullname` as pytest-benchmark writes it
 * (`tests/test_api.py::test_users`, parametrized `…::test_join[100]`, a class `…::TestApi::test_x`),
 * i.e. pytest's node id relative to the rootdir. Other code (the pytest plugin's attachments) uses
 * this to find the benchmark it belongs to.
 */
export function pytestBenchmarkId(entry: PytestBenchmarkEntry): string {
  return entry.fullname;
}

const NS_PER_SECOND = 1e9;

export const pytestImporter: Importer = {
  name: 'pytest',
  describes: 'pytest-benchmark JSON (pytest --benchmark-json=FILE [--benchmark-save-data])',
  detect(text) {
    const data = tryJson(text);
    if (!isRecord(data) || !Array.isArray(data.benchmarks)) return false;
    const first: unknown = data.benchmarks[0];
    return (
      'machine_info' in data ||
      (isRecord(first) && typeof first.fullname === 'string' && isRecord(first.stats))
    );
  },
  parse(text, file) {
    const data = parseJsonOf(text, file, 'pytest');
    if (!isRecord(data) || !Array.isArray(data.benchmarks)) {
      throw new InputError('not pytest-benchmark JSON: no "benchmarks" array', file);
    }
    const warnings: string[] = [];
    const benchmarks = data.benchmarks.map((entry: unknown, index) =>
      pytestBenchmark(entry, index, file, warnings),
    );
    return { benchmarks, warnings };
  },
};

function pytestBenchmark(
  entry: unknown,
  index: number,
  file: string,
  warnings: string[],
): Benchmark {
  if (!isRecord(entry) || typeof entry.fullname !== 'string' || !isRecord(entry.stats)) {
    throw new InputError(
      `benchmarks.${index}: expected an entry with "fullname" and "stats"`,
      file,
    );
  }
  const stats = entry.stats;
  if (!isFiniteNumber(stats.mean)) {
    throw new InputError(`benchmarks.${index} (${entry.fullname}): stats.mean is missing`, file);
  }
  const fullname = entry.fullname;
  const separator = fullname.indexOf('::');
  const identity = {
    id: pytestBenchmarkId({ fullname }),
    name: separator >= 0 ? fullname.slice(separator + 2) : fullname,
    file: separator >= 0 ? fullname.slice(0, separator) : '',
    ...(typeof entry.group === 'string' ? { group: entry.group } : {}),
    unit: 'ns',
    direction: 'smaller' as const,
    ...(isFiniteNumber(stats.iterations) && stats.iterations > 0
      ? { opsPerSample: stats.iterations }
      : {}),
  };
  const data = stats.data;
  if (Array.isArray(data) && data.length > 0 && data.every(isFiniteNumber)) {
    return rawBenchmark({ ...identity, samples: data.map((s) => s * NS_PER_SECOND) });
  }
  if (Array.isArray(data) && data.length > 0) {
    warnings.push(
      `${file}: ${fullname}: stats.data has non-numeric entries (cut?); its summary is used`,
    );
  }
  return summaryBenchmark({ ...identity, summary: secondsSummary(stats) });
}

function secondsSummary(stats: JsonRecord) {
  const ns = (value: unknown) => (isFiniteNumber(value) ? value * NS_PER_SECOND : undefined);
  return {
    mean: ns(stats.mean)!,
    sd: ns(stats.stddev),
    n: isFiniteNumber(stats.rounds) ? stats.rounds : undefined,
    median: ns(stats.median),
    min: ns(stats.min),
    max: ns(stats.max),
  };
}
