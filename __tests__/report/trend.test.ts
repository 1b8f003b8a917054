// The Mermaid trend of a regressed benchmark (stored mode).
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { layoutMarkdown } from '../../src/report/layout/markdown.js';
import { trendChart } from '../../src/report/trend.js';
import { bench, noisy, prng, run } from '../helpers/runs.js';

describe('trendChart', () => {
  const id = 'bench/a.bench.ts > say "hi" `now`';
  const random = prng(4);
  const bases = [100, 101, 99, 100, 102, 98].map((m, i) =>
    run([bench(id, noisy(m * 1000, 40, 0.01, random))], { commit: `c${i}abcdef123` }),
  );
  const head = run([bench(id, noisy(150_000, 40, 0.01, random))]);
  const [b] = compare(bases, head, { ...defaultConfig(), threshold: 0.05 }).benchmarks;

  it('regressions carry the history, oldest first', () => {
    expect(b.status).toBe('regression');
    expect(b.time.trend!.map((p) => p.commit)).toEqual([
      'c5abcdef123',
      'c4abcdef123',
      'c3abcdef123',
      'c2abcdef123',
      'c1abcdef123',
      'c0abcdef123',
    ]);
  });

  it('draws an xychart-beta with the runs and this PR, in a readable unit, quotes removed', () => {
    const chart = layoutMarkdown([trendChart(b)!]);
    expect(chart.startsWith('```mermaid\nxychart-beta\n')).toBe(true);
    expect(chart).toContain(
      'x-axis ["c5abcde", "c4abcde", "c3abcde", "c2abcde", "c1abcde", "c0abcde", "this PR"]',
    );
    expect(chart).toContain('y-axis "µs"');
    expect(chart).not.toContain('"hi"');
    const line = /line \[([^\]]+)\]/.exec(chart)![1].split(', ').map(Number);
    expect(line).toHaveLength(7);
    expect(line[6]).toBeGreaterThan(140);
    expect(line[0]).toBeLessThan(110);
  });

  it('nothing for a benchmark without a trend', () => {
    const [a] = compare([bases[0]], bases[1], defaultConfig()).benchmarks;
    expect(trendChart(a)).toBeNull();
  });
});
