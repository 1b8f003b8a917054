/**
 * libtest bench output (`cargo +nightly bench`), also what criterion prints with
 * `--output-format bencher`: `test NAME ... bench: 1,234 ns/iter (+/- 56)`. Only a summary: the
 * value is libtest's median and `+/-` its max − min spread (not a standard deviation), so these
 * are judged on the threshold alone.
 */
import {
  directionOfUnit,
  failedBenchmark,
  normalizeUnit,
  parseNumber,
  summaryBenchmark,
} from '../build.js';
import type { Benchmark } from '../../model/run.js';
import type { Importer } from '../importer.js';

const LINE = /^test (.+?)\s+\.\.\. bench:\s+([\d,.]+) (\S+?)(?:\/iter)? \(\+\/- ([\d,.]+)\)/;

export const cargoImporter: Importer = {
  name: 'cargo',
  describes: 'cargo bench (libtest) output, or criterion with --output-format bencher',
  detect: (text) => text.split(/\r?\n/).some((line) => LINE.test(line.trim())),
  parse(text) {
    const benchmarks: Benchmark[] = [];
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      const match = LINE.exec(line);
      if (match) {
        const [, name, value, unit] = match as unknown as [string, string, string, string];
        const normalized = normalizeUnit(unit);
        benchmarks.push(
          summaryBenchmark({
            id: name,
            name,
            file: '',
            unit: normalized.unit,
            direction: directionOfUnit(unit),
            summary: { mean: parseNumber(value) * normalized.scale },
          }),
        );
        continue;
      }
      const failed = /^test (.+?) \.\.\. FAILED$/.exec(line);
      if (failed) {
        benchmarks.push(
          failedBenchmark({
            id: failed[1]!,
            name: failed[1]!,
            file: '',
            unit: 'ns',
            error: 'FAILED (see the cargo output)',
          }),
        );
      }
    }
    return { benchmarks, warnings: [] };
  },
};
