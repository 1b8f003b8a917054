/**
 * What the bench child hands to every measurement pass (timing, profile, queries, memory):
 * one task of a bench file, taken from the user's tinybench `bench.add(name, fn, options)`.
 *
 * The runner calls `beforeAll` (and the Bench's `setup`) once before the timing pass and
 * `afterAll` (and `teardown`) once after the last pass, so the task given to the passes has no
 * `beforeAll`/`afterAll`: a pass only runs the per-op hooks (src/hooks/operation.ts).
 */
export interface BenchTask {
  name: string;
  /** One operation. */
  fn: () => unknown;
  beforeAll?: () => unknown;
  afterAll?: () => unknown;
  beforeEach?: () => unknown;
  afterEach?: () => unknown;
}

/** Where a pass runs: identifies the benchmark and where it may write raw files. */
export interface PassContext {
  /** Stable benchmark id (`file > group > name`). */
  benchmarkId: string;
  /** Absolute path of the bench file. */
  benchFile: string;
  /** Project root (repo-relative paths are made against it). */
  projectRoot: string;
  /** Folder for raw artifacts (e.g. .cpuprofile files), absolute. */
  outDir: string;
  /** Median time of one op from the timing pass, ns: lets a pass size its iterations. */
  medianNs: number;
}
