/** Diff of two profiles at function level (own time, project first). Pure. */
import type { Frame } from './tree.js';
import { identities } from '../model/identity.js';
import { isRuntimeFrame } from './project.js';
import { acrossRecordings, blockDispersions, pooledExtra, priorSpread } from './spread.js';

export { identities };
import {
  nullModel,
  significantChanges,
  typicalShare,
  type CountPair,
  type NoiseOptions,
  type NullReference,
} from './noise.js';

/** Changes smaller than this share of the profile's total time are not reported. */
export const MIN_SHARE_OF_TOTAL = 0.01;

/** One function of a diff side. `ownSamples` absent (older Runs): self samples are used. */
export interface DiffFunction extends Frame {
  selfSamples: number;
  totalSamples: number;
  ownSamples?: number;
  /** Calls per unit of the compared value's denominator (per op), when counted. */
  calls?: number;
  /** Own samples by source line, `[line, samples]` (see ProfileFunction.lines). */
  lines?: Iterable<readonly [number, number]>;
  /** The part of own samples spent in dependencies, `[package, samples]`. */
  dependencies?: Iterable<readonly [string, number]>;
  /** Own samples in each block of the recording (ProfileFunction.blocks). */
  blocks?: readonly number[];
}

/** One side of a diff: per-function samples and the value they stand for. */
export interface DiffSide {
  functions: readonly DiffFunction[];
  /** All samples of the profile (the denominator of shares). */
  samples: number;
  /** Samples per unit of the compared value (e.g. per ns per op): value = samples / exposure. */
  exposure: number;
  /** All samples in each block of the recording (ProfileAttachment.blocks), when known. */
  blocks?: readonly number[];
  /** The profiler that recorded it ('v8', 'pprof', …): its prior spread (spread.ts). */
  source?: string;
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
  /** Lines whose own value changed beyond noise (at most 3, largest change first). */
  lines?: Array<{ line: number; base: number; head: number }>;
  /** Own value spent in dependencies, by package (at most 3, largest in head first). */
  dependencies?: Array<{ package: string; base: number; head: number }>;
  /** Holm-adjusted p-value of the two-rate test. */
  pValue: number;
  /**
   * Change of the own value beyond the profile-wide factor (same unit as `base`/`head`): what
   * the list is ordered by (a function that only moved with the whole profile is not first).
   */
  delta: number;
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
  /** Own samples in each base and each head recording, in order (for their spread). */
  perBase: number[];
  perHead: number[];
  /** Own samples by block of each base's recording, and of each head's (spread.ts). */
  baseBlocks: Array<readonly number[] | undefined>;
  headBlocks: Array<readonly number[] | undefined>;
  /** Samples by line offset from the function's first line (lines move with the function). */
  lines?: Map<number, CountPair>;
  dependencies?: Map<string, CountPair>;
}

/** Dependencies shown per function. */
const MAX_DEPENDENCIES = 3;

/** Hot lines shown per function. */
const MAX_HOT_LINES = 3;

/** Own and inclusive counts of one function (or flame graph frame) on both sides. */
export interface ChangeCounts {
  base: number;
  head: number;
  totalBase: number;
  totalHead: number;
  /**
   * The runtime's own work with no project frame above it (see isRuntimeFrame): left out of the
   * null model and never significant.
   */
  runtime?: boolean;
  /** Variance of ln(head / base) between recordings of the same code (spread.ts), own and inclusive. */
  extraVariance?: number;
}

export interface ChangeVerdict {
  significant: boolean;
  /** Holm-adjusted p-value of the own counts' two-rate test. */
  pValue: number;
  /** Change of the own value beyond the profile-wide factor, in the exposure's unit (e.g. ns per op). */
  delta: number;
  /** The entry was the runtime's own work (ChangeCounts.runtime): not judged. */
  runtime?: boolean;
}

/**
 * The null model of the noise rule: the null head share and dispersion, and the profile-wide
 * factor f it implies. Under f (null share p = f·e_h / (e_b + f·e_h)), a value changed by what
 * exceeds f: delta = head / e_h − f · base / e_b.
 */
