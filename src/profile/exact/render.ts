/** The exact calls of the project's functions in "Top function changes". Pure. */
import type { ExactCallChange } from '../../model/comparison.js';
import { escapeMarkdown, formatDuration, formatPercent } from '../../text/format.js';
import { formatCalls } from './compare.js';

function where(c: ExactCallChange): string {
  return c.line > 0 ? `${c.file}:${c.line}` : c.file;
}

function callsCell(c: ExactCallChange): string {
  if (
    c.base === c.head ||
    (c.base !== null && c.head !== null && formatCalls(c.base) === formatCalls(c.head))
  )
    return formatCalls(c.head);
  return `${formatCalls(c.base)} → ${formatCalls(c.head)}`;
}

function timeCell(c: ExactCallChange): string {
  if (!c.time) return '—';
  const ms = (v: number) => formatDuration(v * 1e6);
  const change =
    c.time.change !== null
      ? formatPercent(c.time.change)
      : c.base === null
        ? 'new'
        : c.head === null
          ? 'gone'
          : '';
  const noise = c.time.beyondNoise ? '' : c.base !== null && c.head !== null ? ' (noise)' : '';
  return `${c.base === null ? '—' : ms(c.time.base)} → ${c.head === null ? '—' : ms(c.time.head)}${change ? ` (${change})` : ''}${noise}`;
}

/** Markdown table, '' when nothing changed. */
export function exactCallsTable(all: readonly ExactCallChange[], top: number): string {
  const changes = all.slice(0, Math.max(0, top));
  if (changes.length === 0) return '';
  const more = all.length - changes.length;
  return [
    '_Your functions, counted exactly in an instrumented pass: calls per op, and time per op from call to settled promise (async included)._',
    '',
    '| Function | File:line | Calls per op | Time per op (async-inclusive) |',
    '| :-- | :-- | --: | --: |',
    ...changes.map(
      (c) =>
        `| ${escapeMarkdown(c.name)} | ${escapeMarkdown(where(c))} | ${callsCell(c)} | ${timeCell(c)} |`,
    ),
    ...(more > 0 ? ['', `… and ${more} more`] : []),
  ].join('\n');
}

/** Terminal lines: `getUserDetails (src/users.ts:24): — → 500 calls per op; 0 → 8.1 ms per op`. */
export function exactCallsLines(all: readonly ExactCallChange[], top: number): string[] {
  return all.slice(0, Math.max(0, top)).map((c) => {
    const name = c.name.replace(/[\r\n\t]+/g, ' ');
    return `${name} (${where(c)}): ${callsCell(c)} calls per op; ${timeCell(c)} per op`;
  });
}
