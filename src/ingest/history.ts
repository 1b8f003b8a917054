/**
 * github-action-benchmark's stored history (gh-pages `dev/bench/data.js`, `window.BENCHMARK_DATA
 * = {...}`, or the same object as data.json) → perfgate Runs, one per commit, oldest first.
 * gab kept one value per benchmark and run: each becomes a summary-only benchmark, with the id,
 * unit and direction perfgate's own importer of that tool gives, so the history pairs up with
 * the runs perfgate ingests from then on. Pure.
 */
import { InputError } from '../model/errors.js';
import { SCHEMA_VERSION, type Benchmark, type Env, type Run } from '../model/run.js';
import {
  directionOfUnit,
  joinId,
  metricIdentity,
  normalizeUnit,
  sdFromRme,
  summaryBenchmark,
} from './build.js';
import { isFiniteNumber, isRecord, type JsonRecord } from './content.js';
import { isFormatName, type FormatChoice } from './registry.js';

/** gab tools whose values are bigger-is-better as gab stores them. */
const BIGGER: ReadonlySet<string> = new Set(['benchmarkjs', 'customBiggerIsBetter']);

export interface HistoryOptions {
  /** Only this benchmark suite (gab's `name` input; default: every suite, merged per commit). */
  suite?: string;
  /** The environment recorded in each Run (gab did not keep one). */
  env: Env;
}

/** The JSON object of a data.js (`window.BENCHMARK_DATA = {…}`) or data.json text. */
export function parseGabData(text: string, file: string): JsonRecord {
  const json = text.replace(/^\s*window\.BENCHMARK_DATA\s*=\s*/, '').replace(/;?\s*$/, '');
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    data = undefined;
  }
  if (!isRecord(data) || !isRecord(data.entries)) {
    throw new InputError(
      'not a github-action-benchmark history (expected data.js with `window.BENCHMARK_DATA = {"entries": …}` or its data.json)',
      file,
    );
  }
  return data;
}

export function historyRuns(text: string, file: string, options: HistoryOptions): Run[] {
  const data = parseGabData(text, file);
  const entries = data.entries as JsonRecord;
  const suites = options.suite === undefined ? Object.keys(entries) : [options.suite];
  if (options.suite !== undefined && !(options.suite in entries)) {
    throw new InputError(
      `no benchmark suite "${options.suite}" (the file has ${
        Object.keys(entries)
          .map((s) => JSON.stringify(s))
          .join(', ') || 'none'
      })`,
      file,
    );
  }
  const byCommit = new Map<
    string,
    { date: number; commit: JsonRecord; benchmarks: Benchmark[]; tools: Set<string> }
  >();
  for (const suite of suites) {
    const list = entries[suite];
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, index) => {
      if (!isRecord(entry) || !isRecord(entry.commit) || !Array.isArray(entry.benches)) {
        throw new InputError(
          `entries.${suite}.${index}: expected { commit, date, tool, benches }`,
          file,
        );
      }
      const tool = typeof entry.tool === 'string' ? entry.tool : 'customSmallerIsBetter';
      const id = typeof entry.commit.id === 'string' ? entry.commit.id : `${suite}#${index}`;
      const date = isFiniteNumber(entry.date)
        ? entry.date
        : Date.parse(String(entry.commit.timestamp));
      const run = byCommit.get(id) ?? {
        date,
        commit: entry.commit,
        benchmarks: [],
        tools: new Set<string>(),
      };
      run.tools.add(tool);
      for (const bench of entry.benches as unknown[]) {
        if (isRecord(bench)) {
          const benchmark = historyBenchmark(bench, tool);
          if (benchmark) run.benchmarks.push(benchmark);
        }
      }
      byCommit.set(id, run);
    });
  }
  const runs = [...byCommit.entries()]
    .filter(([, run]) => run.benchmarks.length > 0)
    .sort(([, a], [, b]) => a.date - b.date)
    .map(([commit, run]): Run => ({
      schemaVersion: SCHEMA_VERSION,
      tool: 'perfgate',
      meta: {
        commit,
        timestamp: new Date(Number.isFinite(run.date) ? run.date : 0).toISOString(),
        env: options.env,
        source: { files: [...run.tools].map((format) => ({ file, format })) },
      },
      benchmarks: dedupe(run.benchmarks),
    }));
  if (runs.length === 0) throw new InputError('no benchmark results in this history', file);
  return runs;
}

function dedupe(benchmarks: Benchmark[]): Benchmark[] {
  const seen = new Set<string>();
  return benchmarks.filter((b) => !seen.has(b.id) && Boolean(seen.add(b.id)));
}

