/** Hot lines and top line changes of line_profiler results, for the terminal and markdown. Pure. */
import { escapeMarkdown, formatDuration } from '../../text/format.js';
import type { HotLine, LineChange } from './line-profiler.js';

function lineOf(c: LineChange): string {
  if (c.baseLine === c.headLine || c.baseLine === null) return String(c.headLine);
  if (c.headLine === null) return `${c.baseLine} (base)`;
  return `${c.baseLine} → ${c.headLine}`;
}

/** Time of one side; '—' where the line did not run on that side. */
function time(ns: number, line: number | null): string {
  return line === null ? '—' : formatDuration(ns);
}

function change(c: LineChange): string {
  if (c.baseNs === 0) return 'new';
  return `${c.headNs >= c.baseNs ? '+' : ''}${(((c.headNs - c.baseNs) / c.baseNs) * 100).toFixed(0)}%`;
}

export function hotLinesText(lines: readonly HotLine[]): string[] {
  return [
    `${'time'.padStart(10)} ${'share'.padStart(6)} ${'hits'.padStart(9)}  line`,
    ...lines.map(
      (l) =>
        `${formatDuration(l.timeNs).padStart(10)} ${`${(l.share * 100).toFixed(1)}%`.padStart(6)} ${String(l.hits).padStart(9)}  ${l.file}:${l.line} in ${l.function}${l.code ? `  ${l.code.trim()}` : ''}`,
    ),
  ];
}

export function lineChangesText(changes: readonly LineChange[]): string[] {
  return changes.map(
    (c) =>
      `${c.file}:${lineOf(c)} in ${c.function}: ${time(c.baseNs, c.baseLine)} → ${time(c.headNs, c.headLine)} (${change(c)}), hits ${c.baseHits} → ${c.headHits}${c.code ? `  ${c.code}` : ''}`,
  );
}

export function lineChangesMarkdown(changes: readonly LineChange[]): string {
  if (changes.length === 0) return '';
  return [
    '**Top line changes** (line_profiler)',
    '',
    '| Function | Line | Base | Head | Change | Hits | Code |',
    '| :-- | --: | --: | --: | --: | --: | :-- |',
    ...changes.map(
      (c) =>
        `| ${escapeMarkdown(c.function)} (${escapeMarkdown(c.file)}) | ${lineOf(c)} | ${time(c.baseNs, c.baseLine)} | ${time(c.headNs, c.headLine)} | ${change(c)} | ${c.baseHits} → ${c.headHits} | ${c.code ? `\`${c.code.replace(/`/g, "'")}\`` : ''} |`,
    ),
  ].join('\n');
}
