/**
 * The Comparison: what compare() makes of base Run(s) and a head Run. It is also the
 * `--format json` output of `perfgate compare`, so field names here are a public contract:
 * later work adds fields, never renames these.
 */
import type { Env } from './run.js';
import type { CallSite, ExplainFinding } from './queries.js';
import type { AllocationSite, Leak } from './memory.js';

export type Status =
  'regression' | 'improvement' | 'unchanged' | 'new' | 'removed' | 'noisy' | 'failed';

/**
 * A check that can gate a merge: 'time', or a gating kind's check ('queries', 'memory'). The
 * list is the kinds registry's CHECKS (src/kinds); the config schema validates against it.
 */
export type Check = string;

/**
 * How a timing change was judged. With forks as replicates (docs/statistics.md): 'forks-t'
 * (two Runs, fork levels), 'paired-t' (`--against`: base/head fork pairs), 'history-t' (stored
 * mode: the head against the history's run-to-run spread). With one fork a side and no
 * history to speak of, only the samples of one process each: 'mann-whitney(-exact)', or
 * 'threshold-only' when too few samples for a test. The summary methods are for foreign
 * results that kept only mean ± sd (samplesKind 'summary'): base and head are then means,
 * tested with Welch's t-test when both sides have n ≥ 2 and sd > 0.
 */
export type TimeMethod =
  | 'forks-t'
  | 'paired-t'
  | 'history-t'
  | 'mann-whitney-exact'
  | 'mann-whitney'
  | 'threshold-only'
  | 'welch-t-summary'
  | 'summary-threshold-only';

/** stored: the head against the baseline history (or another Run); against: base re-measured
 * on the same machine in alternating fork pairs. */
export type TimingMode = 'stored' | 'against';

export interface TimeComparison {
  /**
   * Robust centre (median) of the base samples, in `unit`; null for a new benchmark. The mean
   * when `method` is a summary method (the tool kept no samples).
   */
  base: number | null;
  /** Median of the head samples; null for a removed benchmark. */
  head: number | null;
  /** Relative change of the median: 0.12 = 12 % worse when smaller is better, head/base - 1. */
  change: number | null;
  /** 95 % confidence interval of `change`. */
  ci: [number, number] | null;
  /** Two-sided p-value of the significance test (Mann-Whitney U). */
  pValue: number | null;
  unit: string;
  direction: 'smaller' | 'bigger';
  /** Threshold applied to this benchmark (fraction). */
  threshold: number;
  /** Sample counts behind the numbers. */
  samples?: { base: number; head: number };
  /** How significance was judged. */
  method?: TimeMethod;
  /** Run-to-run noise band of the history (fraction): only the one-fork fallback sets it. */
  noiseBand?: number | null;
  /** Benjamini–Hochberg adjusted p-value across the suite's tested benchmarks. */
  pAdjusted?: number | null;
  /**
   * Minimum detectable change (fraction): the change this benchmark's test would detect with
   * 90 % probability at these settings (forks, history, suite size); null when untested.
   */
  mde?: number | null;
  /** Forks per side behind the numbers (history runs used, for the base in stored mode). */
  forks?: { base: number; head: number };
  /** Between-fork spread (fraction: sd of ln fork medians), the larger side; null with < 2. */
  spread?: number | null;
  /** Forks disagree beyond the limit (bimodal JIT outcomes): only a change well beyond
   * `spread` fails the gate. */
  unstable?: boolean;
  /** Regressions in stored mode: the benchmark's value in each history run, oldest first (the
   * comment draws it with this pull request as the last point). */
  trend?: Array<{ commit?: string; value: number }>;
  /**
   * Confirm before failing: the benchmark looked like a regression, so it was measured again in
   * `forks` more forks (against the base, in pairs, when the base could be run) and judged on
   * that measurement alone. `confirmed`: it regressed again (the gate fails on it); otherwise
   * the status is `noisy`. `change`, `ci`, `pAdjusted` are the confirmation's own; `seconds`
   * the time it took (all benchmarks confirmed together share it).
   */
  confirmation?: {
    forks: number;
    confirmed: boolean;
    seconds: number;
    change: number | null;
    ci: [number, number] | null;
    pAdjusted: number | null;
  };
}

