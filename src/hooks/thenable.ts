/**
 * Whether a bench function or hook returned a promise (any thenable, as Promises/A+ defines it):
 * the timing loop and every capture pass await it only then, so synchronous code stays
 * synchronous.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
