/**
 * Julia BenchmarkTools: `BenchmarkTools.save("out.json", median(results))`, a tree of
 * BenchmarkGroups with TrialEstimate leaves (time in ns, memory in bytes, allocs). One estimate
 * per benchmark: judged on the threshold alone. The group path is the id (`fib/20`).
 */
import type { Benchmark } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import { allocationAttachment, metricIdentity, summaryBenchmark } from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson } from '../content.js';
import type { Importer } from '../importer.js';

export const juliaImporter: Importer = {
  name: 'julia',
  describes: 'Julia BenchmarkTools JSON (BenchmarkTools.save(FILE, median(results)))',
  detect(text) {
    const data = tryJson(text);
    return Array.isArray(data) && isRecord(data[0]) && 'BenchmarkTools' in data[0];
  },
  parse(text, file) {
    const data = parseJsonOf(text, file, 'julia');
    if (!Array.isArray(data) || !Array.isArray(data[1])) {
      throw new InputError('not BenchmarkTools JSON: expected [versions, [values…]]', file);
    }
    const benchmarks: Benchmark[] = [];
    for (const value of data[1] as unknown[]) walk(value, [], benchmarks);
    return { benchmarks, warnings: [] };
  },
};

/** Values are `[typeName, fields]` pairs. */
function walk(value: unknown, path: string[], out: Benchmark[]): void {
  if (!Array.isArray(value) || typeof value[0] !== 'string' || !isRecord(value[1])) return;
  const [type, fields] = value as [string, Record<string, unknown>];
  if (type === 'BenchmarkGroup' && isRecord(fields.data)) {
    for (const [key, child] of Object.entries(fields.data)) walk(child, [...path, key], out);
    return;
  }
  if (type === 'TrialEstimate' && isFiniteNumber(fields.time)) {
    const id = path.join('/');
    const identity = {
      id,
      name: path[path.length - 1] ?? id,
      file: '',
      ...(path.length > 1 ? { group: path.slice(0, -1).join('/') } : {}),
    };
    out.push(
      summaryBenchmark({
        ...identity,
        unit: 'ns',
        direction: 'smaller',
        summary: { mean: fields.time },
        ...(isFiniteNumber(fields.memory)
          ? { memory: allocationAttachment([fields.memory], 'BenchmarkTools') }
          : {}),
      }),
    );
    if (isFiniteNumber(fields.allocs)) {
      out.push(
        summaryBenchmark({
          ...metricIdentity(identity, 'allocs'),
          unit: 'allocs',
          direction: 'smaller',
          summary: { mean: fields.allocs },
        }),
      );
    }
  }
}
