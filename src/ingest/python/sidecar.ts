/**
 * The sidecar file the pytest plugin (python/perfgate_pytest) writes next to a pytest-benchmark
 * JSON file: `<results>.perfgate`, with raw cProfile files in `<results>.perfgate-profiles/`.
 * docs/python.md describes every field.
 */
import { z } from 'zod';
import { parseJson, validate } from '../../model/io.js';

export const SIDECAR_FORMAT = 'perfgate-pytest';
/** `bench.json` → `bench.json.perfgate`. */
export const SIDECAR_SUFFIX = '.perfgate';

const callSiteSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  function: z.string().optional(),
});

const statementSchema = z.object({
  kind: z.enum(['sql', 'http']),
  /** sqlalchemy/<dbapi>, sqlite3, psycopg2, psycopg, http.client, urllib, urllib3, requests, httpx. */
  driver: z.string(),
  /** The raw statement (`SELECT … WHERE user_id = ?`) or `METHOD URL`. */
  statement: z.string(),
  /** SQL dialect for fingerprinting: sqlite, postgres, mysql. */
  dialect: z.enum(['sqlite', 'postgres', 'mysql']).optional(),
  /** The DB-API paramstyle of the statement's placeholders (qmark, numeric, named, format, pyformat). */
  paramstyle: z.string().optional(),
  /** Executions in each iteration of the pass. */
  counts: z.array(z.number().int().nonnegative()),
  /** Time in the driver over all iterations, ms (SQLAlchemy only). */
  timeMs: z.number().nonnegative().optional(),
  callSite: callSiteSchema.optional(),
});
export type SidecarStatement = z.infer<typeof statementSchema>;

const siteSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
  size_diff: z.number(),
  count_diff: z.number().optional(),
});
export type SidecarSite = z.infer<typeof siteSchema>;

export const sidecarBenchmarkSchema = z.object({
  name: z.string(),
  /** pytest-benchmark's `fullname` (the node id): the benchmark's perfgate id. */
  fullname: z.string(),
  /** Median of the timing pass, ns per op. */
  opNs: z.number().positive(),
  profile: z
    .object({
      /** pstats file, relative to the sidecar's folder. */
      file: z.string(),
      ops: z.number().int().positive(),
      durationMs: z.number().nonnegative(),
    })
    .optional(),
  queries: z
    .object({
      iterations: z.number().int().positive(),
      statements: z.array(statementSchema),
      /** Distinct statements past the plugin's limit (counted nowhere). */
      dropped: z.number().int().nonnegative().optional(),
    })
    .optional(),
  memory: z
    .object({
      format: z.literal('perfgate-tracemalloc'),
      version: z.literal(1),
      round_ops: z.array(z.number().int().positive()).min(3),
      heap_after_rounds: z.array(z.number().nonnegative()).min(3),
      /** Peak traced bytes of one op above its start, mean per round. */
      alloc_per_op: z.array(z.number().nonnegative()).min(3),
      peak: z.number().nonnegative(),
      max_rss: z.number().nonnegative(),
      /** Live bytes that stayed after `site_ops` more operations and a collection, by line. */
      sites: z.array(siteSchema),
      site_ops: z.number().int().positive(),
      /** What one op holds near its peak, by line. */
      top: z.array(siteSchema),
      durationMs: z.number().nonnegative(),
    })
    .optional(),
  /** Passes that failed, with the Python exception. */
  errors: z.record(z.string(), z.string()).optional(),
});
export type SidecarBenchmark = z.infer<typeof sidecarBenchmarkSchema>;

export const sidecarSchema = z.object({
  format: z.literal(SIDECAR_FORMAT),
  version: z.literal(1),
  /** Project root the plugin named files against (absolute, on the machine that ran it). */
  root: z.string(),
  python: z.string(),
  implementation: z.string().optional(),
  benchmarks: z.array(sidecarBenchmarkSchema),
});
export type Sidecar = z.infer<typeof sidecarSchema>;

export function parseSidecar(text: string, file: string): Sidecar {
  return validate(sidecarSchema, parseJson(text, file), file, 'perfgate pytest sidecar');
}
