/**
 * JMH: `java -jar benchmarks.jar -rf json -rff out.json`. `primaryMetric.rawData` holds every
 * measurement iteration per fork: those are the samples. Scores in ops/time are bigger-is-better,
 * time/op smaller; time units become ns. The `·gc.alloc.rate.norm` secondary metric (`-prof gc`)
 * becomes the memory attachment. Id: `<class> > <method>(<params>)`, with ` [<mode>]` only when
 * the file has the benchmark in more than one mode.
 */
import type { Benchmark } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import {
  allocationAttachment,
  joinId,
  normalizeUnit,
  rawBenchmark,
  summaryBenchmark,
} from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson, type JsonRecord } from '../content.js';
import type { Importer } from '../importer.js';

export const jmhImporter: Importer = {
  name: 'jmh',
  describes: 'JMH JSON (java -jar benchmarks.jar -rf json -rff FILE)',
  detect(text) {
    const data = tryJson(text);
    return (
      Array.isArray(data) &&
      isRecord(data[0]) &&
      'primaryMetric' in data[0] &&
      'benchmark' in data[0]
    );
  },
  parse(text, file) {
    const data = parseJsonOf(text, file, 'jmh');
    if (!Array.isArray(data))
      throw new InputError('not JMH JSON: expected an array of results', file);
    const benchmarks = data.map((entry: unknown, index) => jmhBenchmark(entry, index, file));
    const count = new Map<string, number>();
    for (const b of benchmarks) count.set(b.id, (count.get(b.id) ?? 0) + 1);
    data.forEach((entry: unknown, index) => {
      const b = benchmarks[index]!;
      if (count.get(b.id)! > 1 && isRecord(entry) && typeof entry.mode === 'string') {
        b.id = `${b.id} [${entry.mode}]`;
      }
    });
    return { benchmarks, warnings: [] };
  },
};

function jmhBenchmark(entry: unknown, index: number, file: string): Benchmark {
  if (!isRecord(entry) || typeof entry.benchmark !== 'string' || !isRecord(entry.primaryMetric)) {
    throw new InputError(`${index}: expected "benchmark" and "primaryMetric"`, file);
  }
  const metric = entry.primaryMetric;
  const scoreUnit = typeof metric.scoreUnit === 'string' ? metric.scoreUnit : '';
  const dot = entry.benchmark.lastIndexOf('.');
  const className = dot > 0 ? entry.benchmark.slice(0, dot) : '';
  const params = isRecord(entry.params)
    ? `(${Object.entries(entry.params)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(', ')})`
    : '';
  const method = `${entry.benchmark.slice(dot + 1)}${params}`;
  // ops/s is a rate; s/op, ms/op, us/op, ns/op are times per operation.
  const perOp = /^(\S+)\/op$/.exec(scoreUnit);
  const { unit, scale } = perOp ? normalizeUnit(perOp[1]!) : { unit: scoreUnit, scale: 1 };
  const identity = {
    id: joinId(className, method),
    name: method,
    file: className,
    unit: perOp && unit !== 'ns' ? scoreUnit : unit,
    direction: perOp ? ('smaller' as const) : ('bigger' as const),
    ...allocation(entry.secondaryMetrics),
  };
  const raw = flatRaw(metric.rawData);
  if (raw.length > 0) return rawBenchmark({ ...identity, samples: raw.map((v) => v * scale) });
  if (!isFiniteNumber(metric.score))
    throw new InputError(`${index} (${entry.benchmark}): no score`, file);
  return summaryBenchmark({ ...identity, summary: { mean: metric.score * scale } });
}

function flatRaw(rawData: unknown): number[] {
  if (!Array.isArray(rawData)) return [];
  const values = rawData.flatMap((fork: unknown) => (Array.isArray(fork) ? fork : []));
  return values.every(isFiniteNumber) ? values : [];
}

function allocation(secondary: unknown): { memory?: ReturnType<typeof allocationAttachment> } {
  if (!isRecord(secondary)) return {};
  const norm = Object.entries(secondary).find(([key]) => key.endsWith('gc.alloc.rate.norm'))?.[1];
  if (!isRecord(norm)) return {};
  const samples = flatRaw((norm as JsonRecord).rawData);
  const values = samples.length > 0 ? samples : isFiniteNumber(norm.score) ? [norm.score] : [];
  return values.length > 0 ? { memory: allocationAttachment(values, 'jmh -prof gc') } : {};
}
