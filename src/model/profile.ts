import { z } from 'zod';

/**
 * CPU profile attachment of one benchmark (owned by src/profile).
 * Times are nanoseconds per operation; shares are fractions of all samples (0..1).
 */
export const profileFunctionSchema = z.object({
  /** Function name; `(anonymous)` when V8 has none. */
  name: z.string(),
  /** Repo-relative, normalised path (no checkout prefix, no node_modules version folder). */
  file: z.string(),
  /** 1-based line of the function's definition; 0 when unknown. */
  line: z.number().int().nonnegative(),
  /** Samples in which the function was on top of the stack. */
  selfSamples: z.number().nonnegative(),
  /** Samples in which the function was anywhere on the stack. */
  totalSamples: z.number().nonnegative(),
  /** Self time per operation, ns. */
  self: z.number().nonnegative(),
  /** Total (inclusive) time per operation, ns. */
  total: z.number().nonnegative(),
  /**
   * Samples charged to the function as the project's code sees them: self plus the dependency
   * frames it called (node_modules, runtime, standard library, native) down to the next project
   * frame. Absent in Runs written before it existed (self is used then).
   */
  ownSamples: z.number().nonnegative().optional(),
  /** Time per operation of `ownSamples`, ns. */
  own: z.number().nonnegative().optional(),
  /** True when the function is the project's own code (not a dependency or the runtime). */
  project: z.boolean().optional(),
  /** Calls per operation, when the profiler counts calls (cProfile); absent for samplers. */
  calls: z.number().nonnegative().optional(),
  /**
   * Own samples by source line, `[line, samples]`, most first (bounded): where the function ran
   * or called its dependencies from. V8: self ticks only (`positionTicks`); pprof, perf: every
   * frame's line. Absent when the profile has no line information.
   */
  lines: z.array(z.tuple([z.number().int().positive(), z.number().nonnegative()])).optional(),
  /**
   * Own samples in each block of the recording (8 consecutive, equal runs of samples in time
   * order): how steady the function's share was within the recording, which the noise rule of
   * function changes uses for its variance. Absent when the profile has no sample order.
   */
  blocks: z.array(z.number().nonnegative()).optional(),
});
export type ProfileFunction = z.infer<typeof profileFunctionSchema>;

/**
 * Bounded call stacks of the profile, for differential flame graphs from Runs alone (the baseline
 * artifact carries Runs, not raw profiles). Small stacks are folded into their parent frame.
 */
export const profileStacksSchema = z.object({
  /** Frame table the stacks refer to. */
  frames: z.array(
    z.object({ name: z.string(), file: z.string(), line: z.number().int().nonnegative() }),
  ),
  /** `[frame indices root first, self samples, self time ns]`. */
  stacks: z.array(
    z.tuple([
      z.array(z.number().int().nonnegative()),
      z.number().nonnegative(),
      z.number().nonnegative(),
    ]),
  ),
});
export type ProfileStacks = z.infer<typeof profileStacksSchema>;

export const profileAttachmentSchema = z.object({
  /** Where the profile came from: 'v8' for perfgate's own pass, else the ingested format. */
  source: z.string(),
  /** Sampling interval, microseconds. */
  intervalUs: z.number().positive(),
  /** Total number of samples taken. */
  samples: z.number().int().nonnegative(),
  /** Operations executed while profiling (to turn shares into time per op). */
  ops: z.number().nonnegative(),
  /** Wall time of the profiling pass, ms. */
  durationMs: z.number().nonnegative(),
  /**
   * Median time of one op from the timing pass, ns. When present, times per op are
   * share × opNs (the profiler's own overhead and load swings of the profiling pass cancel out).
   */
  opNs: z.number().positive().optional(),
  /** Top functions (bounded list), by self time. */
  functions: z.array(profileFunctionSchema),
  /** Path of the raw profile (.cpuprofile), relative to the Run file's folder. */
  rawFile: z.string().optional(),
  /**
   * Every function of the project's own code is in `functions`, however little time it took
   * (set by importers that count calls): a project function missing from the list was not called.
   */
  projectComplete: z.boolean().optional(),
  /** Call stacks (bounded), for flame graphs. */
  stacks: profileStacksSchema.optional(),
  /** All samples in each block of the recording (see ProfileFunction.blocks). */
  blocks: z.array(z.number().nonnegative()).optional(),
});
export type ProfileAttachment = z.infer<typeof profileAttachmentSchema>;
