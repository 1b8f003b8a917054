import { describe, expect, it } from 'vitest';
import type { CallsAttachment, ExactFunction } from '../../src/model/calls.js';
import { compareExact } from '../../src/profile/exact/compare.js';
import type { ExactCallChange } from '../../src/model/comparison.js';
import { exactCallsBlocks } from '../../src/profile/exact/render.js';
import { layoutMarkdown } from '../../src/report/layout/markdown.js';
import { layoutText } from '../../src/report/layout/text.js';

const exactCallsTable = (changes: ExactCallChange[], top: number) =>
  layoutMarkdown(exactCallsBlocks(changes, top));
const exactCallsLines = (changes: ExactCallChange[], top: number) =>
  layoutText(exactCallsBlocks(changes, top)).split('\n');

const options = { tolerance: 0, timeThreshold: 0.1 };
const alpha = 0.01;

function fn(
  name: string,
  line: number,
  callsPerOp: number,
  roundsMs: number[],
  file = 'src/users.ts',
): ExactFunction {
  const inclusiveMsPerOp = roundsMs.reduce((s, v) => s + v, 0) / roundsMs.length;
  return { name, file, line, callsPerOp, inclusiveMsPerOp, roundsMs };
}

function attachment(functions: ExactFunction[]): CallsAttachment {
  return { ops: 50, rounds: 10, durationMs: 100, instrumented: 20, functions };
}

const steady = (ms: number) => Array.from({ length: 10 }, (_, i) => ms * (1 + (i % 3) * 0.01));

describe('compareExact', () => {
  it('reports a count change exactly and gates a function called in base too', () => {
    const base = attachment([
      fn('getUsers', 33, 1, steady(10)),
      fn('getUserDetails', 24, 1, steady(1)),
    ]);
    const head = attachment([
      fn('getUsers', 33, 1, steady(10)),
      fn('getUserDetails', 24, 500, steady(9)),
    ]);
    const result = compareExact([base], head, options, { alpha })!;
    expect(result.regressed).toBe(true);
    expect(result.reasons).toEqual(['getUserDetails (src/users.ts:24): 1 → 500 calls per op']);
    expect(result.changes[0]).toMatchObject({ name: 'getUserDetails', base: 1, head: 500 });
    expect(exactCallsTable(result.changes, 5)).toContain(
      '| getUserDetails | src/users.ts:24 | 1 → 500 |',
    );
    expect(
      exactCallsLines(result.changes, 5).some((l) =>
        /^ *getUserDetails +src\/users\.ts:24 +1 → 500 /.test(l),
      ),
    ).toBe(true);
  });

  it('reports new and removed functions without gating them, and allows the tolerance', () => {
    const base = attachment([
      fn('getUsers', 33, 1, steady(10)),
      fn('(anonymous in getUsers)', 35, 500, steady(1)),
    ]);
    const head = attachment([
      fn('getUsers', 33, 1, steady(10)),
      fn('getUserDetails', 24, 500, steady(9)),
    ]);
    const result = compareExact([base], head, options, { alpha })!;
    expect(result.regressed).toBe(false);
    expect(result.changes.map((c) => [c.name, c.base, c.head])).toEqual([
      ['getUserDetails', null, 500],
      ['(anonymous in getUsers)', 500, null],
    ]);
    const tolerated = compareExact(
      [attachment([fn('query', 9, 2, steady(1))])],
      attachment([fn('query', 9, 3, steady(1))]),
      { ...options, tolerance: 1 },
      { alpha },
    )!;
    expect(tolerated.regressed).toBe(false);
    expect(tolerated.changes).toHaveLength(1);
  });

  it('matches a function that moved lines, and leaves equal counts and times out', () => {
    const base = attachment([fn('getUsers', 30, 1, steady(10))]);
    const head = attachment([fn('getUsers', 33, 1, steady(10))]);
    const result = compareExact([base], head, options, { alpha })!;
    expect(result.changes).toEqual([]);
    expect(result.regressed).toBe(false);
  });

  it('reports a time change beyond noise, not one within the threshold or the noise', () => {
    const base = attachment([
      fn('slower', 1, 1, steady(10)),
      fn('slightly', 5, 1, steady(10)),
      fn('noisy', 9, 1, [5, 15, 5, 15, 5, 15, 5, 15, 5, 15]),
    ]);
    const head = attachment([
      fn('slower', 1, 1, steady(20)),
      fn('slightly', 5, 1, steady(10.5)),
      fn('noisy', 9, 1, [6, 16, 6, 16, 5, 14, 6, 16, 5, 15]),
    ]);
    const result = compareExact([base], head, options, { alpha })!;
    expect(result.changes.map((c) => c.name)).toEqual(['slower']);
    expect(result.changes[0]!.time).toMatchObject({ beyondNoise: true });
    expect(result.regressed).toBe(false);
  });

  it('says that calls in worker threads are not counted, with a table or without one', () => {
    const base = attachment([fn('getUsers', 33, 1, steady(10))]);
    const head = { ...attachment([fn('getUsers', 33, 2, steady(10))]), workerThreads: 3 };
    const result = compareExact([base], head, options, { alpha })!;
    expect(result.workerThreads).toBe(3);
    const note =
      'Calls made in worker threads are not counted: 3 worker threads ran during the counted operations.';
    const markdown = layoutMarkdown(exactCallsBlocks(result.changes, 5, result.workerThreads));
    expect(markdown).toContain('| getUsers | src/users.ts:33 | 1 → 2 |');
    expect(markdown).toContain(note);
    // No count changed: the note alone, in the terminal too.
    const same = compareExact([base], { ...base, workerThreads: 1 }, options, { alpha })!;
    expect(same.changes).toEqual([]);
    expect(layoutText(exactCallsBlocks(same.changes, 5, same.workerThreads))).toContain(
      'Calls made in worker threads are not counted: 1 worker thread ran during the counted operations.',
    );
    expect(compareExact([base], base, options, { alpha })!.workerThreads).toBeUndefined();
    expect(exactCallsBlocks([], 5, undefined)).toEqual([]);
  });

  it('has nothing to say without both sides', () => {
    expect(compareExact([], attachment([]), options, { alpha })).toBeUndefined();
    expect(compareExact([attachment([])], undefined, options, { alpha })).toBeUndefined();
  });
});
