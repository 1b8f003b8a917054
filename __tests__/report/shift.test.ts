// The stored mode's run shift line (src/report/shift.ts) in the comment and the terminal.
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from '../../src/report/index.js';
import { shiftLine } from '../../src/report/shift.js';
import { mixedComparison, storedComparison } from './fixtures.js';

describe('run shift line', () => {
  it('not significant: says so, and that each benchmark is judged beyond it', () => {
    const comparison = storedComparison();
    const line = shiftLine(comparison)!;
    expect(line.significant).toBe(false);
    expect(line.text).toMatch(
      /^Runner shift: the run as a whole \d+\.\d% faster \(±\d+\.\d%\) than the 5 stored runs \(median of its 12 benchmarks\) — not significant; each benchmark is judged on its change beyond it\.$/,
    );
    expect(renderText(comparison)).toContain(line.text);
  });

  it('significant: every benchmark slowed 30 % fails through the shift, and the line says why', () => {
    const comparison = storedComparison(true);
    expect(comparison.runShift!.significant).toBe(true);
    expect(comparison.verdict).toBe('fail');
    expect(comparison.benchmarks.every((b) => b.status === 'regression')).toBe(true);
    const line = shiftLine(comparison)!;
    expect(line).toMatchObject({ significant: true, slower: true });
    expect(line.text).toContain('% slower');
    expect(line.text).toContain(
      "so it is taken as the code's: benchmarks that moved with it beyond their threshold fail.",
    );
    expect(renderMarkdown(comparison)).toContain('📉 Runner shift: the run as a whole');
  });

  it('no line without a run shift (one base run) or in --against mode', () => {
    expect(shiftLine(mixedComparison())).toBeNull();
    expect(renderMarkdown(mixedComparison())).not.toContain('Runner shift');
    const stored = storedComparison();
    expect(shiftLine({ ...stored, mode: 'against' })).toBeNull();
  });
});
