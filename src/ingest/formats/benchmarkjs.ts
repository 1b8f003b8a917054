/**
 * Benchmark.js's one line per benchmark (`String(event.target)` in the `cycle` handler):
 * `name x 1,431,759 ops/sec ±0.74% (93 runs sampled)`. Only a summary: ops/s, the relative
 * margin of error and the number of runs; the standard deviation is derived from those two.
 */
import type { Benchmark } from '../../model/run.js';
import { parseNumber, sdFromRme, summaryBenchmark } from '../build.js';
import type { Importer } from '../importer.js';

const LINE = /^(.+?) x ([\d,.]+) ops\/sec ±([\d.]+)% \((\d+) runs? sampled\)\s*$/;

export const benchmarkjsImporter: Importer = {
  name: 'benchmarkjs',
  describes: 'Benchmark.js output (console.log(String(event.target)) on "cycle")',
  detect: (text) => text.split(/\r?\n/).some((line) => LINE.test(line.trim())),
  parse(text) {
    const benchmarks: Benchmark[] = [];
    for (const line of text.split(/\r?\n/)) {
      const match = LINE.exec(line.trim());
      if (!match) continue;
      const name = match[1]!;
      const mean = parseNumber(match[2]!);
      const n = Number(match[4]);
      benchmarks.push(
        summaryBenchmark({
          id: name,
          name,
          file: '',
          unit: 'ops/s',
          direction: 'bigger',
          summary: { mean, n, sd: sdFromRme(mean, Number(match[3]), n) },
        }),
      );
    }
    return { benchmarks, warnings: [] };
  },
};
