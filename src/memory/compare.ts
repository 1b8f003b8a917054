/**
 * Allocation per op compared like time (Mann-Whitney on the per-round samples, interval of the
 * ratio of medians, threshold), retained growth and peak RSS reported, leaks flagged. Pure.
 */
import { mannWhitneyU, minimumPValue } from '../stats/mann-whitney.js';
import { ratioInterval, sortedCopy, sortedMedian } from '../stats/median.js';
import type { MemoryComparison } from '../model/comparison.js';
import type { AllocationSite, MemoryAttachment } from '../model/memory.js';
import { formatBytes, formatPercent } from '../text/format.js';
import { identities } from '../model/identity.js';
import type { MemoryOptions } from './options.js';

type CompareMemoryOptions = Pick<MemoryOptions, 'threshold'> &
  Partial<Pick<MemoryOptions, 'top'>> & { alpha: number };

function samplesOf(memory: MemoryAttachment): number[] {
  return memory.allocSamples && memory.allocSamples.length > 0
    ? memory.allocSamples
    : [memory.allocBytesPerOp];
}

/**
 * Allocation sites of base and head, those that changed most first (bytes per op). Sites are
 * matched like functions (src/model/identity.ts): by name and file, the line being an attribute,
 * so a function that moved (`recomposeAuthority` 744 → 738) is one site, at its head line.
 */
export function changedSites(
  base: AllocationSite[],
  head: AllocationSite[],
  limit: number,
): NonNullable<MemoryComparison['sites']> {
  const merged = new Map<
    string,
    { name: string; file: string; line: number; base: number; head: number }
  >();
  const baseKeys = identities(base);
  base.forEach((site, i) => {
    const entry = merged.get(baseKeys[i]!);
    if (entry) entry.base += site.bytesPerOp;
    else
      merged.set(baseKeys[i]!, {
        name: site.name,
        file: site.file,
        line: site.line,
        base: site.bytesPerOp,
        head: 0,
      });
  });
  const headKeys = identities(head);
  head.forEach((site, i) => {
    const entry = merged.get(headKeys[i]!);
    if (entry) {
      entry.head += site.bytesPerOp;
      entry.line = site.line; // the line a reviewer sees in the pull request
    } else
      merged.set(headKeys[i]!, {
        name: site.name,
        file: site.file,
        line: site.line,
        base: 0,
        head: site.bytesPerOp,
      });
  });
  return [...merged.values()]
    .filter((site) => site.base !== site.head)
    .sort((a, b) => Math.abs(b.head - b.base) - Math.abs(a.head - a.base))
    .slice(0, limit);
}

/** Allocation per op compared with statistics, leaks flagged. Pure. */
export function compareMemory(
  bases: MemoryAttachment[],
  head: MemoryAttachment | undefined,
  options: CompareMemoryOptions,
): MemoryComparison | undefined {
  if (!head) return undefined;
  const base = bases[0];
  const reasons: string[] = [];
  const top = options.top ?? 10;

  let change: number | null = null;
  let pValue: number | null = null;
  let ci: [number, number] | null = null;
  let allocationRegressed = false;
  let noVerdict: string | undefined;
  if (base) {
    const baseValue = base.allocBytesPerOp;
    const headValue = head.allocBytesPerOp;
    change = baseValue > 0 ? headValue / baseValue - 1 : headValue === 0 ? 0 : null;
    const baseSamples = sortedCopy(samplesOf(base));
    const headSamples = sortedCopy(samplesOf(head));
    if (baseSamples.length >= 2 && headSamples.length >= 2) {
      pValue = mannWhitneyU(baseSamples, headSamples).pValue;
      if (sortedMedian(baseSamples) > 0 && sortedMedian(headSamples) > 0) {
        ci = ratioInterval(baseSamples, headSamples);
      }
    }
    // Growth past the threshold that the samples also call significant; with one value per
    // side (foreign formats) no significance is claimed and the threshold alone decides.
    // Too few rounds for the test to ever reach alpha (3 vs 3 rounds: p ≥ 0.1): no verdict,
    // said as such, rather than a failure the data cannot support.
    const smallestP = minimumPValue(baseSamples.length, headSamples.length);
    const testable = pValue !== null && smallestP < options.alpha;
    const grew = change === null ? headValue > 0 : change > options.threshold;
    const allocation =
      `allocation ${formatBytes(baseValue)} → ${formatBytes(headValue)} per op` +
      ` (${change === null ? 'new' : formatPercent(change)}`;
    allocationRegressed = grew && (pValue === null || (testable && pValue < options.alpha));
    if (allocationRegressed) {
      const pText =
        pValue === null ? 'no significance test: one value per side' : `p = ${formatP(pValue)}`;
      reasons.push(
        `${allocation}, threshold ${formatPercent(options.threshold).slice(1)}, ${pText})`,
      );
    } else if (grew && pValue !== null && !testable) {
      noVerdict =
        `no verdict on ${allocation}): too few rounds for a significance test ` +
        `(${baseSamples.length} vs ${headSamples.length}, p ≥ ${formatP(smallestP)} > alpha ${options.alpha}); raise memory.rounds`;
    }
  }

  // A leak is new when no run of the baseline history had one.
  const leakIsNew = head.leak !== null && !bases.some((b) => b.leak !== null);
  if (head.leak && leakIsNew && bases.length > 0) {
    const grown = head.leak.heapAfterRounds;
    const growth = grown.length > 1 ? grown[grown.length - 1]! - grown[0]! : 0;
    const where = head.leak.sites[0]
      ? ` at ${head.leak.sites[0].name} (${head.leak.sites[0].file}:${head.leak.sites[0].line})`
      : '';
    reasons.push(
      `new memory leak: ${formatBytes(head.leak.bytesPerOp)} retained per op` +
        ` (±${formatBytes(head.leak.stderr)}; heap after GC +${formatBytes(growth)} over ${grown.length} rounds)${where}`,
    );
  }

  return {
    base: base ? base.allocBytesPerOp : null,
    head: head.allocBytesPerOp,
    change,
    ci,
    pValue,
    retainedBase: base ? base.retainedBytesPerOp : null,
    retainedHead: head.retainedBytesPerOp,
    peakRssBase: base ? base.peakRss : null,
    peakRssHead: head.peakRss,
    leak: head.leak ? { ...head.leak, new: leakIsNew } : null,
    sites: base ? changedSites(base.topAllocations, head.topAllocations, top) : [],
    topAllocations: head.topAllocations.slice(0, top),
    regressed: reasons.length > 0,
    reasons,
    ...(noVerdict !== undefined ? { noVerdict } : {}),
  };
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
