// Messages between the parent (src/runner/index.ts) and a bench child (src/runner/child.ts) over
// the Node IPC channel. Plain JSON data only.
import type { Config } from '../config/schema.js';
import type { Benchmark } from '../model/run.js';

/** Parent → child: the one job of a child process. */
export interface StartMessage {
  type: 'start';
  /** Absolute path of the bench file. */
  file: string;
  /** Repo-relative POSIX path: the first part of benchmark ids. */
  relativeFile: string;
  projectRoot: string;
  outDir: string;
  config: Config;
  filter?: string;
  /**
   * Whether `config` enables an attachment kind (its prepare and its pass run in this child).
   * false: the child loads no kind code at all (a timed fork). Absent: the child loads it.
   */
  instrumented?: boolean;
}

/** 'timing', or the name of an attachment kind (src/kinds) whose pass runs. */
export type PassName = 'timing' | (string & {});

/** Phase of a task: timing first for every task, then the instrumented passes. */
export type TaskPhase = 'timing' | 'passes';

/** Child → parent. */
export type ChildMessage =
  | { type: 'hello'; node: string }
  /**
   * `task` is the benchmark id; name and group let the parent record a task the child died in.
   * A task starts twice: for timing, then (`phase: 'passes'`) for the instrumented passes.
   */
  | { type: 'task-start'; task: string; name: string; group?: string; phase?: TaskPhase }
  | { type: 'pass'; task: string; pass: PassName }
  /** A benchmark sent again (after its passes) replaces the one with the same id. */
  | { type: 'benchmark'; benchmark: Benchmark }
  | { type: 'task-end'; task: string; medianNs?: number; error?: string; phase?: TaskPhase }
  | { type: 'warning'; task?: string; message: string }
  /** The bench file could not be loaded or holds no usable Bench: the file failed. */
  | { type: 'file-error'; message: string }
  /**
   * The event loop emptied while the child still awaited bench code (a promise that never
   * settles): sent from 'beforeExit', just before the child exits.
   */
  | { type: 'unsettled' }
  | { type: 'done' };
