/** "Top function changes" for the PR comment and the terminal. Pure. */
import type { BenchmarkComparison, CallChange, FunctionChange } from '../model/comparison.js';
import { escapeMarkdown, formatDuration, formatPercent } from '../text/format.js';
import { formatCalls } from './exact/compare.js';
import { exactCallsLines, exactCallsTable } from './exact/render.js';

export type ChangeUnit = 'ms' | 'samples' | 'share';

/** ms per op → "1.23 ms"; a share → "12.3%"; samples → "120 samples". */
function value(v: number, unit: ChangeUnit = 'ms'): string {
  if (unit === 'share') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'samples') return `${Math.round(v * 10) / 10} samples`;
  return formatDuration(v * 1e6);
}

const formatCount = (n: number) => formatCalls(n);

/** "called 1 → 500 times per op", "moved from line 12": what a reviewer acts on, when known. */
export function changeNotes(change: FunctionChange, perOp = true): string[] {
  const notes: string[] = [];
  if (change.calls && Math.round(change.calls.base * 100) !== Math.round(change.calls.head * 100))
    notes.push(
      `called ${formatCount(change.calls.base)} → ${formatCount(change.calls.head)} times${perOp ? ' per op' : ''}`,
    );
  else if (change.calls)
    notes.push(`called ${formatCount(change.calls.head)} times${perOp ? ' per op' : ''}`);
  if (change.baseLine !== undefined && change.baseLine !== change.line)
    notes.push(`moved from line ${change.baseLine}`);
  return notes;
}

/**
 * The hot lines of a function change: "line 27: +1.20 ms per op; line 30: −0.20 ms per op"
 * (head minus base, largest first); '' when the profile had no line information.
 */
export function hotLinesText(
  change: FunctionChange,
  unit: ChangeUnit = 'ms',
  perOp = true,
): string {
  return (change.lines ?? [])
    .map((l) => {
      const delta = l.head - l.base;
      const per = unit === 'ms' && perOp ? ' per op' : '';
      return `line ${l.line}: ${delta >= 0 ? '+' : '−'}${value(Math.abs(delta), unit)}${per}`;
    })
    .join('; ');
}

/**
 * "of which @electric-sql/pglite 80 % (+1.60 ms per op), node:internal 5 %": the part of a
 * function's own head time spent in the dependencies it called; '' when none is known.
 */
export function dependencyText(
  change: FunctionChange,
  unit: ChangeUnit = 'ms',
  perOp = true,
  escape: (text: string) => string = (text) => text,
): string {
  const parts = (change.dependencies ?? [])
    .filter((d) => d.head > 0 || d.base > 0)
    .map((d) => {
      const share = change.head > 0 ? ` ${Math.round((100 * d.head) / change.head)} %` : '';
      const delta = d.head - d.base;
      const per = unit === 'ms' && perOp ? ' per op' : '';
      const moved =
        Math.abs(delta) > 0
          ? ` (${delta > 0 ? '+' : '−'}${value(Math.abs(delta), unit)}${per})`
          : '';
      return `${escape(d.package)}${share}${moved}`;
    });
  return parts.length > 0 ? `of which ${parts.join(', ')}` : '';
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
  const times = functionChangesTable(benchmark.functions ?? [], top, {
    caption:
      'Own time per op (with the dependencies it calls); only changes beyond sampling noise.',
  });
  const calls = callChangesTable(benchmark.callChanges ?? [], top);
  // The project's functions counted exactly first: what a reviewer acts on.
  const exact = exactCallsTable(benchmark.exactCalls?.changes ?? [], top);
  return [exact, times, calls].filter((t) => t !== '').join('\n\n');
}

function callsText(calls: number | null): string {
  if (calls === null) return '—';
  return Number.isInteger(calls) ? String(calls) : calls.toFixed(1);
}

/** Markdown table of call-count changes of project functions; '' when there is none. */
export function callChangesTable(all: readonly CallChange[], top: number): string {
  const changes = all.slice(0, Math.max(0, top));
  if (changes.length === 0) return '';
  return [
    '_Calls per op of your functions (counted by the profiler, exact)._',
    '',
    '| Function | File:line | Base calls | Head calls |',
    '| :-- | :-- | --: | --: |',
    ...changes.map((c) => {
      const where = location(c);
      return `| ${escapeMarkdown(c.name)} | ${where ? escapeMarkdown(where) : '—'} | ${callsText(c.base)} | ${callsText(c.head)} |`;
    }),
  ].join('\n');
}

