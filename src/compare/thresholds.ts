/** Which threshold applies to a benchmark id. Pure. */

/**
 * `thresholds` maps patterns on the benchmark id (`*` matches any run of characters, including
 * ` > `) to fractions. An exact id wins; otherwise the matching pattern with the most literal
 * characters (the most specific); on a tie the one written last. No match: the global threshold.
 */
export function thresholdFor(
  id: string,
  global: number,
  patterns: Readonly<Record<string, number>>,
): number {
  let best: { specificity: number; value: number } | null = null;
  for (const [pattern, value] of Object.entries(patterns)) {
    if (pattern === id) return value;
    if (!matcher(pattern).test(id)) continue;
    const specificity = pattern.replace(/\*/g, '').length;
    if (best === null || specificity >= best.specificity) best = { specificity, value };
  }
  return best?.value ?? global;
}

const cache = new Map<string, RegExp>();

function matcher(pattern: string): RegExp {
  let regex = cache.get(pattern);
  if (!regex) {
    const body = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    regex = new RegExp(`^${body}$`, 's');
    cache.set(pattern, regex);
  }
  return regex;
}
