/** Diff of two profiles at function level (self time). Pure. */
import { frameKey, type Frame } from './tree.js';
import { nullModel, significantChanges, typicalShare, type NoiseOptions } from './noise.js';

/** Changes smaller than this share of the profile's total time are not reported. */
export const MIN_SHARE_OF_TOTAL = 0.01;

/**
 * V8's `(idle)`: the thread waited (event loop, I/O) — no code ran, so no function to blame.
 * It stays in the profile (and in the time per op); the timing comparison covers it.
 */
function isIdle(frame: Frame): boolean {
  return frame.name === '(idle)' && frame.file === '';
}

/** One side of a diff: per-function self samples and the value they stand for. */
export interface DiffSide {
  functions: ReadonlyArray<Frame & { selfSamples: number; totalSamples: number }>;
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
 * When enough functions have samples, a change is judged against the typical function's ratio
 * (most functions of a profile do not change; a profile-wide factor such as a busier machine is
 * not blamed on every function, and a function whose share only grew because another one grew
 * is not blamed either). With fewer functions, two tests must both reject "no change": the
 * function's value (samples per exposure) and its share of all samples. In both cases the
 * function's total (inclusive) samples must change too, in the same direction. Changes smaller
 * than 1 % of the profile's total time are not reported (they cannot explain a regression).
 */
export function diffFunctions(
  bases: readonly DiffSide[],
  head: DiffSide,
  options: NoiseOptions & { all?: boolean; minShareOfTotal?: number } = {},
): FunctionDiff[] {
  const baseExposure = bases.reduce((sum, side) => sum + side.exposure, 0);
  if (bases.length === 0 || !(baseExposure > 0) || !(head.exposure > 0)) return [];
  if (!bases.every((side) => side.samples > 0) || !(head.samples > 0)) return [];
  const rows = new Map<
    string,
    { frame: Frame; base: number; head: number; totalBase: number; totalHead: number }
  >();
  const row = (f: Frame) => {
    const key = frameKey(f);
    let r = rows.get(key);
    if (!r) {
      r = {
        frame: { name: f.name, file: f.file, line: f.line },
        base: 0,
        head: 0,
        totalBase: 0,
        totalHead: 0,
      };
      rows.set(key, r);
    }
    return r;
  };
  for (const side of bases)
    for (const f of side.functions) {
      if (isIdle(f)) continue;
      const r = row(f);
      r.base += f.selfSamples;
      r.totalBase += Math.max(f.totalSamples, f.selfSamples);
    }
  for (const f of head.functions) {
    if (isIdle(f)) continue;
    const r = row(f);
    r.head += f.selfSamples;
    r.totalHead += Math.max(f.totalSamples, f.selfSamples);
  }
  const list = [...rows.values()].filter((r) => r.base + r.head > 0);
  const exposure = { base: baseExposure, head: head.exposure };
  const baseSamples = bases.reduce((sum, side) => sum + side.samples, 0);
  const typical = typicalShare(list) !== undefined;
  const tests = significantChanges(list, exposure, {
    ...options,
    reference: typical ? 'typical' : 'exposure',
  });
  // Too small to matter: a change under this share of the whole profile's time cannot explain a
  // benchmark's regression (and is where run-to-run jitter of start-up code lives).
  const floor =
    (options.minShareOfTotal ?? MIN_SHARE_OF_TOTAL) *
    Math.max(head.samples / head.exposure, baseSamples / baseExposure);
  const shares = typical
    ? tests
    : significantChanges(list, { base: baseSamples, head: head.samples }, options);
  // Self time that only moved between a caller and its callees (JIT inlining decisions differ
  // from run to run) leaves the caller's total unchanged: require the total to change as well.
  const totals = list.map((r) => ({ base: r.totalBase, head: r.totalHead }));
  // Same null model as the self test: callers' totals (up to the root, which holds everything)
  // are not "typical" functions and must not set the reference.
  const totalTests = significantChanges(totals, exposure, {
    ...options,
    fixed: nullModel(list, exposure, typical ? 'typical' : 'exposure'),
  });
  const diffs: FunctionDiff[] = [];
  list.forEach((r, i) => {
    const material = Math.abs(r.head / head.exposure - r.base / baseExposure) >= floor;
    const significant =
      material &&
      tests[i].significant &&
      shares[i].significant &&
      totalTests[i].significant &&
      Math.sign(r.head / head.exposure - r.base / baseExposure) ===
        Math.sign(r.totalHead / head.exposure - r.totalBase / baseExposure);
    if (!options.all && !significant) return;
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