export function nullFactor(
  list: readonly CountPair[],
  exposure: { base: number; head: number },
  reference?: NullReference,
): { null0: { p: number; phi: number }; factor: number } {
  const chosen = reference ?? (typicalShare(list) !== undefined ? 'typical' : 'exposure');
  const null0 = nullModel(list, exposure, chosen);
  return { null0, factor: (null0.p / (1 - null0.p)) * (exposure.base / exposure.head) };
}

/**
 * Adds a side's own samples by line (keyed by offset from the function's first line) and by
 * dependency to a row.
 */
function addDetail(r: Row, f: DiffFunction, which: 'base' | 'head'): void {
  for (const [name, samples] of f.dependencies ?? []) {
    const dependencies = (r.dependencies ??= new Map());
    const pair = dependencies.get(name) ?? { base: 0, head: 0 };
    pair[which] += samples;
    dependencies.set(name, pair);
  }
  if (!f.lines) return;
  for (const [line, samples] of f.lines) {
    const lines = (r.lines ??= new Map());
    const offset = line - f.line;
    const pair = lines.get(offset) ?? { base: 0, head: 0 };
    pair[which] += samples;
    lines.set(offset, pair);
  }
}

/**
 * The lines of a function whose own samples changed beyond noise, by the same null model as the
 * functions (Holm over the function's lines), largest change first, at the head's line numbers.
 */
function hotLines(
  r: Row,
  exposure: { base: number; head: number },
  model: ReturnType<typeof nullFactor>,
  options: NoiseOptions,
): Array<{ line: number; base: number; head: number }> {
  const entries = [...r.lines!].filter(([offset]) => r.frame.line + offset > 0);
  const tests = significantChanges(
    entries.map(([, pair]) => pair),
    exposure,
    { ...options, fixed: model.null0 },
  );
  return entries
    .map(([offset, pair], i) => ({
      line: r.frame.line + offset,
      base: pair.base / exposure.base,
      head: pair.head / exposure.head,
      delta: pair.head / exposure.head - (model.factor * pair.base) / exposure.base,
      significant: tests[i]!.significant,
    }))
    .filter((l) => l.significant)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.line - b.line)
    .slice(0, MAX_HOT_LINES)
    .map(({ line, base, head }) => ({ line, base, head }));
}

/**
 * The noise rule of function changes, for any list of own/inclusive counts (functions, flame
 * graph frames). With enough entries, "no change" is "the same ratio as the typical entry": a
 * profile-wide factor (a busier machine, a longer recording) is not blamed on every entry, and
 * neither is an entry whose share only moved because another one grew; with fewer, the recorded
 * values themselves are compared. The inclusive value must change in the same direction, beyond
 * noise too (self time that only moved between a caller and its inlined callee is no change), and
 * the change must be at least `minShareOfTotal` of `total` (the profile's value). Entries marked
 * `runtime` (the garbage collector, the scheduler, the kernel, with no project frame above) vary
 * between runs for reasons of their own: they neither set the typical ratio, the dispersion nor
 * the Holm family, and are never significant.
 */
export function judgeChanges(
  list: readonly ChangeCounts[],
  exposure: { base: number; head: number },
  options: NoiseOptions & { minShareOfTotal?: number; total: number; reference?: NullReference },
): ChangeVerdict[] {
  const judged = list.filter((r) => !r.runtime);
  const { null0, factor } = nullFactor(judged, exposure, options.reference);
  const tests = significantChanges(judged, exposure, { ...options, fixed: null0 });
  // Too small to matter: a change under this share of the whole profile's time cannot explain a
  // benchmark's regression (and is where run-to-run jitter of start-up code lives).
  const floor = (options.minShareOfTotal ?? MIN_SHARE_OF_TOTAL) * options.total;
  // Totals are tested with the same null model: callers' totals (up to the root, which holds
  // everything) are not "typical" functions and must not set the reference.
  const totals = judged.map((r) => ({
    base: r.totalBase,
    head: r.totalHead,
    extraVariance: r.extraVariance,
  }));
  const totalTests = significantChanges(totals, exposure, { ...options, fixed: null0 });
  let j = 0;
  return list.map((r) => {
    const delta = r.head / exposure.head - (factor * r.base) / exposure.base;
    if (r.runtime) return { significant: false, pValue: 1, delta, runtime: true };
    const totalDelta = r.totalHead / exposure.head - (factor * r.totalBase) / exposure.base;
    const i = j++;
    const significant =
      Math.abs(delta) >= floor &&
      tests[i]!.significant &&
      totalTests[i]!.significant &&
      Math.sign(delta) === Math.sign(totalDelta);
    return { significant, pValue: tests[i]!.pValue, delta };
  });
}

