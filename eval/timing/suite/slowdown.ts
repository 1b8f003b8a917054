/**
 * Calibrated slowdowns for the evaluation suite. `PERFGATE_EVAL_SLOWDOWN` holds JSON
 * `{ "<task name>": <spin iterations per op> }`; a task wrapped with `slowable` then runs that
 * many iterations of `spin` after each op, so the truth of an A/B trial is known. The harness
 * sizes the iterations from the task's own measured median and the measured cost of one spin
 * iteration (the suite's `spin 10k` task, timed in the same run under the same conditions):
 * iterations = slowdown × median(task) / (median(spin 10k) / 10,000). Work, not a clock, is
 * added: the same amount in every fork.
 */
const extra: Record<string, number> = JSON.parse(process.env.PERFGATE_EVAL_SLOWDOWN ?? '{}');

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
