// Confirm before failing, the pure part: suspects, substitution, and the re-judged Comparison.
import { describe, expect, it } from 'vitest';
import { compare, type CompareOptions } from '../../src/compare/index.js';
import { applyConfirmation, substitute, suspects } from '../../src/compare/confirm.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { Benchmark } from '../../src/model/run.js';
import { forkedBench, forkedRun } from '../helpers/runs.js';

const options = (extra: Partial<CompareOptions> = {}): CompareOptions => ({
  ...defaultConfig(),
  threshold: 0.05,
  ...extra,
});

const forked = (id: string, medians: number[], seed: number): Benchmark =>
  forkedBench(id, medians, seed, 0.02);
const v2 = forkedRun;

const BASE = v2([
  forked('f > a', [100, 101, 99, 100, 100], 1),
  forked('f > b', [50, 51, 49, 50, 50], 2),
  forked('f > c', [20, 20, 21, 20, 19], 3),
]);
/** `a` looks 30 % slower; b and c unchanged. */
const HEAD = v2([
  forked('f > a', [130, 131, 129, 130, 130], 4),
  forked('f > b', [50, 50, 51, 49, 50], 5),
  forked('f > c', [20, 21, 20, 20, 20], 6),
]);

describe('confirmation', () => {
  const first = compare([BASE], HEAD, options());

  it('the suspects are the benchmarks that fail on time', () => {
    expect(first.verdict).toBe('fail');
    expect(suspects(first).map((b) => b.id)).toEqual(['f > a']);
    expect(suspects(compare([BASE], HEAD, options({ failOn: ['queries'] })))).toEqual([]);
  });

  it('substitute replaces only the re-measured benchmarks', () => {
    const again = v2([forked('f > a', [100, 100, 100], 7)]);
    const replaced = substitute(HEAD, again);
    expect(replaced.benchmarks.map((b) => b.id)).toEqual(['f > a', 'f > b', 'f > c']);
    expect(replaced.benchmarks[0]).toBe(again.benchmarks[0]);
    expect(replaced.benchmarks[1]).toBe(HEAD.benchmarks[1]);
  });

  it('not confirmed: the benchmark becomes noisy, the gate passes, the first numbers stay', () => {
    const again = v2([forked('f > a', [100, 101, 99], 8)]);
    const second = compare([BASE], substitute(HEAD, again), options());
    const result = applyConfirmation(first, second, ['f > a'], { forks: 3, seconds: 4.2 });
    const a = result.benchmarks[0];
    expect(a.status).toBe('noisy');
    expect(a.failed).toEqual([]);
    expect(a.time.change).toBe(first.benchmarks[0].time.change);
    expect(a.time.confirmation).toMatchObject({ forks: 3, confirmed: false, seconds: 4.2 });
    expect(Math.abs(a.time.confirmation!.change!)).toBeLessThan(0.05);
    expect(result.verdict).toBe('pass');
    expect(result.reasons).toEqual([]);
    expect(result.summary).toMatchObject({ regression: 0, noisy: 1, unchanged: 2 });
  });

  it('confirmed: still a regression, its reason says so', () => {
    const again = v2([forked('f > a', [131, 129, 130], 9)]);
    const second = compare([BASE], substitute(HEAD, again), options());
    const result = applyConfirmation(first, second, ['f > a'], { forks: 3, seconds: 5 });
    const a = result.benchmarks[0];
    expect(a.status).toBe('regression');
    expect(a.time.confirmation).toMatchObject({ forks: 3, confirmed: true });
    expect(a.time.confirmation!.change).toBeGreaterThan(0.2);
    expect(result.verdict).toBe('fail');
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toContain('confirmed by 3 more runs');
  });

  it('a benchmark the confirmation did not measure keeps its first verdict', () => {
    const result = applyConfirmation(first, first, [], { forks: 3, seconds: 1 });
    expect(result.verdict).toBe('fail');
    expect(result.benchmarks[0].time.confirmation).toBeUndefined();
  });

  it('reasons not tied to a benchmark survive the re-judging', () => {
    const empty = v2([]);
    const none = compare([BASE], empty, options());
    const result = applyConfirmation(none, none, [], { forks: 3, seconds: 1 });
    expect(result.reasons).toEqual(none.reasons);
    expect(result.verdict).toBe('fail');
  });
});
