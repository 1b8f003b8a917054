/**
 * Python tracemalloc, two shapes (docs/memory.md has the snippet that writes both):
 *
 * - JSON from the perfgate snippet: `{"format": "perfgate-tracemalloc", "version": 1,
 *   "round_ops": [...], "heap_after_rounds": [...], "peak": B, "max_rss": B,
 *   "sites": [{"file", "line", "size_diff", "count_diff"}]}` — traced memory after a full
 *   `gc.collect()` at the end of each round, and what grew between the first and last snapshot.
 * - Text: `print(stat)` for each entry of `snapshot.compare_to(old, "lineno")`, lines like
 *   `app.py:12: size=576 KiB (+576 KiB), count=1 (+1), average=576 KiB`.
 *
 * tracemalloc traces live memory, not cumulative allocation: sites are what stayed alive
 * (bytes per op when the operations are known). Pure.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../../model/io.js';
import type { AllocationSite, MemoryAttachment } from '../../model/memory.js';
import { displayPath } from '../heap-profile.js';
import { judgeLeak } from '../leak.js';
import { minOf } from '../../model/arrays.js';

const snippetSchema = z.object({
  format: z.literal('perfgate-tracemalloc'),
  version: z.literal(1),
  round_ops: z.array(z.number().positive()).min(3).optional(),
  operations_per_round: z.number().positive().optional(),
  heap_after_rounds: z.array(z.number().nonnegative()).min(3),
  peak: z.number().nonnegative(),
  max_rss: z.number().nonnegative().optional(),
  sites: z.array(
    z.object({
      file: z.string(),
      line: z.number().int().nonnegative(),
      size_diff: z.number(),
      count_diff: z.number().optional(),
    }),
  ),
});

const LEAK_ALPHA = 0.001;

function siteName(file: string, line: number): string {
  return `${basename(file)}:${line}`;
}

export function isTracemallocJson(data: unknown): boolean {
  return (data as { format?: unknown } | null)?.format === 'perfgate-tracemalloc';
}

export function parseTracemallocJson(data: unknown, projectRoot?: string): MemoryAttachment {
  const parsed = snippetSchema.safeParse(data);
  if (!parsed.success)
    throw new Error(`not a valid perfgate tracemalloc dump: ${describeIssues(parsed.error)}`);
  const dump = parsed.data;
  const heap = dump.heap_after_rounds;
  const roundOps =
    dump.round_ops ??
    (dump.operations_per_round ? heap.map(() => dump.operations_per_round!) : null);
  if (!roundOps) throw new Error('needs "round_ops" (or "operations_per_round")');
  if (roundOps.length !== heap.length) {
    throw new Error(
      `"round_ops" has ${roundOps.length} entries, "heap_after_rounds" ${heap.length}`,
    );
  }
  const judgement = judgeLeak(heap, roundOps, LEAK_ALPHA);
  // The sites compare the snapshot before the first round with the one after the last.
  const totalOps = roundOps.reduce((a, b) => a + b, 0);
  const sites: AllocationSite[] = dump.sites
    .filter((s) => s.size_diff > 0)
    .map((s) => ({
      name: siteName(s.file, s.line),
      file: displayPath(s.file, projectRoot),
      line: s.line,
      bytesPerOp: s.size_diff / totalOps,
    }))
    .sort((a, b) => b.bytesPerOp - a.bytesPerOp);
  return {
    allocBytesPerOp: 0,
    retainedBytesPerOp: judgement.bytesPerOp,
    retained: {
      stderr: judgement.stderr,
      pValue: judgement.pValue,
      heapAfterRounds: heap,
      roundOps,
    },
    leak: judgement.leak
      ? {
          bytesPerOp: judgement.bytesPerOp,
          stderr: judgement.stderr,
          heapAfterRounds: heap,
          opsPerRound: minOf(roundOps),
          roundOps,
          pValue: judgement.pValue,
          sites: sites.slice(0, 10),
        }
      : null,
    peakRss: dump.max_rss ?? 0,
    peakHeap: dump.peak,
    topAllocations: sites.slice(0, 10),
    method: 'tracemalloc',
  };
}

const UNITS: Record<string, number> = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30 };
const TEXT_LINE =
  /^(.+):(\d+): size=([\d.]+) (B|KiB|MiB|GiB)(?: \(([+-][\d.]+) (B|KiB|MiB|GiB)\))?, count=(\d+)(?: \(([+-]\d+)\))?/;

export function looksLikeTracemallocText(text: string): boolean {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '');
  return first !== undefined && TEXT_LINE.test(first.trim());
}

/** Text of `print(stat)` lines; sizes are bytes, not per op (the text does not say how many). */
export function parseTracemallocText(text: string, projectRoot?: string): MemoryAttachment {
  const sites: AllocationSite[] = [];
  let total = 0;
  let totalDiff = 0;
  let sawDiff = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const match = TEXT_LINE.exec(line);
    if (!match)
      throw new Error(
        `line ${index + 1}: not a tracemalloc statistic: ${JSON.stringify(line.slice(0, 80))}`,
      );
    const [, file, lineNo, size, unit, diff, diffUnit] = match;
    const bytes = Number(size) * UNITS[unit!]!;
    total += bytes;
    const grown = diff !== undefined ? Number(diff) * UNITS[diffUnit!]! : bytes;
    if (diff !== undefined) sawDiff = true;
    totalDiff += grown;
    if (grown > 0) {
      sites.push({
        name: siteName(file!, Number(lineNo)),
        file: displayPath(file!, projectRoot),
        line: Number(lineNo),
        bytesPerOp: grown,
      });
    }
  });
  if (sites.length === 0 && total === 0) throw new Error('no tracemalloc statistics found');
  sites.sort((a, b) => b.bytesPerOp - a.bytesPerOp);
  return {
    allocBytesPerOp: 0,
    retainedBytesPerOp: sawDiff ? totalDiff : 0,
    leak: null,
    peakRss: 0,
    peakHeap: total,
    topAllocations: sites.slice(0, 10),
    method: sawDiff ? 'tracemalloc (snapshot diff, bytes)' : 'tracemalloc (snapshot, bytes)',
  };
}
