// One task of a bench file, in the child: setup, the timing pass, the instrumented passes,
// teardown. Produces the Benchmark record (stats via summarize()).
import type { Config } from '../config/schema.js';
import { captureMemory } from '../memory/capture.js';
import { messageOf } from '../model/errors.js';
import type { Benchmark } from '../model/run.js';
import { summarize } from '../model/stats.js';
import { captureProfile } from '../profile/capture.js';
import { captureQueries } from '../queries/capture.js';
import type { CapturedTask } from './capture-tasks.js';
import type { ChildMessage, PassName } from './protocol.js';
import type { BenchTask, PassContext } from './task.js';
import { measureTiming } from './timing.js';

/** A pass that runs after timing and returns the fields it attaches to the Benchmark. */
export interface InstrumentedPass {
  name: Exclude<PassName, 'timing'>;
  run: (task: BenchTask, ctx: PassContext) => Promise<Partial<Benchmark> | undefined>;
}

/** The profile, queries and memory passes that the config enables, in that order. */
export function instrumentedPasses(config: Config): InstrumentedPass[] {
  const passes: InstrumentedPass[] = [];
  if (config.profile.enabled) {
    passes.push({
      name: 'profile',
      run: async (task, ctx) => {
        const profile = await captureProfile(task, ctx, config.profile);
        return profile ? { profile } : undefined;
      },
    });
  }
  if (config.queries.enabled) {
    passes.push({
      name: 'queries',
      run: async (task, ctx) => {
        const queries = await captureQueries(task, ctx, config.queries);
        return queries ? { queries } : undefined;
      },
    });
  }
  if (config.memory.enabled) {
    passes.push({
      name: 'memory',
      run: async (task, ctx) => {
        const memory = await captureMemory(task, ctx, config.memory);
        return memory ? { memory } : undefined;
      },
    });
  }
  return passes;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
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

export async function runTask(
  job: TaskJob,
  captured: CapturedTask,
  id: string,
  send: (message: ChildMessage) => Promise<void>,
  passes: InstrumentedPass[] = instrumentedPasses(job.config),
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
  // beforeAll/afterAll (and the Bench's setup/teardown) run once around all passes of the task;
  // the passes get a task without them and run only the per-op hooks.
  const { beforeAll, afterAll, ...perOp } = captured.task;
  const passTask: BenchTask = perOp;
  let setUp = false;
  let beforeAllDone = false;
  let error: string | undefined;
  try {
    await call(captured.setup);
    setUp = true;
    await call(beforeAll);
    beforeAllDone = true;
    await send({ type: 'pass', task: id, pass: 'timing' });
    // Start from a clean heap: garbage of the previous task must not be collected on our time.
    globalThis.gc?.();
    const timing = await measureTiming(passTask, job.config.run);
    benchmark.samples = timing.samples;
    benchmark.opsPerSample = timing.opsPerSample;
    benchmark.stats = summarize(timing.samples);

    const ctx: PassContext = {
      benchmarkId: id,
      benchFile: job.file,
      projectRoot: job.projectRoot,
      outDir: job.outDir,
      medianNs: benchmark.stats.median,
    };
    // Instrumented passes come after timing, never during it. One that fails loses only its
    // own attachment, with a warning.
    for (const pass of passes) {
      await send({ type: 'pass', task: id, pass: pass.name });
      try {
        const attached = await pass.run(passTask, ctx);
        if (attached) Object.assign(benchmark, attached);
      } catch (passError) {
        await send({
          type: 'warning',
          task: id,
          message: `${pass.name} pass failed, no ${pass.name} data for this benchmark: ${describeError(passError)}`,
        });
      }
    }
  } catch (taskError) {
    error = describeError(taskError);
  } finally {
    // As in tinybench: afterAll only after a beforeAll that completed, teardown after setup.
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
  if (error !== undefined) {
    // An errored task keeps no partial numbers: they would be compared as if valid.
    return {
      benchmark: {
        ...benchmark,
        error,
        samples: [],
        stats: summarize([]),
        opsPerSample: undefined,
        profile: undefined,
        queries: undefined,
        memory: undefined,
      },
      error,
    };
  }
  return { benchmark, medianNs: benchmark.stats.median };
}
