/**
 * Synthetic suites whose benchmarks differ in steadiness, as the real suite does on an idle
 * machine (between-fork sds from 1 % to 90 %, eval/timing/suite): each benchmark's fork noise
 * σ_b is drawn log-uniformly from [1 %, 30 %], and its within-fork noise (the covariate of the
 * variance prior) is σ_b times a log-normal factor, so that it tells steady from unsteady
 * benchmarks only roughly. Compares one variance prior for the whole suite (no covariate) with
 * the prior whose scale follows the within-fork noise, in paired mode (--against), on the same
 * seeds: A/A pull requests failing, and detection of a 10 % slowdown of a steady benchmark
 * (σ_b ≤ 3 %) and of any benchmark. Also with a covariate that says nothing (independent of
 * σ_b): the false-alarm rate must stay at alpha then too.
 */
import { judgeTiming, type TimingCase } from '../../src/stats/timing-verdict.js';
import { gaussian, prng, wilson } from './simulate.js';

export interface HeterogeneousSettings {
  benchmarks: number;
  pairs: number;
  alpha: number;
  threshold: number;
  trials: number;
  /** sd of ln(covariate / σ_b): how loosely the within-fork noise follows the fork noise. */
  looseness: number;
}

export const HETEROGENEOUS_DEFAULTS: HeterogeneousSettings = {
  benchmarks: 16,
  pairs: 5,
  alpha: 0.01,
  threshold: 0.02,
  trials: 2000,
  looseness: 0.5,
};

export type Covariate = 'none' | 'within-fork noise' | 'uninformative';

export interface HeterogeneousRow {
  covariate: Covariate;
  prFalseAlarms: { k: number; n: number; interval: [number, number] };
  steadyDetected10: { k: number; n: number; interval: [number, number] };
  anyDetected10: { k: number; n: number; interval: [number, number] };
  /** Median MDE of the steady benchmarks (σ_b ≤ 3 %) in the A/A trials. */
  steadyMde: number;
}

const STEADY = 0.03;

function suite(s: HeterogeneousSettings, random: () => number) {
  return Array.from({ length: s.benchmarks }, () => {
    const sigma = Math.exp(Math.log(0.01) + random() * (Math.log(0.3) - Math.log(0.01)));
    return {
      sigma,
      informative: sigma * Math.exp(s.looseness * gaussian(random)),
      uninformative: 0.05 * Math.exp(gaussian(random)),
    };
  });
}

function cases(
  benchmarks: ReturnType<typeof suite>,
  covariate: Covariate,
  changed: number,
  change: number,
  s: HeterogeneousSettings,
  random: () => number,
): TimingCase[] {
  return benchmarks.map((b, i) => ({
    direction: 'smaller',
    threshold: s.threshold,
    noise:
      covariate === 'none'
        ? undefined
        : covariate === 'within-fork noise'
          ? b.informative
          : b.uninformative,
    data: {
      design: 'paired',
      pairs: Array.from({ length: s.pairs }, () => {
        const base = b.sigma * gaussian(random);
        const head = b.sigma * gaussian(random) + (i === changed ? Math.log1p(change) : 0);
        return { base, head };
      }),
    },
  }));
}

const rate = (k: number, n: number) => ({ k, n, interval: wilson(k, n) });

export function runHeterogeneous(
  covariate: Covariate,
  s: HeterogeneousSettings = HETEROGENEOUS_DEFAULTS,
): HeterogeneousRow {
  // The same seed for every covariate: the rows differ by the prior only.
  const random = prng(11);
  let falsePrs = 0;
  let steadyN = 0;
  let steadyK = 0;
  let anyK = 0;
  const mdes: number[] = [];
  for (let t = 0; t < s.trials; t++) {
    const benchmarks = suite(s, random);
    const aa = judgeTiming(cases(benchmarks, covariate, -1, 0, s, random), s.alpha).judgements;
    if (aa.some((j) => j.status === 'regression' || j.status === 'improvement')) falsePrs++;
    aa.forEach((j, i) => {
      if (benchmarks[i].sigma <= STEADY && j.mde !== null) mdes.push(j.mde);
    });
    const which = t % s.benchmarks;
    const ab = judgeTiming(cases(benchmarks, covariate, which, 0.1, s, random), s.alpha).judgements;
    const hit = ab[which].status === 'regression';
    if (hit) anyK++;
    if (benchmarks[which].sigma <= STEADY) {
      steadyN++;
      if (hit) steadyK++;
    }
  }
  mdes.sort((a, b) => a - b);
  return {
    covariate,
    prFalseAlarms: rate(falsePrs, s.trials),
    steadyDetected10: rate(steadyK, steadyN),
    anyDetected10: rate(anyK, s.trials),
    steadyMde: mdes[mdes.length >> 1] ?? NaN,
  };
}
