import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { makeIdFilter } from '../../src/model/filter.js';
import { benchmarkId, uniqueIds } from '../../src/runner/ids.js';

describe('benchmarkId', () => {
  it('joins file, group and name, leaving out a missing group', () => {
    expect(benchmarkId('bench/a.bench.ts', 'users', 'list')).toBe(
      'bench/a.bench.ts > users > list',
    );
    expect(benchmarkId('bench/a.bench.ts', undefined, 'list')).toBe('bench/a.bench.ts > list');
  });
});

describe('uniqueIds', () => {
  it('renames later duplicates and reports them', () => {
    const { ids, renamed } = uniqueIds(['a', 'b', 'a', 'a', 'a #2']);
    expect(ids).toEqual(['a', 'b', 'a #2', 'a #3', 'a #2 #2']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(renamed).toEqual([
      ['a', 'a #2'],
      ['a', 'a #3'],
      ['a #2', 'a #2 #2'],
    ]);
  });
});

describe('makeIdFilter', () => {
  it('matches everything without a pattern', () => {
    expect(makeIdFilter(undefined)('x')).toBe(true);
    expect(makeIdFilter('')('x')).toBe(true);
  });

  it('matches a plain pattern as a substring, case-sensitively', () => {
    const filter = makeIdFilter('users > list');
    expect(filter('a.bench.ts > users > list all')).toBe(true);
    expect(filter('a.bench.ts > Users > list')).toBe(false);
  });

  it('treats /…/flags as a regular expression', () => {
    const filter = makeIdFilter('/^api\\/.* > (get|post)$/i');
    expect(filter('api/x.bench.ts > GET')).toBe(true);
    expect(filter('web/x.bench.ts > get')).toBe(false);
  });

  it('ignores the stateful g and y flags (test() must not depend on the previous call)', () => {
    const filter = makeIdFilter('/fast/g');
    expect([filter('fast'), filter('fast'), filter('fast')]).toEqual([true, true, true]);
  });

  it('reports an invalid regex as bad input', () => {
    expect(() => makeIdFilter('/(unclosed/')).toThrow(InputError);
    expect(() => makeIdFilter('/(unclosed/')).toThrow(/invalid --filter regex \/\(unclosed\//);
  });
});
