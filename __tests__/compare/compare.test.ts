import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compare, type CompareOptions } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { bench, ENV, noisy, prng, run } from '../helpers/runs.js';

const options = (overrides: Partial<CompareOptions> = {}): CompareOptions => ({
  ...defaultConfig(),
  ...overrides,
});

const random = prng(7);
const steady = (median: number, n = 100, cv = 0.03) => noisy(median, n, cv, random);

describe('compare: statuses', () => {
  it('flags a clear slowdown as a regression with a reason in the contract format', () => {
    const base = run([bench('users > getUsers', steady(2.1e6))]);
    const head = run([bench('users > getUsers', steady(5.8e6))]);
    const result = compare([base], head, options());
    const [b] = result.benchmarks;
    expect(b.status).toBe('regression');
    expect(b.time.change).toBeGreaterThan(1.5);
    expect(b.time.ci![0]).toBeLessThan(b.time.change!);
    expect(b.time.ci![1]).toBeGreaterThan(b.time.change!);
    expect(b.time.pValue).toBeLessThan(1e-10);
    expect(result.verdict).toBe('fail');
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatch(
      /^users > getUsers: 2\.\d\d ms → 5\.\d\d ms \(2\.\d×, CI 2\.\d×…2\.\d×\)$/,
    );
    expect(result.summary.regression).toBe(1);
    expect(result.baseRuns).toBe(1);
    expect(result.base?.commit).toBe('abc1234');
  });

  it('flags a clear speed-up as an improvement, which passes the gate', () => {
    const result = compare(
      [run([bench('a', steady(1000))])],
      run([bench('a', steady(500))]),
      options(),
    );
    expect(result.benchmarks[0].status).toBe('improvement');
    expect(result.verdict).toBe('pass');
  });

  it('keeps a significant change below the threshold unchanged', () => {
    const result = compare(
      [run([bench('a', steady(1000, 200, 0.01))])],
      run([bench('a', steady(1050, 200, 0.01))]),
      options(),
    );
    const [b] = result.benchmarks;
    expect(b.time.pValue).toBeLessThan(0.01);
    expect(b.time.change).toBeGreaterThan(0.03);
    expect(b.status).toBe('unchanged');
    expect(result.verdict).toBe('pass');
  });

  it('keeps a large but not significant change unchanged (very noisy samples)', () => {
    const result = compare(
      [run([bench('a', [100, 900, 120, 850, 110, 950, 105, 880, 130, 870])])],
      run([bench('a', [150, 905, 125, 860, 115, 990, 135, 890, 128, 910])]),
      options(),
    );
    expect(result.benchmarks[0].time.pValue).toBeGreaterThan(0.01);
    expect(result.benchmarks[0].status).toBe('unchanged');
  });

  it('direction "bigger": a drop is the regression', () => {
    const base = run([bench('ops', steady(5000), { unit: 'ops/s', direction: 'bigger' })]);
    const slower = run([bench('ops', steady(3000), { unit: 'ops/s', direction: 'bigger' })]);
    const faster = run([bench('ops', steady(8000), { unit: 'ops/s', direction: 'bigger' })]);
    expect(compare([base], slower, options()).benchmarks[0].status).toBe('regression');
    expect(compare([base], faster, options()).benchmarks[0].status).toBe('improvement');
    expect(compare([base], slower, options()).benchmarks[0].time.change).toBeLessThan(-0.3);
  });

  it('new, removed and failed benchmarks; a failed one fails the gate', () => {
    const base = run([bench('kept', steady(100)), bench('gone', steady(100))]);
    const head = run([
      bench('kept', [], { error: 'TypeError: boom' }),
      bench('fresh', steady(100)),
    ]);
    const result = compare([base], head, options({ failOn: [] }));
    const byId = Object.fromEntries(result.benchmarks.map((b) => [b.id, b]));
    expect(byId.kept.status).toBe('failed');
    expect(byId.kept.error).toBe('TypeError: boom');
    expect(byId.kept.time.base).toBeCloseTo(100, -1);
    expect(byId.fresh.status).toBe('new');
    expect(byId.fresh.time.base).toBeNull();
    expect(byId.gone.status).toBe('removed');
    expect(byId.gone.time.head).toBeNull();
    expect(result.verdict).toBe('fail');
    expect(result.reasons).toEqual(['kept: failed: TypeError: boom']);
    expect(result.summary).toEqual({
      regression: 0,
      improvement: 0,
      unchanged: 0,
      noisy: 0,
      new: 1,
      removed: 1,
      failed: 1,
    });
  });

  it('no baseline: everything is new and the gate passes', () => {
    const result = compare([], run([bench('a', steady(10)), bench('b', steady(20))]), options());
    expect(result.baseRuns).toBe(0);
    expect(result.base).toBeUndefined();
    expect(result.benchmarks.map((b) => b.status)).toEqual(['new', 'new']);
    expect(result.benchmarks[0].time.head).toBeCloseTo(10, -1);
    expect(result.verdict).toBe('pass');
    expect(result.envDifferences).toEqual([]);
  });

  it('regressions do not fail the gate when "time" is not in failOn', () => {
    const result = compare(
      [run([bench('a', steady(100))])],
      run([bench('a', steady(300))]),
      options({ failOn: ['queries'] }),
    );
    expect(result.benchmarks[0].status).toBe('regression');
    expect(result.verdict).toBe('pass');
    expect(result.failOn).toEqual(['queries']);
  });
});

