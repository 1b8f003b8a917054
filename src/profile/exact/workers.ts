/**
 * Worker threads of the bench child, for the exact-calls pass. A worker runs the project's
 * modules uninstrumented: on Node 20 neither the module hooks of `module.register()` nor the
 * CommonJS compile hook of the main thread reach another thread (and a worker has no recorder),
 * so calls made in it are not counted. The pass says so when workers ran while it counted.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Worker } from 'node:worker_threads';

const running = new Set<Worker>();
let started = 0;
let tracking = false;

/**
 * Follows the worker threads started from now on (Node publishes each new Worker on the
 * `worker_threads` channel). Called after perfgate's own `module.register()`, whose hooks
 * thread is then already there and is not counted.
 */
export function trackWorkerThreads(): void {
  if (tracking) return;
  tracking = true;
  subscribe('worker_threads', (message) => {
    const worker = (message as { worker?: Worker } | null)?.worker;
    if (!worker) return;
    started += 1;
    running.add(worker);
    worker.once('exit', () => running.delete(worker));
  });
}

/** Opens a window: its function returns how many worker threads ran at some moment of it. */
export function workerThreadsWindow(): () => number {
  const before = started;
  const atStart = running.size;
  return () => atStart + started - before;
}
