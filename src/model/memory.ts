import { z } from 'zod';

/** Memory attachment of one benchmark (owned by src/memory). Bytes throughout. */
export const allocationSiteSchema = z.object({
  name: z.string(),
  file: z.string(),
  line: z.number().int().nonnegative(),
  bytesPerOp: z.number().nonnegative(),
});
export type AllocationSite = z.infer<typeof allocationSiteSchema>;

export const leakSchema = z.object({
  /** Retained growth per operation (slope of the fit), bytes. */
  bytesPerOp: z.number(),
  /** Standard error of the slope, bytes. */
  stderr: z.number().nonnegative(),
  /** Used heap after GC at the end of each round, bytes (the evidence). */
  heapAfterRounds: z.array(z.number()),
  /** Operations per round. */
  opsPerRound: z.number().positive(),
  /** Allocation sites whose live bytes grew. */
  sites: z.array(allocationSiteSchema),
  /** Constructors whose retained counts grew (heap snapshot diff), when taken. */
  constructors: z
    .array(z.object({ name: z.string(), countDelta: z.number(), sizeDelta: z.number() }))
    .optional(),
});
export type Leak = z.infer<typeof leakSchema>;

export const memoryAttachmentSchema = z.object({
  /** Mean allocated bytes per operation. */
  allocBytesPerOp: z.number().nonnegative(),
  /** Allocated bytes per op measured per round (for statistics, like time samples). */
  allocSamples: z.array(z.number()).optional(),
  /** Retained growth per op (fit slope), bytes; ~0 without a leak. */
  retainedBytesPerOp: z.number(),
  leak: leakSchema.nullable(),
  peakRss: z.number().nonnegative(),
  peakHeap: z.number().nonnegative(),
  topAllocations: z.array(allocationSiteSchema),
  /** How allocations were measured (e.g. 'sampling-heap-profiler', 'mprof', 'tracemalloc'). */
  method: z.string().optional(),
});
export type MemoryAttachment = z.infer<typeof memoryAttachmentSchema>;
