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
  /**
   * The base, measured with the head on this machine in alternating fork pairs (`--against`,
   * the action's `compare: against-base`): compared as pairs instead of with the stored history.
   */
  base?: Run;
}

/** What a confirmation measures again: these benchmarks, timing only, in `forks` more forks. */
export interface Remeasure {
  ids: string[];
  /** Their bench files (relative to the project root). */
  files: string[];
  forks: number;
}

export interface Source {
  /** For messages: "bench files", "shard artifacts perfgate-run-*". */
  describe(): string;
  collect(context: SourceContext): Promise<Collected>;
  /**
   * Measures benchmarks again (confirm before failing). A source whose base was measured with
   * it (`base` in Collected) measures both again, in pairs. Absent: it cannot (foreign result
   * files, shard artifacts), and the first measurement decides.
   */
  remeasure?(request: Remeasure, context: SourceContext): Promise<Collected>;
}
