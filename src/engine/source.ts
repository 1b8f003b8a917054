/**
 * A Source makes the head Run: the tinybench runner (src/runner/source.ts) is the first; foreign
 * result files, a command then its results, or forks of base and head are others. The engine
 * (src/engine) calls `collect` once and compares what it returns; it never asks which source it
 * holds. Types only: sources live at the edges, the engine above them.
 */
import type { Config } from '../config/schema.js';
import type { Run } from '../model/run.js';

/** A bench file or task that failed (threw, crashed, timed out): the run must fail clearly. */
export interface RunFailure {
  file: string;
  task?: string;
  error: string;
}

/** A problem that did not fail the run. */
export interface RunWarning {
  file: string;
  task?: string;
  message: string;
}

export interface SourceContext {
  /** Project root: globs and repo-relative paths are resolved against it. */
  cwd: string;
  config: Config;
  /** Only benchmarks whose id contains this text (or matches it as a /regex/). */
  filter?: string;
  /** Folder for raw artifacts (profiles) written next to the Run. */
  outDir: string;
}

export interface Collected {
  run: Run;
  failures: RunFailure[];
  warnings?: RunWarning[];
}

export interface Source {
  /** For messages: "bench files", "shard artifacts perfgate-run-*". */
  describe(): string;
  collect(context: SourceContext): Promise<Collected>;
}
