import { z } from 'zod';

/**
 * Exact calls of the project's own functions (owned by src/profile/exact): counted and timed by
 * wrapping the functions of project modules in the instrumented pass (never the timing pass).
 */
export const exactFunctionSchema = z.object({
  /** `getUsers`, `UserRepo.find`, `get Repo.size`, `default`, `(anonymous in getUsers)`. */
  name: z.string(),
  /** Repo-relative path of the module. */
  file: z.string(),
  /** 1-based line of the function (of its name when it has one). */
  line: z.number().int().nonnegative(),
  /** Calls per operation (exact for deterministic code). */
  callsPerOp: z.number().nonnegative(),
  /**
   * Time per operation during which a call of the function was in flight, from the call to its
   * return or to the settling of the promise it returned (async-inclusive), ms. Recursive and
   * overlapping calls are not added twice. 0 for generators (counted, not timed).
   */
  inclusiveMsPerOp: z.number().nonnegative(),
  /** `inclusiveMsPerOp` of each round of the pass, for the noise test. */
  roundsMs: z.array(z.number().nonnegative()).optional(),
  /**
   * Who called it, from the callers round (`callerOps` operations, untimed): caller id → calls
   * per op. The id is the caller's index in `functions`; `-1`: no project function was running
   * (the task's own code called it); `other`: project functions not in `functions` (its bound).
   * A call after an `await` is charged to the function that awaited. Absent in older Runs.
   */
  callers: z.record(z.string(), z.number().nonnegative()).optional(),
});
export type ExactFunction = z.infer<typeof exactFunctionSchema>;

export const callsAttachmentSchema = z.object({
  /** Operations counted (all rounds). */
  ops: z.number().int().nonnegative(),
  rounds: z.number().int().nonnegative(),
  /** Wall time of the pass, ms. */
  durationMs: z.number().nonnegative(),
  /** Operations of the callers round (what `functions[].callers` are per op of); absent: none. */
  callerOps: z.number().int().nonnegative().optional(),
  /** Functions of the project's modules that were instrumented (called or not). */
  instrumented: z.number().int().nonnegative(),
  /** Every instrumented function called at least once, most calls first (bounded). */
  functions: z.array(exactFunctionSchema),
  /**
   * Worker threads that ran while the operations were counted (absent: none). Calls made in a
   * worker thread are not counted: the project's modules run there uninstrumented.
   */
  workerThreads: z.number().int().positive().optional(),
});
export type CallsAttachment = z.infer<typeof callsAttachmentSchema>;
