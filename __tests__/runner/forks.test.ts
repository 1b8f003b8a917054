// Fork planning and merging (src/runner/forks.ts).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import { forkConfig, forkSchedule, mergeForks } from '../../src/runner/forks.js';
import { bench } from '../helpers/runs.js';

describe('forkSchedule', () => {
  it('interleaves the forks of different files: A1 B1 A2 B2 …, passes in the last fork', () => {
    const jobs = forkSchedule([{ project: 'p', files: ['a', 'b'] }], 3, (f) => f);
    expect(jobs.map((j) => `${j.file}${j.fork + 1}`)).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
    expect(jobs.filter((j) => j.passes).map((j) => j.fork)).toEqual([2, 2]);
  });

  it('with separatePasses, adds one untimed fork per file for the passes, after the timed ones', () => {
    const jobs = forkSchedule([{ project: 'p', files: ['a', 'b'] }], 2, (f) => f, {
      separatePasses: true,
    });
    expect(jobs.map((j) => `${j.file}${j.fork + 1}${j.timed ? '' : '*'}`)).toEqual([
      'a1',
      'b1',
      'a2',
      'b2',
      'a3*',
      'b3*',
    ]);
    expect(jobs.every((j) => j.passes === !j.timed)).toBe(true);
  });

  it('with base and head, runs each pair back to back in a random order', () => {
    let i = 0;
    const coin = () => [0.7, 0.2, 0.9, 0.1][i++ % 4];
    const jobs = forkSchedule(
      [
        { project: 'base', files: ['a'] },
        { project: 'head', files: ['a'] },
      ],
      4,
      (f) => f,
      { random: coin },
    );
    expect(jobs.map((j) => `${j.project}${j.fork + 1}`)).toEqual([
      'base1',
      'head1',
      'head2',
      'base2',
      'base3',
      'head3',
      'head4',
      'base4',
    ]);
  });

  it('a file in one project only still runs its forks', () => {
    const jobs = forkSchedule(
      [
        { project: 'base', files: ['a'] },
        { project: 'head', files: ['a', 'new'] },
      ],
      2,
      (f) => f,
      { random: () => 0.9 },
    );
    expect(jobs.filter((j) => j.file === 'new').map((j) => j.project)).toEqual(['head', 'head']);
  });
});

describe('forkConfig', () => {
  const config = defaultConfig();
  it('splits time and warm-up across forks and turns the passes off where they do not run', () => {
    const timing = forkConfig(config, 5, false);
    expect(timing.run.time).toBe(config.run.time / 5);
    expect(timing.run.warmup).toBe(config.run.warmup / 5);
    expect(timing.run.maxSamples).toBe(40);
    expect([timing.profile.enabled, timing.queries.enabled, timing.memory.enabled]).toEqual([
      false,
      false,
      false,
    ]);
    const passes = forkConfig(config, 5, true);
    expect([passes.profile.enabled, passes.queries.enabled, passes.memory.enabled]).toEqual([
      true,
      true,
      true,
    ]);
  });
});

describe('mergeForks', () => {
  it('concatenates samples in fork order and records the fork sizes', () => {
    const merged = mergeForks([
      bench('x', [1, 2, 3]),
      bench('x', [4, 5]),
      bench('x', [6, 7, 8, 9]),
    ]);
    expect(merged.samples).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(merged.forks).toEqual([3, 2, 4]);
    expect(merged.stats.n).toBe(9);
    expect(merged.stats.median).toBe(5);
  });

  it('keeps the attachments of the fork with the passes and an error of any fork', () => {
    const profiled = {
      ...bench('x', [3]),
      profile: { file: 'x.cpuprofile', functions: [] },
    } as never;
    const merged = mergeForks([bench('x', [1], { error: 'boom' }), profiled]);
    expect(merged.error).toBe('boom');
    expect((merged as { profile?: unknown }).profile).toBeDefined();
  });

  it('takes attachments but no samples from a fork run only for the passes', () => {
    const passes = {
      ...bench('x', [90, 91]),
      profile: { file: 'x.cpuprofile', functions: [] },
    } as never;
    const merged = mergeForks([bench('x', [1, 2]), bench('x', [3])], passes);
    expect(merged.samples).toEqual([1, 2, 3]);
    expect(merged.forks).toEqual([2, 1]);
    expect((merged as { profile?: unknown }).profile).toBeDefined();
    const single = mergeForks([bench('x', [1, 2])], passes);
    expect(single.samples).toEqual([1, 2]);
    expect((single as { profile?: unknown }).profile).toBeDefined();
  });
});
