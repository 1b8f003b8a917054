// Async stitching on a small tree of the shape the runner's profile of the users-api pull
// request has (frames and stack roots as recorded on Node 20: continuations start at
// processTicksAndRejections → runMicrotasks; the bench file's own frame is hardly ever sampled).
import { describe, expect, it } from 'vitest';
import type { CallsAttachment, ExactFunction } from '../../src/model/calls.js';
import { addToFlame, flameRoot, type FlameNode } from '../../src/profile/flamegraph.js';
import { summarize } from '../../src/profile/analysis.js';
import { ASYNC_UNKNOWN, TASK_FRAME, stitchAsync } from '../../src/profile/stitch.js';
import { TreeBuilder, type Frame, type ProfileTree } from '../../src/profile/tree.js';

const PGLITE = 'node_modules/@electric-sql/pglite/dist/chunk-[hash].js';
const ticks: Frame = {
  name: 'processTicksAndRejections',
  file: 'node:internal/process/task_queues',
  line: 67,
};
const micro: Frame = { name: 'runMicrotasks', file: '', line: 0 };
const pglite = (name: string, line = 8): Frame => ({ name, file: PGLITE, line });
const getUsers: Frame = { name: 'getUsers', file: 'src/users.ts', line: 33 };
const getUserDetails: Frame = { name: 'getUserDetails', file: 'src/users.ts', line: 24 };
const bench: Frame = { name: '(anonymous)', file: 'users.bench.ts', line: 9 };

function profile(stacks: Array<[Frame[], number]>): ProfileTree {
  const builder = new TreeBuilder('v8', { hasTime: true, sampled: true, intervalUs: 100 });
  for (const [stack, samples] of stacks) builder.addStack(stack, samples, samples * 100_000);
  return builder.tree;
}

const real = (): ProfileTree =>
  profile([
    [[ticks, micro, pglite('(anonymous)'), pglite('y')], 142],
    [[ticks, micro, pglite('(anonymous)'), pglite('hn', 1)], 125],
    [[ticks, micro, pglite('(anonymous)')], 78],
    [[{ name: '(garbage collector)', file: '', line: 0 }], 71],
    [[ticks, micro], 69],
    [[ticks, micro, getUsers], 26],
    [[ticks, micro, getUserDetails, pglite('query')], 3],
    [[ticks, micro, getUserDetails], 2],
    [[pglite('query')], 3],
    [[bench, getUsers, getUserDetails, pglite('query')], 1],
  ]);

const fn = (
  f: Frame,
  callers: Record<string, number> | undefined,
  callsPerOp: number,
): ExactFunction => ({
  name: f.name,
  file: f.file,
  line: f.line,
  callsPerOp,
  inclusiveMsPerOp: 1,
  ...(callers ? { callers } : {}),
});

const calls = (functions: ExactFunction[]): CallsAttachment => ({
  ops: 10,
  rounds: 2,
  durationMs: 100,
  instrumented: functions.length,
  functions,
  callerOps: 5,
});

/** `name (file)` paths of a tree with their inclusive samples, for readable assertions. */
function paths(tree: ProfileTree): Record<string, number> {
  const root = flameRoot();
  addToFlame(root, tree, 'head', 1);
  const out: Record<string, number> = {};
  const walk = (node: FlameNode, prefix: string) => {
    for (const child of node.children.values()) {
      const path = `${prefix}${prefix ? ' > ' : ''}${child.name}`;
      out[path] = child.headSamples;
      walk(child, path);
    }
  };
  walk(root, '');
  return out;
}

