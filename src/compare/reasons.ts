/** One-line, plain-text reasons and highlights (renderers escape them). Pure. */
import type { BenchmarkComparison } from '../model/comparison.js';
import { formatBytes, formatChange, formatInterval, formatValue } from '../text/format.js';

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
  return `${b.id}: ${values} (${change}, ${evidence})`;
}

export function failedReason(b: BenchmarkComparison): string {
  return `${b.id}: failed: ${(b.error ?? 'no samples recorded').split('\n')[0].trim()}`;
}

/** Prefixes an attachment's reason with the benchmark id (attachments do not know it). */
export function attachmentReason(b: BenchmarkComparison, kind: string, reason: string): string {
  return reason.startsWith(`${b.id}:`) ? reason : `${b.id}: ${kind}: ${reason}`;
}

export function highlightsOf(b: BenchmarkComparison): string[] {
  const highlights: string[] = [];
  for (const finding of b.queries?.nPlusOne ?? []) {
    if (!finding.new) continue;
    const where = finding.callSite ? ` at ${finding.callSite.file}:${finding.callSite.line}` : '';
    highlights.push(
      `${b.id}: new N+1 query, ${finding.perIteration}× per iteration${where}: ${finding.fingerprint}`,
    );
  }
  const leak = b.memory?.leak;
  if (leak?.new) {
    highlights.push(
      `${b.id}: new memory leak, ${formatBytes(leak.bytesPerOp)} retained per operation`,
    );
  }
  return highlights;
}

function sampleCounts(b: BenchmarkComparison): string {
  const { samples } = b.time;
  return samples ? `${samples.base}/${samples.head}` : '?';
}
