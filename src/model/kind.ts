/**
 * The contract of an attachment kind (profile, queries, memory, …): what a kind adds to a
 * benchmark, from its config options to its sections of the report. Every stage loops over the
 * registered kinds (src/kinds) and calls this contract; none names a kind. Types only: a kind's
 * adapter lives in its own folder (e.g. src/profile/kind.ts).
 */
import type { z } from 'zod';
import type { Comparison } from './comparison.js';
import type { Block } from './document.js';
import type { BenchTask, PassContext } from './task.js';

/**
 * One section of the reports, the same shape for every kind: display-neutral blocks
 * (document.ts) that the report lays out as markdown and as terminal text. The kind writes its
 * own heading; text from the pull request stays plain strings (the layouts escape it).
 */
export interface KindSection {
  /** Id of the benchmark the section is about; absent for a section about the comparison. */
  benchmark?: string;
  /** Heading included; none = nothing to say. */
  blocks: Block[];
}

/** How a kind's comparison gates the merge. */
export interface KindGate<Result> {
  /** The name in `failOn` (config `failOn`, `--fail-on`, action input `fail-on`). */
  check: string;
  /** "query" → "2 query regressions" in the headline. */
  noun: string;
  /** Whether this benchmark's comparison regressed, and why (one line each, no benchmark id). */
  verdict(result: Result): { regressed: boolean; reasons: string[] };
}

/** Options of every report section. */
export interface SectionOptions {
  /** Items listed per benchmark (functions…). */
  top: number;
}

/**
 * The child half of an attachment kind: what the bench child needs to run its pass (config
 * options, prepare, capture), and nothing of compare or the reports, so that dist/child.js
 * bundles none of them (src/kinds/passes.ts lists these halves for the child). `Name` is its
 * config key and its field on a Benchmark of the Run.
 */
export interface KindPass<
  Name extends string = string,
  Options extends z.ZodType = z.ZodType,
  Attachment = unknown,
> {
  name: Name;
  /**
   * Its config options (`config[name]`), with defaults for every field (parses `undefined`),
   * `enabled` among them (forks without passes switch it off).
   */
  options: Options;
  /**
   * The zod schema of its attachment in a stored Run (`benchmarks[][name]`), so a Run file keeps
   * and validates it (src/model/run.ts, registerAttachmentSchema). Absent for the built-in kinds,
   * whose fields are written out in the Run schema as the public JSON contract.
   */
  attachment?: z.ZodType<Attachment>;
  /** Whether its pass runs with these options. */
  enabled(options: z.output<Options>): boolean;
  /**
   * In the bench child, before the bench file is imported (driver hooks…), when enabled. A
   * failure is a warning: `<what> could not be installed: …`.
   */
  prepare?: { what: string; run(benchFile: string, options: z.output<Options>): Promise<void> };
  /** The child pass for one timed task (after every task of the file was timed). */
  capture(
    task: BenchTask,
    context: PassContext,
    options: z.output<Options>,
  ): Promise<Attachment | undefined>;
}

/**
 * An attachment kind: its child half (KindPass, in the kind's pass.ts) and the parent half
 * (compare, gate, sections, in its kind.ts). `comparisonField` is its field on a benchmark of the
 * Comparison. Methods (not function properties) so that a kind with its own types fits the
 * registry's list of kinds.
 */
export interface AttachmentKind<
  Name extends string = string,
  Options extends z.ZodType = z.ZodType,
  Attachment = unknown,
  Result = unknown,
> extends KindPass<Name, Options, Attachment> {
  comparisonField: string;
  /** Head's attachment against the base history's (newest first). Pure. */
  compare(
    bases: Attachment[],
    head: Attachment | undefined,
    options: z.output<Options>,
    context: { alpha: number },
  ): Result | undefined;
  /**
   * More fields of the benchmark's comparison than `comparisonField` (the profile's
   * `callChanges`), from the same attachments. Pure.
   */
  extraFields?(bases: Attachment[], head: Attachment | undefined): Record<string, unknown>;
  /** Absent: the kind informs, never gates. */
  gate?: KindGate<Result>;
  /**
   * The likely cause of a time regression, for its diagnosis line ("500 new queries per call
   * from src/users.ts:25 (N+1)"); kinds are asked by `rank`, the most specific evidence first.
   */
  cause?: { rank: number; of(result: Result): string | undefined };
  /** Lines for the comment's headline even when the gate passes (a new N+1, a new leak). */
  highlights?(benchmarkId: string, result: Result): string[];
  /** Its sections of the markdown and terminal reports. Pure. */
  sections(comparison: Comparison, options: SectionOptions): KindSection[];
}
