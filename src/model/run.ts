import { z } from 'zod';
import { callsAttachmentSchema } from './calls.js';
import { profileAttachmentSchema } from './profile.js';
import { queriesAttachmentSchema } from './queries.js';
import { memoryAttachmentSchema } from './memory.js';

/**
 * Bump when a change would make an older reader misread a Run. Version 2 added `forks` (samples
 * per fork); version-1 Runs still read, each benchmark as one fork.
 */
export const SCHEMA_VERSION = 2;
/** Versions this perfgate reads. */
export const READABLE_SCHEMA_VERSIONS = [1, 2] as const;

export const statsSchema = z.object({
  n: z.number().int().nonnegative(),
  mean: z.number(),
  median: z.number(),
  min: z.number(),
  max: z.number(),
  sd: z.number().nonnegative(),
  p99: z.number(),
  /** Relative margin of error of the mean at 95 %, in percent. */
  rme: z.number().nonnegative(),
});
export type Stats = z.infer<typeof statsSchema>;

export const envSchema = z.object({
  os: z.string(),
  cpu: z.string(),
  cores: z.number().int().nonnegative(),
  node: z.string(),
  /** 'github-actions', 'local', or the runner name. */
  runner: z.string(),
});
export type Env = z.infer<typeof envSchema>;

export const metaSchema = z.object({
  commit: z.string().optional(),
  ref: z.string().optional(),
  timestamp: z.string(),
  env: envSchema,
  /** `k/n` when the Run is one shard of a split suite. */
  shard: z.string().optional(),
  /** Set when the Run was ingested from another tool's result files (src/ingest). */
  source: z
    .object({
      /** Each result file with its format name (`pytest`, `go`, …, see docs/ingest.md). */
      files: z.array(z.object({ file: z.string(), format: z.string() })),
    })
    .optional(),
});
export type Meta = z.infer<typeof metaSchema>;

export const directionSchema = z.enum(['smaller', 'bigger']);
export type Direction = z.infer<typeof directionSchema>;

export const benchmarkSchema = z
  .object({
    /** Stable id: `file > group > name` (group omitted when absent). */
    id: z.string().min(1),
    name: z.string(),
    file: z.string(),
    group: z.string().optional(),
    /** Unit of samples and stats: 'ns' for perfgate's own runs; foreign formats keep theirs. */
    unit: z.string(),
    direction: directionSchema,
    /** Per-operation values, in measurement (round) order, capped; forks one after the other. */
    samples: z.array(
      z.number().nonnegative({ message: 'expected a finite number >= 0 (a time or a count)' }),
    ),
    /**
     * Samples per fork (child process), in order: fork 1 is `samples[0..forks[0])`, and so on.
     * The statistics treat the fork as the replicate (docs/statistics.md). Absent: one fork.
     */
    forks: z.array(z.number().int().nonnegative()).optional(),
    stats: statsSchema,
    /** Operations per sample (batching of fast tasks). */
    opsPerSample: z.number().positive().optional(),
    /**
     * Where the numbers come from. Absent or 'raw': `samples` are measurements. 'summary': the
     * tool wrote only summary statistics (a foreign format, src/ingest): `samples` is empty and
     * `stats` holds what the tool wrote; `stats.n` is 0 when the tool did not say how many
     * measurements there were, `stats.sd` is 0 when it gave no standard deviation, and median,
     * min, max and p99 equal the mean when it gave none. compare() then judges the mean, with
     * Welch's t-test when both sides have n ≥ 2 and sd > 0, else on the threshold alone.
     */
    samplesKind: z.enum(['raw', 'summary']).optional(),
    /** Set when the task threw: the message; samples may then be empty. */
    error: z.string().optional(),
    profile: profileAttachmentSchema.optional(),
    calls: callsAttachmentSchema.optional(),
    queries: queriesAttachmentSchema.optional(),
    memory: memoryAttachmentSchema.optional(),
  })
  .refine(
    (b) => b.forks === undefined || b.forks.reduce((sum, n) => sum + n, 0) === b.samples.length,
    {
      message: 'the fork sizes must add up to the number of samples',
      path: ['forks'],
    },
  );
export type Benchmark = z.infer<typeof benchmarkSchema>;

export const runSchema = z.object({
  schemaVersion: z.union([z.literal(1), z.literal(SCHEMA_VERSION)]),
  tool: z.literal('perfgate'),
  meta: metaSchema,
  benchmarks: z.array(benchmarkSchema),
});
export type Run = z.infer<typeof runSchema>;
