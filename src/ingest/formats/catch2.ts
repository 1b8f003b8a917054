/**
 * Catch2 console output of BENCHMARK sections (v2 and v3, what a test binary prints). Only a
 * summary per benchmark: samples, mean, std dev (with their bootstrap bounds). The id is the
 * benchmark name, as github-action-benchmark names it (so imported history pairs up); the test
 * case is the group.
 */
import type { Benchmark } from '../../model/run.js';
import { failedBenchmark, normalizeUnit, summaryBenchmark } from '../build.js';
import type { Importer } from '../importer.js';

const VALUE = String.raw`(-?[\d.]+(?:e[-+]?\d+)?)\s+(ns|us|µs|ms|s)`;
/** `name   samples   iterations   estimated` (the name may itself contain spaces). */
const HEAD_LINE = new RegExp(String.raw`^(.+?)\s+(\d+)\s+(\d+)\s+${VALUE}\s*$`);
/** `mean   low mean   high mean`, then `std dev   low std dev   high std dev`. */
const STATS_LINE = new RegExp(String.raw`^\s+${VALUE}\s+${VALUE}\s+${VALUE}\s*$`);
const RULE = /^-{20,}$/;

export const catch2Importer: Importer = {
  name: 'catch2',
  describes: 'Catch2 benchmark console output (./tests "[!benchmark]" > FILE)',
  detect: (text) => /^benchmark name\s+samples\s+iterations\s+(estimated|est run time)/m.test(text),
  parse(text) {
    const lines = text.split(/\r?\n/);
    const benchmarks: Benchmark[] = [];
    let testCase = '';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      // A test case header: a rule, the test case (and its sections, indented), a rule.
      const header = RULE.test(line) ? headerAt(lines, i) : undefined;
      if (header) {
        testCase = header.name;
        i = header.end;
        continue;
      }
      const head = HEAD_LINE.exec(line);
      if (!head || /^\s/.test(line)) continue;
      const name = head[1]!.trim();
      const identity = {
        id: name,
        name,
        file: '',
        ...(testCase ? { group: testCase } : {}),
      };
      const mean = STATS_LINE.exec(lines[i + 1] ?? '');
      const sd = STATS_LINE.exec(lines[i + 2] ?? '');
      if (!mean || !sd) {
        benchmarks.push(
          failedBenchmark({
            ...identity,
            unit: 'ns',
            error:
              'no statistics after the benchmark line: the run stopped or the benchmark failed',
          }),
        );
        continue;
      }
      i += 2;
      const ns = (value: string, unit: string) => Number(value) * normalizeUnit(unit).scale;
      benchmarks.push(
        summaryBenchmark({
          ...identity,
          unit: 'ns',
          direction: 'smaller',
          opsPerSample: Number(head[3]),
          summary: { n: Number(head[2]), mean: ns(mean[1]!, mean[2]!), sd: ns(sd[1]!, sd[2]!) },
        }),
      );
    }
    return { benchmarks, warnings: [] };
  },
};

/** The test case header starting at the rule on line `start`, if that is one. */
function headerAt(lines: string[], start: number): { name: string; end: number } | undefined {
  const names: string[] = [];
  for (let j = start + 1; j < Math.min(lines.length, start + 6); j++) {
    const line = lines[j]!;
    if (RULE.test(line)) return names.length > 0 ? { name: names.join(' / '), end: j } : undefined;
    if (line.trim() === '' || HEAD_LINE.test(line) || /^benchmark name/.test(line))
      return undefined;
    names.push(line.trim());
  }
  return undefined;
}
