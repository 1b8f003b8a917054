/**
 * The "Memory" section of the reports, as display-neutral blocks. Benchmark ids, function names
 * and paths come from the pull request: they stay plain text, which the layouts escape. Pure.
 */
import type { BenchmarkComparison, Comparison, MemoryComparison } from '../model/comparison.js';
import {
  br,
  details,
  heading,
  icon,
  list,
  own,
  paragraph,
  strong,
  table,
  tone,
  type Block,
  type Inline,
} from '../model/document.js';
import {
  formatBytes,
  formatChange,
  formatCount,
  formatPercent,
  nonBreaking,
} from '../text/format.js';
import { maxOf } from '../model/arrays.js';
import { groupByPlace } from '../model/place.js';

/** Rows of the table that are worth a reviewer's eye; the rest is folded. */
const NOTABLE_CHANGE = 0.1;
const MAX_ROWS = 50;
const MAX_SITES = 5;
const MAX_NAME = 120;

type WithMemory = BenchmarkComparison & { memory: MemoryComparison };

function withMemory(comparison: Comparison): WithMemory[] {
  return comparison.benchmarks.filter((b): b is WithMemory => b.memory !== undefined);
}

/** Under a byte per op either side, a relative change is rounding, not a change (0 B → 0 B). */
const MIN_BYTES = 1;

function isNotable(m: MemoryComparison): boolean {
  const bytesMoved = Math.abs((m.head ?? 0) - (m.base ?? 0)) >= MIN_BYTES;
  return (
    m.regressed ||
    m.leak !== null ||
    (bytesMoved && m.change !== null && Math.abs(m.change) >= NOTABLE_CHANGE)
  );
}

function clip(text: string, max = MAX_NAME): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * "1.42 MiB → 20.5 MiB", never wrapping. Byte counts are never negative: a retained size below
 * zero is the heap shrinking across the measurement (GC noise), shown as 0 B.
 */
function baseToHead(base: number | null | undefined, head: number | null | undefined): string {
  const bytes = (v: number) => formatBytes(Math.max(0, v));
  if (head == null) return base == null ? '—' : nonBreaking(`${bytes(base)} → —`);
  return nonBreaking(base == null ? bytes(head) : `${bytes(base)} → ${bytes(head)}`);
}

function changeText(m: MemoryComparison): string {
  if (m.change === null) return m.base === null ? 'new' : '—';
  const p =
    m.pValue == null
      ? ''
      : ` (p ${m.pValue < 0.001 ? m.pValue.toExponential(0) : m.pValue.toFixed(3)})`;
  return `${formatChange(m.change)}${p}`;
}

function leakCell(m: MemoryComparison): Inline {
  if (!m.leak) return own('—');
  return m.leak.new
    ? tone('bad', [icon('🔴', '✗'), own(' new leak')])
    : tone('warn', own('leak (also in base)'));
}

function site(s: { name: string; file: string; line: number }): string {
  return `${clip(s.name, 60)} (${clip(s.file, 100)}:${s.line})`;
}

/** A leak in a few lines: retained per op, the heap over the rounds, what keeps it alive. */
function leakParagraph(b: WithMemory): Block[] {
  const leak = b.memory.leak;
  if (!leak) return [];
  const heap = leak.heapAfterRounds;
  const first = heap[0] ?? 0;
  const last = heap[heap.length - 1] ?? 0;
  const lines: Inline[] = [
    [
      strong(own(leak.new ? 'New leak' : 'Leak')),
      own(' in '),
      clip(b.id),
      own(
        `: ${formatBytes(leak.bytesPerOp)} retained per op (±${formatBytes(leak.stderr)}); ` +
          `used heap after GC ${formatBytes(first)} → ${formatBytes(last)} over ${heap.length} rounds of ` +
          `${formatCount(leak.opsPerRound)}${leak.roundOps ? '–' + formatCount(maxOf(leak.roundOps)) : ''} ops.`,
      ),
    ],
  ];
  if (leak.sites.length > 0) {
    lines.push([
      own('Still alive after GC, allocated by: '),
      leak.sites
        .slice(0, MAX_SITES)
        .map((s, i): Inline[] => [
          own(i > 0 ? '; ' : ''),
          site(s),
          own(` ${formatBytes(s.bytesPerOp)}/op`),
        ]),
    ]);
  }
  if (leak.constructors && leak.constructors.length > 0) {
    lines.push([
      own('Heap snapshot, counts that grew: '),
      leak.constructors
        .slice(0, MAX_SITES)
        .map((c, i): Inline[] => [
          own(i > 0 ? '; ' : ''),
          clip(c.name, 60),
          own(` +${formatCount(c.countDelta)} (${formatBytes(c.sizeDelta)})`),
        ]),
    ]);
  }
  return [paragraph(lines.flatMap((line, i) => (i > 0 ? [br, line] : [line])))];
}

