import { z } from 'zod';

/** How the timing pass measures a task (owned by src/runner). Times in ms. */
export const runOptionsSchema = z.object({
  /** Minimum time spent measuring each task. */
  time: z.number().positive().default(500),
  /** Warm-up time before measuring. */
  warmup: z.number().nonnegative().default(100),
  /** Minimum number of samples (rounds) per task, however long the task. */
  minSamples: z.number().int().positive().default(10),
  /** At most this many samples are kept in the Run (rounds of batched ops). */
  maxSamples: z.number().int().positive().default(200),
  /**
   * Child processes per bench file (the replicate of the statistics, docs/statistics.md); `time`
   * and `warmup` are split across them, the profile/queries/memory passes run in the last one.
   */
  forks: z.number().int().positive().default(5),
  /** Per-bench-file time limit, ms; a file that runs longer is stopped and reported. */
  timeout: z.number().positive().default(600_000),
  /**
   * Extra environment variables kept from bench children, besides the GitHub and Actions
   * secrets that never reach them (src/runner/contain.ts SECRET_ENV); `NAME_*` is a prefix.
   */
  secretEnv: z.array(z.string().min(1)).default([]),
});
export type RunOptions = z.infer<typeof runOptionsSchema>;