/**
 * How much each function's ln(head / base) moves between recordings of the same code beyond
 * sampling (spread.ts): the larger of what the recordings' own blocks show (each side's
 * dispersion within its recordings) and what the spread across a side's recordings shows.
 */
function spreadVariances(
  rows: readonly Row[],
  bases: readonly DiffSide[],
  heads: readonly DiffSide[],
  prior: number,
): number[] {
  const phis = (sides: readonly DiffSide[], blocks: (r: Row) => typeof r.baseBlocks) =>
    sides.map((side, s) =>
      blockDispersions(
        rows.map((r) => blocks(r)[s]),
        side.blocks,
      ),
    );
  const basePhi = phis(bases, (r) => r.baseBlocks);
  const headPhi = phis(heads, (r) => r.headBlocks);
  const across = acrossRecordings(
    [
      { counts: rows.map((r) => r.perBase), exposures: bases.map((side) => side.exposure) },
      { counts: rows.map((r) => r.perHead), exposures: heads.map((side) => side.exposure) },
    ],
    prior,
  );
  return rows.map((r, f) => {
    const within =
      pooledExtra(
        r.perBase,
        basePhi.map((phi) => phi?.[f] ?? 1),
      ) +
      pooledExtra(
        r.perHead,
        headPhi.map((phi) => phi?.[f] ?? 1),
      );
    return Math.max(within, across[f]!);
  });
}

/** The recordings of a side, given as one or as a list. */
export function listOf<T extends object>(side: T | readonly T[]): readonly T[] {
  return (Array.isArray(side) ? side : [side]) as readonly T[];
}

/**
 * The order of function changes: the largest change beyond the profile-wide factor first (the
 * function really slowed, not one that only moved with a busier machine), then by name and file.
 */
function byChange(a: Frame & { delta: number }, b: Frame & { delta: number }): number {
  return (
    Math.abs(b.delta) - Math.abs(a.delta) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
  );
}

/**
 * Functions whose own time (self plus the dependency frames they called, see project.ts)
 * changed beyond sampling noise, largest change beyond the profile-wide factor first (`delta`).
 * Several bases are pooled (counts and exposures add up), and so are several head recordings
 * (processes of the head code): their spread is then measured on both sides (spread.ts).
 *
 * Values are times (samples ÷ exposure, e.g. per op), not shares of each profile: a share moves
 * whenever anything else moves. When enough functions have samples, "no change" is the typical
 * function's ratio (a profile-wide factor such as a busier machine is not blamed on every
 * function); with fewer, the recorded times themselves. Charging dependency frames to their
 * project caller keeps the typical function honest: a doubled function no longer doubles a crowd
 * of runtime helpers under it that would outvote the unchanged functions. The function's total
 * (inclusive) time must change in the same direction, beyond noise too (self time that only
 * moved between a caller and its inlined callee is no change). Changes smaller than 1 % of the
 * profile's total time are not reported. The runtime's own work that no project frame called
 * (V8's `(garbage collector)`, `(program)`, `(idle)`; Go's `runtime.*`; kernel frames; see
 * isRuntimeFrame) is left out: it varies between runs for reasons of its own (when the collector
 * runs) and is no function to blame; it stays in the profile's total. Runtime frames that a
 * project function called are part of that function's own time.
 */
