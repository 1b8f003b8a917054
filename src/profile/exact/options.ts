import { z } from 'zod';
import { thresholdSchema } from '../../model/threshold.js';

/** Exact-calls pass options (config key `calls`, owned by src/profile/exact). */
export const callsOptionsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Rounds of the pass: the inclusive times of the rounds are what the noise test compares. */
  rounds: z.number().int().min(1).default(5),
  /** Time the counted operations take in all, ms (operations per round sized from the timing). */
  duration: z.number().positive().default(200),
  /**
   * Allowed increase in calls per op of one function (called in base too) before the `calls`
   * check fails (absolute count, like `queries.tolerance`).
   */
  tolerance: z.number().nonnegative().default(0),
  /** A change of a function's async-inclusive time below this is not reported (percentage). */
  timeThreshold: thresholdSchema.prefault('10%'),
});
export type CallsOptions = z.infer<typeof callsOptionsSchema>;