/** The same for the terminal: `get_user_details (app/users.py:8): — → 500 calls per op`. */
export function callChangesLines(all: readonly CallChange[], top: number): string[] {
  return all.slice(0, Math.max(0, top)).map((c) => {
    const where = location(c);
    const name = c.name.replace(/[\r\n\t]+/g, ' ');
    return `${name}${where ? ` (${where})` : ''}: ${callsText(c.base)} → ${callsText(c.head)} calls per op`;
  });
}

export interface TableOptions {
  /** 'ms' per op (default), ms in total, sample counts, or shares of the profile. */
  unit?: ChangeUnit;
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
    const notes = changeNotes(c, perOp);
    const name = notes.length > 0 ? `${c.name} (${notes.join('; ')})` : c.name;
    return `| ${escapeMarkdown(name)} | ${where ? escapeMarkdown(where) : '—'} | ${c.change === null && c.base === 0 ? '—' : value(c.base, unit)} | ${value(c.head, unit)} | ${changeText(c)} |`;
  });
  const more = all.length - changes.length;
  // Hot lines of the top change: where in the function to look.
  const hot = hotLinesText(changes[0]!, unit, perOp);
  return [
    ...(options.title ? [`**${options.title}**`, ''] : []),
    ...(options.caption ? [`_${options.caption}_`, ''] : []),
    `| Function | File:line | Base${per} | Head${per} | Change |`,
    '| :-- | :-- | --: | --: | --: |',
    ...rows,
    ...(more > 0 ? ['', `… and ${more} more`] : []),
    ...(hot ? ['', `Hot lines of ${escapeMarkdown(changes[0]!.name)}: ${hot}`] : []),
    ...dependencyDetails(changes, unit, perOp),
  ].join('\n');
}

/** "Of which …" of the listed functions, folded in a <details> (markdown); [] when none. */
function dependencyDetails(
  changes: readonly FunctionChange[],
  unit: ChangeUnit,
  perOp: boolean,
): string[] {
  const items = changes.flatMap((c) => {
    const text = dependencyText(c, unit, perOp, escapeMarkdown);
    const where = location(c);
    const name = escapeMarkdown(`${c.name}${where ? ` (${where})` : ''}`);
    return text ? [`- ${name}: ${text}`] : [];
  });
  if (items.length === 0) return [];
  return ['', '<details><summary>Time in dependencies</summary>', '', ...items, '', '</details>'];
}

/** The same for the terminal, one line per function. */
export function functionChangesText(benchmark: BenchmarkComparison, top: number): string[] {
  return [
    ...exactCallsLines(benchmark.exactCalls?.changes ?? [], top),
    ...functionChangesLines(benchmark.functions ?? [], top),
    ...callChangesLines(benchmark.callChanges ?? [], top),
  ];
}

export function functionChangesLines(
  all: readonly FunctionChange[],
  top: number,
  unit: ChangeUnit = 'ms',
  suffix = ' per op',
): string[] {
  const lines = all.slice(0, Math.max(0, top)).flatMap((c) => {
    const where = location(c);
    const name = c.name.replace(/[\r\n\t]+/g, ' ');
    const notes = changeNotes(c, suffix !== '');
    const detail = dependencyText(c, unit, suffix !== '').replace(/[\r\n\t]+/g, ' ');
    return [
      `${name}${where ? ` (${where})` : ''}: ${value(c.base, unit)} → ${value(c.head, unit)}${unit === 'ms' ? suffix : ''} (${changeText(c)})${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
      ...(detail ? [`  ${detail}`] : []),
    ];
  });
  // Hot lines of the top change, indented under it.
  const hot = all.length > 0 && top > 0 ? hotLinesText(all[0]!, unit, suffix !== '') : '';
  if (hot) lines.splice(1, 0, `  hot lines: ${hot}`);
  return lines;
}
