/** "Top function changes" as report blocks (laid out as markdown or terminal text). Pure. */
import type { BenchmarkComparison, CallChange, FunctionChange } from '../model/comparison.js';
import {
  details,
  em,
  list,
  own,
  paragraph,
  strong,
  table,
  tone,
  type Block,
  type Inline,
} from '../model/document.js';
import { formatDuration, formatPercent } from '../text/format.js';
import { formatCalls } from './exact/compare.js';
import { exactCallsBlocks } from './exact/render.js';

export type ChangeUnit = 'ms' | 'samples' | 'share';

/** ms per op → "1.23 ms"; a share → "12.3%"; samples → "120 samples". */
function value(v: number, unit: ChangeUnit = 'ms'): string {
  if (unit === 'share') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'samples') return `${Math.round(v * 10) / 10} samples`;
  return formatDuration(v * 1e6);
}

/** "called 1 → 500 times per op", "moved from line 12": what a reviewer acts on, when known. */
export function changeNotes(change: FunctionChange, perOp = true): string[] {
  const notes: string[] = [];
  if (change.calls && Math.round(change.calls.base * 100) !== Math.round(change.calls.head * 100))
    notes.push(
      `called ${formatCalls(change.calls.base)} → ${formatCalls(change.calls.head)} times${perOp ? ' per op' : ''}`,
    );
  else if (change.calls)
    notes.push(`called ${formatCalls(change.calls.head)} times${perOp ? ' per op' : ''}`);
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
 * function's own head time spent in the dependencies it called; [] when none is known. Package
 * names are the profile's (untrusted) text; the rest is perfgate's.
 */
export function dependencyParts(
  change: FunctionChange,
  unit: ChangeUnit = 'ms',
  perOp = true,
): Inline[] {
  const parts = (change.dependencies ?? [])
    .filter((d) => d.head > 0 || d.base > 0)
    .map((d): Inline => {
      const share = change.head > 0 ? ` ${Math.round((100 * d.head) / change.head)} %` : '';
      const delta = d.head - d.base;
      const per = unit === 'ms' && perOp ? ' per op' : '';
      const moved =
        Math.abs(delta) > 0
          ? ` (${delta > 0 ? '+' : '−'}${value(Math.abs(delta), unit)}${per})`
          : '';
      return [d.package, own(`${share}${moved}`)];
    });
  if (parts.length === 0) return [];
  return [own('of which '), ...parts.flatMap((p, i) => (i === 0 ? [p] : [own(', '), p]))];
}

function changeText(change: FunctionChange): string {
  return change.change === null ? 'new' : formatPercent(change.change);
}

export function location(change: Pick<FunctionChange, 'file' | 'line'>): string {
  if (!change.file) return change.line > 0 ? `:${change.line}` : '';
  return change.line > 0 ? `${change.file}:${change.line}` : change.file;
}

/**
 * "Top function changes" of one regressed benchmark: own time per op, then calls per op; no
 * heading (the kind puts one with the benchmark's name above it). No blocks when nothing changed.
 */
export function functionChangesSection(benchmark: BenchmarkComparison, top: number): Block[] {
  return [
    // The project's functions counted exactly first: what a reviewer acts on.
    ...exactCallsBlocks(
      benchmark.exactCalls?.changes ?? [],
      top,
      benchmark.exactCalls?.workerThreads,
    ),
    ...functionChangesBlocks(benchmark.functions ?? [], top, {
      caption:
        'Own time per op (with the dependencies it calls); only changes beyond sampling noise.',
    }),
    ...callChangesBlocks(benchmark.callChanges ?? [], top),
  ];
}

function callsText(calls: number | null): string {
  if (calls === null) return '—';
  return Number.isInteger(calls) ? String(calls) : calls.toFixed(1);
}

/** Call-count changes of project functions; none when there is none. */
export function callChangesBlocks(all: readonly CallChange[], top: number): Block[] {
  const changes = all.slice(0, Math.max(0, top));
  if (changes.length === 0) return [];
  return [
    paragraph(em(own('Calls per op of your functions (counted by the profiler, exact).'))),
    table(
      [
        ['Function', 'l'],
        ['File:line', 'l'],
        ['Base calls', 'r'],
        ['Head calls', 'r'],
      ],
      changes.map((c) => [
        c.name,
        location(c) || own('—'),
        own(callsText(c.base)),
        own(callsText(c.head)),
      ]),
      'functions',
    ),
  ];
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

/** The table of function changes (with its title and caption); none when there is nothing. */
export function functionChangesBlocks(
  all: readonly FunctionChange[],
  top: number,
  options: TableOptions = {},
): Block[] {
  const { unit = 'ms', perOp = true } = options;
  const changes = all.slice(0, Math.max(0, top));
  if (changes.length === 0) return [];
  const per = unit === 'ms' && perOp ? ' per op' : '';
  const rows = changes.map((c) => {
    const notes = changeNotes(c, perOp);
    return [
      notes.length > 0 ? `${c.name} (${notes.join('; ')})` : c.name,
      location(c) || own('—'),
      own(c.change === null && c.base === 0 ? '—' : value(c.base, unit)),
      own(value(c.head, unit)),
      tone(c.change === null || c.change > 0 ? 'bad' : 'good', own(changeText(c))),
    ];
  });
  const more = all.length - changes.length;
  // Hot lines of the top change: where in the function to look.
  const hot = hotLinesText(changes[0]!, unit, perOp);
  return [
    ...(options.title ? [paragraph(strong(own(options.title)))] : []),
    ...(options.caption ? [paragraph(em(own(options.caption)))] : []),
    table(
      [
        ['Function', 'l'],
        ['File:line', 'l'],
        [`Base${per}`, 'r'],
        [`Head${per}`, 'r'],
        ['Change', 'r'],
      ],
      rows,
      'functions',
    ),
    ...(more > 0 ? [paragraph(own(`… and ${more} more`))] : []),
    ...(hot ? [paragraph([own('Hot lines of '), changes[0]!.name, own(`: ${hot}`)])] : []),
    ...dependencyDetails(changes, unit, perOp),
  ];
}

/** "Of which …" of the listed functions, folded (markdown) or indented (terminal); [] when none. */
function dependencyDetails(
  changes: readonly FunctionChange[],
  unit: ChangeUnit,
  perOp: boolean,
): Block[] {
  const items = changes.flatMap((c): Inline[] => {
    const parts = dependencyParts(c, unit, perOp);
    const where = location(c);
    return parts.length > 0
      ? [[c.name, ...(where ? [own(' ('), where, own(')')] : []), own(': '), ...parts]]
      : [];
  });
  if (items.length === 0) return [];
  return [details(own('Time in dependencies'), [list(items, 'functions')])];
}
