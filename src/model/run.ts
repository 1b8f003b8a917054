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

/**
 * The attachment fields of kinds beyond the built-in three (profile, queries, memory, the
 * public JSON contract below). A kind's own folder adds its field to the Benchmark type:
 *
 *   declare module '../model/run.js' { interface KindAttachments { handles: Handles } }
 *
 * and its zod schema through the kind's `attachment` (src/kinds registers it here), so a stored
 * Run keeps and validates the field. Every added field is optional on a benchmark.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface KindAttachments {}

const benchmarkFields = z.object({
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
});

function withForksCheck<S extends z.ZodObject>(fields: S) {
  return fields.refine(
    (b) => {
      const { forks, samples } = b as { forks?: number[]; samples: number[] };
      return forks === undefined || forks.reduce((sum, n) => sum + n, 0) === samples.length;
    },
    { message: 'the fork sizes must add up to the number of samples', path: ['forks'] },
  );
}

/** A benchmark with the built-in attachments only (see benchmarkSchemaOf for the others). */
export const benchmarkSchema = withForksCheck(benchmarkFields);
export type Benchmark = z.infer<typeof benchmarkFields> & Partial<KindAttachments>;

const runFields = {
  schemaVersion: z.union([z.literal(1), z.literal(SCHEMA_VERSION)]),
  tool: z.literal('perfgate'),
  meta: metaSchema,
};
export const runSchema = z.object({ ...runFields, benchmarks: z.array(benchmarkSchema) });
export interface Run extends Omit<z.infer<typeof runSchema>, 'benchmarks'> {
  benchmarks: Benchmark[];
}

/** The attachment schemas of registered kinds beyond the built-in ones, by field. */
const attachmentSchemas = new Map<string, z.ZodType>();
let composed: { benchmark: z.ZodType; run: z.ZodType } | undefined;

/**
 * Adds a kind's attachment field to the stored Run's schema (src/kinds calls it when a kind with
 * an `attachment` schema is registered); returns a function that removes it.
 */
export function registerAttachmentSchema(field: string, schema: z.ZodType): () => void {
  if (field in benchmarkFields.shape || attachmentSchemas.has(field))
    throw new Error(`benchmark field "${field}" is already defined`);
  attachmentSchemas.set(field, schema);
  composed = undefined;
  return () => {
    attachmentSchemas.delete(field);
    composed = undefined;
  };
}

/** The schema of one attachment field (built-in or registered); undefined when none. */
export function attachmentSchemaOf(field: string): z.ZodType | undefined {
  const shape = benchmarkFields.shape as Record<string, z.ZodType>;
  return attachmentSchemas.get(field) ?? (field in shape ? shape[field] : undefined);
}

/** The attachment fields: the built-in ones, then the registered kinds'. */
export function attachmentFields(): string[] {
  return ['profile', 'queries', 'memory', ...attachmentSchemas.keys()];
}

function composeSchemas(): { benchmark: z.ZodType; run: z.ZodType } {
  if (!composed) {
    const extra = Object.fromEntries(
      [...attachmentSchemas].map(([field, schema]) => [field, schema.optional()]),
    );
    const benchmark = withForksCheck(benchmarkFields.extend(extra));
    composed = { benchmark, run: z.object({ ...runFields, benchmarks: z.array(benchmark) }) };
  }
  return composed;
}

/** A benchmark's schema with every registered kind's attachment field. */
export function benchmarkSchemaOf(): z.ZodType<Benchmark> {
  return composeSchemas().benchmark as z.ZodType<Benchmark>;
}

/** A Run's schema with every registered kind's attachment field (what parseRun validates). */
export function runSchemaOf(): z.ZodType<Run> {
  return composeSchemas().run as z.ZodType<Run>;
}
