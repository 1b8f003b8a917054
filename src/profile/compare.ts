/** Function-level changes between the base profiles and the head profile of a benchmark. Pure. */
import type { FunctionChange } from '../model/comparison.js';
import type { ProfileAttachment } from '../model/profile.js';
import { attachmentSide } from './attachment.js';
import { diffFunctions } from './diff.js';
import type { DiffSide } from './diff.js';
import type { NoiseOptions } from './noise.js';

/**
 * Function-level changes between base profiles (newest first) and the head profile: self time
 * in ms per op, only changes beyond sampling noise, largest absolute change first. Undefined when
 * either side has no usable profile.
 */
export function compareProfiles(
  bases: ProfileAttachment[],
  head: ProfileAttachment | undefined,
  options: NoiseOptions = {},
): FunctionChange[] | undefined {
  const headSide = head ? attachmentSide(head) : undefined;
  const baseSides = bases.map(attachmentSide).filter((s): s is DiffSide => s !== undefined);
  if (!headSide || baseSides.length === 0) return undefined;
  return diffFunctions(baseSides, headSide, options).map((d) => ({
    name: d.name,
    file: d.file,
    line: d.line,
    base: d.base / 1e6,
    head: d.head / 1e6,
    change: d.change,
  }));
}
