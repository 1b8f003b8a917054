import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeLeak } from '../../src/memory/leak.js';
import { studentSf } from '../../src/stats/student-t.js';

const ROUND_OPS = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 1000 : 2000));
const cumulative = ROUND_OPS.map((_, i) => ROUND_OPS.slice(0, i + 1).reduce((a, b) => a + b, 0));

describe('judgeLeak', () => {
  it('finds a leak in growth proportional to operations, with its rate', () => {
    const heap = cumulative.map((ops, i) => 5e6 + 100 * ops + ((i * 7919) % 13) * 64);
    const j = judgeLeak(heap, ROUND_OPS, 0.001, 400);
    expect(j.leak).toBe(true);
    expect(j.bytesPerOp).toBeCloseTo(100, 0);
    expect(j.pValue).toBeLessThan(1e-6);
  });

  it('finds the leak of a Map whose backing store doubles in one round (measured series)', () => {
    // Three real runs of the catalogue's unboundedMap (160 B per op, ~200 B/op retained): the
    // rehash of the Map adds a large step to one or two rounds, which made the least-squares
    // line over round indices fit better than the line over operations; the rule missed them.
    const runs = [
      {
        ops: [3828, 7656, 3828, 7656, 3828, 7656, 3828, 7656, 3828, 7656],
        heap: [
          10573880, 11799360, 12411840, 14555144, 15167624, 16393064, 17005720, 18230856, 20678368,
          21903952,
        ],
      },
      {
        ops: [3700, 7400, 3700, 7400, 3700, 7400, 3700, 7400, 3700, 7400],
        heap: [
          15495352, 16680160, 17272400, 18457000, 20884272, 22068752, 22660928, 23844704, 24436944,
          25621024,
        ],
      },
    ];
    for (const { ops, heap } of runs) {
      const j = judgeLeak(heap, ops, 0.001, 160);
      expect(j.leak).toBe(true);
      expect(j.bytesPerOp).toBeGreaterThan(150);
    }
  });

  it('finds no leak in a flat heap, a one-off step, or a creep by round', () => {
    const flat = cumulative.map(() => 5e6);
    expect(judgeLeak(flat, ROUND_OPS, 0.001, 400).leak).toBe(false);
    const step = cumulative.map((_, i) => (i < 4 ? 5e6 : 5.5e6));
    expect(judgeLeak(step, ROUND_OPS, 0.001, 400).leak).toBe(false);
    // +2 KB every round whatever its size: the harness, not the operations.
    const creep = cumulative.map((_, i) => 5e6 + 2048 * i);
    const j = judgeLeak(creep, ROUND_OPS, 0.001, 400);
    expect(j.leak).toBe(false);
    expect(j.bytesPerRound).toBeCloseTo(2048, 0);
  });

  it('finds no leak in growth too small for what the operation allocates', () => {
    const tiny = cumulative.map((ops) => 5e6 + 0.01 * ops);
    expect(judgeLeak(tiny, ROUND_OPS, 0.001, 10_000).leak).toBe(false);
    // 0.01 B/op is 2 % of 0.5 B allocated per op: material (the bound is 1 %).
    expect(judgeLeak(tiny, ROUND_OPS, 0.001, 0.5).leak).toBe(true);
    expect(judgeLeak(tiny, ROUND_OPS, 0.001, 2).leak).toBe(false);
  });

  it('calls none of 2000 flat heaps with random noise a leak', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let leaks = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const heap = ROUND_OPS.map(() => 5e6 + Math.round((random() - 0.5) * 8192));
      if (judgeLeak(heap, ROUND_OPS, 0.001, 400).leak) leaks += 1;
    }
    expect(leaks).toBe(0);
  });

  it('finds every leak that noise of ±4 KiB per round cannot mask (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -4096, max: 4096 }), { minLength: 10, maxLength: 10 }),
        // 17 B × 1000 ops: the N and 2N rounds differ by more than twice what the noise can swing.
        fc.integer({ min: 17, max: 4096 }),
        (noise, perOp) => {
          const heap = cumulative.map((ops, i) => 5e6 + perOp * ops + noise[i]!);
          return judgeLeak(heap, ROUND_OPS, 0.001, perOp).leak;
        },
      ),
    );
  });

  it('needs at least 3 rounds', () => {
    expect(() => judgeLeak([1, 2], 10, 0.001)).toThrow(/at least 3 rounds/);
  });
});

describe('studentSf (the tail behind the slope p-value)', () => {
  it('matches tabulated quantiles', () => {
    expect(studentSf(2.306, 8)).toBeCloseTo(0.025, 3);
    expect(studentSf(4.501, 8)).toBeCloseTo(0.001, 4);
    expect(studentSf(0, 5)).toBeCloseTo(0.5, 10);
    expect(studentSf(-2.306, 8)).toBeCloseTo(0.975, 3);
  });
});
