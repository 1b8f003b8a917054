/** Diff of two profiles at function level (self time). Pure. */
import { frameKey, type Frame } from './tree.js';
import { significantChanges, type NoiseOptions } from './noise.js';

/** One side of a diff: per-function self samples and the value they stand for. */
export interface DiffSide {
  functions: ReadonlyArray<Frame & { selfSamples: number }>;
  /** All samples of the profile (the denominator of shares). */
  samples: number;
  /** Samples per unit of the compared value (e.g. per ns per op): value = samples / exposure. */
  exposure: number;
}

export interface FunctionDiff extends Frame {
  /** Self value in base / head (unit of the exposure, e.g. ns per op). */
  base: number;
  head: number;
  /** head / base - 1; null when the function is new (base 0). */
  change: number | null;
  baseSamples: number;
  headSamples: number;
  /** Holm-adjusted p-value of the two-rate test. */
  pValue: number;
}

/**
 * Functions whose self value changed beyond sampling noise, largest absolute change first.
 * Several bases are pooled (counts and exposures add up).
 *
 * Two tests must both reject "no change": the function's value (samples per exposure) and its
 * share of all samples. The share test keeps a profile-wide swing (a loaded machine making
 * everything slower) from blaming every function; the value test keeps a function whose share
 * only grew because another one shrank from being blamed.
 */
export function diffFunctions(
  bases: readonly DiffSide[],
  head: DiffSide,
  options: NoiseOptions & { all?: boolean } = {},
): FunctionDiff[] {
  const baseExposure = bases.reduce((sum, side) => sum + side.exposure, 0);
  if (bases.length === 0 || !(baseExposure > 0) || !(head.exposure > 0)) return [];
  if (!bases.every((side) => side.samples > 0) || !(head.samples > 0)) return [];
  const rows = new Map<string, { frame: Frame; base: number; head: number }>();
  const row = (f: Frame) => {
    const key = frameKey(f);
    let r = rows.get(key);
    if (!r) {
      r = { frame: { name: f.name, file: f.file, line: f.line }, base: 0, head: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const side of bases) for (const f of side.functions) row(f).base += f.selfSamples;
  for (const f of head.functions) row(f).head += f.selfSamples;
  const list = [...rows.values()].filter((r) => r.base + r.head > 0);
  const tests = significantChanges(list, { base: baseExposure, head: head.exposure }, options);
  const baseSamples = bases.reduce((sum, side) => sum + side.samples, 0);
  const shares = significantChanges(list, { base: baseSamples, head: head.samples }, options);
  const diffs: FunctionDiff[] = [];
  list.forEach((r, i) => {
    if (!options.all && !(tests[i].significant && shares[i].significant)) return;
    const base = r.base / baseExposure;
    const value = r.head / head.exposure;
    diffs.push({
      ...r.frame,
      base,
      head: value,
      change: base > 0 ? value / base - 1 : null,
      baseSamples: r.base,
      headSamples: r.head,
      pValue: Math.max(tests[i].pValue, shares[i].pValue),
    });
  });
  return diffs.sort(
    (a, b) =>
      Math.abs(b.head - b.base) - Math.abs(a.head - a.base) || (frameKey(a) < frameKey(b) ? -1 : 1),
  );
}
