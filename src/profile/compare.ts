// Contract stub, to be implemented in src/profile (issue 4).
import type { FunctionChange } from '../model/comparison.js';
import type { ProfileAttachment } from '../model/profile.js';

/** Function-level changes between base profiles (newest first) and the head profile. Pure. */
export function compareProfiles(
  _bases: ProfileAttachment[],
  _head: ProfileAttachment | undefined,
): FunctionChange[] | undefined {
  return undefined;
}
