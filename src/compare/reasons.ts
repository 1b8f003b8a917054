/** One-line, plain-text reasons and highlights (renderers escape them). Pure. */
import type { BenchmarkComparison } from '../model/comparison.js';
import { kinds, resultOf } from '../kinds/index.js';
import { formatChange, formatInterval, formatValue } from '../text/format.js';

/** `users > getUsers: 2.10 ms → 5.80 ms (+176%, CI +160%…+190%)`. */
export function timeReason(b: BenchmarkComparison): string {
  const { time } = b;
  const values =
    time.base !== null && time.head !== null
      ? `${formatValue(time.base, time.unit)} → ${formatValue(time.head, time.unit)}`
      : '';
  const change = time.change === null ? 'from zero' : formatChange(time.change);
  const evidence =
    time.pValue === null
      ? `too few samples for a significance test (n=${sampleCounts(b)}), threshold ${formatChange(time.threshold)}`
      : `CI ${formatInterval(time.ci)}`;
  const confirmation = time.confirmation?.confirmed
    ? `, confirmed by ${time.confirmation.forks} more runs`
    : '';
  return `${b.id}: ${values} (${change}, ${evidence}${confirmation})`;
}

export function failedReason(b: BenchmarkComparison): string {
  return `${b.id}: failed: ${(b.error ?? 'no samples recorded').split('\n')[0].trim()}`;
}

/** Prefixes an attachment's reason with the benchmark id (attachments do not know it). */
export function attachmentReason(b: BenchmarkComparison, kind: string, reason: string): string {
  return reason.startsWith(`${b.id}:`) ? reason : `${b.id}: ${kind}: ${reason}`;
}

/** The kinds' headline items of this benchmark (a new N+1, a new leak), in registry order. */
export function highlightsOf(b: BenchmarkComparison): string[] {
  return kinds().flatMap((kind) => {
    const result = resultOf(b, kind);
    return result === undefined || !kind.highlights ? [] : kind.highlights(b.id, result);
  });
}

function sampleCounts(b: BenchmarkComparison): string {
  const { samples } = b.time;
  return samples ? `${samples.base}/${samples.head}` : '?';
}
