import { z } from 'zod';
import { InputError } from '../model/errors.js';

/**
 * Thresholds are percentages: `10`, `"10"` and `"10%"` all mean 10 % (returned as 0.1).
 * Percent, not fraction, so that `--threshold 10` and `threshold: 10%` read the same.
 */
export function parseThreshold(value: string | number, source = 'threshold'): number {
  const text = String(value).trim();
  const match = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  if (!match) {
    throw new InputError(
      `${source}: expected a percentage such as 10 or 10%, got ${JSON.stringify(value)}`,
    );
  }
  return Number(match[1]) / 100;
}

/** A percentage in a config file (number or "10%"), parsed to a fraction. Use `.prefault(pct)`. */
export const thresholdSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return parseThreshold(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
