/**
 * `deno bench --json`: one entry per bench with `results[0].ok` = { n, avg, min, max, p75, p99 }
 * in ns. Only a summary, with no standard deviation: judged on the threshold alone. A bench that
 * failed has `results[0].failed` and fails the gate.
 */
import type { Benchmark } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import { failedBenchmark, joinId, summaryBenchmark } from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson } from '../content.js';
import type { Importer } from '../importer.js';

export const denoImporter: Importer = {
  name: 'deno',
  describes: 'deno bench JSON (deno bench --json > FILE)',
  detect(text) {
    const data = tryJson(text);
    return isRecord(data) && Array.isArray(data.benches) && typeof data.runtime === 'string';
  },
  parse(text, file) {
    const data = parseJsonOf(text, file, 'deno');
    if (!isRecord(data) || !Array.isArray(data.benches)) {
      throw new InputError('not deno bench JSON: no "benches" array', file);
    }
    const benchmarks = data.benches.map((bench: unknown, index): Benchmark => {
      if (!isRecord(bench) || typeof bench.name !== 'string') {
        throw new InputError(`benches.${index}: expected an entry with "name"`, file);
      }
      const origin = typeof bench.origin === 'string' ? originPath(bench.origin) : '';
      const group = typeof bench.group === 'string' && bench.group !== '' ? bench.group : undefined;
      const identity = {
        id: joinId(origin, group, bench.name),
        name: bench.name,
        file: origin,
        ...(group ? { group } : {}),
      };
      const result: unknown = Array.isArray(bench.results) ? bench.results[0] : undefined;
      const ok = isRecord(result) && isRecord(result.ok) ? result.ok : undefined;
      if (!ok || !isFiniteNumber(ok.avg)) {
        const failure =
          isRecord(result) && 'failed' in result ? JSON.stringify(result.failed) : 'no result';
        return failedBenchmark({ ...identity, unit: 'ns', error: `deno bench: ${failure}` });
      }
      return summaryBenchmark({
        ...identity,
        unit: 'ns',
        direction: 'smaller',
        summary: {
          mean: ok.avg,
          n: isFiniteNumber(ok.n) ? ok.n : undefined,
          min: isFiniteNumber(ok.min) ? ok.min : undefined,
          max: isFiniteNumber(ok.max) ? ok.max : undefined,
          p99: isFiniteNumber(ok.p99) ? ok.p99 : undefined,
        },
      });
    });
    return { benchmarks, warnings: [] };
  },
};

/**
 * The bench file of a `file://` origin, from its last path parts (the checkout folder differs
 * between runs, so the absolute path would break ids): the file name only.
 */
function originPath(origin: string): string {
  const path = origin.replace(/^file:\/\//, '');
  return path.slice(path.lastIndexOf('/') + 1);
}
