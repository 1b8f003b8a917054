import { z } from 'zod';
import { thresholdSchema } from '../model/threshold.js';

/** Memory pass options (owned by src/memory). */
export const memoryOptionsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Rounds of the retained-growth pass (GC between rounds). */
  rounds: z.number().int().min(3).default(10),
  /** Allocation growth (percent, like `threshold`) past which `fail-on: memory` fails. */
  threshold: thresholdSchema.prefault(10),
  /** Take heap snapshots to name constructors of a leak (slower). */
  snapshots: z.boolean().default(false),
  /** Target duration of one round, ms (sets the operations per round from the timing pass). */
  roundTime: z.number().positive().default(50),
  /** Mean bytes between two samples of V8's sampling heap profiler (smaller: finer, slower). */
  samplingInterval: z.number().int().positive().default(16384),
  /** Significance level of the leak test (one-sided test of the heap-growth slope). */
  leakAlpha: z.number().positive().max(0.5).default(0.001),
  /** Allocation sites kept per benchmark. */
  top: z.number().int().positive().default(10),
});
export type MemoryOptions = z.infer<typeof memoryOptionsSchema>;