describe('compare: thresholds', () => {
  const base = run([
    bench('api > fast', steady(100, 200, 0.005)),
    bench('db > slow', steady(100, 200, 0.005)),
  ]);
  const head = run([
    bench('api > fast', steady(115, 200, 0.005)),
    bench('db > slow', steady(115, 200, 0.005)),
  ]);

  it('per-benchmark patterns with * override the global threshold', () => {
    const result = compare(
      [base],
      head,
      options({ threshold: 0.1, thresholds: { 'db > *': 0.2 } }),
    );
    const byId = Object.fromEntries(result.benchmarks.map((b) => [b.id, b]));
    expect(byId['api > fast'].status).toBe('regression');
    expect(byId['api > fast'].time.threshold).toBe(0.1);
    expect(byId['db > slow'].status).toBe('unchanged');
    expect(byId['db > slow'].time.threshold).toBe(0.2);
  });

  it('the most specific pattern wins, an exact id wins over all', () => {
    const thresholds = { '*': 0.5, '* > slow': 0.3, 'db > slow': 0.05 };
    const result = compare([base], head, options({ thresholds }));
    const byId = Object.fromEntries(result.benchmarks.map((b) => [b.id, b]));
    expect(byId['api > fast'].time.threshold).toBe(0.5);
    expect(byId['db > slow'].time.threshold).toBe(0.05);
    expect(byId['db > slow'].status).toBe('regression');
    // Regex characters in a pattern are literal.
    expect(
      compare([base], head, options({ thresholds: { 'db > s.ow': 0.9 } })).benchmarks[1].time
        .threshold,
    ).toBe(0.1);
  });
});