/** Function-level change between two CPU profiles (src/profile). Times in ms per op. */
export interface FunctionChange {
  name: string;
  file: string;
  line: number;
  base: number;
  head: number;
  /** Relative: 1.0 = doubled; Infinity-free: a function new in head has change = null. */
  change: number | null;
  /**
   * The change beyond the profile-wide factor (same unit as `base`/`head`): `head` minus `base`
   * scaled by the typical function's ratio, so a function that only moved with the whole profile
   * (a busier machine) has ~0. Lists are ordered by its size, largest first. Absent in
   * comparisons written before it existed.
   */
  delta?: number;
  /**
   * `base`/`head` are the function's own time: self plus the dependency frames it called
   * (project first). Inclusive time, same unit, when known.
   */
  total?: { base: number; head: number };
  /** The function's line in base, when it moved (matched by name and file, so the same function). */
  baseLine?: number;
  /** Calls per op in base / head, when the profiler counts calls (cProfile). */
  calls?: { base: number; head: number };
  /**
   * Hot lines: the lines of the function whose own time changed beyond sampling noise, largest
   * change first (at most 3), same unit as `base`/`head`; a moved function's base lines are
   * shifted with it. When the profile has line information (V8 positionTicks, pprof, perf).
   */
  lines?: Array<{ line: number; base: number; head: number }>;
  /**
   * "Of which …": the part of `base`/`head` spent in dependencies the function called, by
   * package (as the flame graph folds them), largest in head first (at most 3), same unit.
   */
  dependencies?: Array<{ package: string; base: number; head: number }>;
}

/** Calls per op of a project function, base vs head (profilers that count calls: cProfile). */
export interface CallChange {
  name: string;
  file: string;
  line: number;
  /** null: not called on that side. */
  base: number | null;
  head: number | null;
}

/**
 * A project function whose exact calls per op or async-inclusive time changed (src/profile/exact:
 * functions wrapped in the instrumented pass).
 */
export interface ExactCallChange {
  name: string;
  file: string;
  line: number;
  /** Calls per op; null: not called on that side. */
  base: number | null;
  head: number | null;
  /** Async-inclusive ms per op (0 on a side that did not call it). */
  time?: {
    base: number;
    head: number;
    /** head/base − 1; null when not called in base or base is 0. */
    change: number | null;
    /** Set when the time change is beyond noise (rounds compared, threshold). */
    beyondNoise?: true;
  };
  /** The function's line in base, when it moved. */
  baseLine?: number;
}

/** Exact calls of one benchmark, base vs head (the `calls` check). */
export interface CallsComparison {
  /** Count changes first (biggest first), then time changes beyond noise; bounded. */
  changes: ExactCallChange[];
  /** A function called in base too was called more than `calls.tolerance` more times per op. */
  regressed: boolean;
  reasons: string[];
  /**
   * Worker threads that ran while the operations were counted, the more of base and head
   * (absent: none). Calls made in them are not counted.
   */
  workerThreads?: number;
}

export interface QueriesComparison {
  /** Queries per iteration in base / head (null when that side was not instrumented). */
  base: number | null;
  head: number | null;
  /** Relative change (head/base - 1); null when base is 0 or missing. */
  change: number | null;
  httpBase?: number | null;
  httpHead?: number | null;
  /** N+1 findings of head, each flagged when new compared to base. */
  nPlusOne: Array<{
    fingerprint: string;
    sample: string;
    perIteration: number;
    callSite?: CallSite;
    basePerIteration?: number | null;
    new?: boolean;
  }>;
  /** Per-fingerprint count changes (only those that changed). */
  changed?: Array<{ fingerprint: string; base: number; head: number }>;
  regressed: boolean;
  /** Why it regressed, one line each (used for the gate and the comment). */
  reasons: string[];
  /** Synchronous fs calls per iteration (blocking I/O). */
  syncFsBase?: number | null;
  syncFsHead?: number | null;
  /** Event-loop delay of the head's pass, ms (reported, never gated: it is timing). */
  eventLoopMaxMs?: number;
  eventLoopP99Ms?: number;
  /** EXPLAIN of the head's N+1 and slowest fingerprints. */
  explain?: ExplainFinding[];
}

