// Contract stub, to be implemented in src/profile (issue 4).
import type { BenchTask, PassContext } from '../runner/task.js';
import type { ProfileOptions } from './options.js';
import type { ProfileAttachment } from '../model/profile.js';

/** Profiling pass: runs the task under the V8 sampling profiler (in the bench child). */
export async function captureProfile(
  _task: BenchTask,
  _ctx: PassContext,
  _options: ProfileOptions,
): Promise<ProfileAttachment | undefined> {
  return undefined;
}
