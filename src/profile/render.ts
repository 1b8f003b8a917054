/** "Top function changes" for the PR comment and the terminal. Pure. */
import type { BenchmarkComparison, FunctionChange } from '../model/comparison.js';
import { escapeMarkdown, formatDuration, formatPercent } from '../text/format.js';

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

/**
 * "Top function changes" table for one regressed benchmark; '' when there is nothing. No heading
 * (the report puts one with the benchmark's name above it), one caption line.
 */
export function functionChangesMarkdown(benchmark: BenchmarkComparison, top: number): string {
  return functionChangesTable(benchmark.functions ?? [], top, {
    caption: 'Self time per op; only changes beyond sampling noise.',
  });
}

export interface TableOptions {
  /** 'ms' per op (default), ms in total, or shares of the profile. */
  unit?: 'ms' | 'share';
  perOp?: boolean;
  /** A bold first line. */
  title?: string;
  /** An italic line above the table. */
  caption?: string;
}

/** Markdown table of function changes; '' when there is nothing. */
export function functionChangesTable(
  all: readonly FunctionChange[],
  top: number,
  options: TableOptions = {},
): string {
  const { unit = 'ms', perOp = true } = options;
  const changes = all.slice(0, Math.max(0, top));
  if (changes.length === 0) return '';
  const per = unit === 'ms' && perOp ? ' per op' : '';
  const rows = changes.map((c) => {
    const where = location(c);
    return `| ${escapeMarkdown(c.name)} | ${where ? escapeMarkdown(where) : '—'} | ${c.change === null && c.base === 0 ? '—' : value(c.base, unit)} | ${value(c.head, unit)} | ${changeText(c)} |`;
  });
  const more = all.length - changes.length;
  return [
    ...(options.title ? [`**${options.title}**`, ''] : []),
    ...(options.caption ? [`_${options.caption}_`, ''] : []),
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
