/**
 * The child half of the memory kind: its options and its pass in the bench child. Imports no
 * compare or render code (dist/child.js bundles this, not ./kind.ts).
 */
import type { KindPass } from '../model/kind.js';
import type { MemoryAttachment } from '../model/memory.js';
import { captureMemory } from './capture.js';
import { memoryOptionsSchema } from './options.js';

const options = memoryOptionsSchema.prefault({});

export const memoryPass: KindPass<'memory', typeof options, MemoryAttachment> = {
  name: 'memory',
  options,
  enabled: (o) => o.enabled,
  capture: (task, context, o) => captureMemory(task, context, o),
};
