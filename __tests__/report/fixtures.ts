// Comparisons for the report tests, made by the real compare() over synthetic Runs.
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { Comparison } from '../../src/model/comparison.js';
import { bench, ENV, noisy, prng, run, storedSuite } from '../helpers/runs.js';

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
 * Stored mode: 12 benchmarks against a history of 5 runs (helpers/runs.ts storedSuite); the head
 * on a runner 3 % faster, `parse` slowed 25 % (`slowAll`: every benchmark slowed 30 % instead).
 * Real compare(), so the run shift is the pipeline's.
 */
export function storedComparison(slowAll = false): Comparison {
  const { history, head } = storedSuite(slowAll ? { all: 1.3 } : { parse: 1.25 });
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
