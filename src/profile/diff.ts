/** Diff of two profiles at function level (own time, project first). Pure. */
import type { Frame } from './tree.js';
import {
  nullModel,
  significantChanges,
  typicalShare,
  type NoiseOptions,
  type NullReference,
} from './noise.js';

/** Changes smaller than this share of the profile's total time are not reported. */
export const MIN_SHARE_OF_TOTAL = 0.01;

/**
 * V8's `(idle)`: the thread waited (event loop, I/O) — no code ran, so no function to blame.
 * It stays in the profile (and in the time per op); the timing comparison covers it.
 */
function isIdle(frame: Frame): boolean {
  return frame.name === '(idle)' && frame.file === '';
}

/** One function of a diff side. `ownSamples` absent (older Runs): self samples are used. */
export interface DiffFunction extends Frame {
  selfSamples: number;
  totalSamples: number;
  ownSamples?: number;
  /** Calls per unit of the compared value's denominator (per op), when counted. */
  calls?: number;
}

/** One side of a diff: per-function samples and the value they stand for. */
export interface DiffSide {
  functions: readonly DiffFunction[];
  /** All samples of the profile (the denominator of shares). */
  samples: number;
  /** Samples per unit of the compared value (e.g. per ns per op): value = samples / exposure. */
  exposure: number;
}

export interface FunctionDiff extends Frame {
  /** Own value in base / head (unit of the exposure, e.g. ns per op). */
  base: number;
  head: number;
  /** head / base - 1; null when the function is new (base 0). */
  change: number | null;
  baseSamples: number;
  headSamples: number;
  /** Inclusive value in base / head. */
  totalBase: number;
  totalHead: number;
  /** Line of the function in base when it moved (the same function: matched by name and file). */
  baseLine?: number;
  /** Calls in base / head (per op), when both sides counted them. */
  calls?: { base: number; head: number };
  /** Holm-adjusted p-value of the two-rate test. */
  pValue: number;
}

/**
 * Identity of a function across two versions of the code: its name and file. The line is an
 * attribute (lines move when code above them changes). Names that occur more than once in one
 * file on one side (`(anonymous)`, methods of different classes) are told apart by their order
 * in the file, the closest thing to an enclosing scope the profilers give.
 */
