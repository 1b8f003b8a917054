import { z } from 'zod';
import { CHECKS, kindOptionSchemas } from '../kinds/index.js';
import { runOptionsSchema } from './run-options.js';
import { thresholdSchema } from '../model/threshold.js';

/**
 * perfgate.config.{json,js,ts}. Every field is optional; defaults are what a user would expect.
 * The CLI flags and action inputs override these.
 */
export const configSchema = z.object({
  /** Globs of bench files. */
  include: z.array(z.string()).default(['**/*.bench.{ts,mts,js,mjs}']),
  exclude: z.array(z.string()).default(['**/node_modules/**', '**/dist/**', '.perfgate/**']),
  /** Global threshold: changes smaller than this are `unchanged` (percent: 10 or "10%"). */
  threshold: thresholdSchema.prefault(10),
  /** Per-benchmark thresholds: glob-like pattern on the benchmark id (`*` wildcard) → percent. */
  thresholds: z.record(z.string(), thresholdSchema).default({}),
  /** Which checks fail the gate. */
  failOn: z.array(z.enum(CHECKS as [string, ...string[]])).default([...CHECKS]),
  /**
   * Accept a head run with no benchmarks, or one that kept none of the baseline's (all removed),
   * as a pass. Off: such a run fails the gate, since it compared nothing.
   */
  allowNoBenchmarks: z.boolean().default(false),
  /** Significance level of the statistical test. */
  alpha: z.number().positive().max(0.5).default(0.01),
  /** How many runs of history the baseline keeps. */
  history: z.number().int().positive().default(10),
  /** Local baseline store. */
  baselineDir: z.string().default('.perfgate'),
  /**
   * Foreign results (docs/ingest.md): the files another benchmark tool wrote (a path or glob, or
   * several). When set, perfgate runs no bench files and gates these.
   */
  results: z.union([z.string(), z.array(z.string())]).optional(),
  /** Their format: a format name (`pytest`, `go`, …) or `auto` (detected from the content). */
  format: z.string().optional(),
  /** A shell command line run in the project folder before `results` are read (the tool itself). */
  command: z.string().optional(),
  /**
   * `--against`: shell command that installs the base checkout's dependencies (run in it).
   * Default: reuse this working tree's node_modules when the lockfiles are identical, else
   * `npm ci`.
   */
  install: z.string().optional(),
  /**
   * Confirm before failing (docs/statistics.md): a benchmark that looks like a timing regression
   * is measured again in `forks` more forks (default: `run.forks`, at least 5), against the base when the
   * base can be run, and the gate fails on it only when the new measurement alone says so.
   * `false`: the first measurement decides.
   */
  confirm: z
    .union([
      z.literal(false),
      z.object({ forks: z.number().int().min(2).max(100).optional() }).strict(),
    ])
    .default({}),
  /** Node binary that runs bench files (default: `node` on PATH). */
  node: z.string().optional(),
  run: runOptionsSchema.prefault({}),
  /** One field per attachment kind (`profile`, `queries`, `memory`): its options. */
  ...kindOptionSchemas,
});
export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Fewest forks of a confirmation by default (run.forks when that is more). */
export const DEFAULT_CONFIRM_FORKS = 5;

/** Forks of the confirmation measurement; null when confirmation is off. */
export function confirmForks(config: Pick<Config, 'confirm' | 'run'>): number | null {
  if (config.confirm === false) return null;
  // At least the default forks: the confirmation decides alone, so it needs a test's worth.
  return config.confirm.forks ?? Math.max(DEFAULT_CONFIRM_FORKS, config.run.forks);
}

export function defaultConfig(): Config {
  return configSchema.parse({});
}
