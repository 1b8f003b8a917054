/**
 * The stored mode's run shift in one line, for the comment and the terminal: how much the head
 * run moved as a whole against the stored runs (the median of its benchmarks), whether that is
 * more than the stored runs differ from each other, and what it means for the verdict. Plain
 * text: the renderers escape and colour it.
 */
import type { Comparison } from '../model/comparison.js';
import { formatBand, formatChangeWord } from '../text/format.js';

export interface ShiftLine {
  /** The shift is significant: it counts for the benchmarks that moved with it. */
  significant: boolean;
  /** Slower (true) or faster as a whole. */
  slower: boolean;
  text: string;
}

/**
 * "Runner shift: the run as a whole 3.1% faster (±2.0%) than the 5 stored runs (median of its
 * 12 benchmarks) — not significant; each benchmark is judged on its change beyond it."
 */
export function shiftLine(comparison: Comparison): ShiftLine | null {
  const shift = comparison.runShift;
  if (!shift || comparison.mode === 'against') return null;
  const slower = shift.change > 0;
  // The change is time (positive: slower) whatever the units of the benchmarks.
  const moved = shift.change === 0 ? 'unchanged' : formatChangeWord(shift.change, 'smaller', 'ns');
  const half = (shift.ci[1] - shift.ci[0]) / 2;
  const runs = `${shift.runs} stored run${shift.runs === 1 ? '' : 's'}`;
  const what =
    `Runner shift: the run as a whole ${moved} (${formatBand(half)}) than the ${runs} ` +
    `(median of its ${shift.benchmarks} benchmarks)`;
  const meaning = shift.significant
    ? `more than the stored runs differ from each other, so it is taken as the code's: ` +
      `benchmarks that moved with it beyond their threshold ${slower ? 'fail' : 'count as improvements'}.`
    : 'not significant; each benchmark is judged on its change beyond it.';
  return { significant: shift.significant, slower, text: `${what} — ${meaning}` };
}