describe('compare: edge cases', () => {
  it('n = 1 (foreign formats): no test, compared with the threshold, pValue null', () => {
    const result = compare([run([bench('hf', [2e9])])], run([bench('hf', [3e9])]), options());
    const [b] = result.benchmarks;
    const time = b.time;
    expect(b.status).toBe('regression');
    expect(time.pValue).toBeNull();
    expect(time.ci).toBeNull();
    expect(time.method).toBe('threshold-only');
    expect(time.change).toBeCloseTo(0.5, 12);
    expect(result.reasons[0]).toBe(
      'hf: 2.00 s → 3.00 s (+50.0%, too few samples for a significance test (n=1/1), threshold +10.0%)',
    );
    const small = compare([run([bench('hf', [2e9])])], run([bench('hf', [2.1e9])]), options());
    expect(small.benchmarks[0].status).toBe('unchanged');
  });

  it('3 vs 3 samples cannot reach alpha = 0.01, so no significance is claimed', () => {
    const result = compare(
      [run([bench('x', [10, 11, 12])])],
      run([bench('x', [20, 21, 22])]),
      options(),
    );
    expect(result.benchmarks[0].time.pValue).toBeNull();
    expect(result.benchmarks[0].status).toBe('regression');
  });

  it('constant samples: equal → unchanged with p = 1; different → regression', () => {
    const same = compare(
      [run([bench('c', Array(20).fill(5))])],
      run([bench('c', Array(20).fill(5))]),
      options(),
    );
    expect(same.benchmarks[0].status).toBe('unchanged');
    expect(same.benchmarks[0].time.pValue).toBe(1);
    expect(same.benchmarks[0].time.change).toBe(0);
    const worse = compare(
      [run([bench('c', Array(20).fill(5))])],
      run([bench('c', Array(20).fill(7))]),
      options(),
    );
    expect(worse.benchmarks[0].status).toBe('regression');
    expect(worse.benchmarks[0].time.change).toBeCloseTo(0.4, 12);
    // Zero-width order statistics: the interval collapses to the point, it is not NaN.
    expect(worse.benchmarks[0].time.ci).toEqual([expect.closeTo(0.4, 12), expect.closeTo(0.4, 12)]);
  });

  it('zero samples: from zero the change has no relative size (null) but is still judged', () => {
    const zeros = Array(20).fill(0);
    const same = compare([run([bench('z', zeros)])], run([bench('z', zeros)]), options());
    expect(same.benchmarks[0].status).toBe('unchanged');
    expect(same.benchmarks[0].time.change).toBe(0);
    const grew = compare(
      [run([bench('z', zeros)])],
      run([bench('z', Array(20).fill(3))]),
      options(),
    );
    expect(grew.benchmarks[0].status).toBe('regression');
    expect(grew.benchmarks[0].time.change).toBeNull();
    expect(grew.benchmarks[0].time.ci).toBeNull();
    expect(grew.reasons[0]).toContain('from zero');
    expect(JSON.stringify(grew)).not.toMatch(/NaN|Infinity/);
  });

  it('head with no samples and no error counts as failed', () => {
    const result = compare([run([bench('a', steady(1))])], run([bench('a', [])]), options());
    expect(result.benchmarks[0].status).toBe('failed');
    expect(result.reasons).toEqual(['a: failed: no samples recorded']);
  });

  it('reports environment differences (cpu, cores, node major, os) but not node minor', () => {
    const base = run([bench('a', steady(1))]);
    const head = run([bench('a', steady(1))], {
      env: { ...ENV, cpu: 'Intel Xeon 8370C', cores: 2, node: 'v20.1.0' },
    });
    expect(compare([base], head, options()).envDifferences).toEqual([
      { field: 'cpu', base: 'AMD EPYC 7763', head: 'Intel Xeon 8370C' },
      { field: 'cores', base: '4', head: '2' },
    ]);
    const other = run([bench('a', steady(1))], { env: { ...ENV, node: 'v22.3.0', os: 'darwin' } });
    expect(compare([base], other, options()).envDifferences.map((d) => d.field)).toEqual([
      'os',
      'node',
    ]);
  });
});

