import { describe, expect, it } from 'vitest';
import { functionChangesSection } from '../../src/profile/render.js';
import { layoutMarkdown } from '../../src/report/layout/markdown.js';
import { layoutText } from '../../src/report/layout/text.js';
import type { BenchmarkComparison } from '../../src/model/comparison.js';

const benchmark = {
  id: 'bench/a.bench.ts > parse',
  status: 'regression',
  functions: [
    { name: 'parseRow', file: 'src/parse.ts', line: 12, base: 0.8, head: 2.1, change: 1.625 },
    {
      name: 'evil|<img src=x>`@team`',
      file: 'src/x_y.ts',
      line: 3,
      base: 0.2,
      head: 0.1,
      change: -0.5,
    },
    { name: 'newHelper', file: '', line: 0, base: 0, head: 0.05, change: null },
  ],
} as unknown as BenchmarkComparison;

const functionChangesMarkdown = (b: BenchmarkComparison, top: number) =>
  layoutMarkdown(functionChangesSection(b, top)).trimEnd();

describe('function change rendering', () => {
  it('renders a markdown table with per-op times, escaped names and new functions', () => {
    const md = functionChangesMarkdown(benchmark, 5);
    expect(md.split('\n')).toEqual([
      '_Own time per op (with the dependencies it calls); only changes beyond sampling noise._',
      '',
      '| Function | File:line | Base per op | Head per op | Change |',
      '| :- | :- | -: | -: | -: |',
      '| parseRow | src/parse.ts:12 | 800 µs | 2.10 ms | +162.5% |',
      '| evil\\|\\<img src=x\\>\\`@\u200bteam\\` | src/x\\_y.ts:3 | 200 µs | 100 µs | −50.0% |',
      '| newHelper | — | — | 50.0 µs | new |',
    ]);
  });
  it('limits to top N and says how many more', () => {
    const md = functionChangesMarkdown(benchmark, 1);
    expect(md).toContain('| parseRow |');
    expect(md).not.toContain('newHelper');
    expect(md.endsWith('… and 2 more')).toBe(true);
    expect(functionChangesMarkdown({ ...benchmark, functions: [] }, 5)).toBe('');
    expect(functionChangesMarkdown({ ...benchmark, functions: undefined }, 5)).toBe('');
  });
  it('lays the same table out in terminal columns, names as they are', () => {
    const lines = layoutText(functionChangesSection(benchmark, 2)).split('\n');
    expect(lines[0]).toBe(
      'Own time per op (with the dependencies it calls); only changes beyond sampling noise.',
    );
    const rows = lines.filter((l) => /^ {2}(parseRow|evil)/.test(l));
    expect(rows.map((r) => r.trim().split(/ {2,}/))).toEqual([
      ['parseRow', 'src/parse.ts:12', '800 µs', '2.10 ms', '+162.5%'],
      ['evil|<img src=x>`@team`', 'src/x_y.ts:3', '200 µs', '100 µs', '−50.0%'],
    ]);
    // Right-aligned values end in one column.
    expect(new Set(rows.map((r) => r.length)).size).toBe(1);
    expect(lines.join('\n')).toContain('… and 1 more');
  });
});
