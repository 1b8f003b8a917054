import { z } from 'zod';
import { thresholdSchema } from '../config/threshold.js';

/** Memory pass options (owned by src/memory). */
export const memoryOptionsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Rounds of the retained-growth pass (GC between rounds). */
  rounds: z.number().int().min(3).default(10),
  /** Allocation growth (percent, like `threshold`) past which `fail-on: memory` fails. */
  threshold: thresholdSchema.prefault(10),
  /** Take heap snapshots to name constructors of a leak (slower). */
  snapshots: z.boolean().default(false),
});
export type MemoryOptions = z.infer<typeof memoryOptionsSchema>;
