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
import { forkConfig, forkSchedule, mergeForks, type ForkJob } from './forks.js';
import { anyKindEnabled, kindPasses, optionsOf } from '../kinds/passes.js';

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
  /** Child processes per bench file (default: config `run.forks`). */
  forks?: number;
  /** Explicit bench files, relative to cwd or absolute (skip discovery; an empty list runs none). */
  files?: string[];
  /** Only tasks whose id contains this text (or matches it as a /regex/). */
  filter?: string;
  /** Folder for raw artifacts (profiles) written next to the Run. */
  outDir: string;
  /** false: timing only, no profile/queries/memory pass in any fork (a confirmation). */
  passes?: boolean;
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

interface Project {
  cwd: string;
  config: Config;
  outDir: string;
  filter?: string;
  files: Array<{ path: string; relative: string }>;
  timestamp: string;
  git: ReturnType<typeof readGitMeta>;
  meta?: Partial<Meta>;
  failures: RunResult['failures'];
  warnings: RunResult['warnings'];
  /** Benchmarks received, per file, per timed fork (in fork order). */
  received: Map<string, Benchmark[][]>;
  /** Benchmarks of the fork run only for the passes (ForkJob.timed false), per file. */
  passesOnly: Map<string, Benchmark[]>;
  /** Files that failed to load: their later forks are not run. */
  broken: Set<string>;
  childNode?: string;
}

async function prepareProject(options: RunBenchmarksOptions): Promise<Project> {
  const cwd = resolve(options.cwd);
  const outDir = resolve(cwd, options.outDir);
  makeIdFilter(options.filter); // a bad /regex/ is a usage error before anything runs
  const files = await discoverBenchFiles(cwd, options.config, options.files);
  await mkdir(outDir, { recursive: true });
  return {
    cwd,
    config: options.config,
    outDir,
    ...(options.filter ? { filter: options.filter } : {}),
    files,
    timestamp: new Date().toISOString(),
    git: readGitMeta(cwd),
    ...(options.meta ? { meta: options.meta } : {}),
    failures: [],
    warnings: [],
    received: new Map(),
    passesOnly: new Map(),
    broken: new Set(),
  };
}

/** Forks per bench file: the option, else the config's `run.forks`. */
function forksOf(options: RunBenchmarksOptions): number {
  return options.forks ?? options.config.run.forks;
}

export async function runBenchmarks(options: RunBenchmarksOptions): Promise<RunResult> {
  const project = await prepareProject(options);
  await runSchedule(
    withPasses(
      forkSchedule([{ project, files: project.files }], forksOf(options), (f) => f.relative, {
        separatePasses: separatePasses(options),
      }),
      options,
    ),
    forksOf(options),
    options,
  );
  return finish(project, options);
}

export interface RunAgainstOptions {
  base: RunBenchmarksOptions;
  head: RunBenchmarksOptions;
  /** Pair order: random by default. */
  random?: () => number;
}

/**
 * `--against`: base and head bench files in alternating fork pairs on this machine (base 1,
 * head 1, head 2, base 2, … — the order of each pair random), so that the paired comparison
 * cancels whatever the machine does to both forks of a pair.
 */
export async function runAgainst(
  options: RunAgainstOptions,
): Promise<{ base: RunResult; head: RunResult }> {
  const base = await prepareProject(options.base);
  const head = await prepareProject(options.head);
  const forks = forksOf(options.head);
  await runSchedule(
    withPasses(
      forkSchedule(
        [
          { project: base, files: base.files },
          { project: head, files: head.files },
        ],
        forks,
        (f) => f.relative,
        {
          separatePasses: separatePasses(options.head),
          ...(options.random ? { random: options.random } : {}),
        },
      ),
      options.head,
    ),
    forks,
    options.head,
    base,
  );
  return { base: await finish(base, options.base), head: await finish(head, options.head) };
}

/**
 * The passes get a fork of their own when an enabled kind prepares the process before the file
 * loads (ForkJob.timed): that fork's timing would be of rewritten code.
 */
function separatePasses(options: RunBenchmarksOptions): boolean {
  if (options.passes === false) return false;
  return kindPasses().some(
    (kind) => kind.prepare !== undefined && kind.enabled(optionsOf(options.config, kind)),
  );
}

/** `passes: false` switches the instrumented passes off in every fork. */
function withPasses<J extends { passes: boolean; timed: boolean }>(
  jobs: J[],
  options: RunBenchmarksOptions,
): J[] {
  if (options.passes !== false) return jobs;
  return jobs.filter((job) => job.timed).map((job) => ({ ...job, passes: false }));
}

