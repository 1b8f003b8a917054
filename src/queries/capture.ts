// Contract stub, to be implemented in src/queries (issue 5).
import type { BenchTask, PassContext } from '../runner/task.js';
import type { QueriesOptions } from './options.js';
import type { QueriesAttachment } from '../model/queries.js';

/**
 * Installs query/HTTP instrumentation in the bench child, before the bench file is imported,
 * for the drivers as the bench file resolves them (from its own folder).
 */
export async function installQueryCapture(_benchFile: string): Promise<void> {}

/** Instrumented pass: counts statements and requests per iteration of the task. */
export async function captureQueries(
  _task: BenchTask,
  _ctx: PassContext,
  _options: QueriesOptions,
): Promise<QueriesAttachment | undefined> {
  return undefined;
}
