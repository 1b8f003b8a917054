/**
 * Calibrated slowdowns for the evaluation suite. A `slowdown.json` next to this file holds
 * `{ "<task name>": <spin iterations per op> }`; a task wrapped with `slowable` then runs that
 * many iterations of `spin` after each op, so the truth of an A/B trial is known. It is a file
 * of the checkout, like a code change: `--against` a copy without it measures base vs head. The harness
 * sizes the iterations from the task's own measured median and the measured cost of one spin
 * iteration (the suite's `spin 10k` task, timed in the same run under the same conditions):
 * iterations = slowdown × median(task) / (median(spin 10k) / 10,000). Work, not a clock, is
 * added: the same amount in every fork.
 */
import { existsSync, readFileSync } from 'node:fs';

const file = new URL('./slowdown.json', import.meta.url);
const extra: Record<string, number> = existsSync(file)
  ? JSON.parse(readFileSync(file, 'utf8'))
  : {};

/** Iterations of the calibration task. */
export const SPIN_TASK_ITERATIONS = 10_000;

let state = 1;
/** n steps of a linear congruential generator: cheap, steady, not removable as dead code. */
export function spin(n: number): number {
  let x = state;
  for (let i = 0; i < n; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  state = x;
  return x;
}

/** `fn`, plus the configured extra work for `name` after each op (sync stays sync). */
export function slowable<T>(name: string, fn: () => T): () => T {
  const n = Math.round(extra[name] ?? 0);
  if (!(n > 0)) return fn;
  return () => {
    const result = fn();
    if (result instanceof Promise) return result.then((value) => (spin(n), value)) as T;
    spin(n);
    return result;
  };
}
