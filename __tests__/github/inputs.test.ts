import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/github/inputs.js';
import { mergeShardRuns, selectShard } from '../../src/github/shard.js';
import { resolveMode } from '../../src/github/action.js';
import type { ActionContext } from '../../src/github/context.js';
import { InputError } from '../../src/model/errors.js';
import { makeRun } from '../helpers/runs.js';

const inputs = (values: Record<string, string>) => readInputs((name) => values[name] ?? '');

describe('action inputs', () => {
  it('has sensible defaults', () => {
    expect(inputs({ 'github-token': 't' })).toMatchObject({
      mode: 'auto',
      comment: 'always',
      baselineArtifact: 'perfgate-baseline',
      acceptLabel: 'perf-accepted',
      reportArtifact: 'perfgate-report',
      requireBaseline: false,
      bench: [],
      workingDirectory: '.',
    });
  });

  it('parses every typed input', () => {
    const parsed = inputs({
      mode: 'merge',
      threshold: '7.5%',
      'fail-on': 'time, queries',
      comment: 'on-regression',
      history: '20',
      'retention-days': '30',
      'accept-label': 'none',
      shard: '2/8',
      bench: 'bench/**/*.bench.ts\nother/*.bench.{js,mjs}',
      'require-baseline': 'true',
    });
    expect(parsed).toMatchObject({
      mode: 'merge',
      threshold: 0.075,
      failOn: ['time', 'queries'],
      comment: 'on-regression',
      history: 20,
      retentionDays: 30,
      acceptLabel: '',
      shard: { index: 2, total: 8 },
      bench: ['bench/**/*.bench.ts', 'other/*.bench.{js,mjs}'],
      requireBaseline: true,
    });
    expect(inputs({ 'fail-on': 'none' }).failOn).toEqual([]);
  });

  it.each([
    ['mode', 'sometimes', /input `mode`: expected one of auto, baseline/],
    ['comment', 'yes', /input `comment`/],
    ['fail-on', 'time,speed', /input `fail-on`/],
    ['threshold', 'ten', /threshold/],
    ['history', '0', /input `history`/],
    ['shard', '9/8', /input `shard`/],
    ['require-baseline', 'maybe', /input `require-baseline`/],
  ])('rejects %s=%j with a message naming the input', (name, value, message) => {
    expect(() => inputs({ [name]: value })).toThrowError(InputError);
    expect(() => inputs({ [name]: value })).toThrowError(message);
  });
});

describe('mode auto', () => {
  const context = (eventName: string, ref = '') =>
    ({ eventName, ref, payload: { ref } }) as unknown as ActionContext;
  it('stores on push to the baseline branch, compares elsewhere, comments on workflow_run', () => {
    expect(resolveMode('auto', context('push', 'refs/heads/main'), 'main')).toBe('baseline');
    expect(resolveMode('auto', context('push', 'refs/heads/dev'), 'main')).toBe('compare');
    expect(resolveMode('auto', context('pull_request'), 'main')).toBe('compare');
    expect(resolveMode('auto', context('workflow_run'), 'main')).toBe('comment');
    expect(resolveMode('compare', context('push', 'refs/heads/main'), 'main')).toBe('compare');
  });
});

describe('shards', () => {
  it('splits files round-robin over the sorted list, every file in exactly one shard', () => {
    const files = ['e', 'a', 'd', 'b', 'c'].map((f) => `${f}.bench.ts`);
    const shards = [1, 2, 3].map((index) => selectShard(files, { index, total: 3 }));
    expect(shards).toEqual([
      ['a.bench.ts', 'd.bench.ts'],
      ['b.bench.ts', 'e.bench.ts'],
      ['c.bench.ts'],
    ]);
  });

  it('merges complete shard sets and names what is missing or duplicated', () => {
    const shard = (k: string, names: string[]) => {
      const run = makeRun(
        '1'.repeat(40),
        names.map((name) => ({ name, ns: 100 })),
      );
      run.benchmarks.forEach((b) => (b.id = `${k} > ${b.name}`));
      return { run: { ...run, meta: { ...run.meta, shard: k } }, source: `artifact ${k}` };
    };
    const merged = mergeShardRuns([shard('2/2', ['c']), shard('1/2', ['a', 'b'])]);
    expect(merged.benchmarks.map((b) => b.name)).toEqual(['a', 'b', 'c']);
    expect(merged.meta.shard).toBeUndefined();
    expect(() => mergeShardRuns([shard('1/3', ['a'])])).toThrowError(
      /missing shard\(s\) 2\/3, 3\/3/,
    );
    expect(() => mergeShardRuns([shard('1/2', ['a']), shard('1/2', ['b'])])).toThrowError(
      /appears twice/,
    );
    const dup = shard('2/2', ['x']);
    dup.run.benchmarks[0]!.id = '1/2 > a';
    expect(() => mergeShardRuns([shard('1/2', ['a']), dup])).toThrowError(
      /is also in artifact 1\/2/,
    );
  });
});
