import { z } from 'zod';

/**
 * Query (I/O) attachment of one benchmark (owned by src/queries).
 * Counts are exact per iteration of the instrumented pass.
 */
export const callSiteSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  column: z.number().int().nonnegative().optional(),
  function: z.string().optional(),
});
export type CallSite = z.infer<typeof callSiteSchema>;

export const queryFingerprintSchema = z.object({
  kind: z.enum(['sql', 'http']),
  /** Normalised statement (`SELECT * FROM users WHERE id = $1`) or `GET /users/:id`. */
  fingerprint: z.string(),
  /** One real statement / URL seen with this fingerprint. */
  sample: z.string(),
  /** Executions per iteration (max over iterations; counts are deterministic). */
  perIteration: z.number().nonnegative(),
  /** Total time per iteration in ms, when the driver reports it. */
  timeMs: z.number().nonnegative().optional(),
  callSite: callSiteSchema.optional(),
  /** Which driver saw it: pg, pglite, mysql2, better-sqlite3, node:sqlite, http, fetch. */
  driver: z.string().optional(),
  /** HTTP: requests per iteration that failed without a response (refused, reset). */
  failed: z.number().nonnegative().optional(),
});
export type QueryFingerprint = z.infer<typeof queryFingerprintSchema>;

export const nPlusOneSchema = z.object({
  fingerprint: z.string(),
  sample: z.string(),
  perIteration: z.number().nonnegative(),
  callSite: callSiteSchema.optional(),
});
export type NPlusOne = z.infer<typeof nPlusOneSchema>;

/** EXPLAIN of one fingerprint (Postgres, PGlite; `queries.explain` option). */
export const explainFindingSchema = z.object({
  fingerprint: z.string(),
  /** Node types of the plan, outermost first: `Nested Loop > Seq Scan on users`. */
  plan: z.string(),
  /** Sequential scans on large tables. */
  seqScans: z.array(
    z.object({
      relation: z.string(),
      rows: z.number().nonnegative(),
      filter: z.string().optional(),
    }),
  ),
  /** Missing-index hints: `CREATE INDEX ON public.user_details (user_id)`. */
  hints: z.array(z.string()),
});
export type ExplainFinding = z.infer<typeof explainFindingSchema>;

/** Syscall profile from strace (`perfgate queries --input strace`), compared like query counts. */
export const syscallSummarySchema = z.object({
  name: z.string(),
  calls: z.number().nonnegative(),
  errors: z.number().nonnegative().optional(),
  /** Seconds spent in the call (strace -c "seconds", or the sum of -T durations). */
  seconds: z.number().nonnegative().optional(),
});
export type SyscallSummary = z.infer<typeof syscallSummarySchema>;

export const queriesAttachmentSchema = z.object({
  /** Iterations of the instrumented pass. */
  iterations: z.number().int().positive(),
  /** SQL statements per iteration. */
  perIteration: z.number().nonnegative(),
  /** HTTP requests per iteration (failed ones included). */
  httpPerIteration: z.number().nonnegative(),
  /** HTTP requests per iteration that failed without a response (refused, reset, DNS). */
  httpFailedPerIteration: z.number().nonnegative().optional(),
  /** Time in queries per iteration, ms, when drivers report it. */
  timeMsPerIteration: z.number().nonnegative().optional(),
  fingerprints: z.array(queryFingerprintSchema),
  nPlusOne: z.array(nPlusOneSchema),
  /** Blocking I/O seen during the pass (sync fs calls, event-loop delay). */
  blocking: z
    .object({
      syncFsPerIteration: z.number().nonnegative(),
      eventLoopMaxMs: z.number().nonnegative().optional(),
      eventLoopP99Ms: z.number().nonnegative().optional(),
    })
    .partial()
    .optional(),
  explain: z.array(explainFindingSchema).optional(),
});
export type QueriesAttachment = z.infer<typeof queriesAttachmentSchema>;
