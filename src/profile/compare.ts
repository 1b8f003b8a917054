/** Function-level changes between the base profiles and the head profile of a benchmark. Pure. */
import type { FunctionChange } from '../model/comparison.js';
import type { ProfileAttachment } from '../model/profile.js';
import { attachmentSide } from './attachment.js';
import { diffFunctions, listOf } from './diff.js';
import type { DiffSide, FunctionDiff } from './diff.js';
import type { NoiseOptions } from './noise.js';

/** A diff row in the Comparison's shape, values multiplied by `scale` (e.g. ns → ms). */
export function toFunctionChange(d: FunctionDiff, scale: number): FunctionChange {
  return {
    name: d.name,
    file: d.file,
    line: d.line,
    base: d.base * scale,
    head: d.head * scale,
    change: d.change,
    delta: d.delta * scale,
    total: { base: d.totalBase * scale, head: d.totalHead * scale },
    ...(d.baseLine !== undefined ? { baseLine: d.baseLine } : {}),
    ...(d.calls ? { calls: d.calls } : {}),
    ...(d.lines
      ? {
          lines: d.lines.map((l) => ({ line: l.line, base: l.base * scale, head: l.head * scale })),
        }
      : {}),
    ...(d.dependencies
      ? {
          dependencies: d.dependencies.map((p) => ({
            package: p.package,
            base: p.base * scale,
            head: p.head * scale,
          })),
        }
      : {}),
  };
}

/**
 * Function-level changes between base profiles (newest first) and the head profile (or several,
 * recorded in several processes, pooled): own time (project first) in ms per op, only changes
 * beyond sampling noise, largest change beyond the profile-wide factor first. Undefined when
 * either side has no usable profile.
 */
export function compareProfiles(
  bases: ProfileAttachment[],
  head: ProfileAttachment | ProfileAttachment[] | undefined,
  options: NoiseOptions & { priorSpread?: number } = {},
): FunctionChange[] | undefined {
  const sides = (list: readonly ProfileAttachment[]) =>
    list.map(attachmentSide).filter((s): s is DiffSide => s !== undefined);
  const headSides = sides(head === undefined ? [] : listOf(head));
  const baseSides = sides(bases);
  if (headSides.length === 0 || baseSides.length === 0) return undefined;
  return diffFunctions(baseSides, headSides, options).map((d) => toFunctionChange(d, 1e-6));
}
