/**
 * V8 sampling heap profiles (`node --heap-prof`, Chrome DevTools "Allocation sampling"):
 * `{ head: { callFrame, selfSize, children }, samples }` → allocation sites. `--heap-prof`
 * samples objects still alive when the profile ends; DevTools can include collected ones.
 * Bytes per op when `operations` is given, bytes otherwise. Pure.
 */
import type { MemoryAttachment } from '../../model/memory.js';
import { allocationSites, assertSamplingHeapProfile } from '../heap-profile.js';

export function isHeapProfile(data: unknown): boolean {
  const head = (data as { head?: { callFrame?: unknown } } | null)?.head;
  return typeof head === 'object' && head !== null && typeof head.callFrame === 'object';
}

export function parseHeapProfile(
  data: unknown,
  options: { projectRoot?: string; operations?: number; top?: number } = {},
): MemoryAttachment {
  assertSamplingHeapProfile(data);
  const operations = options.operations ?? 1;
  const { sites, totalBytes } = allocationSites(data, {
    ...(options.projectRoot ? { projectRoot: options.projectRoot } : {}),
    operations,
  });
  return {
    allocBytesPerOp: totalBytes / operations,
    retainedBytesPerOp: 0,
    leak: null,
    peakRss: 0,
    peakHeap: 0,
    topAllocations: sites.slice(0, options.top ?? 10),
    method: 'v8-heapprofile',
  };
}
