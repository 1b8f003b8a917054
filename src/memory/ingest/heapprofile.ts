/**
 * V8 sampling heap profiles (`node --heap-prof`, Chrome DevTools "Allocation sampling"):
 * `{ head: { callFrame, selfSize, children }, samples }` → allocation sites. `--heap-prof`
 * samples objects still alive when the profile ends; DevTools can include collected ones.
 * Bytes per op when `operations` is given, bytes otherwise. Pure.
 */
import { FieldCheck } from '../../model/fields.js';
import type { MemoryAttachment } from '../../model/memory.js';
import { allocationSites, assertSamplingHeapProfile } from '../heap-profile.js';

export function isHeapProfile(data: unknown): boolean {
  const head = (data as { head?: { callFrame?: unknown } } | null)?.head;
  return typeof head === 'object' && head !== null && typeof head.callFrame === 'object';
}

/**
 * Every node field allocationSites reads, checked by type, walked without recursion (a heap
 * profile's tree is as deep as the deepest stack): the refusal names the node's path.
 */
export function checkHeapProfile(data: unknown, file: string): void {
  const check = new FieldCheck(file, 'V8 .heapprofile');
  const stack: Array<[unknown, string]> = [[check.object(data, '').head, 'head']];
  while (stack.length > 0) {
    const [value, at] = stack.pop()!;
    const node = check.object(value, at);
    const frame = check.object(node.callFrame, `${at}.callFrame`);
    check.optionalString(frame.functionName, `${at}.callFrame.functionName`);
    check.optionalString(frame.url, `${at}.callFrame.url`);
    check.optionalInteger(frame.lineNumber, `${at}.callFrame.lineNumber`);
    check.optionalNumber(node.selfSize, `${at}.selfSize`);
    const children = check.array(node.children ?? [], `${at}.children`);
    for (let i = children.length - 1; i >= 0; i -= 1)
      stack.push([children[i], `${at}.children[${i}]`]);
  }
}

export function parseHeapProfile(
  data: unknown,
  options: { projectRoot?: string; operations?: number; top?: number } = {},
  file?: string,
): MemoryAttachment {
  if (file !== undefined) checkHeapProfile(data, file);
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
