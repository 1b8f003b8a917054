/**
 * `vitest bench --outputJson FILE`: files → groups → benchmarks, times in ms. The samples are
 * there only with `benchmark.includeSamples: true` in the vitest config; otherwise the summary
 * (mean, sd, sampleCount, median, min, max, p99) is used. Ids are perfgate's own shape:
 * `file > describe > name` (vitest's group fullName already is `file > describe`).
 */
import type { Benchmark } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import { joinId, rawBenchmark, summaryBenchmark } from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson, type JsonRecord } from '../content.js';
import type { Importer } from '../importer.js';

const NS_PER_MS = 1e6;

export const vitestImporter: Importer = {
  name: 'vitest',
  describes: 'vitest bench JSON (vitest bench --run --outputJson FILE)',
  detect(text) {
    const data = tryJson(text);
    if (!isRecord(data) || !Array.isArray(data.files)) return false;
    const first: unknown = data.files[0];
    return isRecord(first) && Array.isArray(first.groups);
  },
  parse(text, file) {
    const data = parseJsonOf(text, file, 'vitest');
    if (!isRecord(data) || !Array.isArray(data.files)) {
      throw new InputError('not vitest bench JSON: no "files" array', file);
    }
    const benchmarks: Benchmark[] = [];
    for (const entry of data.files as unknown[]) {
      if (!isRecord(entry) || !Array.isArray(entry.groups)) continue;
      for (const group of entry.groups as unknown[]) {
        if (!isRecord(group) || !Array.isArray(group.benchmarks)) continue;
        const fullName = typeof group.fullName === 'string' ? group.fullName : '';
        const [benchFile = '', ...describes] = fullName.split(' > ');
        for (const bench of group.benchmarks as unknown[]) {
          if (isRecord(bench))
            benchmarks.push(vitestBenchmark(bench, benchFile, describes.join(' > '), file));
        }
      }
    }
    return { benchmarks, warnings: [] };
  },
};

function vitestBenchmark(
  bench: JsonRecord,
  benchFile: string,
  group: string,
  file: string,
): Benchmark {
  if (typeof bench.name !== 'string' || !isFiniteNumber(bench.mean)) {
    throw new InputError(
      `a benchmark without "name" and "mean" (${JSON.stringify(bench.name)})`,
      file,
    );
  }
  const identity = {
    id: joinId(benchFile, group, bench.name),
    name: bench.name,
    file: benchFile,
    ...(group ? { group } : {}),
    unit: 'ns',
    direction: 'smaller' as const,
  };
  const samples = bench.samples;
  if (Array.isArray(samples) && samples.length > 0 && samples.every(isFiniteNumber)) {
    return rawBenchmark({ ...identity, samples: samples.map((ms) => ms * NS_PER_MS) });
  }
  const ns = (value: unknown) => (isFiniteNumber(value) ? value * NS_PER_MS : undefined);
  return summaryBenchmark({
    ...identity,
    summary: {
      mean: bench.mean * NS_PER_MS,
      sd: ns(bench.sd),
      n: isFiniteNumber(bench.sampleCount) ? bench.sampleCount : undefined,
      median: ns(bench.median),
      min: ns(bench.min),
      max: ns(bench.max),
      p99: ns(bench.p99),
    },
  });
}