export function diffFunctions(
  bases: readonly DiffSide[],
  head: DiffSide | readonly DiffSide[],
  options: NoiseOptions & {
    all?: boolean;
    minShareOfTotal?: number;
    /** The prior spread instead of the profiler's (spread.ts): what eval:findings weighs. */
    priorSpread?: number;
  } = {},
): FunctionDiff[] {
  const heads = listOf(head);
  const baseExposure = bases.reduce((sum, side) => sum + side.exposure, 0);
  const headExposure = heads.reduce((sum, side) => sum + side.exposure, 0);
  if (bases.length === 0 || heads.length === 0) return [];
  if (!(baseExposure > 0) || !(headExposure > 0)) return [];
  if (![...bases, ...heads].every((side) => side.samples > 0)) return [];
  const rows = new Map<string, Row>();
  const add = (side: DiffSide, which: 'base' | 'head', index: number) => {
    const keys = identities(side.functions);
    side.functions.forEach((f, i) => {
      // A runtime frame's own samples are those no project frame called (see analysis.ts).
      if (isRuntimeFrame(f)) return;
      let r = rows.get(keys[i]!);
      if (!r) {
        r = {
          frame: { name: f.name, file: f.file, line: f.line },
          base: 0,
          head: 0,
          totalBase: 0,
          totalHead: 0,
          perBase: bases.map(() => 0),
          perHead: heads.map(() => 0),
          baseBlocks: bases.map(() => undefined),
          headBlocks: heads.map(() => undefined),
        };
        rows.set(keys[i]!, r);
      }
      const own = f.ownSamples ?? f.selfSamples;
      const total = Math.max(f.totalSamples, own);
      if (which === 'base') {
        r.base += own;
        r.perBase[index] += own;
        if (f.blocks) r.baseBlocks[index] = f.blocks;
        r.totalBase += total;
        if (f.calls !== undefined) r.callsBase = (r.callsBase ?? 0) + f.calls * side.exposure;
        if (r.frame.line !== f.line) r.baseLine = f.line;
        addDetail(r, f, 'base');
      } else {
        // The head's line is the one a reviewer sees in the pull request.
        if (r.frame.line !== f.line) {
          r.baseLine = r.frame.line;
          r.frame.line = f.line;
        }
        r.head += own;
        r.perHead[index] += own;
        if (f.blocks) r.headBlocks[index] = f.blocks;
        r.totalHead += total;
        if (f.calls !== undefined) r.callsHead = (r.callsHead ?? 0) + f.calls * side.exposure;
        addDetail(r, f, 'head');
      }
    });
  };
  bases.forEach((side, b) => add(side, 'base', b));
  heads.forEach((side, h) => add(side, 'head', h));
  const found = [...rows.values()].filter((r) => r.base + r.head > 0);
  const prior =
    options.priorSpread ??
    Math.max(...[...bases, ...heads].map((side) => priorSpread(side.source)));
  const variances = spreadVariances(found, bases, heads, prior);
  const list = found.map((r, i) => ({ ...r, extraVariance: variances[i]! }));
  const exposure = { base: baseExposure, head: headExposure };
  const samplesOf = (sides: readonly DiffSide[]) => sides.reduce((sum, s) => sum + s.samples, 0);
  const verdicts = judgeChanges(list, exposure, {
    ...options,
    total: Math.max(samplesOf(heads) / headExposure, samplesOf(bases) / baseExposure),
  });
  const model = nullFactor(list, exposure);
  const diffs: FunctionDiff[] = [];
  list.forEach((r, i) => {
    const { significant, pValue, delta } = verdicts[i]!;
    if (!options.all && !significant) return;
    const lines = r.lines ? hotLines(r, exposure, model, options) : [];
    const base = r.base / baseExposure;
    const value = r.head / headExposure;
    diffs.push({
      ...r.frame,
      base,
      head: value,
      change: base > 0 ? value / base - 1 : null,
      baseSamples: r.base,
      headSamples: r.head,
      totalBase: r.totalBase / baseExposure,
      totalHead: r.totalHead / headExposure,
      ...(r.baseLine !== undefined && r.baseLine !== r.frame.line ? { baseLine: r.baseLine } : {}),
      ...(r.callsBase !== undefined && r.callsHead !== undefined
        ? { calls: { base: r.callsBase / baseExposure, head: r.callsHead / headExposure } }
        : {}),
      ...(lines.length > 0 ? { lines } : {}),
      ...(r.dependencies
        ? {
            dependencies: [...r.dependencies]
              .map(([name, pair]) => ({
                package: name,
                base: pair.base / baseExposure,
                head: pair.head / headExposure,
              }))
              .sort((a, b) => b.head - a.head || b.base - a.base)
              .slice(0, MAX_DEPENDENCIES),
          }
        : {}),
      pValue,
      delta,
    });
  });
  return diffs.sort(byChange);
}
