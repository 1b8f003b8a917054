// How compare() wires the attachment comparisons (queries, memory, profile) into the gate and
// the highlights. The attachment modules are replaced by fakes here: their own tests cover them.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MemoryComparison, QueriesComparison } from '../../src/model/comparison.js';

const fakes = vi.hoisted(() => ({
  queries: vi.fn(),
  memory: vi.fn(),
  profiles: vi.fn(),
}));
vi.mock('../../src/queries/compare.js', () => ({ compareQueries: fakes.queries }));
vi.mock('../../src/memory/compare.js', () => ({ compareMemory: fakes.memory }));
vi.mock('../../src/profile/compare.js', () => ({ compareProfiles: fakes.profiles }));

const { compare } = await import('../../src/compare/index.js');
const { defaultConfig } = await import('../../src/config/schema.js');
const { bench, noisy, prng, run } = await import('../helpers/runs.js');

const queriesRegressed: QueriesComparison = {
  base: 1,
  head: 501,
  change: 500,
  nPlusOne: [
    {
      fingerprint: 'SELECT * FROM details WHERE user_id = $1',
      sample: 'SELECT …',
      perIteration: 500,
      new: true,
      callSite: { file: 'src/users.ts', line: 12 },
    },
    { fingerprint: 'SELECT 1', sample: 'SELECT 1', perIteration: 6, new: false },
  ],
  regressed: true,
  reasons: ['1 → 501 queries per iteration'],
};
const memoryLeak: MemoryComparison = {
  base: 1000,
  head: 1000,
  change: 0,
  leak: {
    bytesPerOp: 2048,
    stderr: 10,
    heapAfterRounds: [1, 2, 3],
    opsPerRound: 100,
    sites: [],
    new: true,
  },
  regressed: true,
  reasons: ['retained growth 2.00 KiB per op'],
};

describe('compare: attachments', () => {
  const random = prng(3);
  const samples = () => noisy(1000, 50, 0.02, random);
  const queries = {
    iterations: 3,
    perIteration: 1,
    httpPerIteration: 0,
    fingerprints: [],
    nPlusOne: [],
  };
  const base = run([bench('users > getUsers', samples(), { queries })]);
  const head = run([
    bench('users > getUsers', samples(), { queries: { ...queries, perIteration: 501 } }),
  ]);

  beforeEach(() => {
    fakes.queries.mockReset().mockReturnValue(queriesRegressed);
    fakes.memory.mockReset().mockReturnValue(memoryLeak);
    fakes.profiles
      .mockReset()
      .mockReturnValue([{ name: 'load', file: 'a.ts', line: 1, base: 1, head: 2, change: 1 }]);
  });

  it('passes base attachments (newest first), the head attachment and the options', () => {
    const options = defaultConfig();
    compare([base], head, options);
    expect(fakes.queries).toHaveBeenCalledWith(
      [queries],
      { ...queries, perIteration: 501 },
      options.queries,
    );
    expect(fakes.memory).toHaveBeenCalledWith([], undefined, {
      ...options.memory,
      alpha: options.alpha,
    });
    expect(fakes.profiles).toHaveBeenCalledWith([], undefined);
  });

  it('attachment reasons fail the gate when their check is in failOn, prefixed by the id', () => {
    const result = compare([base], head, defaultConfig());
    const [b] = result.benchmarks;
    expect(b.status).toBe('unchanged');
    expect(b.queries).toBe(queriesRegressed);
    expect(b.functions).toHaveLength(1);
    expect(result.verdict).toBe('fail');
    expect(result.reasons).toEqual([
      'users > getUsers: queries: 1 → 501 queries per iteration',
      'users > getUsers: memory: retained growth 2.00 KiB per op',
    ]);
  });

  it('without queries/memory in failOn they do not fail the gate, but still headline', () => {
    const result = compare([base], head, { ...defaultConfig(), failOn: ['time'] });
    expect(result.verdict).toBe('pass');
    expect(result.highlights).toEqual([
      'users > getUsers: new N+1 query, 500× per iteration at src/users.ts:12: SELECT * FROM details WHERE user_id = $1',
      'users > getUsers: new memory leak, 2.00 KiB retained per operation',
    ]);
  });

  it('undefined from an attachment leaves the field out of the JSON', () => {
    fakes.queries.mockReturnValue(undefined);
    fakes.memory.mockReturnValue(undefined);
    fakes.profiles.mockReturnValue(undefined);
    const [b] = compare([base], head, defaultConfig()).benchmarks;
    expect(Object.keys(b)).not.toContain('queries');
    expect(Object.keys(b)).not.toContain('memory');
    expect(Object.keys(b)).not.toContain('functions');
  });

  it('new benchmarks still get their attachments compared (a new N+1 in a new benchmark)', () => {
    const result = compare(
      [base],
      run([bench('users > fresh', samples(), { queries })]),
      defaultConfig(),
    );
    expect(result.benchmarks[0].status).toBe('new');
    expect(fakes.queries).toHaveBeenCalledWith([], queries, expect.anything());
    expect(result.highlights[0]).toMatch(/^users > fresh: new N\+1 query/);
  });
});
