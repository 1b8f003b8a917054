/**
 * One operation between a task's per-op hooks (beforeEach, the operation, afterEach), for the
 * timing loop and every capture pass. Each part is awaited only when it returns a thenable, and
 * the result is a promise only then: a synchronous task stays synchronous, with no microtask
 * per operation.
 */
import { isThenable } from './thenable.js';

/** This module's URL: a profiler cuts its frames from the stacks (they are perfgate's, not the task's). */
export const OPERATION_URL = import.meta.url;

/** The per-op part of a bench task. */
export interface PerOpHooks {
  fn: () => unknown;
  beforeEach?: () => unknown;
  afterEach?: () => unknown;
}

/**
 * Runs `operation` (default: `task.fn()`) between the task's hooks. A pass that must see only the
 * operation (a clock, a recorder switched on) passes its own, which calls `task.fn` itself.
 */
export function runOperation(
  task: PerOpHooks,
  operation?: () => unknown,
): Promise<void> | undefined {
  const before = task.beforeEach?.();
  if (isThenable(before)) return finishAfterBefore(before, task, operation);
  const result = operation ? operation() : task.fn();
  if (isThenable(result)) return finishAfterOperation(result, task);
  const after = task.afterEach?.();
  return isThenable(after) ? Promise.resolve(after).then(() => undefined) : undefined;
}

async function finishAfterBefore(
  before: PromiseLike<unknown>,
  task: PerOpHooks,
  operation: (() => unknown) | undefined,
): Promise<void> {
  await before;
  const result = operation ? operation() : task.fn();
  if (isThenable(result)) await result;
  const after = task.afterEach?.();
  if (isThenable(after)) await after;
}

async function finishAfterOperation(result: PromiseLike<unknown>, task: PerOpHooks) {
  await result;
  const after = task.afterEach?.();
  if (isThenable(after)) await after;
}
