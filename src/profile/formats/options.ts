/** Options every format reader takes. */
export interface ReadOptions {
  /** Project root: absolute paths under it become repo-relative. */
  projectRoot?: string;
  /**
   * URLs of perfgate's own code (the profiling loop). A frame from one of them and everything
   * above it is cut from the stack, so stacks start at the user's task.
   */
  ownUrls?: ReadonlySet<string>;
  /**
   * pprof: the sample type to read (`inuse_space`, `alloc_space`, `alloc_objects`, `cpu`, …).
   * Default: a CPU profile's time; for memory profiles bytes — the profile's default type
   * (`alloc_space` in Go's allocs profile), else `inuse_space` (Go's heap profile).
   */
  sampleType?: string;
}
