// perfgate calibrate's arithmetic on simulated A/A fork pairs with known noise.
import { describe, expect, it } from 'vitest';
import { calibrate, type CalibrationInput } from '../../src/stats/calibrate.js';
import { gaussian, prng } from '../../eval/timing/simulate.js';

/** A side of `forks` forks, each `n` log-normal samples around a fork level. */
function side(random: () => number, forks: number, n: number, between: number, within: number) {
  const samples: number[] = [];
  for (let f = 0; f < forks; f++) {
    const level = Math.log(1000) + between * gaussian(random);
    for (let i = 0; i < n; i++) samples.push(Math.exp(level + within * gaussian(random)));
  }
  return { samples, forks: Array.from({ length: forks }, () => n) };
}

describe('calibrate', () => {
  const random = prng(21);
  const noises = [0.01, 0.02, 0.04, 0.08];
  const inputs: CalibrationInput[] = noises.flatMap((between, k) =>
    Array.from({ length: 3 }, (_, j) => ({
      id: `b${k}.${j}`,
      a: side(random, 10, 60, between, 0.05),
      b: side(random, 10, 60, between, 0.05),
    })),
  );
  const rows = calibrate(inputs, {
    alpha: 0.01,
    benchmarks: inputs.length,
    forkTimeMs: 100,
    target: 0.05,
  });

  it('one row per benchmark with its fork count', () => {
    expect(rows.map((r) => r.id)).toEqual(inputs.map((i) => i.id));
    for (const row of rows) expect(row.forks).toBe(10);
  });

  it('measures within-fork noise and orders between-fork noise as simulated', () => {
    for (const row of rows) {
      expect(row.withinFork!).toBeGreaterThan(0.035);
      expect(row.withinFork!).toBeLessThan(0.07);
    }
    const quiet = rows.filter((r) => r.id.startsWith('b0.')).map((r) => r.betweenFork!);
    const loud = rows.filter((r) => r.id.startsWith('b3.')).map((r) => r.betweenFork!);
    expect(Math.max(...quiet)).toBeLessThan(Math.min(...loud));
  });

  it('sizes forks for a 5 % change: more for noisier benchmarks, and the time they cost', () => {
    const forksOf = (k: number) =>
      Math.max(
        ...rows.filter((r) => r.id.startsWith(`b${k}.`)).map((r) => r.forksForTarget ?? Infinity),
      );
    expect(forksOf(0)).toBeLessThanOrEqual(forksOf(3));
    for (const row of rows) {
      expect(row.mde!).toBeGreaterThan(0);
      if (row.forksForTarget !== null)
        expect(row.timeForTargetMs).toBe(2 * row.forksForTarget * 100);
    }
  });
});