/** One gab value → a summary benchmark named and measured as perfgate's importer of `tool` does. */
export function historyBenchmark(bench: JsonRecord, tool: string): Benchmark | undefined {
  if (
    typeof bench.name !== 'string' ||
    !isFiniteNumber(bench.value) ||
    typeof bench.unit !== 'string'
  ) {
    return undefined;
  }
  const format: FormatChoice | undefined = isFormatName(tool) ? tool : undefined;
  const { id, metric } = idOf(bench.name, format);
  let value = bench.value;
  let unit = bench.unit
    .replace(/\/(iter|op)$/, '')
    .replace(/^(n|u|m)sec$/, '$1s')
    .replace(/^sec$/, 's');
  let direction = BIGGER.has(tool) ? ('bigger' as const) : directionOfUnit(unit);
  if (tool === 'customSmallerIsBetter') direction = 'smaller';
  if (tool === 'pytest' && bench.unit === 'iter/sec') {
    // gab stored pytest-benchmark's `ops` (1 / mean): perfgate keeps the mean time per op.
    if (!(value > 0)) return undefined;
    value = 1e9 / value;
    unit = 'ns';
    direction = 'smaller';
  }
  if (unit === 'ops/sec') unit = 'ops/s';
  if (tool === 'jmh' && /^\S+\/op$/.test(bench.unit)) unit = bench.unit.replace(/\/op$/, '');
  const normalized = normalizeUnit(unit);
  const identity = { id, name: id, file: '' };
  return summaryBenchmark({
    ...(metric ? metricIdentity(identity, metric) : identity),
    unit: normalized.unit,
    direction,
    summary: { mean: value * normalized.scale, ...spread(bench, tool, value, normalized.scale) },
  });
}

/** The sd and n gab kept in `range` and `extra`, where its extractor wrote them. */
function spread(
  bench: JsonRecord,
  tool: string,
  mean: number,
  scale: number,
): { sd?: number; n?: number } {
  const range = typeof bench.range === 'string' ? bench.range : '';
  const extra = typeof bench.extra === 'string' ? bench.extra : '';
  const count = (pattern: RegExp) => {
    const match = pattern.exec(extra);
    return match ? Number(match[1]) : undefined;
  };
  if (tool === 'pytest') {
    const sd = /stddev: ([\d.e+-]+)/.exec(range); // seconds
    return { sd: sd ? Number(sd[1]) * 1e9 : undefined, n: count(/rounds: (\d+)/) };
  }
  if (tool === 'benchmarkjs') {
    const rme = /([\d.]+)%/.exec(range);
    const n = count(/(\d+) samples/);
    return { sd: rme && n ? sdFromRme(mean, Number(rme[1]), n) : undefined, n };
  }
  if (tool === 'catch2') {
    const sd = /± ([\d.]+)/.exec(range); // in the value's unit
    return { sd: sd ? Number(sd[1]) * scale : undefined, n: count(/(\d+) samples/) };
  }
  return {};
}

/**
 * perfgate's id for a gab benchmark name. gab names go benchmarks `Name` or `Name (pkg)` with the
 * metric as ` - unit` when a line has several; BenchmarkDotNet's FullName is `Namespace.Type.Method`.
 */
function idOf(name: string, format: FormatChoice | undefined): { id: string; metric?: string } {
  if (format === 'go') {
    const metric = / - (\S+\/\S+)$/.exec(name);
    const rest = metric ? name.slice(0, metric.index) : name;
    const pkg = /^(.*) \((\S+)\)$/.exec(rest);
    const id = pkg ? joinId(pkg[2], pkg[1]) : rest;
    return metric && metric[1] !== 'ns/op' ? { id, metric: metric[1] } : { id };
  }
  if (format === 'benchmarkdotnet') {
    const cut = name.indexOf('(');
    const head = cut >= 0 ? name.slice(0, cut) : name;
    const dot = head.lastIndexOf('.');
    return { id: dot > 0 ? joinId(name.slice(0, dot), name.slice(dot + 1)) : name };
  }
  if (format === 'jmh') {
    const params = /^(\S+) \( (\{.*\}) \)$/.exec(name);
    const benchmark = params ? params[1]! : name;
    const dot = benchmark.lastIndexOf('.');
    let args = '';
    if (params) {
      try {
        const parsed = JSON.parse(params[2]!) as Record<string, unknown>;
        args = `(${Object.entries(parsed)
          .map(([key, value]) => `${key}=${String(value)}`)
          .join(', ')})`;
      } catch {
        args = params[2]!;
      }
    }
    return {
      id: dot > 0 ? joinId(benchmark.slice(0, dot), `${benchmark.slice(dot + 1)}${args}`) : name,
    };
  }
  return { id: name };
}
