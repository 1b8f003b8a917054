/**
 * What the confirmation step did, one line per outcome, for the comment and the terminal: the
 * benchmarks "confirmed by N more runs" (the gate fails on them) and those "not confirmed"
 * (measured again, not slower: they do not fail it), with the time it took. Plain text: the
 * renderers escape and colour it.
 */
import type { BenchmarkComparison, Comparison } from '../model/comparison.js';
import { clip, formatChange } from '../text/format.js';

export interface ConfirmationLine {
  confirmed: boolean;
  text: string;
}

export function confirmationLines(comparison: Comparison): ConfirmationLine[] {
  const confirmedOf = (b: BenchmarkComparison) => b.time.confirmation;
  const checked = comparison.benchmarks.filter((b) => confirmedOf(b) !== undefined);
  if (checked.length === 0) return [];
  const lines: ConfirmationLine[] = [];
  for (const confirmed of [true, false]) {
    const group = checked.filter((b) => confirmedOf(b)!.confirmed === confirmed);
    if (group.length === 0) continue;
    const { forks, seconds } = confirmedOf(group[0])!;
    const runs = `${forks} more run${forks === 1 ? '' : 's'} (${formatSeconds(seconds)})`;
    const names = group
      .slice(0, 10)
      .map((b) => `${clip(b.id, 120)} ${formatChange(confirmedOf(b)!.change)}`)
      .join(', ');
    const more = group.length > 10 ? `, … and ${group.length - 10} more` : '';
    lines.push({
      confirmed,
      text: confirmed
        ? `Confirmed by ${runs}: ${names}${more}.`
        : `Not confirmed by ${runs}: ${names}${more}: measured again, not a regression, so the gate does not fail on ${group.length === 1 ? 'it' : 'them'}.`,
    });
  }
  return lines;
}

function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(1)} s` : `${Math.round(seconds)} s`;
}
