// One task in-process (what the child does per task): timing first (timeTask), then the
// instrumented passes (instrumentTask), each phase inside its own beforeAll/afterAll; a failing
// pass keeps the timing, a failing task keeps nothing.
import { describe, expect, it } from 'vitest';
import { benchmarkSchema } from '../../src/model/run.js';
import type { CapturedTask } from '../../src/runner/capture-tasks.js';
import type { ChildMessage } from '../../src/runner/protocol.js';
import {
  instrumentTask,
  timeTask,
  type InstrumentedPass,
  type TaskJob,
} from '../../src/runner/run-task.js';
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

describe('timeTask and instrumentTask', () => {
  it('times, then runs each pass, each phase inside its own beforeAll/afterAll', async () => {
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
    const task = captured(events);
    const outcome = await timeTask(job, task, 'id', send);
    expect(events).toEqual(['setup', 'beforeAll', 'afterAll', 'teardown']);
    const instrumented = await instrumentTask(job, task, outcome.benchmark, send, passes);
    expect(events).toEqual([
      ...['setup', 'beforeAll', 'afterAll', 'teardown'],
      ...['setup', 'beforeAll', 'profile', 'memory', 'afterAll', 'teardown'],
    ]);
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
    expect(outcome.benchmark.profile).toBeUndefined();
    expect(instrumented.profile).toBeDefined();
    expect(instrumented.samples).toEqual(outcome.benchmark.samples);
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
    const task = captured([]);
    const outcome = await timeTask(job, task, 'id', send);
    const instrumented = await instrumentTask(job, task, outcome.benchmark, send, passes);
    expect(outcome.error).toBeUndefined();
    expect(instrumented.samples.length).toBeGreaterThan(0);
    expect(instrumented.queries).toBeUndefined();
    const warning = messages.find((m) => m.type === 'warning');
    expect(warning).toMatchObject({
      task: 'id',
      message: expect.stringMatching(/queries pass failed.*driver not supported/),
    });
  });

  it('records the error of a task that throws, with no numbers, and still tears down', async () => {
    const events: string[] = [];
    const { send } = recorder();
    const outcome = await timeTask(
      job,
      captured(events, () => {
        throw new Error('no such table: users');
      }),
      'id',
      send,
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
    const outcome = await timeTask(job, task, 'id', send);
    expect(outcome.error).toMatch(/seed failed/);
    expect(events).toEqual(['setup', 'teardown']);
  });

  it('reports an afterAll that throws as the task error', async () => {
    const { send } = recorder();
    const task = captured([]);
    task.task.afterAll = async () => {
      throw new Error('cleanup failed');
    };
    const outcome = await timeTask(job, task, 'id', send);
    expect(outcome.error).toMatch(/^afterAll: cleanup failed/);
    expect(outcome.benchmark.samples).toEqual([]);
  });

  it('keeps the timing, with a warning, when setup fails in the passes phase', async () => {
    const { messages, send } = recorder();
    const task = captured([]);
    const outcome = await timeTask(job, task, 'id', send);
    task.task.beforeAll = () => {
      throw new Error('database gone');
    };
    const passes: InstrumentedPass[] = [{ name: 'memory', run: async () => ({}) }];
    const instrumented = await instrumentTask(job, task, outcome.benchmark, send, passes);
    expect(instrumented).toEqual(outcome.benchmark);
    expect(messages.find((m) => m.type === 'warning')).toMatchObject({
      task: 'id',
      message: expect.stringMatching(/passes stopped, timing kept: database gone/),
    });
  });
});
