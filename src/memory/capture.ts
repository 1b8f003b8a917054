// Contract stub, to be implemented in src/memory (issue 6).
import type { BenchTask, PassContext } from '../runner/task.js';
import type { MemoryOptions } from './options.js';
import type { MemoryAttachment } from '../model/memory.js';

/** Memory pass (bench child runs with --expose-gc). */
export async function captureMemory(
  _task: BenchTask,
  _ctx: PassContext,
  _options: MemoryOptions,
): Promise<MemoryAttachment | undefined> {
  return undefined;
}
