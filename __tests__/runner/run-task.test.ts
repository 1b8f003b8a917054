// One task in-process (what the child does per task): pass order, hooks once around all passes,
// a failing pass that keeps the timing, a failing task that keeps nothing.
import { describe, expect, it } from 'vitest';
import { benchmarkSchema } from '../../src/model/run.js';
import type { CapturedTask } from '../../src/runner/capture-tasks.js';
import type { ChildMessage } from '../../src/runner/protocol.js';
import { runTask, type InstrumentedPass, type TaskJob } from '../../src/runner/run-task.js';
import { testConfig } from './helpers.js';

const job: TaskJob = {
  file: '/project/bench/a.bench.ts',
  relativeFile: 'bench/a.bench.ts',
  projectRoot: '/project',
  outDir: '/project/.perfgate/out',
  config: testConfig({ run: { time: 5, warmup: 1, minSamples: 3 } }),
};

function recorder() {
  const messages: ChildMessage[] = [];
  return { messages, send: async (message: ChildMessage) => void messages.push(message) };
}

function captured(events: string[], fn: () => unknown = () => 1): CapturedTask {
  return {
    group: 'g',
    name: 't',
    setup: () => events.push('setup'),
    teardown: () => events.push('teardown'),
    task: {
      name: 't',
      fn,
      beforeAll: () => events.push('beforeAll'),
      afterAll: () => events.push('afterAll'),
    },
  };
}

describe('runTask', () => {
  it('runs timing, then each pass, inside one beforeAll/afterAll', async () => {
    const events: string[] = [];
    const { messages, send } = recorder();
    const passes: InstrumentedPass[] = [
      {
        name: 'profile',
        run: async (task, ctx) => {
          events.push('profile');
          // Passes get the per-op task only: beforeAll/afterAll already ran around them.
          expect(task.beforeAll).toBeUndefined();
          expect(task.afterAll).toBeUndefined();
          expect(ctx.medianNs).toBeGreaterThan(0);
          expect(ctx).toMatchObject({
            benchmarkId: 'id',
            outDir: job.outDir,
            projectRoot: '/project',
          });
          return { profile: { source: 'v8', intervalUs: 100, samples: 1, functions: [] } as never };
        },
      },
      { name: 'memory', run: async () => void events.push('memory') },
    ];
    const outcome = await runTask(job, captured(events), 'id', send, passes);
    expect(events).toEqual(['setup', 'beforeAll', 'profile', 'memory', 'afterAll', 'teardown']);
    expect(messages.map((m) => (m.type === 'pass' ? m.pass : m.type))).toEqual([
      'timing',
      'profile',
      'memory',
    ]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.benchmark).toMatchObject({
      id: 'id',
      name: 't',
      group: 'g',
      file: 'bench/a.bench.ts',
      unit: 'ns',
      direction: 'smaller',
    });
    expect(outcome.benchmark.samples.length).toBeGreaterThanOrEqual(3);
    expect(outcome.benchmark.stats.n).toBe(outcome.benchmark.samples.length);
    expect(outcome.medianNs).toBe(outcome.benchmark.stats.median);
    expect(outcome.benchmark.profile).toBeDefined();
  });

  it('keeps the timing and warns when an instrumented pass throws', async () => {
    const { messages, send } = recorder();
    const passes: InstrumentedPass[] = [
      {
        name: 'queries',
        run: async () => {
          throw new Error('driver not supported');
        },
      },
    ];
    const outcome = await runTask(job, captured([]), 'id', send, passes);
    expect(outcome.error).toBeUndefined();
    expect(outcome.benchmark.samples.length).toBeGreaterThan(0);
    expect(outcome.benchmark.queries).toBeUndefined();
    const warning = messages.find((m) => m.type === 'warning');
    expect(warning).toMatchObject({
      task: 'id',
      message: expect.stringMatching(/queries pass failed.*driver not supported/),
    });
  });

  it('records the error of a task that throws, with no numbers, and still tears down', async () => {
    const events: string[] = [];
    const { send } = recorder();
    const outcome = await runTask(
      job,
      captured(events, () => {
        throw new Error('no such table: users');
      }),
      'id',
      send,
      [],
    );
    expect(outcome.error).toMatch(/^no such table: users/);
    expect(outcome.benchmark.error).toBe(outcome.error);
    expect(outcome.benchmark.samples).toEqual([]);
    expect(outcome.benchmark.stats.n).toBe(0);
    expect(benchmarkSchema.safeParse(JSON.parse(JSON.stringify(outcome.benchmark))).success).toBe(
      true,
    );
    expect(events).toEqual(['setup', 'beforeAll', 'afterAll', 'teardown']);
  });

  it('does not run afterAll when beforeAll failed (as tinybench), but tears down', async () => {
    const events: string[] = [];
    const { send } = recorder();
    const task = captured(events);
    task.task.beforeAll = () => {
      throw new Error('seed failed');
    };
    const outcome = await runTask(job, task, 'id', send, []);
    expect(outcome.error).toMatch(/seed failed/);
    expect(events).toEqual(['setup', 'teardown']);
  });

  it('reports an afterAll that throws as the task error', async () => {
    const { send } = recorder();
    const task = captured([]);
    task.task.afterAll = async () => {
      throw new Error('cleanup failed');
    };
    const outcome = await runTask(job, task, 'id', send, []);
    expect(outcome.error).toMatch(/^afterAll: cleanup failed/);
    expect(outcome.benchmark.samples).toEqual([]);
  });
});
