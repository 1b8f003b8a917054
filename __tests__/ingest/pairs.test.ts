// Base and head outputs of each tool, head with ONE benchmark 2× slower (see
// __tests__/fixtures/ingest/README.md): compare() must flag exactly that benchmark (and metrics
// that belong to it, e.g. its items/s counter), nothing else.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { ingest, type FormatName } from '../../src/ingest/index.js';
import { readResultFiles } from '../../src/ingest/files.js';
import type { Meta, Run } from '../../src/model/run.js';
import { FIXTURES } from './helpers.js';

const META: Omit<Meta, 'source'> = {
  timestamp: '2026-12-02T00:00:00.000Z',
  env: { os: 'linux', cpu: 'test', cores: 2, node: 'v20', runner: 'local' },
};

/** format, fixture folder, the file name of each side, the slowed benchmark's id. */
const PAIRS: ReadonlyArray<[FormatName, string, string, string]> = [
  ['pytest', 'real/pytest', 'json', 'test_bench.py::test_sort'],
  ['hyperfine', 'real/hyperfine', 'json', 'slow-step'],
  ['go', 'real/go', 'txt', 'example.com/perfgate/fixture > BenchmarkSort'],
  ['googlecpp', 'real/googlecpp', 'json', 'BM_Sort/2000'],
  ['catch2', 'real/catch2', 'txt', 'sort 200000'],
  ['cargo', 'real/cargo', 'txt', 'benches::bench_sort'],
  ['criterion', 'real/criterion', '', 'sort/2000'],
  ['benchmarkjs', 'real/benchmarkjs', 'txt', 'sort'],
  ['vitest', 'real/vitest', 'json', 'fixture.bench.ts > algorithms > sort'],
  ['deno', 'real/deno', 'json', 'fixture_bench.ts > algorithms > sort'],
  [
    'jmh',
    'derived/jmh',
    'json',
    'org.openjdk.jmh.samples.JMHSample_01_HelloWorld > wellHelloThere',
  ],
  ['benchmarkdotnet', 'derived/benchmarkdotnet', 'json', 'Sample.Benchmarks > Fib20'],
  ['julia', 'derived/julia', 'json', 'fib/20'],
  ['benchmarkluau', 'derived/benchmarkluau', 'txt', 'chess'],
  [
    'customBiggerIsBetter',
    'derived/customBiggerIsBetter',
    'json',
    'My Custom Bigger Is Better Benchmark - Throughput',
  ],
  ['customSmallerIsBetter', 'derived/customSmallerIsBetter', 'json', 'No logging'],
];

async function side(
  format: FormatName,
  folder: string,
  ext: string,
  name: 'base' | 'head',
): Promise<Run> {
  const path = ext === '' ? join(folder, name) : join(folder, `${name}.${ext}`);
  const files = await readResultFiles([path], FIXTURES, format);
  return ingest(files, format, META).run;
}

describe('base vs head with one benchmark slowed 2×', () => {
  test('every format has a pair', () => {
    for (const [, folder] of PAIRS) expect(existsSync(join(FIXTURES, folder))).toBe(true);
    expect(new Set(PAIRS.map(([format]) => format)).size).toBe(16);
  });

  test.each(PAIRS)(
    '%s: only the slowed benchmark is a regression',
    async (format, folder, ext, slowed) => {
      const [base, head] = await Promise.all([
        side(format, folder, ext, 'base'),
        side(format, folder, ext, 'head'),
      ]);
      // The fixtures were made on a loaded, shared 2-core machine: unchanged benchmarks moved by
      // up to tens of percent there, so the gate's threshold is 40 % here, against a 2× slowdown
      // (+100 % in time, −50 % in throughput).
      const comparison = compare([base], head, { ...defaultConfig(), threshold: 0.4 });
      const regressions = comparison.benchmarks
        .filter((b) => b.status === 'regression')
        .map((b) => b.id);
      expect(regressions).toContain(slowed);
      for (const id of regressions)
        expect(id === slowed || id.startsWith(`${slowed} [`)).toBe(true);
      expect(
        comparison.benchmarks.filter((b) => b.status === 'improvement').map((b) => b.id),
      ).toEqual([]);
      expect(comparison.summary.new + comparison.summary.removed + comparison.summary.failed).toBe(
        0,
      );
      expect(comparison.verdict).toBe('fail');
      const slowedTime = comparison.benchmarks.find((b) => b.id === slowed)!.time;
      if (slowedTime.direction === 'smaller') expect(slowedTime.change).toBeGreaterThan(0.4);
      else expect(slowedTime.change).toBeLessThan(-0.4);
    },
  );
});