export function identities(functions: readonly Frame[]): string[] {
  const groups = new Map<string, number[]>();
  functions.forEach((f, i) => {
    const key = `${f.name}\u0000${f.file}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const keys = Array<string>(functions.length);
  for (const [key, list] of groups) {
    if (list.length === 1) {
      keys[list[0]!] = key;
      continue;
    }
    [...list]
      .sort((a, b) => functions[a]!.line - functions[b]!.line)
      .forEach((index, ordinal) => (keys[index] = `${key}\u0000#${ordinal}`));
  }
  return keys;
}

interface Row {
  frame: Frame;
  baseLine?: number;
  base: number;
  head: number;
  totalBase: number;
  totalHead: number;
  callsBase?: number;
  callsHead?: number;
}

/** Own and inclusive counts of one function (or flame graph frame) on both sides. */
export interface ChangeCounts {
  base: number;
  head: number;
  totalBase: number;
  totalHead: number;
}

export interface ChangeVerdict {
  significant: boolean;
  /** Holm-adjusted p-value of the own counts' two-rate test. */
  pValue: number;
  /** Change of the own value beyond the profile-wide factor, in the exposure's unit (e.g. ns per op). */
  delta: number;
}

/**
 * The noise rule of function changes, for any list of own/inclusive counts (functions, flame
 * graph frames). With enough entries, "no change" is "the same ratio as the typical entry": a
 * profile-wide factor (a busier machine, a longer recording) is not blamed on every entry, and
 * neither is an entry whose share only moved because another one grew; with fewer, the recorded
 * values themselves are compared. The inclusive value must change in the same direction, beyond
 * noise too (self time that only moved between a caller and its inlined callee is no change), and
 * the change must be at least `minShareOfTotal` of `total` (the profile's value).
 */
export function judgeChanges(
  list: readonly ChangeCounts[],
  exposure: { base: number; head: number },
  options: NoiseOptions & { minShareOfTotal?: number; total: number; reference?: NullReference },
): ChangeVerdict[] {
  const reference =
    options.reference ?? (typicalShare(list) !== undefined ? 'typical' : 'exposure');
  const null0 = nullModel(list, exposure, reference);
  const tests = significantChanges(list, exposure, { ...options, fixed: null0 });
  // Too small to matter: a change under this share of the whole profile's time cannot explain a
  // benchmark's regression (and is where run-to-run jitter of start-up code lives).
  const floor = (options.minShareOfTotal ?? MIN_SHARE_OF_TOTAL) * options.total;
  // Totals are tested with the same null model: callers' totals (up to the root, which holds
  // everything) are not "typical" functions and must not set the reference.
  const totals = list.map((r) => ({ base: r.totalBase, head: r.totalHead }));
  const totalTests = significantChanges(totals, exposure, { ...options, fixed: null0 });
  // The change relative to the reference, in the value's unit: under a profile-wide factor f
  // (null share p = f·e_h / (e_b + f·e_h)), a function changed by what exceeds f.
  const factor = (null0.p / (1 - null0.p)) * (exposure.base / exposure.head);
  return list.map((r, i) => {
    const delta = r.head / exposure.head - (factor * r.base) / exposure.base;
    const totalDelta = r.totalHead / exposure.head - (factor * r.totalBase) / exposure.base;
    const significant =
      Math.abs(delta) >= floor &&
      tests[i]!.significant &&
      totalTests[i]!.significant &&
      Math.sign(delta) === Math.sign(totalDelta);
    return { significant, pValue: tests[i]!.pValue, delta };
  });
}

/**
 * Functions whose own time (self plus the dependency frames they called, see project.ts)
 * changed beyond sampling noise, largest absolute change first. Several bases are pooled (counts
 * and exposures add up).
 *
 * Values are times (samples ÷ exposure, e.g. per op), not shares of each profile: a share moves
 * whenever anything else moves. When enough functions have samples, "no change" is the typical
 * function's ratio (a profile-wide factor such as a busier machine is not blamed on every
 * function); with fewer, the recorded times themselves. Charging dependency frames to their
 * project caller keeps the typical function honest: a doubled function no longer doubles a crowd
 * of runtime helpers under it that would outvote the unchanged functions. The function's total
 * (inclusive) time must change in the same direction, beyond noise too (self time that only
 * moved between a caller and its inlined callee is no change). Changes smaller than 1 % of the
 * profile's total time are not reported.
 */
export function diffFunctions(
  bases: readonly DiffSide[],
  head: DiffSide,
  options: NoiseOptions & { all?: boolean; minShareOfTotal?: number } = {},
): FunctionDiff[] {
  const baseExposure = bases.reduce((sum, side) => sum + side.exposure, 0);
  if (bases.length === 0 || !(baseExposure > 0) || !(head.exposure > 0)) return [];
  if (!bases.every((side) => side.samples > 0) || !(head.samples > 0)) return [];
  const rows = new Map<string, Row>();
  const add = (side: DiffSide, which: 'base' | 'head') => {
    const keys = identities(side.functions);
    side.functions.forEach((f, i) => {
      if (isIdle(f)) return;
      let r = rows.get(keys[i]!);
      if (!r) {
        r = {
          frame: { name: f.name, file: f.file, line: f.line },
          base: 0,
          head: 0,
          totalBase: 0,
          totalHead: 0,
        };
        rows.set(keys[i]!, r);
      }
      const own = f.ownSamples ?? f.selfSamples;
      const total = Math.max(f.totalSamples, own);
      if (which === 'base') {
        r.base += own;
        r.totalBase += total;
        if (f.calls !== undefined) r.callsBase = (r.callsBase ?? 0) + f.calls * side.exposure;
        if (r.frame.line !== f.line) r.baseLine = f.line;
      } else {
        // The head's line is the one a reviewer sees in the pull request.
        if (r.frame.line !== f.line) {
          r.baseLine = r.frame.line;
          r.frame.line = f.line;
        }
        r.head += own;
        r.totalHead += total;
        if (f.calls !== undefined) r.callsHead = (r.callsHead ?? 0) + f.calls * side.exposure;
      }
    });
  };
  for (const side of bases) add(side, 'base');
  add(head, 'head');
  const list = [...rows.values()].filter((r) => r.base + r.head > 0);
  const exposure = { base: baseExposure, head: head.exposure };
  const baseSamples = bases.reduce((sum, side) => sum + side.samples, 0);
  const verdicts = judgeChanges(list, exposure, {
    ...options,
    total: Math.max(head.samples / head.exposure, baseSamples / baseExposure),
  });
  const diffs: FunctionDiff[] = [];
  list.forEach((r, i) => {
    const { significant, pValue } = verdicts[i]!;
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
      totalBase: r.totalBase / baseExposure,
      totalHead: r.totalHead / head.exposure,
      ...(r.baseLine !== undefined && r.baseLine !== r.frame.line ? { baseLine: r.baseLine } : {}),
      ...(r.callsBase !== undefined && r.callsHead !== undefined
        ? { calls: { base: r.callsBase / baseExposure, head: r.callsHead / head.exposure } }
        : {}),
      pValue,
    });
  });
  return diffs.sort(
    (a, b) =>
      Math.abs(b.head - b.base) - Math.abs(a.head - a.base) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
  );
}
