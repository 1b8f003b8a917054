// Runs bench files, one child process each, and assembles the Run.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../config/schema.js';
import { InputError } from '../model/errors.js';
import type { Collected, RunWarning } from '../engine/source.js';
import { SCHEMA_VERSION, type Benchmark, type Meta, type Run } from '../model/run.js';
import { checkBenchmark } from './check-benchmark.js';
import { discoverBenchFiles } from './discover.js';
import { readEnv } from './env.js';
import { makeIdFilter } from '../model/filter.js';
import { readGitMeta } from './git.js';
import { uniqueIds } from './ids.js';
import type { TaskPhase } from './protocol.js';
import { runBenchFile } from './run-file.js';
import { neutralize } from '../text/neutralize.js';

/** Progress of a run, for the terminal (CLI) or the log (action). */
export type ProgressEvent =
  | { type: 'discovered'; files: string[] }
  | { type: 'file-start'; file: string; index: number; total: number }
  | { type: 'task-start'; file: string; task: string; phase?: TaskPhase }
  | { type: 'pass'; file: string; task: string; pass: string }
  | {
      type: 'task-end';
      file: string;
      task: string;
      medianNs?: number;
      error?: string;
      phase?: TaskPhase;
    }
  | { type: 'file-end'; file: string; error?: string }
  /** Something the user should know that does not fail the run (a pass that failed, a renamed id). */
  | { type: 'warning'; file: string; task?: string; message: string };

export interface RunBenchmarksOptions {
  /** Project root: globs and repo-relative paths are resolved against it. */
  cwd: string;
  config: Config;
  /** Explicit bench files, relative to cwd or absolute (skip discovery; an empty list runs none). */
  files?: string[];
  /** Only tasks whose id contains this text (or matches it as a /regex/). */
  filter?: string;
  /** Folder for raw artifacts (profiles) written next to the Run. */
  outDir: string;
  /** Merged into the Run's meta (commit, ref from git or the action). */
  meta?: Partial<Meta>;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Output of the bench code (its console.log), one line at a time. Default: written to stderr
   * prefixed with `[file] `, so it stays visible but apart from perfgate's own stdout.
   */
  onOutput?: (file: string, line: string, stream: 'stdout' | 'stderr') => void;
}

/** What a run of the bench files yields: the Run, its failures and warnings. */
export type RunResult = Collected & { warnings: RunWarning[] };

/** `file > group > name` → `group > name`: the task part of an id, for failure lists. */
function taskPart(id: string, file: string): string {
  return id.startsWith(`${file} > `) ? id.slice(file.length + 3) : id;
}

async function nodeVersion(node: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(node, ['--version'], { timeout: 10_000 });
    return stdout.trim();
  } catch {
    return 'unknown';
  }
}

/** Drops keys set to undefined, so `{ commit: undefined }` does not hide the commit from git. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function defaultOutput(file: string, line: string): void {
  process.stderr.write(`${neutralize(`[${file}] ${line}`)}\n`);
}

export async function runBenchmarks(options: RunBenchmarksOptions): Promise<RunResult> {
  const cwd = resolve(options.cwd);
  const config: Config = options.config;
  const outDir = resolve(cwd, options.outDir);
  makeIdFilter(options.filter); // a bad /regex/ is a usage error before anything runs
  const files = await discoverBenchFiles(cwd, config, options.files);
  const timestamp = new Date().toISOString();
  const git = readGitMeta(cwd);
  await mkdir(outDir, { recursive: true });

  const progress = options.onProgress ?? (() => undefined);
  const output = options.onOutput ?? defaultOutput;
  const node = config.node ?? 'node';
  const failures: RunResult['failures'] = [];
  const warnings: RunResult['warnings'] = [];
  const benchmarks: Benchmark[] = [];
  let childNode: string | undefined;

  progress({ type: 'discovered', files: files.map((f) => f.relative) });
  for (const [index, file] of files.entries()) {
    progress({ type: 'file-start', file: file.relative, index, total: files.length });
    const outcome = await runBenchFile({
      job: {
        type: 'start',
        file: file.path,
        relativeFile: file.relative,
        projectRoot: cwd,
        outDir,
        config,
        ...(options.filter ? { filter: options.filter } : {}),
      },
      node,
      timeoutMs: config.run.timeout,
      onOutput: (line, stream) => output(file.relative, line, stream),
      onMessage: (message) => {
        switch (message.type) {
          case 'task-start':
            progress({
              type: 'task-start',
              file: file.relative,
              task: message.task,
              ...(message.phase ? { phase: message.phase } : {}),
            });
            break;
          case 'pass':
            progress({ type: 'pass', file: file.relative, task: message.task, pass: message.pass });
            break;
          case 'task-end':
            progress({
              type: 'task-end',
              file: file.relative,
              task: message.task,
              ...(message.medianNs !== undefined ? { medianNs: message.medianNs } : {}),
              ...(message.error !== undefined ? { error: message.error } : {}),
              ...(message.phase ? { phase: message.phase } : {}),
            });
            break;
          case 'warning': {
            const warning = {
              file: file.relative,
              ...(message.task ? { task: message.task } : {}),
              message: message.message,
            };
            warnings.push(warning);
            progress({ type: 'warning', ...warning });
            if (!options.onProgress) {
              process.stderr.write(`perfgate: warning: ${file.relative}: ${message.message}\n`);
            }
            break;
          }
        }
      },
    });
    childNode ??= outcome.node;
    for (const received of outcome.benchmarks) {
      const { benchmark, dropped, invalid } = checkBenchmark(received);
      for (const message of dropped) {
        const warning = { file: file.relative, task: received.id, message };
        warnings.push(warning);
        progress({ type: 'warning', ...warning });
      }
      if (invalid !== undefined) {
        failures.push({
          file: file.relative,
          task: taskPart(received.id, file.relative),
          error: invalid,
        });
        continue;
      }
      benchmarks.push(benchmark);
      // A task the child died in is reported once, as the file's failure (which names it).
      if (benchmark.error !== undefined && benchmark.id !== outcome.crashedTask) {
        failures.push({
          file: file.relative,
          task: taskPart(benchmark.id, file.relative),
          error: benchmark.error,
        });
      }
    }
    if (outcome.error !== undefined) failures.push({ file: file.relative, error: outcome.error });
    progress({
      type: 'file-end',
      file: file.relative,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    });
  }

  // Ids are unique within a file (the child sees to it); two files cannot share a prefix, but an
  // explicit file list could name one file twice under different spellings.
  const { ids, renamed } = uniqueIds(benchmarks.map((b) => b.id));
  ids.forEach((id, i) => (benchmarks[i].id = id));
  for (const [id, unique] of renamed) {
    const warning = {
      file: unique.split(' > ')[0],
      message: `duplicate benchmark id "${id}" renamed to "${unique}"`,
    };
    warnings.push(warning);
    progress({ type: 'warning', ...warning });
  }

  if (options.filter && benchmarks.length === 0 && failures.length === 0) {
    throw new InputError(
      `--filter ${options.filter} matched no benchmark in ${files.length} bench file${files.length === 1 ? '' : 's'}`,
    );
  }

  const env = readEnv(childNode ?? (await nodeVersion(node)));
  const meta: Meta = {
    ...(await git),
    timestamp,
    ...definedOnly(options.meta ?? {}),
    env: { ...env, ...definedOnly(options.meta?.env ?? {}) },
  };
  const run: Run = { schemaVersion: SCHEMA_VERSION, tool: 'perfgate', meta, benchmarks };
  return { run, failures, warnings };
}
