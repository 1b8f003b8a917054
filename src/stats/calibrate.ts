/**
 * `perfgate calibrate`: what the gate can see on this machine, from an A/A measurement (the
 * suite against itself in alternating fork pairs, as `--against` runs them). Pure.
 *
 * Per benchmark: the between-fork noise (sd of fork levels, as a fraction), the within-fork
 * noise (the robust sd of ln samples inside a fork, median over forks), the minimum detectable
 * change of the paired test at the current fork count, and the forks (and measuring time) a
 * 5 % change would need. Variances are pooled across benchmarks as the gate pools them.
 */
import { normalQuantile } from './normal.js';
import { forkLevels, splitForks, variance } from './fork-levels.js';
import { fitVariancePrior, moderate } from './moderated-variance.js';
import { minimumDetectableChange, pairedContrast } from './timing-tests.js';
import { MDE_POWER } from './timing-verdict.js';

export interface CalibrationInput {
  id: string;
  /** Samples and per-fork counts of the two sides of the A/A pairs. */
  a: { samples: readonly number[]; forks: readonly number[] };
  b: { samples: readonly number[]; forks: readonly number[] };
}

export interface CalibrationSettings {
  alpha: number;
  /** Benchmarks in the suite (the MDE is stated at the level BH needs for one: alpha/m). */
  benchmarks: number;
  /** Measuring time per fork and task, ms (run.time / forks). */
  forkTimeMs: number;
  /** The change to size for (fraction). */
  target: number;
}

export interface CalibrationRow {
  id: string;
  forks: number;
  /** sd of fork levels between forks (fraction), pooled over the two sides. */
  betweenFork: number | null;
  /** Robust sd of ln samples within a fork (fraction), median over forks. */
  withinFork: number | null;
  /** Minimum detectable change of the paired test at these settings (fraction). */
  mde: number | null;
  /** Fork pairs needed for an MDE of `target`; null when unknown. */
  forksForTarget: number | null;
  /** Measuring time those pairs cost for this task, ms (both sides). */
  timeForTargetMs: number | null;
  /** A/A change the calibration itself measured (fraction). */
  aaChange: number | null;
}

/** Fork pairs at most suggested: beyond it a longer operation helps more than more processes. */
export const MAX_SUGGESTED_FORKS = 100;

function robustSd(sorted: number[]): number {
  const n = sorted.length;
  const q = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.round(p * (n - 1))))];
  // Interquartile range of a normal is 2·0.6745·σ.
  return (q(0.75) - q(0.25)) / (2 * normalQuantile(0.75));
}

export function calibrate(
  inputs: readonly CalibrationInput[],
  settings: CalibrationSettings,
): CalibrationRow[] {
  const pairs = inputs.map((input) => {
    const a = forkLevels(input.a.samples, input.a.forks);
    const b = forkLevels(input.b.samples, input.b.forks);
    const n = Math.min(a.length, b.length);
    return Array.from({ length: n }, (_, i) => ({ base: a[i], head: b[i] }));
  });
  const contrasts = pairs.map(pairedContrast);
  const prior = fitVariancePrior(contrasts.flatMap((c) => (c ? [c.own] : [])));
  const alpha = settings.alpha / Math.max(1, settings.benchmarks);

  return inputs.map((input, i): CalibrationRow => {
    const contrast = contrasts[i];
    const sides = [
      forkLevels(input.a.samples, input.a.forks),
      forkLevels(input.b.samples, input.b.forks),
    ];
    const df = sides.reduce((s, l) => s + Math.max(0, l.length - 1), 0);
    const between =
      df > 0
        ? Math.expm1(
            Math.sqrt(sides.reduce((s, l) => s + variance(l) * Math.max(0, l.length - 1), 0) / df),
          )
        : null;
    const withins = [input.a, input.b]
      .flatMap((side) => splitForks(side.samples, side.forks))
      .filter((f) => f.length >= 4 && f.every((x) => x > 0))
      .map((f) => robustSd(f.map(Math.log).sort((x, y) => x - y)))
      .sort((x, y) => x - y);
    const within = withins.length > 0 ? Math.expm1(withins[withins.length >> 1]) : null;

    const v = contrast ? moderate(contrast.own, prior) : null;
    const forks = pairs[i].length;
    let mde: number | null = null;
    let forksForTarget: number | null = null;
    if (v !== null && forks > 0) {
      mde = minimumDetectableChange(Math.sqrt(v.variance / forks), v.df, alpha, MDE_POWER);
      for (let n = 2; n <= MAX_SUGGESTED_FORKS; n++) {
        // Same replicate variance; its df grows with the pairs measured.
        const df = v.df === Infinity ? Infinity : v.df - (forks - 1) + (n - 1);
        if (
          minimumDetectableChange(Math.sqrt(v.variance / n), df, alpha, MDE_POWER) <=
          settings.target
        ) {
          forksForTarget = n;
          break;
        }
      }
    }
    return {
      id: input.id,
      forks,
      betweenFork: between,
      withinFork: within,
      mde,
      forksForTarget,
      timeForTargetMs: forksForTarget === null ? null : 2 * forksForTarget * settings.forkTimeMs,
      aaChange: contrast ? Math.expm1(contrast.estimate) : null,
    };
  });
}