export interface MemoryComparison {
  /** Allocated bytes per op in base / head. */
  base: number | null;
  head: number | null;
  change: number | null;
  ci?: [number, number] | null;
  pValue?: number | null;
  retainedBase?: number | null;
  retainedHead?: number | null;
  peakRssBase?: number | null;
  peakRssHead?: number | null;
  /** The head's leak finding, if any, and whether the base had one. */
  leak: (Leak & { new: boolean }) | null;
  /** Allocation sites that changed most (bytes per op). */
  sites?: Array<{ name: string; file: string; line: number; base: number; head: number }>;
  topAllocations?: AllocationSite[];
  regressed: boolean;
  reasons: string[];
  /**
   * Set when allocation grew past the threshold but the rounds are too few for the significance
   * test ever to reach alpha: no verdict either way (the check does not fail), and this says why.
   */
  noVerdict?: string;
}

/**
 * The comparison fields of kinds beyond the built-in three, by `comparisonField`: a kind's own
 * folder adds its field with
 *
 *   declare module '../model/comparison.js' { interface KindComparisons { handles: HandlesComparison } }
 *
 * Every added field is optional on a benchmark of the Comparison (JSON layout unchanged).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface KindComparisons {}

export interface BenchmarkComparison extends Partial<KindComparisons> {
  id: string;
  name: string;
  file: string;
  group?: string;
  status: Status;
  time: TimeComparison;
  /** Present when the head (and base) carry CPU profiles. */
  functions?: FunctionChange[];
  /** Call-count changes of project functions (exact counts), when both profiles count calls. */
  callChanges?: CallChange[];
  /** Exact calls and async-inclusive time of project functions (the calls kind). */
  exactCalls?: CallsComparison;
  queries?: QueriesComparison;
  memory?: MemoryComparison;
  /** Error of a bench task that threw in head. */
  error?: string;
  /**
   * The verdict of this benchmark, decided once by compare() and read by every renderer:
   * `regressed`: the checks whose measurement regressed (gating or not); `failed`: those of them
   * that fail the gate (in `failOn`); `reasons`: this benchmark's lines of Comparison.reasons
   * (a failed bench task has a reason and no check).
   */
  regressed: Check[];
  failed: Check[];
  reasons: string[];
}

export interface EnvDifference {
  field: keyof Env;
  base: string;
  head: string;
}

/**
 * Stored mode: how much the head run moved as a whole against the history, the median change of
 * its benchmarks taken as time (positive: slower, for ops/s units too). Each benchmark's own
 * change is tested beyond the shift (against the median of the other benchmarks); the shift is
 * tested against how much the history's runs moved as a whole, in the same Benjamini–Hochberg
 * family, and a significant shift counts for the benchmarks that moved with it: a pull request
 * that slows everything fails. docs/statistics.md.
 */
export interface RunShift {
  /** head/history − 1 as time. */
  change: number;
  /** 95 % interval of `change`. */
  ci: [number, number];
  pValue: number;
  pAdjusted: number;
  /** pAdjusted below alpha. */
  significant: boolean;
  /** Benchmarks the shift is the median of. */
  benchmarks: number;
  /** Stored runs it is tested against. */
  runs: number;
}

export interface Comparison {
  verdict: 'pass' | 'fail';
  /** One line per failure of the gate. */
  reasons: string[];
  /** Items the comment must put in its headline even when the gate passes (e.g. a new N+1). */
  highlights: string[];
  /** Checks that gate the merge in this comparison. */
  failOn: Check[];
  /** How many base runs (history) were used; 0 when there was no baseline. */
  baseRuns: number;
  /** How the timing was compared (absent in Comparisons from before forks: stored). */
  mode?: TimingMode;
  /** Stored mode with enough benchmarks (5): the head run's common shift. */
  runShift?: RunShift;
  base?: { commit?: string; ref?: string; timestamp?: string };
  head: { commit?: string; ref?: string; timestamp?: string };
  /** Environment fields that differ between base and head (comparison is weaker). */
  envDifferences: EnvDifference[];
  summary: Record<Status, number>;
  benchmarks: BenchmarkComparison[];
  /** Set when the gate was overridden (e.g. accepted by a PR label). */
  accepted?: { by: string; reasons: string[] };
}
