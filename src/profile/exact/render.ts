/** The exact calls of the project's functions in "Top function changes". Pure. */
import type { ExactCallChange } from '../../model/comparison.js';
import { em, own, paragraph, table, type Block } from '../../model/document.js';
import { formatDuration, formatPercent } from '../../text/format.js';
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

/** What the counts leave out: calls made in worker threads. */
function workersNote(workerThreads: number | undefined): Block[] {
  if (workerThreads === undefined || workerThreads <= 0) return [];
  const threads = workerThreads === 1 ? '1 worker thread' : `${workerThreads} worker threads`;
  return [
    paragraph(
      own(
        `Calls made in worker threads are not counted: ${threads} ran during the counted operations.`,
      ),
    ),
  ];
}

/**
 * The exact-calls table with its caption, and the note on worker threads when the bench ran
 * some; none when nothing changed and no worker ran.
 */
export function exactCallsBlocks(
  all: readonly ExactCallChange[],
  top: number,
  workerThreads?: number,
): Block[] {
  const changes = all.slice(0, Math.max(0, top));
  if (changes.length === 0) return workersNote(workerThreads);
  const more = all.length - changes.length;
  return [
    paragraph(
      em(
        own(
          'Your functions, counted exactly in an instrumented pass: calls per op, and time per op from the call to its settled promise (async included).',
        ),
      ),
    ),
    table(
      [
        ['Function', 'l'],
        ['File:line', 'l'],
        ['Calls per op', 'r'],
        ['Time per op (async-inclusive)', 'r'],
      ],
      changes.map((c) => {
        const { values, note } = time(c);
        return [c.name, where(c), own(calls(c)), own(`${values}${note ? ` (${note})` : ''}`)];
      }),
      'functions',
    ),
    ...(more > 0 ? [paragraph(own(`… and ${more} more`))] : []),
    ...workersNote(workerThreads),
  ];
}
