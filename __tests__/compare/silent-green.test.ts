// No silent green: a head without benchmarks, or one where every baseline benchmark is gone, fails
// with a reason unless the config says allowNoBenchmarks; samples that cannot be times are refused.
import { describe, expect, it } from 'vitest';
import { compare, type CompareOptions } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { InputError } from '../../src/model/errors.js';
import { parseRun } from '../../src/model/io.js';
import { bench, noisy, prng, run } from '../helpers/runs.js';

const options = (overrides: Partial<CompareOptions> = {}): CompareOptions => ({
  ...defaultConfig(),
  ...overrides,
});
const random = prng(3);
const steady = (median: number) => noisy(median, 60, 0.03, random);

describe('compare: no silent green', () => {
  it('fails an empty head, with a reason naming the option', () => {
    const result = compare([run([bench('a > x', steady(100))])], run([]), options());
    expect(result.verdict).toBe('fail');
    expect(result.reasons).toEqual([
      'the head run has no benchmarks: nothing was measured (allowNoBenchmarks in the config accepts this)',
    ]);
  });

  it('fails an empty head without a baseline too', () => {
    expect(compare([], run([]), options()).verdict).toBe('fail');
  });

  it('fails when every baseline benchmark was removed', () => {
    const base = run([bench('a > x', steady(100)), bench('a > y', steady(100))]);
    const head = run([bench('b > z', steady(100))]);
    const result = compare([base], head, options());
    expect(result.verdict).toBe('fail');
    expect(result.reasons).toEqual([
      'none of the 2 baseline benchmarks is in the head run (all removed): nothing was compared (allowNoBenchmarks in the config accepts this)',
    ]);
  });

  it('passes both only with allowNoBenchmarks', () => {
    const base = run([bench('a > x', steady(100))]);
    expect(compare([base], run([]), options({ allowNoBenchmarks: true })).verdict).toBe('pass');
    expect(
      compare([base], run([bench('b > z', steady(100))]), options({ allowNoBenchmarks: true }))
        .verdict,
    ).toBe('pass');
  });

  it('still passes a head that keeps some benchmarks and removes others', () => {
    const base = run([bench('a > x', steady(100)), bench('a > y', steady(100))]);
    const head = run([bench('a > x', steady(100))]);
    expect(compare([base], head, options()).verdict).toBe('pass');
  });
});

describe('Run validation: samples', () => {
  const text = (samples: unknown[]) =>
    JSON.stringify(run([{ ...bench('a > x', [1, 2, 3]), samples } as never]));

  it('refuses a negative sample, naming the file and the field', () => {
    expect(() => parseRun(text([1, -65.4, 3]), 'head.json')).toThrow(InputError);
    expect(() => parseRun(text([1, -65.4, 3]), 'head.json')).toThrow(
      /head\.json: not a valid perfgate Run: benchmarks\.0\.samples\.1: .*>=\s*0/,
    );
  });

  it('refuses non-finite samples (1e999 parses as Infinity)', () => {
    const infinite = text([1, 2, 3]).replace('"samples":[1,2,3]', '"samples":[1,1e999,3]');
    expect(() => parseRun(infinite, 'head.json')).toThrow(/benchmarks\.0\.samples\.1/);
  });
});
