/** The memory kind (allocation, retained growth, leaks) behind the AttachmentKind contract. */
import type { MemoryComparison } from '../model/comparison.js';
import type { AttachmentKind } from '../model/kind.js';
import type { MemoryAttachment } from '../model/memory.js';
import { formatBytes } from '../text/format.js';
import { captureMemory } from './capture.js';
import { compareMemory } from './compare.js';
import { memoryOptionsSchema } from './options.js';
import { memoryMarkdown, memoryText } from './render.js';

const options = memoryOptionsSchema.prefault({});

export const memoryKind: AttachmentKind<
  'memory',
  typeof options,
  MemoryAttachment,
  MemoryComparison
> = {
  name: 'memory',
  comparisonField: 'memory',
  options,
  enabled: (o) => o.enabled,
  capture: (task, context, o) => captureMemory(task, context, o),
  compare: (bases, head, o, { alpha }) => compareMemory(bases, head, { ...o, alpha }),
  gate: {
    check: 'memory',
    noun: 'memory',
    verdict: (m) => ({ regressed: m.regressed, reasons: m.reasons }),
  },
  highlights(id, m) {
    return m.leak?.new
      ? [`${id}: new memory leak, ${formatBytes(m.leak.bytesPerOp)} retained per operation`]
      : [];
  },
  sections: (comparison) => [
    { markdown: memoryMarkdown(comparison), text: memoryText(comparison) },
  ],
};
