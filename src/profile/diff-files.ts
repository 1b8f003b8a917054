/** Diff of two profile files (any format, no ops): what `perfgate profile diff` prints. Pure. */
import type { FunctionChange } from '../model/comparison.js';
import type { ProfileSummary } from './analysis.js';
import { toFunctionChange } from './compare.js';
import { diffFunctions, listOf, type DiffSide } from './diff.js';
import type { NoiseOptions } from './noise.js';

export interface FileDiff {
  /**
   * 'ms': time in ms (both profiles have time); 'samples': sample counts (profiles without
   * time, e.g. collapsed stacks); 'share': fraction of all samples (`normalize`).
   */
  unit: 'ms' | 'samples' | 'share';
  functions: FunctionChange[];
}

/**
 * Own time of each function (project first) in base and head, only changes beyond sampling
 * noise, largest change beyond the profile-wide factor first. Times (or, without time, sample counts) are compared as
 * recorded: the two profiles are assumed to cover the same workload, and the noise rule's
 * "typical function" test takes out a profile-wide factor when they do not. `normalize` compares
 * shares of each profile instead. Several recordings a side (processes of the same code) are
 * pooled, and their spread is used (spread.ts).
 */
export function diffSummaries(
  base: ProfileSummary | readonly ProfileSummary[],
  head: ProfileSummary | readonly ProfileSummary[],
  options: NoiseOptions & { normalize?: boolean } = {},
): FileDiff {
  const bases = listOf(base);
  const heads = listOf(head);
  const unit = options.normalize
    ? 'share'
    : [...bases, ...heads].every((s) => s.hasTime)
      ? 'ms'
      : 'samples';
  const side = (s: ProfileSummary): DiffSide => ({
    functions: s.functions,
    samples: s.samples,
    // Samples per ms, per sample, or per unit of share.
    exposure:
      unit === 'ms'
        ? s.time > 0
          ? s.samples / (s.time / 1e6)
          : 0
        : unit === 'samples'
          ? 1
          : s.samples,
    source: s.source,
    ...(s.blocks ? { blocks: s.blocks } : {}),
  });
  const functions = diffFunctions(bases.map(side), heads.map(side), options).map((d) =>
    toFunctionChange(d, 1),
  );
  return { unit, functions };
}
