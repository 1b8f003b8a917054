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
  /** Operations per round (the smaller size when rounds differ, see `roundOps`). */
  opsPerRound: z.number().positive(),
  /** Operations in each round, when rounds differ in size (perfgate alternates N and 2N). */
  roundOps: z.array(z.number().positive()).optional(),
  /** One-sided p-value of the growth-per-op test, when measured by perfgate. */
  pValue: z.number().min(0).max(1).optional(),
  /** Allocation sites whose live bytes grew. */
  sites: z.array(allocationSiteSchema),
  /** Constructors whose retained counts grew (heap snapshot diff), when taken. */
  constructors: z
    .array(z.object({ name: z.string(), countDelta: z.number(), sizeDelta: z.number() }))
    .optional(),
});
export type Leak = z.infer<typeof leakSchema>;

export const memoryAttachmentSchema = z.object({
  /** Allocated bytes per operation (perfgate: median over rounds; foreign formats: mean). */
  allocBytesPerOp: z.number().nonnegative(),
  /** Allocated bytes per op measured per round (for statistics, like time samples). */
  allocSamples: z.array(z.number()).optional(),
  /** Retained growth per op (fit slope), bytes; ~0 without a leak. */
  retainedBytesPerOp: z.number(),
  leak: leakSchema.nullable(),
  /** The retained-growth fit behind `retainedBytesPerOp`, with or without a leak finding. */
  retained: z
    .object({
      stderr: z.number().nonnegative(),
      pValue: z.number().min(0).max(1),
      heapAfterRounds: z.array(z.number()),
      roundOps: z.array(z.number().positive()),
    })
    .optional(),
  peakRss: z.number().nonnegative(),
  peakHeap: z.number().nonnegative(),
  topAllocations: z.array(allocationSiteSchema),
  /** How allocations were measured (e.g. 'sampling-heap-profiler', 'mprof', 'tracemalloc'). */
  method: z.string().optional(),
});
export type MemoryAttachment = z.infer<typeof memoryAttachmentSchema>;
