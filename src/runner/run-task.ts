// One task of a bench file, in the child, in two phases: the timing pass (timeTask), and later the
// instrumented passes (instrumentTask), each inside the task's setup/teardown hooks. No kind code
// here: the timed fork loads this file only; the kinds' passes come from ./child-passes.ts.
import type { Config } from '../config/schema.js';
import { messageOf } from '../model/errors.js';
import type { Benchmark } from '../model/run.js';
import { summarize } from '../stats/summary.js';
import type { CapturedTask } from './capture-tasks.js';
import type { ChildMessage, PassName } from './protocol.js';
import type { BenchTask, PassContext } from '../model/task.js';
import { measureTiming } from './timing.js';
import { isThenable } from '../hooks/thenable.js';

/** A pass that runs after timing and returns the fields it attaches to the Benchmark. */
export interface InstrumentedPass {
  /** The kind's name. */
  name: Exclude<PassName, 'timing'>;
  run: (task: BenchTask, ctx: PassContext) => Promise<Partial<Benchmark> | undefined>;
}

async function call(hook: (() => unknown) | undefined): Promise<void> {
  if (!hook) return;
  const result = hook();
  if (isThenable(result)) await result;
}

/**
 * The error message with the first stack frame outside perfgate's own bundle (the user's line),
 * so a one-line report says where it happened.
 */
export function describeError(error: unknown): string {
  const message = messageOf(error);
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frame = stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .find(
      (line) =>
        line.startsWith('at ') &&
        !line.includes('/dist/child.js') &&
        !line.includes('/dist/child-passes.js') &&
        !line.includes('/src/runner/') &&
        !line.includes('node:'),
    );
  return frame ? `${message} (${frame})` : message;
}

export interface TaskJob {
  /** Absolute path of the bench file. */
  file: string;
  relativeFile: string;
  projectRoot: string;
  outDir: string;
  config: Config;
}

export interface TaskOutcome {
  benchmark: Benchmark;
  medianNs?: number;
  error?: string;
}

/**
 * Runs `body` inside the task's setup hooks, as tinybench does for each phase: the Bench's
 * `setup`, the task's `beforeAll`, then `afterAll` (only after a `beforeAll` that completed) and
 * `teardown` (only after a `setup` that completed). Returns the first error, described.
 */
async function withTaskHooks(
  captured: CapturedTask,
  body: (task: BenchTask) => Promise<void>,
): Promise<string | undefined> {
  // The phases get a task without beforeAll/afterAll: those run here, once around the phase.
  const { beforeAll, afterAll, ...perOp } = captured.task;
  let setUp = false;
  let beforeAllDone = false;
  let error: string | undefined;
  try {
    await call(captured.setup);
    setUp = true;
    await call(beforeAll);
    beforeAllDone = true;
    await body(perOp);
  } catch (taskError) {
    error = describeError(taskError);
  } finally {
    try {
      if (beforeAllDone) await call(afterAll);
    } catch (afterAllError) {
      error ??= `afterAll: ${describeError(afterAllError)}`;
    }
    try {
      if (setUp) await call(captured.teardown);
    } catch (teardownError) {
      error ??= `teardown: ${describeError(teardownError)}`;
    }
  }
  return error;
}

/** Phase 1 for one task: the timing pass alone, with its own setup and teardown. */
export async function timeTask(
  job: TaskJob,
  captured: CapturedTask,
  id: string,
  send: (message: ChildMessage) => Promise<void>,
): Promise<TaskOutcome> {
  const benchmark: Benchmark = {
    id,
    name: captured.name,
    file: job.relativeFile,
    ...(captured.group !== undefined ? { group: captured.group } : {}),
    unit: 'ns',
    direction: 'smaller',
    samples: [],
    stats: summarize([]),
  };
  const error = await withTaskHooks(captured, async (task) => {
    await send({ type: 'pass', task: id, pass: 'timing' });
    // Start from a clean heap: garbage of the previous task must not be collected on our time.
    globalThis.gc?.();
    const timing = await measureTiming(task, job.config.run);
    benchmark.samples = timing.samples;
    benchmark.opsPerSample = timing.opsPerSample;
    benchmark.stats = summarize(timing.samples);
  });
  if (error !== undefined) {
    // An errored task keeps no partial numbers: they would be compared as if valid.
    return {
      benchmark: {
        ...benchmark,
        error,
        samples: [],
        stats: summarize([]),
        opsPerSample: undefined,
      },
      error,
    };
  }
  return { benchmark, medianNs: benchmark.stats.median };
}

/**
 * Phase 2 for one timed task: the instrumented passes (profile, queries, memory), with their own
 * setup and teardown. The child runs it only after every task of the file was timed: passes
 * change the process (the memory pass turns V8's inlining off while it runs, profilers deopt
 * code), and that must not reach the timing of a later task. A pass that fails loses only its
 * own attachment; a failing setup loses all of them; either way the timing stays, with a warning.
 */
export async function instrumentTask(
  job: TaskJob,
  captured: CapturedTask,
  timed: Benchmark,
  send: (message: ChildMessage) => Promise<void>,
  passes: readonly InstrumentedPass[],
): Promise<Benchmark> {
  const benchmark: Benchmark = { ...timed };
  const ctx: PassContext = {
    benchmarkId: timed.id,
    benchFile: job.file,
    projectRoot: job.projectRoot,
    outDir: job.outDir,
    medianNs: timed.stats.median,
  };
  const error = await withTaskHooks(captured, async (task) => {
    for (const pass of passes) {
      await send({ type: 'pass', task: timed.id, pass: pass.name });
      try {
        const attached = await pass.run(task, ctx);
        if (attached) Object.assign(benchmark, attached);
      } catch (passError) {
        await send({
          type: 'warning',
          task: timed.id,
          message: `${pass.name} pass failed, no ${pass.name} data for this benchmark: ${describeError(passError)}`,
        });
      }
    }
  });
  if (error === undefined) return benchmark;
  await send({
    type: 'warning',
    task: timed.id,
    message: `profile/queries/memory passes stopped, timing kept: ${error}`,
  });
  return timed;
}
