/**
 * The "Memory" section of the comment and its terminal twin. Benchmark ids, function names and
 * paths come from the pull request: all escaped. Pure.
 */
import { markdownTable } from 'markdown-table';
import type { BenchmarkComparison, Comparison, MemoryComparison } from '../model/comparison.js';
import {
  escapeMarkdown,
  formatBytes,
  formatChange,
  formatCount,
  formatPercent,
  nonBreaking,
} from '../text/format.js';
import { maxOf } from '../model/arrays.js';

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

function leakCell(m: MemoryComparison): string {
  if (!m.leak) return '—';
  return m.leak.new ? '🔴 new leak' : 'leak (also in base)';
}

function site(s: { name: string; file: string; line: number }): string {
  return `${clip(s.name, 60)} (${clip(s.file, 100)}:${s.line})`;
}

function leakLines(b: WithMemory, markdown: boolean): string[] {
  const leak = b.memory.leak;
  if (!leak) return [];
  const esc = markdown ? escapeMarkdown : (t: string) => t;
  const heap = leak.heapAfterRounds;
  const first = heap[0] ?? 0;
  const last = heap[heap.length - 1] ?? 0;
  const lines = [
    `${markdown ? '**' : ''}${leak.new ? 'New leak' : 'Leak'}${markdown ? '**' : ''} in ${esc(clip(b.id))}: ` +
      `${formatBytes(leak.bytesPerOp)} retained per op (±${formatBytes(leak.stderr)}); ` +
      `used heap after GC ${formatBytes(first)} → ${formatBytes(last)} over ${heap.length} rounds of ` +
      `${formatCount(leak.opsPerRound)}${leak.roundOps ? '–' + formatCount(maxOf(leak.roundOps)) : ''} ops.`,
  ];
  if (leak.sites.length > 0) {
    lines.push(
      `Still alive after GC, allocated by: ` +
        leak.sites
          .slice(0, MAX_SITES)
          .map((s) => `${esc(site(s))} ${formatBytes(s.bytesPerOp)}/op`)
          .join('; '),
    );
  }
  if (leak.constructors && leak.constructors.length > 0) {
    lines.push(
      `Heap snapshot, counts that grew: ` +
        leak.constructors
          .slice(0, MAX_SITES)
          .map(
            (c) =>
              `${esc(clip(c.name, 60))} +${formatCount(c.countDelta)} (${formatBytes(c.sizeDelta)})`,
          )
          .join('; '),
    );
  }
  return lines;
}

function siteLines(b: WithMemory, markdown: boolean): string[] {
  const sites = (b.memory.sites ?? []).slice(0, MAX_SITES);
  if (sites.length === 0 || b.memory.base === null) return [];
  const esc = markdown ? escapeMarkdown : (t: string) => t;
  return [
    `Allocation sites that changed most in ${esc(clip(b.id))} (bytes per op):`,
    ...sites
      // A site at 0 B on both sides says nothing.
      .filter((s) => s.base > 0 || s.head > 0)
      .map(
        (s) =>
          `${markdown ? '- ' : '  '}${esc(site(s))}: ${formatBytes(s.base)} → ${formatBytes(s.head)}`,
      ),
  ];
}

function tableRows(rows: WithMemory[]): string[][] {
  return rows.map((b) => [
    escapeMarkdown(clip(b.id)),
    baseToHead(b.memory.base, b.memory.head),
    changeText(b.memory),
    baseToHead(b.memory.retainedBase, b.memory.retainedHead),
    baseToHead(b.memory.peakRssBase, b.memory.peakRssHead),
    leakCell(b.memory),
  ]);
}

const HEADER = ['Benchmark', 'Allocated / op', 'Change', 'Retained / op', 'Peak RSS', 'Leak'];

/** The "Memory" section of the comment; '' when no benchmark has memory data. */
export function memoryMarkdown(comparison: Comparison): string {
  const all = withMemory(comparison);
  if (all.length === 0) return '';
  const notable = all.filter((b) => isNotable(b.memory));
  const rest = all.filter((b) => !isNotable(b.memory));
  const out: string[] = ['### Memory', ''];
  if (notable.length === 0) {
    out.push(
      `No allocation change of ${formatPercent(NOTABLE_CHANGE, 0).slice(1)} or more and no leak in ${all.length} benchmark${all.length === 1 ? '' : 's'}.`,
      '',
    );
  } else {
    const shown = notable.slice(0, MAX_ROWS);
    out.push(
      markdownTable([HEADER, ...tableRows(shown)], { align: ['l', 'r', 'r', 'r', 'r', 'l'] }),
      '',
    );
    if (notable.length > shown.length) out.push(`… and ${notable.length - shown.length} more.`, '');
    for (const b of shown) {
      const leak = leakLines(b, true);
      if (leak.length > 0) out.push(leak.join('<br>\n'), '');
      const sites = siteLines(b, true);
      if (
        sites.length > 0 &&
        (b.memory.regressed ||
          (b.memory.change !== null && Math.abs(b.memory.change) >= NOTABLE_CHANGE))
      ) {
        out.push(sites[0]!, '', ...sites.slice(1), '');
      }
    }
  }
  if (rest.length > 0) {
    const shown = rest.slice(0, MAX_ROWS);
    out.push(
      `<details><summary>Memory of ${rest.length} other benchmark${rest.length === 1 ? '' : 's'}</summary>`,
      '',
      markdownTable([HEADER, ...tableRows(shown)], { align: ['l', 'r', 'r', 'r', 'r', 'l'] }),
      '',
      ...(rest.length > shown.length ? [`… and ${rest.length - shown.length} more.`, ''] : []),
      '</details>',
      '',
    );
  }
  return out.join('\n');
}

/** The same for the terminal. */
export function memoryText(comparison: Comparison): string[] {
  const all = withMemory(comparison);
  if (all.length === 0) return [];
  const lines = ['Memory (allocated per op, retained per op, peak RSS)'];
  for (const b of all) lines.push(...benchmarkMemoryText(b.id, b.memory));
  return lines;
}

/** Terminal lines of one benchmark's memory comparison (also `perfgate memory diff`). */
export function benchmarkMemoryText(id: string, m: MemoryComparison): string[] {
  const b = { id, memory: m } as WithMemory;
  const mark = m.regressed ? '✗' : m.leak ? '!' : ' ';
  const lines = [
    `  ${mark} ${clip(id)}  ${baseToHead(m.base, m.head)}  ${changeText(m)}  retained ${baseToHead(m.retainedBase, m.retainedHead)}  peak RSS ${baseToHead(m.peakRssBase, m.peakRssHead)}`,
  ];
  for (const line of leakLines(b, false)) lines.push(`      ${line}`);
  for (const reason of m.reasons) lines.push(`      ✗ ${reason}`);
  if (m.regressed) for (const line of siteLines(b, false)) lines.push(`      ${line}`);
  return lines;
}
