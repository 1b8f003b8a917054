import { z } from 'zod';

/** Query / I/O capture options (owned by src/queries). */
export const queriesOptionsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Iterations of the instrumented pass. */
  iterations: z.number().int().positive().default(3),
  /** A fingerprint run at least this many times in one iteration is an N+1 candidate. */
  nPlusOne: z.number().int().min(2).default(5),
  /** Allowed increase in queries per iteration before the gate fails (absolute count). */
  tolerance: z.number().nonnegative().default(0),
  /** Run EXPLAIN on the slowest and N+1 fingerprints (Postgres, PGlite). */
  explain: z.boolean().default(false),
});
export type QueriesOptions = z.infer<typeof queriesOptionsSchema>;
