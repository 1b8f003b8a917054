/** hyperfine: `hyperfine --export-json out.json CMD...`. `times` holds every run, in seconds. */
import type { Benchmark } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import { rawBenchmark, summaryBenchmark } from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson } from '../content.js';
import type { Importer } from '../importer.js';

export const hyperfineImporter: Importer = {
  name: 'hyperfine',
  describes: 'hyperfine JSON (hyperfine --export-json FILE)',
  detect(text) {
    const data = tryJson(text);
    if (!isRecord(data) || !Array.isArray(data.results)) return false;
    const first: unknown = data.results[0];
    return isRecord(first) && typeof first.command === 'string' && 'mean' in first;
  },
  parse(text, file) {
    const data = parseJsonOf(text, file, 'hyperfine');
    if (!isRecord(data) || !Array.isArray(data.results)) {
      throw new InputError('not hyperfine JSON: no "results" array', file);
    }
    const warnings: string[] = [];
    const benchmarks = data.results.map((result: unknown, index): Benchmark => {
      if (!isRecord(result) || typeof result.command !== 'string' || !isFiniteNumber(result.mean)) {
        throw new InputError(`results.${index}: expected "command" and "mean"`, file);
      }
      const command = result.command;
      const identity = {
        id: command,
        name: command,
        file: '',
        unit: 'ns',
        direction: 'smaller' as const,
      };
      const exitCodes = Array.isArray(result.exit_codes) ? result.exit_codes : [];
      const failed = exitCodes.filter((code) => code !== 0 && code !== null).length;
      if (failed > 0)
        warnings.push(`${file}: ${command}: ${failed} of ${exitCodes.length} runs exited non-zero`);
      const times = result.times;
      if (Array.isArray(times) && times.length > 0 && times.every(isFiniteNumber)) {
        return rawBenchmark({ ...identity, samples: times.map((t) => t * 1e9) });
      }
      const ns = (value: unknown) => (isFiniteNumber(value) ? value * 1e9 : undefined);
      return summaryBenchmark({
        ...identity,
        summary: {
          mean: ns(result.mean)!,
          sd: ns(result.stddev),
          median: ns(result.median),
          min: ns(result.min),
          max: ns(result.max),
        },
      });
    });
    return { benchmarks, warnings };
  },
};
