import { z } from 'zod';

/** CPU profiling pass options (owned by src/profile). */
export const profileOptionsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Time the task runs under the sampling profiler, ms. */
  duration: z.number().positive().default(500),
  /** Sampling interval, µs. */
  interval: z.number().positive().default(100),
  /** Functions listed per regressed benchmark in the comment. */
  top: z.number().int().positive().default(5),
});
export type ProfileOptions = z.infer<typeof profileOptionsSchema>;
