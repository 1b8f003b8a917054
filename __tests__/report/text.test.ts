import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/index.js';
import { sanitizeTerminal } from '../../src/report/text.js';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { bench, noisy, prng, run } from '../helpers/runs.js';
import { mixedComparison } from './fixtures.js';

describe('renderText', () => {
  const comparison = mixedComparison();

  it('has the same blocks as the comment, in columns, without colour by default', () => {
    const text = renderText(comparison);
    const lines = text.split('\n');
    expect(lines[0]).toBe('FAIL perfgate: 2 regressions, 1 failed benchmark');
    expect(lines[1]).toBe(
      '8 benchmarks: 2 regressions · 1 improvement · 1 unchanged · 2 new · 1 removed · 1 failed · base abc1234 → head def5678',
    );
    expect(text).toContain(
      '! Base and head ran on different machines (CPU AMD EPYC 7763 → Intel <b>Xeon</b>, cores 4 → 2)',
    );
    expect(text).toContain('  ✗ getUsers 2.8× slower (2.09 → 5.85 ms)');
    // One table per file and group, short names, right-aligned values.
    expect(text).toMatch(
      /\nusers\n.*Benchmark.*\n.*─.*\n {2}▲ {2}getUsers +2\.\d\d ms +5\.\d\d ms +2\.\d× +2\.\d×…2\.\d× +<0\.001\n {2}▼ {2}list\|<script>/,
    );
    expect(text).toContain('  • x > boom: TypeError: cannot read `x` of undefined');
    expect(text).toMatch(
      /2 new benchmarks \(no baseline to compare with\)\n(.*\n){3} {4}hf > single +2\.00 s +1/,
    );
    expect(text).toContain('  • old > gone');
    expect(text).not.toContain('\u001b[');
  });

  it('aligns every row of a table to the same width', () => {
    const lines = renderText(comparison).split('\n');
    const header = lines.findIndex((l) => /^ {2}\s+Benchmark\s+Base\s+Head\s+Change/.test(l));
    const rows = lines.slice(header + 2, header + 4);
    expect(rows.map((r) => r.length)).toEqual([
      lines[header + 1]!.length,
      lines[header + 1]!.length,
    ]);
  });

  it('colours with picocolors when asked', () => {
    const text = renderText(comparison, { color: true });
    expect(text).toContain('\u001b[31m'); // red
    expect(text).toContain('\u001b[1m'); // bold verdict
  });

  it('cannot be driven by control characters in PR names', () => {
    const random = prng(4);
    const evil = 'a\u001b[2J\u001b[31mfake PASS\r\n';
    const result = compare(
      [run([bench(evil, noisy(100, 30, 0.01, random))])],
      run([bench(evil, noisy(300, 30, 0.01, random))]),
      defaultConfig(),
    );
    const text = renderText(result, { color: false });
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\r');
    expect(text).toContain('a?[2J?[31mfake PASS??');
    expect(sanitizeTerminal('ok\u0007\u009b')).toBe('ok??');
  });

  it('no baseline: says so and lists the results', () => {
    const random = prng(8);
    const result = compare([], run([bench('a', noisy(2e6, 30, 0.01, random))]), defaultConfig());
    const text = renderText(result);
    expect(text.split('\n')[0]).toBe('PASS perfgate: no baseline yet');
    expect(text).toContain('No baseline yet, so nothing is compared');
    expect(text).toMatch(/Results\n(.*\n){2} {2}a +2\.\d\d ms/);
  });

  it('noisy (unstable) benchmarks show the forks’ spread and the remedy', () => {
    const random = prng(2);
    const forked = (medians: number[]) =>
      bench(
        'n',
        medians.flatMap((m) => noisy(m, 20, 0.01, random)),
        {
          forks: medians.map(() => 20),
        },
      );
    const base = run([forked([10, 11, 10, 11, 10, 11, 10, 11])]);
    const head = run([forked([13, 17, 13, 17, 13, 17, 13, 17])]);
    const text = renderText(compare([base], head, defaultConfig()));
    expect(text).toMatch(
      /1 noisy\n[\s\S]* {4}n +.*unstable: forks differ by ±\d.*more forks or a longer operation/,
    );
  });
});
