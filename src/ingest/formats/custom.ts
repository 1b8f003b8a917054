/**
 * github-action-benchmark's custom formats: a JSON array of `{ name, unit, value, range?, extra? }`
 * that users write themselves, bigger or smaller is better by the format name. One value each:
 * judged on the threshold alone. The two formats look alike, so neither is auto-detected.
 */
import type { Benchmark, Direction } from '../../model/run.js';
import { InputError } from '../../model/errors.js';
import { normalizeUnit, summaryBenchmark } from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson } from '../content.js';
import type { Importer } from '../importer.js';

/** Whether the text is a custom-format array (for "pass --format custom…" when auto-detecting). */
export function looksCustom(text: string): boolean {
  const data = tryJson(text);
  return (
    Array.isArray(data) &&
    data.length > 0 &&
    data.every(
      (entry) =>
        isRecord(entry) && typeof entry.name === 'string' && 'value' in entry && 'unit' in entry,
    )
  );
}

function customImporter(
  name: 'customBiggerIsBetter' | 'customSmallerIsBetter',
  direction: Direction,
): Importer {
  return {
    name,
    describes: `JSON array of { "name", "unit", "value" } (${direction} is better)`,
    detect: () => false,
    parse(text, file) {
      const data = parseJsonOf(text, file, name);
      if (!Array.isArray(data))
        throw new InputError(`expected a JSON array of { "name", "unit", "value" }`, file);
      const benchmarks = data.map((entry: unknown, index): Benchmark => {
        if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.unit !== 'string') {
          throw new InputError(`${index}: expected { "name", "unit", "value" }`, file);
        }
        const value = typeof entry.value === 'string' ? Number(entry.value) : entry.value;
        if (!isFiniteNumber(value))
          throw new InputError(`${index} (${entry.name}): "value" is not a number`, file);
        const { unit, scale } = normalizeUnit(entry.unit);
        return summaryBenchmark({
          id: entry.name,
          name: entry.name,
          file: '',
          unit,
          direction,
          summary: { mean: value * scale },
        });
      });
      return { benchmarks, warnings: [] };
    },
  };
}

export const customBiggerIsBetterImporter = customImporter('customBiggerIsBetter', 'bigger');
export const customSmallerIsBetterImporter = customImporter('customSmallerIsBetter', 'smaller');
