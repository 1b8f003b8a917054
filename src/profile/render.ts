/** "Top function changes" for the PR comment and the terminal. Pure. */
import type { BenchmarkComparison, FunctionChange } from '../model/comparison.js';
import { escapeMarkdown, formatDuration, formatPercent } from '../report/format.js';

/** ms per op → "1.23 ms"; a share → "12.3%". */
function value(v: number, unit: 'ms' | 'share' = 'ms'): string {
  return unit === 'share' ? `${(v * 100).toFixed(1)}%` : formatDuration(v * 1e6);
}

function changeText(change: FunctionChange): string {
  return change.change === null ? 'new' : formatPercent(change.change);
}

export function location(change: Pick<FunctionChange, 'file' | 'line'>): string {
  if (!change.file) return change.line > 0 ? `:${change.line}` : '';
  return change.line > 0 ? `${change.file}:${change.line}` : change.file;
}

/** "Top function changes" table for one regressed benchmark; '' when there is nothing. */
export function functionChangesMarkdown(benchmark: BenchmarkComparison, top: number): string {
  return functionChangesTable(benchmark.functions ?? [], top);
}

/**
 * Markdown table of function changes (values in ms per op, or shares of the profile);
 * '' when there is nothing.
 */
export function functionChangesTable(
  all: readonly FunctionChange[],
  top: number,
  unit: 'ms' | 'share' = 'ms',
  caption = 'self time per op, beyond sampling noise',
): string {
  const changes = all.slice(0, Math.max(0, top));
  if (changes.length === 0) return '';
  const per = unit === 'ms' && caption.includes('per op') ? ' per op' : '';
  const rows = changes.map((c) => {
    const where = location(c);
    return `| ${escapeMarkdown(c.name)} | ${where ? escapeMarkdown(where) : '—'} | ${value(c.base, unit)} | ${value(c.head, unit)} | ${changeText(c)} |`;
  });
  const more = all.length - changes.length;
  return [
    `**Top function changes** (${caption})`,
    '',
    `| Function | File:line | Base${per} | Head${per} | Change |`,
    '| :-- | :-- | --: | --: | --: |',
    ...rows,
    ...(more > 0 ? ['', `… and ${more} more`] : []),
  ].join('\n');
}

/** The same for the terminal, one line per function. */
export function functionChangesText(benchmark: BenchmarkComparison, top: number): string[] {
  return functionChangesLines(benchmark.functions ?? [], top);
}

export function functionChangesLines(
  all: readonly FunctionChange[],
  top: number,
  unit: 'ms' | 'share' = 'ms',
  suffix = ' per op',
): string[] {
  return all.slice(0, Math.max(0, top)).map((c) => {
    const where = location(c);
    const name = c.name.replace(/[\r\n\t]+/g, ' ');
    return `${name}${where ? ` (${where})` : ''}: ${value(c.base, unit)} → ${value(c.head, unit)}${unit === 'ms' ? suffix : ''} (${changeText(c)})`;
  });
}
