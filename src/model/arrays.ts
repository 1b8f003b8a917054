// Array helpers safe on input-sized arrays: `push(...xs)` and `Math.max(...xs)` pass every element
// as an argument and overflow the stack near 125,000 elements ("Maximum call stack size exceeded").

/** Appends every element of `items` to `target` (in place); returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Largest value; -Infinity for none, as Math.max(). */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const value of values) if (value > max || Number.isNaN(value)) max = value;
  return max;
}

/** Smallest value; Infinity for none, as Math.min(). */
export function minOf(values: Iterable<number>): number {
  let min = Infinity;
  for (const value of values) if (value < min || Number.isNaN(value)) min = value;
  return min;
}
