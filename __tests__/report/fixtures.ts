// Comparisons for the report tests, made by the real compare() over synthetic Runs.
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { Comparison } from '../../src/model/comparison.js';
import { bench, ENV, forkedBench, forkedRun, noisy, prng, run } from '../helpers/runs.js';

export const EVIL =
  'users > list|<script>alert(1)</script> `x` @octocat **bold** [link](http://e.vil)';

export function mixedComparison(): Comparison {
  const random = prng(11);
  const s = (median: number, n = 60) => noisy(median, n, 0.02, random);
  const base = run([
    bench('users > getUsers', s(2.1e6)),
    bench(EVIL, s(1000)),
    bench('math > same', s(5000)),
    bench('old > gone', s(10)),
    bench('x > boom', s(10)),
    bench('ops > throughput', s(9000), { unit: 'ops/s', direction: 'bigger' }),
  ]);
  const head = run(
    [
      bench('users > getUsers', s(5.8e6)),
      bench(EVIL, s(500)),
      bench('math > same', s(5010)),
      bench('x > boom', [], {
        error: 'TypeError: cannot read `x` of undefined\n    at boom (x.ts:3:9)',
      }),
      bench('fresh > one', s(3e9, 5)),
      bench('hf > single', [2e9]),
      bench('ops > throughput', s(4000), { unit: 'ops/s', direction: 'bigger' }),
    ],
    { env: { ...ENV, cpu: 'Intel <b>Xeon</b>', cores: 2 }, commit: 'def5678' },
  );
  return compare([base], head, defaultConfig());
}

/**
 * Stored mode: 12 benchmarks (two in ops/s) against a history of 5 runs of 5 forks, each run on
 * a runner a little faster or slower; the head on a runner 3 % faster, `parse` slowed 25 %
 * (`slowAll`: every benchmark slowed 30 % instead). Real compare(), so the run shift is the
 * pipeline's.
 */
export function storedComparison(slowAll = false): Comparison {
  const names = [
    'parse',
    'render',
    'sort',
    'hash',
    'query',
    'encode',
    'decode',
    'route',
    'match',
    'format',
    'throughput',
    'requests',
  ];
  const perSecond = (i: number) => i >= 10;
  const runners = [1.01, 0.995, 1.004, 0.99, 1.006];
  const random = prng(23);
  const benchOf = (i: number, factor: number, seed: number) => {
    const time = 1000 * 1.6 ** i * factor;
    const medians = Array.from(
      { length: 5 },
      () => (perSecond(i) ? 1e9 / time : time) * Math.exp(0.005 * noisy(1, 1, 1, random)[0]),
    );
    const b = forkedBench(`app.bench.ts > ${names[i]}`, medians, seed, 0.01);
    return perSecond(i) ? { ...b, unit: 'ops/s', direction: 'bigger' as const } : b;
  };
  const history = runners.map((runner, r) =>
    forkedRun(
      names.map((_, i) => benchOf(i, runner, 100 * r + i)),
      `main${r}`,
    ),
  );
  const head = forkedRun(
    names.map((_, i) =>
      benchOf(i, 0.97 * (slowAll ? 1.3 : names[i] === 'parse' ? 1.25 : 1), 900 + i),
    ),
    'pr1',
  );
  return compare(history, head, defaultConfig());
}

/** n benchmarks, a share of them regressed, with ids of `nameLength` characters. */
export function bigComparison(n: number, nameLength: number, regressedEvery = 3): Comparison {
  const random = prng(5);
  const baseBenches = [];
  const headBenches = [];
  for (let i = 0; i < n; i++) {
    const id = `suite${i} > ${'|`<@'.repeat(Math.ceil(nameLength / 4)).slice(0, nameLength)}${i}`;
    baseBenches.push(bench(id, noisy(1000, 20, 0.01, random)));
    headBenches.push(bench(id, noisy(i % regressedEvery === 0 ? 2000 : 1000, 20, 0.01, random)));
  }
  return compare([run(baseBenches)], run(headBenches), defaultConfig());
}
