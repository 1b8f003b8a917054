/** The exact calls of the project's functions in "Top function changes". Pure. */
import type { ExactCallChange } from '../../model/comparison.js';
import { escapeMarkdown, formatDuration, formatPercent } from '../../text/format.js';
import { formatCalls } from './compare.js';

function where(c: ExactCallChange): string {
  return c.line > 0 ? `${c.file}:${c.line}` : c.file;
}

/** "1 → 500", or "1" when the count did not change. */
function calls(c: ExactCallChange): string {
  const same = c.base !== null && c.head !== null && formatCalls(c.base) === formatCalls(c.head);
  return same ? formatCalls(c.head) : `${formatCalls(c.base)} → ${formatCalls(c.head)}`;
}

/** "69.2 ms → 1.15 s" and its note: "+1568.2%", "new", "gone", "within noise". */
function time(c: ExactCallChange): { values: string; note: string } {
  if (!c.time) return { values: '—', note: '' };
  const ms = (v: number) => formatDuration(v * 1e6);
  const values = `${c.base === null ? '—' : ms(c.time.base)} → ${c.head === null ? '—' : ms(c.time.head)}`;
  if (c.base === null) return { values, note: 'new' };
  if (c.head === null) return { values, note: 'gone' };
  if (!c.time.beyondNoise) return { values, note: 'within noise' };
  return { values, note: c.time.change === null ? '' : formatPercent(c.time.change) };
}

/** Markdown table, '' when nothing changed. */
export function exactCallsTable(all: readonly ExactCallChange[], top: number): string {
  const changes = all.slice(0, Math.max(0, top));
  if (changes.length === 0) return '';
  const more = all.length - changes.length;
  return [
    '_Your functions, counted exactly in an instrumented pass: calls per op, and time per op from the call to its settled promise (async included)._',
    '',
    '| Function | File:line | Calls per op | Time per op (async-inclusive) |',
    '| :-- | :-- | --: | --: |',
    ...changes.map((c) => {
      const { values, note } = time(c);
      return `| ${escapeMarkdown(c.name)} | ${escapeMarkdown(where(c))} | ${calls(c)} | ${values}${note ? ` (${note})` : ''} |`;
    }),
    ...(more > 0 ? ['', `… and ${more} more`] : []),
  ].join('\n');
}

/**
 * Terminal lines: `getUserDetails (src/users.ts:24): 1 → 500 calls per op; async-inclusive
 * 8 ms → 1.1 s per op (+13650.0%)`.
 */
export function exactCallsLines(all: readonly ExactCallChange[], top: number): string[] {
  return all.slice(0, Math.max(0, top)).map((c) => {
    const name = c.name.replace(/[\r\n\t]+/g, ' ');
    const count = calls(c);
    const { values, note } = time(c);
    return `${name} (${where(c)}): ${count} ${count === '1' ? 'call' : 'calls'} per op; async-inclusive ${values} per op${note ? ` (${note})` : ''}`;
  });
}
