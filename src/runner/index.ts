// Contract stub, to be implemented in src/runner (issue 2).
import type { Config } from '../config/schema.js';
import type { Meta, Run } from '../model/run.js';

/** Progress of a run, for the terminal (CLI) or the log (action). */
export type ProgressEvent =
  | { type: 'discovered'; files: string[] }
  | { type: 'file-start'; file: string; index: number; total: number }
  | { type: 'task-start'; file: string; task: string }
  | { type: 'pass'; file: string; task: string; pass: 'timing' | 'profile' | 'queries' | 'memory' }
  | { type: 'task-end'; file: string; task: string; medianNs?: number; error?: string }
  | { type: 'file-end'; file: string; error?: string };

export interface RunBenchmarksOptions {
  /** Project root: globs and repo-relative paths are resolved against it. */
  cwd: string;
  config: Config;
  /** Explicit bench files (skip discovery). */
  files?: string[];
  /** Only tasks whose id contains this text (or matches it as a /regex/). */
  filter?: string;
  /** Folder for raw artifacts (profiles) written next to the Run. */
  outDir: string;
  /** Merged into the Run's meta (commit, ref from git or the action). */
  meta?: Partial<Meta>;
  onProgress?: (event: ProgressEvent) => void;
}

export interface RunResult {
  run: Run;
  /** Bench files or tasks that failed (threw, crashed, timed out): the run must fail clearly. */
  failures: Array<{ file: string; task?: string; error: string }>;
}

export async function runBenchmarks(_options: RunBenchmarksOptions): Promise<RunResult> {
  throw new Error('runBenchmarks: not implemented yet');
}
