/** The memory kind (allocation, retained growth, leaks) behind the AttachmentKind contract. */
import type { MemoryComparison } from '../model/comparison.js';
import type { AttachmentKind } from '../model/kind.js';
import type { MemoryAttachment } from '../model/memory.js';
import { formatArrow, formatBytes } from '../text/format.js';
import { fileLine } from '../text/paths.js';
import { compareMemory } from './compare.js';
import { memoryPass } from './pass.js';
import { memorySection } from './render.js';

export const memoryKind: AttachmentKind<
  'memory',
  typeof memoryPass.options,
  MemoryAttachment,
  MemoryComparison
> = {
  ...memoryPass,
  comparisonField: 'memory',
  compare: (bases, head, o, { alpha }) => compareMemory(bases, head, { ...o, alpha }),
  gate: {
    check: 'memory',
    noun: 'memory',
    verdict: (m) => ({ regressed: m.regressed, reasons: m.reasons }),
  },
  cause: {
    rank: 2,
    of(m) {
      if (!m.regressed || m.base === null || m.head === null || m.head <= m.base) return undefined;
      const top = [...(m.sites ?? [])].sort((x, y) => y.head - y.base - (x.head - x.base))[0];
      const where =
        top && top.head > top.base ? ` from ${top.name} (${fileLine(top.file, top.line)})` : '';
      return `allocations per call ${formatArrow(m.base, m.head, 'B')}${where}`;
    },
  },
  highlights(id, m) {
    return [
      ...(m.noVerdict ? [`${id}: memory: ${m.noVerdict}`] : []),
      ...(m.leak?.new
        ? [`${id}: new memory leak, ${formatBytes(m.leak.bytesPerOp)} retained per operation`]
        : []),
    ];
  },
  sections: (comparison) => [{ blocks: memorySection(comparison) }],
};
