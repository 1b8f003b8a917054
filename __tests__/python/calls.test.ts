// Call-count changes of project functions (cProfile's exact counts): compared exactly, rendered
// under the benchmark's top function changes.
import { describe, expect, it } from 'vitest';
import type { BenchmarkComparison } from '../../src/model/comparison.js';
import type { ProfileAttachment, ProfileFunction } from '../../src/model/profile.js';
import { compareCalls, isProjectFile } from '../../src/profile/calls.js';
import { functionChangesSection } from '../../src/profile/render.js';
import { layoutMarkdown } from '../../src/report/layout/markdown.js';
import { layoutText } from '../../src/report/layout/text.js';

function fn(name: string, file: string, line: number, calls?: number): ProfileFunction {
  return {
    name,
    file,
    line,
    selfSamples: 1,
    totalSamples: 1,
    self: 1,
    total: 1,
    ...(calls !== undefined ? { calls } : {}),
  };
}

function profile(functions: ProfileFunction[]): ProfileAttachment {
  return { source: 'pstats', intervalUs: 1000, samples: 10, ops: 1, durationMs: 1, functions };
}

const base = profile([
  fn('get_users', 'app/users.py', 19, 1),
  fn('user_json', 'app/users.py', 9, 500),
  fn('execute', 'site-packages/sqlalchemy/orm/session.py', 1650, 1),
]);
const head = profile([
  fn('get_users', 'app/users.py', 14, 1),
  fn('get_users', 'app/users.py', 19, 1),
  fn('get_user_details', 'app/users.py', 8, 500),
  fn('execute', 'site-packages/sqlalchemy/orm/session.py', 1650, 501),
]);

describe('compareCalls', () => {
  it('lists project functions whose calls per op changed, biggest first', () => {
    expect(compareCalls(base, head)).toEqual([
      { name: 'get_user_details', file: 'app/users.py', line: 8, base: null, head: 500 },
      { name: 'user_json', file: 'app/users.py', line: 9, base: 500, head: null },
      { name: 'get_users', file: 'app/users.py', line: 14, base: null, head: 1 },
    ]);
  });

  it('needs counts on both sides, and ignores rounding of averaged counts', () => {
    expect(compareCalls(undefined, head)).toBeUndefined();
    const sampled = profile([fn('get_users', 'app/users.py', 19)]);
    expect(compareCalls(sampled, head)).toBeUndefined();
    const a = profile([fn('f', 'app/a.py', 1, 10)]);
    const b = profile([fn('f', 'app/a.py', 1, 10.4)]);
    expect(compareCalls(a, b)).toEqual([]);
  });

  it('does not call a function absent from a cut function list "not called"', () => {
    const cut = profile([...Array.from({ length: 300 }, (_, i) => fn(`f${i}`, 'lib.py', i, 1))]);
    expect(compareCalls(cut, head)!.map((c) => c.name)).not.toContain('get_user_details');
    // …unless the importer kept every project function (the pytest plugin's profiles do).
    const listed = compareCalls({ ...cut, projectComplete: true }, head)!;
    expect(listed.map((c) => c.name)).toContain('get_user_details');
  });

  it('knows project files from dependencies, the standard library and built-ins', () => {
    expect(isProjectFile('app/users.py')).toBe(true);
    expect(isProjectFile('site-packages/flask/app.py')).toBe(false);
    expect(isProjectFile('stdlib/json/encoder.py')).toBe(false);
    expect(isProjectFile('')).toBe(false);
    expect(isProjectFile('<frozen importlib._bootstrap>')).toBe(false);
    expect(isProjectFile('/usr/lib/x.py')).toBe(false);
  });

  it('renders under the benchmark’s function changes, in markdown and text', () => {
    const benchmark = { callChanges: compareCalls(base, head) } as BenchmarkComparison;
    const markdown = layoutMarkdown(functionChangesSection(benchmark, 5));
    expect(markdown).toContain('| Function | File:line | Base calls | Head calls |');
    expect(markdown).toContain('| get\\_user\\_details | app/users.py:8 | — | 500 |');
    expect(layoutText(functionChangesSection(benchmark, 5))).toMatch(
      /get_user_details +app\/users\.py:8 +— +500\n/,
    );
  });
});
