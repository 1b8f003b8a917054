/**
 * `perfgate calibrate`: what the gate can see on this machine, from an A/A measurement (the
 * suite against itself in alternating fork pairs, as `--against` runs them). Pure.
 *
 * Per benchmark: the between-fork noise (sd of fork levels, as a fraction), the within-fork
 * noise (the robust sd of ln samples inside a fork, median over forks), the minimum detectable
 * change of the paired test at the current fork count, and the forks (and measuring time) a
 * 5 % change would need. Variances are pooled across benchmarks as the gate pools them.
 */
import { forkLevels, noiseCovariate, variance, withinForkNoise } from './fork-levels.js';
import { fitVariancePriors, moderate } from './moderated-variance.js';
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
  // Within-fork noise of both sides: the covariate of the variance prior, as in the gate.
  const noise = inputs.map((input) =>
    withinForkNoise([...input.a.samples, ...input.b.samples], [...input.a.forks, ...input.b.forks]),
  );
  // A benchmark without a contrast has no variance of its own: it is left out of the fit.
  const priors = fitVariancePriors(
    contrasts.map((c) => c?.own ?? { variance: 0, df: 0 }),
    noise.map(noiseCovariate),
  );
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
    const within = noise[i] === null ? null : Math.expm1(noise[i]!);

    const v = contrast ? moderate(contrast.own, priors[i]) : null;
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
