/**
 * Synthetic evaluation of the timing model (src/stats) on simulated suites with CI-like noise:
 * stored mode (history of 5 main runs) and paired mode (--against), A/A false alarms per
 * benchmark and per pull request, and detection of one slowed benchmark at 2/5/10/20 %.
 * Pure computation, deterministic (seeded); `runSynthetic()` returns the table rows.
 */
import { judgeTiming, type TimingCase } from '../../src/stats/timing-verdict.js';
import { CI_NOISE, prng, simulatePairs, simulateRun, wilson, type Noise } from './simulate.js';

export type Mode = 'stored' | 'paired';

export interface SyntheticSettings {
  benchmarks: number;
  forks: number;
  historyRuns: number;
  threshold: number;
  alpha: number;
  trials: number;
  noise: Noise;
}

export const SYNTHETIC_DEFAULTS: SyntheticSettings = {
  benchmarks: 20,
  forks: 5,
  historyRuns: 5,
  threshold: 0.03,
  alpha: 0.01,
  trials: 5000,
  noise: CI_NOISE,
};

function levelsOf(m: number): number[] {
  return Array.from({ length: m }, (_, i) => Math.log(1000 * 10 ** ((3 * i) / m)));
}

function casesOf(
  mode: Mode,
  changes: number[],
  s: SyntheticSettings,
  random: () => number,
): TimingCase[] {
  const levels = levelsOf(s.benchmarks);
  if (mode === 'paired') {
    return simulatePairs(levels, changes, s.forks, s.noise, random).map((pairs) => ({
      direction: 'smaller',
      threshold: s.threshold,
      data: { design: 'paired', pairs },
    }));
  }
  const mean = (f: number[]) => f.reduce((a, b) => a + b, 0) / f.length;
  const history = Array.from({ length: s.historyRuns }, () =>
    simulateRun(levels, [], s.forks, s.noise, random),
  );
  const head = simulateRun(levels, changes, s.forks, s.noise, random);
  return levels.map((_, b) => ({
    direction: 'smaller',
    threshold: s.threshold,
    data: {
      design: 'history',
      history: history.map((run) => mean(run[b])),
      head: head[b],
      newest: history[0][b],
    },
  }));
}

export interface Rate {
  rate: number;
  interval: [number, number];
  trials: number;
}

const rate = (k: number, n: number): Rate => ({ rate: k / n, interval: wilson(k, n), trials: n });

export interface SyntheticRow {
  mode: Mode;
  /** A/A: share of benchmarks flagged (regression or improvement). */
  benchmarkFalseAlarms: Rate;
  /** A/A: share of pull requests with any benchmark flagged. */
  prFalseAlarms: Rate;
  /** One benchmark slowed by each amount: share detected as a regression. */
  detection: Array<{ slowdown: number; detected: Rate }>;
  /** Median minimum detectable change over the suite's benchmarks in the A/A trials. */
  medianMde: number;
}

export const SLOWDOWNS = [0.02, 0.05, 0.1, 0.2];

export function runSynthetic(
  mode: Mode,
  settings: SyntheticSettings = SYNTHETIC_DEFAULTS,
): SyntheticRow {
  const random = prng(mode === 'stored' ? 1 : 2);
  let flaggedBenchmarks = 0;
  let flaggedPrs = 0;
  const mdes: number[] = [];
  for (let t = 0; t < settings.trials; t++) {
    const judged = judgeTiming(casesOf(mode, [], settings, random), settings.alpha).judgements;
    const flags = judged.filter((j) => j.status === 'regression' || j.status === 'improvement');
    flaggedBenchmarks += flags.length;
    if (flags.length > 0) flaggedPrs++;
    if (t < 50) for (const j of judged) if (j.mde !== null) mdes.push(j.mde);
  }
  mdes.sort((a, b) => a - b);
  const detection = SLOWDOWNS.map((slowdown) => {
    let detected = 0;
    for (let t = 0; t < settings.trials; t++) {
      const which = t % settings.benchmarks;
      const changes = levelsOf(settings.benchmarks).map((_, b) =>
        b === which ? Math.log1p(slowdown) : 0,
      );
      const judged = judgeTiming(
        casesOf(mode, changes, settings, random),
        settings.alpha,
      ).judgements;
      if (judged[which].status === 'regression') detected++;
    }
    return { slowdown, detected: rate(detected, settings.trials) };
  });
  return {
    mode,
    benchmarkFalseAlarms: rate(flaggedBenchmarks, settings.trials * settings.benchmarks),
    prFalseAlarms: rate(flaggedPrs, settings.trials),
    detection,
    medianMde: mdes[mdes.length >> 1] ?? NaN,
  };
}
