// Benchmarks whose tool kept only a summary (samplesKind 'summary'): compared on their means,
// with Welch's t-test when n and sd are known, never with made-up samples; the comment says so.
import { describe, expect, test } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { welchTest } from '../../src/compare/summary.js';
import { defaultConfig } from '../../src/config/schema.js';
import { summaryBenchmark, rawBenchmark } from '../../src/ingest/build.js';
import { runSchema, type Benchmark, type Run } from '../../src/model/run.js';
import { renderMarkdown } from '../../src/report/index.js';

const ENV = { os: 'linux', cpu: 'test', cores: 2, node: 'v20', runner: 'local' };
const run = (benchmarks: Benchmark[]): Run => ({
  schemaVersion: 1,
  tool: 'perfgate',
  meta: { timestamp: '2026-12-02T00:00:00.000Z', env: ENV },
  benchmarks,
});
const summary = (id: string, mean: number, sd?: number, n?: number) =>
  summaryBenchmark({
    id,
    name: id,
    file: '',
    unit: 'ns',
    direction: 'smaller',
    summary: { mean, sd, n },
  });

describe('summary-only benchmarks', () => {
  test('no samples are made up; the Run validates, as do Runs without samplesKind', () => {
    const b = summary('a', 100, 5, 30);
    expect(b.samples).toEqual([]);
    expect(b.stats).toMatchObject({ n: 30, mean: 100, sd: 5, median: 100 });
    expect(runSchema.safeParse(run([b])).success).toBe(true);
    const { samplesKind: _kind, ...old } = rawBenchmark({
      id: 'r',
      name: 'r',
      file: '',
      unit: 'ns',
      direction: 'smaller',
      samples: [1, 2, 3],
    });
    expect(runSchema.safeParse(run([old])).success).toBe(true);
  });

  test("Welch's t-test when both sides give n and sd", () => {
    const comparison = compare(
      [run([summary('a', 100, 5, 30), summary('b', 100, 5, 30)])],
      run([summary('a', 150, 5, 30), summary('b', 101, 5, 30)]),
      defaultConfig(),
    );
    const [a, b] = comparison.benchmarks;
    expect(a).toMatchObject({
      status: 'regression',
      time: { method: 'welch-t-summary', base: 100, head: 150, samples: { base: 30, head: 30 } },
    });
    expect(a!.time.pValue!).toBeLessThan(1e-6);
    expect(a!.time.ci![0]).toBeLessThan(0.5);
    expect(a!.time.ci![1]).toBeGreaterThan(0.5);
    expect(b).toMatchObject({ status: 'unchanged', time: { method: 'welch-t-summary' } });
    expect(b!.time.pValue!).toBeGreaterThan(0.4);
    expect(renderMarkdown(comparison)).toContain(
      'Summary only: the benchmark tool wrote no samples for a;',
    );
  });

  test('the threshold alone without n or sd (one value per side)', () => {
    const comparison = compare(
      [run([summary('a', 100)])],
      run([summary('a', 111)]),
      defaultConfig(),
    );
    expect(comparison.benchmarks[0]).toMatchObject({
      status: 'regression',
      time: { method: 'summary-threshold-only', pValue: null, ci: null },
    });
    const small = compare([run([summary('a', 100)])], run([summary('a', 105)]), defaultConfig());
    expect(small.benchmarks[0]!.status).toBe('unchanged');
  });

  test('a raw side against a summary side uses the summary of both', () => {
    const raw = rawBenchmark({
      id: 'a',
      name: 'a',
      file: '',
      unit: 'ns',
      direction: 'smaller',
      samples: Array.from({ length: 30 }, (_, i) => 100 + (i % 5)),
    });
    const comparison = compare([run([summary('a', 102, 1.4, 30)])], run([raw]), defaultConfig());
    expect(comparison.benchmarks[0]).toMatchObject({
      status: 'unchanged',
      time: { method: 'welch-t-summary' },
    });
  });

  test('welchTest: untestable summaries give null', () => {
    expect(welchTest({ mean: 1, sd: 0, n: 10 }, { mean: 2, sd: 1, n: 10 })).toBeNull();
    expect(welchTest({ mean: 1, sd: 1, n: 1 }, { mean: 2, sd: 1, n: 10 })).toBeNull();
  });
});
