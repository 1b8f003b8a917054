// Contract stub, to be implemented in src/memory (issue 6).
import type { MemoryComparison } from '../model/comparison.js';
import type { MemoryAttachment } from '../model/memory.js';
import type { MemoryOptions } from './options.js';

/** Allocation per op compared with statistics, leaks flagged. Pure. */
export function compareMemory(
  _bases: MemoryAttachment[],
  _head: MemoryAttachment | undefined,
  _options: MemoryOptions & { alpha: number },
): MemoryComparison | undefined {
  return undefined;
}
