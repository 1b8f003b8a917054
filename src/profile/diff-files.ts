/** Diff of two profile files (any format, no ops): what `perfgate profile diff` prints. Pure. */
import type { FunctionChange } from '../model/comparison.js';
import type { ProfileSummary } from './analysis.js';
import { diffFunctions, type DiffSide } from './diff.js';
import type { NoiseOptions } from './noise.js';

export interface FileDiff {
  /** 'ms': self time in ms (both profiles have time); 'share': fraction of all samples. */
  unit: 'ms' | 'share';
  functions: FunctionChange[];
}

/**
 * Self time of each function in base and head, only changes beyond sampling noise, largest
 * absolute change first. Times are compared as recorded (the two profiles are assumed to cover
 * the same workload); `normalize` compares shares of the profile instead, and profiles without
 * time (collapsed stacks, perf counting events) always are.
 */
export function diffSummaries(
  base: ProfileSummary,
  head: ProfileSummary,
  options: NoiseOptions & { normalize?: boolean } = {},
): FileDiff {
  const unit = base.hasTime && head.hasTime && !options.normalize ? 'ms' : 'share';
  const side = (s: ProfileSummary): DiffSide => ({
    functions: s.functions,
    samples: s.samples,
    // samples per ms of self time, or per unit of share.
    exposure: unit === 'ms' ? (s.time > 0 ? s.samples / (s.time / 1e6) : 0) : s.samples,
  });
  const functions = diffFunctions([side(base)], side(head), options).map((d) => ({
    name: d.name,
    file: d.file,
    line: d.line,
    base: d.base,
    head: d.head,
    change: d.change,
  }));
  return { unit, functions };
}