describe('compare: history', () => {
  const history = (medians: number[], id = 'h') =>
    medians.map((m, i) => run([bench(id, steady(m, 100, 0.01))], { commit: `c${i}` }));

  it("judges the head against the history's run-to-run spread, in one test", () => {
    const bases = history([100, 101, 99, 100, 102, 100, 98, 101, 100, 99]);
    const result = compare(bases, run([bench('h', steady(130, 100, 0.01))]), options());
    const time = result.benchmarks[0].time;
    expect(result.baseRuns).toBe(10);
    expect(result.mode).toBe('stored');
    expect(result.base?.commit).toBe('c0');
    expect(time.method).toBe('history-t');
    expect(time.forks).toEqual({ base: 10, head: 1 });
    expect(time.mde).toBeGreaterThan(0.01);
    expect(time.mde).toBeLessThan(0.1);
    expect(time.noiseBand).toBeUndefined();
    expect(result.benchmarks[0].status).toBe('regression');
  });

  it('a change no larger than the history moves between runs is not a regression', () => {
    const bases = history([100, 125, 90, 120, 85, 118, 95, 130, 88, 110]);
    const result = compare(bases, run([bench('h', steady(125, 100, 0.01))]), options());
    const [b] = result.benchmarks;
    // The samples of this one run would call +20 % certain; the history says main moves that much.
    expect(b.time.change).toBeGreaterThan(0.1);
    expect(b.time.pValue).toBeGreaterThan(0.01);
    expect(b.status).toBe('unchanged');
    expect(result.verdict).toBe('pass');
  });

  it('skips base runs where the benchmark is missing or failed', () => {
    const bases = [
      run([bench('other', steady(1))]),
      run([bench('h', [], { error: 'crash' })]),
      run([bench('h', steady(100))], { commit: 'old' }),
    ];
    const result = compare(bases, run([bench('h', steady(300))]), options());
    expect(result.benchmarks.find((b) => b.id === 'h')!.status).toBe('regression');
    // "other" is in the newest base run and not in head: removed.
    expect(result.benchmarks.find((b) => b.id === 'other')!.status).toBe('removed');
  });
});

describe('compare: properties', () => {
  // Plausible benchmark samples: n ≥ 10, positive, log-normal noise up to 20 %, and up to 5 % of
  // the samples as 3× outliers (GC pauses, a preempted round).
  const samplesArb = fc
    .record({
      median: fc.double({ min: 1, max: 1e9, noNaN: true }),
      n: fc.integer({ min: 10, max: 200 }),
      cv: fc.double({ min: 0, max: 0.2, noNaN: true }),
      outliers: fc.integer({ min: 0, max: 3 }),
      seed: fc.integer(),
    })
    .map(({ median, n, cv, outliers, seed }) => {
      const values = noisy(median, n, cv, prng(seed));
      for (let i = 0; i < Math.min(outliers, Math.floor(n / 20)); i++) values[i] *= 3;
      return values;
    });

  it('a run compared with itself never reports a regression (and passes)', () => {
    fc.assert(
      fc.property(
        samplesArb,
        fc.constantFrom<'smaller' | 'bigger'>('smaller', 'bigger'),
        (samples, direction) => {
          const r = run([bench('p', samples, { direction })]);
          const result = compare([r], r, options({ threshold: 0 }));
          return result.benchmarks[0].status === 'unchanged' && result.verdict === 'pass';
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every head sample ×2 always reports a regression (smaller is better)', () => {
    fc.assert(
      fc.property(samplesArb, (samples) => {
        const result = compare(
          [run([bench('p', samples)])],
          run([
            bench(
              'p',
              samples.map((x) => x * 2),
            ),
          ]),
          options(),
        );
        const [b] = result.benchmarks;
        return (
          b.status === 'regression' &&
          result.verdict === 'fail' &&
          Math.abs(b.time.change! - 1) < 1e-9
        );
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same input gives the same JSON', () => {
    fc.assert(
      fc.property(samplesArb, samplesArb, (a, b) => {
        const bases = [run([bench('p', a)])];
        const head = run([bench('p', b)]);
        return (
          JSON.stringify(compare(bases, head, options())) ===
          JSON.stringify(compare(bases, head, options()))
        );
      }),
      { numRuns: 50 },
    );
  });
});