/** The allocation sites that changed most (bytes per op); a site at 0 B both sides says nothing. */
function siteBlocks(b: WithMemory): Block[] {
  const sites = (b.memory.sites ?? []).slice(0, MAX_SITES).filter((s) => s.base > 0 || s.head > 0);
  if (sites.length === 0 || b.memory.base === null) return [];
  return [
    paragraph([own('Allocation sites that changed most in '), clip(b.id), own(' (bytes per op):')]),
    list(
      sites.map((s) => [site(s), own(`: ${formatBytes(s.base)} → ${formatBytes(s.head)}`)]),
      'allocation sites',
    ),
  ];
}

/** Short names in the rows, their file and group as the heading of each table. */
function memoryTables(rows: WithMemory[]): Block[] {
  return [...groupByPlace(rows)].flatMap(([place, group]) => [
    heading(4, place),
    memoryTable(group, (b) => clip(b.name)),
  ]);
}

function memoryTable(rows: WithMemory[], label: (b: WithMemory) => string): Block {
  return table(
    [
      ['Benchmark', 'l'],
      ['Allocated / op', 'r'],
      ['Change', 'r'],
      ['Retained / op', 'r'],
      ['Peak RSS', 'r'],
      ['Leak', 'l'],
    ],
    rows.map((b) => [
      label(b),
      own(baseToHead(b.memory.base, b.memory.head)),
      tone(b.memory.regressed ? 'bad' : 'dim', own(nonBreaking(changeText(b.memory)))),
      own(baseToHead(b.memory.retainedBase, b.memory.retainedHead)),
      own(baseToHead(b.memory.peakRssBase, b.memory.peakRssHead)),
      leakCell(b.memory),
    ]),
    'benchmarks with memory data',
  );
}

function changedEnough(m: MemoryComparison): boolean {
  return m.regressed || (m.change !== null && Math.abs(m.change) >= NOTABLE_CHANGE);
}

/** The "Memory" section; none when no benchmark has memory data. */
export function memorySection(comparison: Comparison): Block[] {
  const all = withMemory(comparison);
  if (all.length === 0) return [];
  const notable = all.filter((b) => isNotable(b.memory));
  const rest = all.filter((b) => !isNotable(b.memory));
  const blocks: Block[] = [heading(3, own('Memory'))];
  if (notable.length === 0) {
    blocks.push(
      paragraph(
        own(
          `No allocation change of ${formatPercent(NOTABLE_CHANGE, 0).slice(1)} or more and no leak in ${all.length} benchmark${all.length === 1 ? '' : 's'}.`,
        ),
      ),
    );
  } else {
    const shown = notable.slice(0, MAX_ROWS);
    blocks.push(...memoryTables(shown));
    if (notable.length > shown.length)
      blocks.push(paragraph(own(`… and ${notable.length - shown.length} more.`)));
    for (const b of shown) {
      blocks.push(...leakParagraph(b));
      if (changedEnough(b.memory)) blocks.push(...siteBlocks(b));
    }
  }
  if (rest.length > 0) {
    const shown = rest.slice(0, MAX_ROWS);
    blocks.push(
      details(own(`Memory of ${rest.length} other benchmark${rest.length === 1 ? '' : 's'}`), [
        ...memoryTables(shown),
        ...(rest.length > shown.length
          ? [paragraph(own(`… and ${rest.length - shown.length} more.`))]
          : []),
      ]),
    );
  }
  return blocks;
}

/** One benchmark's memory comparison (`perfgate memory diff`): its row, leak, reasons and sites. */
export function memoryDiffBlocks(id: string, m: MemoryComparison): Block[] {
  const b = { id, memory: m } as WithMemory;
  return [
    memoryTable([b], (row) => clip(row.id)),
    ...leakParagraph(b),
    ...(m.reasons.length > 0
      ? [
          list(
            m.reasons.map((r) => tone('bad', r)),
            'reasons',
          ),
        ]
      : []),
    ...(m.regressed ? siteBlocks(b) : []),
  ];
}