async function runSchedule(
  jobs: Array<ForkJob<Project, { path: string; relative: string }>>,
  forks: number,
  options: RunBenchmarksOptions,
  /** With `--against`: the base project, whose forks the progress names "base". */
  base?: Project,
): Promise<void> {
  const progress = options.onProgress ?? (() => undefined);
  const output = options.onOutput ?? defaultOutput;
  const files = [...new Set(jobs.map((j) => j.file.relative))];
  progress({ type: 'discovered', files });
  for (const [index, { project, file, fork, passes, timed }] of jobs.entries()) {
    if (project.broken.has(file.relative)) continue;
    const tag = base === undefined ? '' : project === base ? 'base ' : 'head ';
    const shownFile = !timed
      ? `${tag}${file.relative} (instrumented passes)`
      : forks > 1
        ? `${tag}${file.relative} (fork ${fork + 1}/${forks})`
        : `${tag}${file.relative}`;
    progress({ type: 'file-start', file: shownFile, index, total: jobs.length });
    const { failures, warnings } = project;
    const node = project.config.node ?? 'node';
    const config = forkConfig(project.config, forks, passes);
    const outcome = await runBenchFile({
      job: {
        type: 'start',
        file: file.path,
        relativeFile: file.relative,
        projectRoot: project.cwd,
        outDir: project.outDir,
        config,
        ...(project.filter ? { filter: project.filter } : {}),
        // A fork without passes loads no kind code (dist/child-passes.js).
        instrumented: anyKindEnabled(config),
      },
      node,
      timeoutMs: project.config.run.timeout,
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
    project.childNode ??= outcome.node;
    const received: Benchmark[] = [];
    for (const got of outcome.benchmarks) {
      const { benchmark, dropped, invalid } = checkBenchmark(got);
      for (const message of dropped) {
        const warning = { file: file.relative, task: got.id, message };
        warnings.push(warning);
        progress({ type: 'warning', ...warning });
      }
      if (invalid !== undefined) {
        failures.push({
          file: file.relative,
          task: taskPart(got.id, file.relative),
          error: invalid,
        });
        continue;
      }
      received.push(benchmark);
      // A task the child died in is reported once, as the file's failure (which names it).
      if (benchmark.error !== undefined && benchmark.id !== outcome.crashedTask) {
        failures.push({
          file: file.relative,
          task: taskPart(benchmark.id, file.relative),
          error: benchmark.error,
        });
      }
    }
    if (timed) {
      const perFork = project.received.get(file.relative) ?? [];
      perFork.push(received);
      project.received.set(file.relative, perFork);
    } else project.passesOnly.set(file.relative, received);
    if (outcome.error !== undefined) {
      failures.push({ file: file.relative, error: outcome.error });
      // A file that cannot load will not load in its next fork either.
      if (received.length === 0) project.broken.add(file.relative);
    }
    progress({
      type: 'file-end',
      file: file.relative,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
    });
  }
}

/** The Run of a project: each benchmark merged from its forks, in file then task order. */
async function finish(project: Project, options: RunBenchmarksOptions): Promise<RunResult> {
  const { failures, warnings } = project;
  const progress = options.onProgress ?? (() => undefined);
  const node = project.config.node ?? 'node';
  const benchmarks: Benchmark[] = [];
  for (const file of project.files) {
    const forks = project.received.get(file.relative) ?? [];
    const passes = new Map((project.passesOnly.get(file.relative) ?? []).map((b) => [b.id, b]));
    const order: string[] = [];
    const parts = new Map<string, Benchmark[]>();
    for (const fork of [...forks, [...passes.values()]]) {
      for (const b of fork) {
        if (!parts.has(b.id)) {
          parts.set(b.id, []);
          order.push(b.id);
        }
        if (b !== passes.get(b.id)) parts.get(b.id)!.push(b);
      }
    }
    for (const id of order) benchmarks.push(mergeForks(parts.get(id)!, passes.get(id)));
  }
  // A failure repeated by every fork is one failure.
  const seen = new Set<string>();
  const unique = failures.filter((f) => {
    const key = `${f.file}\0${f.task ?? ''}\0${f.error}`;
    return !seen.has(key) && seen.add(key);
  });
  failures.length = 0;
  failures.push(...unique);
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

  if (project.filter && benchmarks.length === 0 && failures.length === 0) {
    throw new InputError(
      `--filter ${project.filter} matched no benchmark in ${project.files.length} bench file${project.files.length === 1 ? '' : 's'}`,
    );
  }

  const env = readEnv(project.childNode ?? (await nodeVersion(node)));
  const meta: Meta = {
    ...(await project.git),
    timestamp: project.timestamp,
    ...definedOnly(options.meta ?? {}),
    env: { ...env, ...definedOnly(options.meta?.env ?? {}) },
  };
  const run: Run = { schemaVersion: SCHEMA_VERSION, tool: 'perfgate', meta, benchmarks };
  return { run, failures, warnings };
}
