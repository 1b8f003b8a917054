import type { Run } from '../model/run.js';

/**
 * Where baselines live: a local folder (CLI default) or GitHub artifacts (the action).
 * `load` returns the history newest first; `save` appends a run and keeps the last `history`,
 * replacing the stored baseline only once the new one is fully written.
 */
export interface BaselineStore {
  /** For messages: ".perfgate/ in /repo", "artifact perfgate-baseline". */
  describe(): string;
  load(): Promise<Run[]>;
  /**
   * After load(): why no baseline was loaded when that is worth telling the reviewer (the
   * newest artifact expired, none came from a successful run); unset when all is well.
   */
  readonly problem?: string;
  save(run: Run, history: number): Promise<void>;
}
