/**
 * Simulated fork levels with CI-like noise, for the synthetic evaluation of the timing model and
 * for its property tests. A benchmark's level in one fork of one run is
 *   ln μ + change + runner_r + bench_{r,b} + fork_{r,b,f} + median noise,
 * where runner_r is shared by every benchmark of run r (the runner, its boost state), bench_{r,b}
 * is run-to-run noise of that benchmark alone, fork_{r,b,f} is the between-process noise (JIT
 * outcomes) and the median noise is that of a median of `samples` log-normal samples with
 * coefficient of variation `within` (sd ≈ 1.2533·within/√samples).
 */

export interface Noise {
  /** sd of the runner offset shared by all benchmarks of a run (log scale). */
  runner: number;
  /** sd of a benchmark's own run-to-run offset. */
  bench: number;
  /** sd between forks of one run. */
  fork: number;
  /** cv of one sample within a fork. */
  within: number;
  /** Samples per fork. */
  samples: number;
  /** Share of forks that land in a second, slower JIT outcome (0 = none). */
  bimodalShare?: number;
  /** ln ratio of the slow outcome. */
  bimodalGap?: number;
  /** Drift: per pair position, a shift shared by base and head forks run together. */
  drift?: number;
}

/** CI-like noise of the issue: runner 1.5 %, per benchmark 1 %, samples 5 %, forks 1 %. */
export const CI_NOISE: Noise = {
  runner: 0.015,
  bench: 0.01,
  fork: 0.01,
  within: 0.05,
  samples: 40,
};

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function prng(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** One run of `benchmarks` benchmarks with `forks` forks: levels[b][f]. */
export function simulateRun(
  baseLevels: readonly number[],
  changes: readonly number[],
  forks: number,
  noise: Noise,
  random: () => number,
  drift: readonly number[] = [],
): number[][] {
  const runner = noise.runner * gaussian(random);
  const medianSd = (1.2533 * noise.within) / Math.sqrt(noise.samples);
  return baseLevels.map((level, b) => {
    const bench = noise.bench * gaussian(random);
    return Array.from({ length: forks }, (_, f) => {
      const slow =
        noise.bimodalShare && random() < noise.bimodalShare ? (noise.bimodalGap ?? 0) : 0;
      return (
        level +
        (changes[b] ?? 0) +
        runner +
        bench +
        slow +
        (drift[f] ?? 0) +
        noise.fork * gaussian(random) +
        medianSd * gaussian(random)
      );
    });
  });
}

/**
 * base and head measured as alternating pairs on one machine in one job: the runner and the
 * benchmark's run offset are shared by both sides, and so is the drift at each pair position.
 */
export function simulatePairs(
  baseLevels: readonly number[],
  changes: readonly number[],
  forks: number,
  noise: Noise,
  random: () => number,
): Array<Array<{ base: number; head: number }>> {
  const drift = Array.from({ length: forks }, () => (noise.drift ?? 0) * gaussian(random));
  const shared = { ...noise, runner: 0, bench: 0 };
  const runner = noise.runner * gaussian(random);
  const bench = baseLevels.map(() => noise.bench * gaussian(random));
  const shift = baseLevels.map((l, b) => l + runner + bench[b]);
  const base = simulateRun(shift, [], forks, shared, random, drift);
  const head = simulateRun(shift, changes, forks, shared, random, drift);
  return base.map((forksOfBase, b) => forksOfBase.map((x, f) => ({ base: x, head: head[b][f] })));
}

/** Wilson score interval of a proportion (95 %), as fractions. */
export function wilson(successes: number, trials: number): [number, number] {
  if (trials === 0) return [0, 1];
  const z = 1.959963984540054;
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const half =
    (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
