/**
 * Attaching what the pytest plugin recorded to the benchmarks of an ingested pytest-benchmark
 * Run: for each results file `F`, the sidecar `F.perfgate` (when the plugin ran) gives the
 * profile, queries and memory of each benchmark, matched by pytest-benchmark's `fullname`, which
 * is the benchmark's id. `attachSidecar` is pure; `attachPythonSidecars` reads the files.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { InputError, messageOf } from '../../model/errors.js';
import { readInputFile } from '../../model/io.js';
import type { Benchmark, Run } from '../../model/run.js';
import { pythonMemoryAttachment } from './memory.js';
import { pythonProfileAttachment } from './profile.js';
import { pythonQueriesAttachment } from './queries.js';
import { parseSidecar, SIDECAR_SUFFIX, type Sidecar, type SidecarBenchmark } from './sidecar.js';

export interface PythonAttachOptions {
  /** N+1 threshold (queries.nPlusOne). */
  nPlusOne: number;
  /** Significance level of the leak test (memory.leakAlpha). */
  leakAlpha: number;
}

export const DEFAULT_ATTACH_OPTIONS: PythonAttachOptions = { nPlusOne: 5, leakAlpha: 0.001 };

export interface AttachResult {
  run: Run;
  /** Benchmarks that got at least one attachment. */
  attached: number;
  /** Sidecar entries without a benchmark, passes that failed in Python. */
  warnings: string[];
}

/** The id of a pytest-benchmark entry in an ingested Run (src/ingest/formats/pytest.ts). */
function benchmarkIdOf(entry: SidecarBenchmark): string {
  return entry.fullname;
}

/** Profile file of an entry: bytes, and the path to store in the Run. */
export interface ProfileFile {
  bytes: Uint8Array;
  /** Name for errors. */
  file: string;
  rawFile?: string;
}

/**
 * A Run with the sidecar's attachments on the benchmarks they belong to. `profiles` maps an
 * entry's `profile.file` to its pstats bytes (entries whose file is missing get no profile).
 */
export function attachSidecar(
  run: Run,
  sidecar: Sidecar,
  sidecarFile: string,
  profiles: ReadonlyMap<string, ProfileFile>,
  options: PythonAttachOptions = DEFAULT_ATTACH_OPTIONS,
): AttachResult {
  const warnings: string[] = [];
  const byId = new Map(sidecar.benchmarks.map((entry) => [benchmarkIdOf(entry), entry]));
  const seen = new Set<string>();
  let attached = 0;
  const benchmarks = run.benchmarks.map((benchmark): Benchmark => {
    const entry = byId.get(benchmark.id);
    if (!entry) return benchmark;
    seen.add(benchmark.id);
    const next: Benchmark = { ...benchmark };
    for (const [pass, error] of Object.entries(entry.errors ?? {}))
      warnings.push(
        `${sidecarFile}: ${entry.fullname}: the ${pass} pass failed in Python: ${error}`,
      );
    const where = `${sidecarFile}: ${entry.fullname}`;
    if (entry.profile) {
      const profile = profiles.get(entry.profile.file);
      if (profile)
        next.profile = pythonProfileAttachment({
          ...profile,
          ops: entry.profile.ops,
          durationMs: entry.profile.durationMs,
          opNs: entry.opNs,
        });
      else warnings.push(`${where}: profile ${entry.profile.file} is missing`);
    }
    if (entry.queries)
      next.queries = pythonQueriesAttachment(entry.queries, { nPlusOne: options.nPlusOne });
    if (entry.memory) {
      try {
        next.memory = pythonMemoryAttachment(entry.memory, { leakAlpha: options.leakAlpha });
      } catch (error) {
        throw new InputError(`${entry.fullname}: memory: ${messageOf(error)}`, sidecarFile);
      }
    }
    if (next.profile || next.queries || next.memory) attached += 1;
    return next;
  });
  for (const entry of sidecar.benchmarks)
    if (!seen.has(benchmarkIdOf(entry)))
      warnings.push(`${sidecarFile}: ${entry.fullname}: no benchmark with this id in the results`);
  return { run: { ...run, benchmarks }, attached, warnings };
}

/** The sidecar of a results file: `bench.json` → `bench.json.perfgate`. */
export function sidecarPathOf(resultsFile: string): string {
  return `${resultsFile}${SIDECAR_SUFFIX}`;
}

/**
 * Attaches the sidecars of the given pytest-benchmark results files (files without one are
 * skipped: the plugin did not run). Relative paths are taken from `cwd` (default: the process's);
 * `runDir` is where the Run will be written: `rawFile` of each profile is relative to it.
 */
export async function attachPythonSidecars(
  run: Run,
  resultsFiles: readonly string[],
  options: Partial<PythonAttachOptions> & { runDir?: string; cwd?: string } = {},
): Promise<AttachResult> {
  const settings = { ...DEFAULT_ATTACH_OPTIONS, ...options };
  let current = run;
  let attached = 0;
  const warnings: string[] = [];
  for (const resultsFile of resultsFiles) {
    const sidecarFile = resolve(options.cwd ?? '.', sidecarPathOf(resultsFile));
    if (!existsSync(sidecarFile)) continue;
    const sidecar = parseSidecar((await readInputFile(sidecarFile)).toString('utf8'), sidecarFile);
    const profiles = new Map<string, ProfileFile>();
    for (const entry of sidecar.benchmarks) {
      if (!entry.profile) continue;
      const path = resolve(dirname(sidecarFile), entry.profile.file);
      const bytes = await readFile(path).catch(() => undefined);
      if (!bytes) continue;
      profiles.set(entry.profile.file, {
        bytes,
        file: path,
        ...(settings.runDir ? { rawFile: relative(settings.runDir, path) || path } : {}),
      });
    }
    const result = attachSidecar(current, sidecar, sidecarFile, profiles, settings);
    current = result.run;
    attached += result.attached;
    warnings.push(...result.warnings);
  }
  return { run: current, attached, warnings };
}

/**
 * The step src/ingest runs after ingesting result files (`perfgate ingest`, `perfgate run
 * --command … --results …`, foreign files given to `compare`): the pytest-benchmark files among
 * them (`files` as in the Run's `meta.source.files`) get their sidecars attached, and the
 * warnings join the ingest's.
 */
export async function withPytestSidecars(
  ingested: { run: Run; warnings: string[] },
  files: ReadonlyArray<{ file: string; format: string }>,
  options: Partial<PythonAttachOptions> & { runDir?: string; cwd?: string } = {},
): Promise<{ run: Run; warnings: string[] }> {
  const pytest = files.filter((f) => f.format === 'pytest').map((f) => f.file);
  if (pytest.length === 0) return ingested;
  const { run, warnings } = await attachPythonSidecars(ingested.run, pytest, options);
  return { run, warnings: [...ingested.warnings, ...warnings] };
}
