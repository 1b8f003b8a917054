// compare() with forks as replicates: which design each benchmark gets, and the new fields.
import { describe, expect, it } from 'vitest';
import { compare, type CompareOptions } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { parseRun } from '../../src/model/io.js';
import type { Benchmark } from '../../src/model/run.js';
import { bench, forkedBench, forkedRun, noisy, prng, run } from '../helpers/runs.js';

const options = (extra: Partial<CompareOptions> = {}): CompareOptions => ({
  ...defaultConfig(),
  threshold: 0.05,
  ...extra,
});

const forked = (id: string, medians: number[], seed: number): Benchmark =>
  forkedBench(id, medians, seed, 0.03);
const v2 = forkedRun;

describe('compare with forks', () => {
  it('two Runs with forks: the fork is the replicate (forks-t), with MDE and spread', () => {
    const base = v2([
      forked('a', [100, 102, 98, 101, 99], 1),
      forked('b', [50, 51, 49, 50, 50], 2),
    ]);
    const head = v2([
      forked('a', [130, 128, 133, 131, 129], 3),
      forked('b', [50, 49, 51, 50, 50], 4),
    ]);
    const result = compare([base], head, options());
    const [a, b] = result.benchmarks;
    expect(a.time.method).toBe('forks-t');
    expect(a.time.forks).toEqual({ base: 5, head: 5 });
    expect(a.status).toBe('regression');
    expect(a.time.mde).toBeGreaterThan(0);
    expect(a.time.pAdjusted).toBeGreaterThanOrEqual(a.time.pValue!);
    expect(b.status).toBe('unchanged');
    expect(b.time.spread).toBeLessThan(0.05);
    expect(result.verdict).toBe('fail');
  });

  it('forks far apart from one another make a benchmark unstable, not a regression', () => {
    // JIT-bimodal: 14 or 28 µs depending on the process; the head happens to draw more slow ones.
    const base = v2([forked('loop', [14, 28, 14, 14, 28], 5)]);
    const head = v2([forked('loop', [28, 28, 14, 28, 28], 6)]);
    const [loop] = compare([base], head, options()).benchmarks;
    expect(loop.time.unstable).toBe(true);
    expect(loop.time.spread).toBeGreaterThan(0.1);
    expect(['unchanged', 'noisy']).toContain(loop.status);
  });

  it('--against: base and head forks are judged as pairs (paired-t), and the mode is reported', () => {
    // Drift: every pair runs on a machine that gets slower; the head is 10 % slower within each pair.
    const drift = [1, 1.1, 1.25, 1.4, 1.6];
    const base = v2([
      forked(
        'a',
        drift.map((d) => 100 * d),
        7,
      ),
    ]);
    const head = v2([
      forked(
        'a',
        drift.map((d) => 110 * d),
        8,
      ),
    ]);
    const against = compare([base], head, options({ mode: 'against' }));
    expect(against.mode).toBe('against');
    expect(against.benchmarks[0].time.method).toBe('paired-t');
    expect(against.benchmarks[0].status).toBe('regression');
    // Unpaired, the drift hides it.
    const unpaired = compare([base], head, options());
    expect(unpaired.benchmarks[0].status).toBe('unchanged');
  });

  it('version-1 Runs still read and compare as one fork each (Mann-Whitney fallback)', () => {
    const v1 = run([bench('a', noisy(100, 50, 0.02, prng(9)))]);
    const parsed = parseRun(JSON.stringify(v1), 'old.json');
    expect(parsed.schemaVersion).toBe(1);
    const head = v2([bench('a', noisy(150, 50, 0.02, prng(10)))]);
    const [a] = compare([parsed], head, options()).benchmarks;
    expect(a.time.method).toBe('mann-whitney');
    expect(a.status).toBe('regression');
  });

  it('a Run whose fork sizes do not add up is bad input naming the field', () => {
    const broken = v2([{ ...forked('a', [1, 2], 11), forks: [30, 29] }]);
    expect(() => parseRun(JSON.stringify(broken), 'broken.json')).toThrow(
      /broken\.json: .*benchmarks\.0\.forks: the fork sizes must add up/,
    );
  });
});