describe('stitchAsync', () => {
  it('puts continuations of project functions under their callers, up to the task', () => {
    const exact = calls([fn(getUsers, { '-1': 1 }, 1), fn(getUserDetails, { '0': 500 }, 500)]);
    const { tree, stats } = stitchAsync(real(), exact, 'users.bench.ts');
    const p = paths(tree);
    expect(p[TASK_FRAME]).toBe(26 + 3 + 2 + 1);
    expect(p[`${TASK_FRAME} > getUsers`]).toBe(26 + 3 + 2);
    expect(p[`${TASK_FRAME} > getUsers > getUserDetails`]).toBe(5);
    expect(p[`${TASK_FRAME} > getUsers > getUserDetails > query`]).toBe(3);
    // The task's own code stays as it was, under the task.
    expect(p[`${TASK_FRAME} > (anonymous) > getUsers > getUserDetails > query`]).toBe(1);
    // PGlite's own continuations: nothing says whose they are.
    expect(p[ASYNC_UNKNOWN]).toBe(142 + 125 + 78 + 69 + 3);
    expect(p[`${ASYNC_UNKNOWN} > (anonymous) > y`]).toBe(142);
    // A stack of the scheduler alone keeps its frames (its own time is the scheduler's).
    expect(p[`${ASYNC_UNKNOWN} > processTicksAndRejections > runMicrotasks`]).toBe(69);
    expect(p['(garbage collector)']).toBe(71);
    expect(Object.keys(p).some((k) => k.startsWith('processTicksAndRejections'))).toBe(false);
    expect(stats).toMatchObject({
      samples: 520,
      detachedSamples: 26 + 5 + 142 + 125 + 78 + 69 + 3,
      attributedSamples: 31,
      unknownSamples: 417,
    });
    expect(stats.attributedTime).toBe(31 * 100_000);
  });

  it('leaves every function self time as it was', () => {
    const exact = calls([fn(getUsers, { '-1': 1 }, 1), fn(getUserDetails, { '0': 500 }, 500)]);
    const before = real();
    const { tree } = stitchAsync(before, exact, 'users.bench.ts');
    const self = (t: ProfileTree) =>
      Object.fromEntries(
        summarize(t)
          .functions.filter((f) => f.selfSamples > 0)
          .map((f) => [`${f.name} ${f.file}:${f.line}`, f.selfSamples]),
      );
    expect(self(tree)).toEqual(self(before));
  });

  it('attributes nothing where a function has several callers or none recorded', () => {
    const helper: Frame = { name: 'loadDetails', file: 'src/users.ts', line: 40 };
    const tree = profile([
      [[ticks, micro, getUserDetails], 10],
      [[ticks, micro, helper], 7],
      [[ticks, micro, getUsers], 4],
    ]);
    // getUserDetails called by getUsers and by loadDetails: which one is not known; getUsers has
    // no caller edges (a Run of a callers round that never saw it).
    const exact = calls([
      fn(getUsers, undefined, 1),
      fn(getUserDetails, { '0': 3, '2': 2 }, 5),
      fn(helper, { '0': 1 }, 1),
    ]);
    const { tree: stitched, stats } = stitchAsync(tree, exact, 'users.bench.ts');
    const p = paths(stitched);
    expect(p[ASYNC_UNKNOWN]).toBe(21);
    expect(p[`${ASYNC_UNKNOWN} > getUserDetails`]).toBe(10);
    // loadDetails ← getUsers is certain, getUsers' caller is not: the chain is kept, unknown above.
    expect(p[`${ASYNC_UNKNOWN} > getUsers > loadDetails`]).toBe(7);
    expect(p[TASK_FRAME]).toBeUndefined();
    expect(stats.attributedSamples).toBe(0);
    expect(stats.unknownSamples).toBe(21);
  });

  it('matches an arrow V8 names by its variable to the exact view by file and line', () => {
    const arrow: Frame = { name: 'loadOne', file: 'src/users.ts', line: 12 };
    const tree = profile([[[ticks, micro, arrow], 5]]);
    const exact = calls([
      fn(getUsers, { '-1': 1 }, 1),
      { ...fn(arrow, { '0': 2 }, 2), name: '(anonymous in getUsers)' },
    ]);
    const p = paths(stitchAsync(tree, exact, 'users.bench.ts').tree);
    expect(p[`${TASK_FRAME} > getUsers > loadOne`]).toBe(5);
  });

  it('finds what resumed under (program) or straight at the root (microtasks run from native code)', () => {
    const program: Frame = { name: '(program)', file: '', line: 0 };
    const tree = profile([
      [[program, getUserDetails], 4],
      [[getUsers], 6],
      [[program], 9],
    ]);
    const exact = calls([fn(getUsers, { '-1': 1 }, 1), fn(getUserDetails, { '0': 500 }, 500)]);
    const { tree: stitched, stats } = stitchAsync(tree, exact, 'users.bench.ts');
    const p = paths(stitched);
    expect(p[`${TASK_FRAME} > getUsers`]).toBe(10);
    expect(p[`${TASK_FRAME} > getUsers > getUserDetails`]).toBe(4);
    // V8's own time, with nothing under it: a pseudo-frame, left at the root.
    expect(p['(program)']).toBe(9);
    expect(stats.attributedSamples).toBe(10);
  });

  it('stops at a cycle of callers', () => {
    const a: Frame = { name: 'a', file: 'src/a.ts', line: 1 };
    const b: Frame = { name: 'b', file: 'src/a.ts', line: 5 };
    const tree = profile([[[ticks, micro, a], 3]]);
    const exact = calls([fn(a, { '1': 1 }, 1), fn(b, { '0': 1 }, 1)]);
    const { stats } = stitchAsync(tree, exact, 'bench.ts');
    expect(stats.unknownSamples).toBe(3);
  });
});
