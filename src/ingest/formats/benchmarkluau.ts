/**
 * Luau's bench.py output: `SUCCESS: name : 15.041ms +/- 0.636% on luau`. Only a summary: the
 * average and its relative standard deviation, no sample count (so judged on the threshold).
 */
import type { Benchmark } from '../../model/run.js';
import { failedBenchmark, normalizeUnit, summaryBenchmark } from '../build.js';
import type { Importer } from '../importer.js';

const LINE = /^SUCCESS:\s*(.+?)\s*:\s*([\d.]+)(ns|us|ms|s)\s*\+\/-\s*([\d.]+)%\s*on\s+(\S+)/;

export const benchmarkluauImporter: Importer = {
  name: 'benchmarkluau',
  describes: "Luau's bench/bench.py output",
  detect: (text) => /^SUCCESS:\s*.+?:\s*[\d.]+(ns|us|ms|s)\s*\+\/-/m.test(text),
  parse(text) {
    const benchmarks: Benchmark[] = [];
    for (const line of text.split(/\r?\n/)) {
      const match = LINE.exec(line.trim());
      if (match) {
        const name = match[1]!;
        const mean = Number(match[2]) * normalizeUnit(match[3]!).scale;
        benchmarks.push(
          summaryBenchmark({
            id: name,
            name,
            file: '',
            group: match[5]!,
            unit: 'ns',
            direction: 'smaller',
            summary: { mean, sd: (mean * Number(match[4])) / 100 },
          }),
        );
        continue;
      }
      const failed = /^FAILED:\s*(.+?)\s*:/.exec(line.trim());
      if (failed)
        benchmarks.push(
          failedBenchmark({
            id: failed[1]!,
            name: failed[1]!,
            file: '',
            unit: 'ns',
            error: line.trim(),
          }),
        );
    }
    return { benchmarks, warnings: [] };
  },
};
