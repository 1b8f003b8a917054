// The bench child process (bundled to dist/child.js): runs ONE bench file, isolated from perfgate.
// The parent sends a StartMessage over IPC; results come back one task at a time, so a crash or a
// timeout later in the file keeps what was measured before it.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { captureMemory } from '../memory/capture.js';
import { messageOf } from '../model/errors.js';
import type { Benchmark } from '../model/run.js';
import { summarize } from '../model/stats.js';
import { captureProfile } from '../profile/capture.js';
import { captureQueries, installQueryCapture } from '../queries/capture.js';
import {
  BenchFileError,
  benchesOf,
  captureTinybench,
  tasksOf,
  type CapturedTask,
} from './capture-tasks.js';
import { makeIdFilter } from './filter.js';
import { benchmarkId, uniqueIds } from './ids.js';
import type { ChildMessage, PassName, StartMessage } from './protocol.js';
import type { BenchTask, PassContext } from './task.js';
import { measureTiming } from './timing.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('perfgate bench child needs an IPC channel'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

async function call(hook: (() => unknown) | undefined): Promise<void> {
  if (!hook) return;
  const result = hook();
  if (isThenable(result)) await result;
}

/** First lines of a stack that belong to the user's code (not perfgate's bundle), for messages. */
function describeError(error: unknown): string {
  const message = messageOf(error);
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frame = stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .find(
      (line) =>
        line.startsWith('at ') && !line.includes('/dist/child.js') && !line.includes('node:'),
    );
  return frame ? `${message} (${frame})` : message;
}

/** Registers the TypeScript hooks once, only when a TypeScript file is about to be imported. */
function registerTypeScript(): void {
  if (typeof register !== 'function') {
    throw new BenchFileError(
      `TypeScript bench files need Node >= 20.6 (module.register); this is ${process.version}`,
    );
  }
  register(new URL('./ts-loader.js', import.meta.url));
}

async function runTask(
  job: StartMessage,
  captured: CapturedTask,
  id: string,
): Promise<{ benchmark: Benchmark; medianNs?: number; error?: string }> {
  const { config } = job;
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
  let error: string | undefined;
  try {
    await call(captured.setup);
    await call(beforeAll);
    setUp = true;
    await send({ type: 'pass', task: id, pass: 'timing' });
    globalThis.gc?.();
    const timing = await measureTiming(passTask, config.run);
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
    // Each instrumented pass runs after timing, never during it. A pass that fails loses only
    // its own attachment.
    const passes: Array<[PassName, boolean, () => Promise<void>]> = [
      [
        'profile',
        config.profile.enabled,
        async () => {
          const profile = await captureProfile(passTask, ctx, config.profile);
          if (profile) benchmark.profile = profile;
        },
      ],
      [
        'queries',
        config.queries.enabled,
        async () => {
          const queries = await captureQueries(passTask, ctx, config.queries);
          if (queries) benchmark.queries = queries;
        },
      ],
      [
        'memory',
        config.memory.enabled,
        async () => {
          const memory = await captureMemory(passTask, ctx, config.memory);
          if (memory) benchmark.memory = memory;
        },
      ],
    ];
    for (const [pass, enabled, run] of passes) {
      if (!enabled) continue;
      await send({ type: 'pass', task: id, pass });
      try {
        await run();
      } catch (passError) {
        await send({
          type: 'warning',
          task: id,
          message: `${pass} pass failed: ${describeError(passError)}`,
        });
      }
    }
  } catch (taskError) {
    error = describeError(taskError);
  } finally {
    if (setUp) {
      try {
        await call(afterAll);
        await call(captured.teardown);
      } catch (teardownError) {
        error ??= `afterAll: ${describeError(teardownError)}`;
      }
    }
  }
  if (error !== undefined) {
    // An errored task keeps no partial numbers: they would be compared as if valid.
    benchmark.error = error;
    benchmark.samples = [];
    benchmark.stats = summarize([]);
    delete benchmark.opsPerSample;
    delete benchmark.profile;
    delete benchmark.queries;
    delete benchmark.memory;
    return { benchmark, error };
  }
  return { benchmark, medianNs: benchmark.stats.median };
}

async function runFile(job: StartMessage): Promise<void> {
  const matches = makeIdFilter(job.filter);
  let tasks: Array<{ captured: CapturedTask; id: string }>;
  try {
    if (/\.(?:ts|mts|cts)$/.test(job.file)) registerTypeScript();
    try {
      await installQueryCapture(job.file);
    } catch (error) {
      await send({
        type: 'warning',
        message: `query capture could not be installed: ${describeError(error)}`,
      });
    }
    const capture = await captureTinybench(job.file);
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(job.file).href)) as Record<string, unknown>;
    } catch (error) {
      // The whole stack goes to stderr (forwarded to the user); the message names the error.
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      throw new BenchFileError(`failed to load: ${describeError(error)}`);
    }
    const all = (await benchesOf(exports, capture)).flatMap((bench) => tasksOf(bench, capture));
    if (all.length === 0)
      await send({ type: 'warning', message: 'the Bench has no tasks (bench.add(name, fn))' });
    const { ids, renamed } = uniqueIds(
      all.map((c) => benchmarkId(job.relativeFile, c.group, c.name)),
    );
    for (const [id, unique] of renamed) {
      await send({
        type: 'warning',
        task: unique,
        message: `duplicate benchmark id "${id}" renamed to "${unique}"`,
      });
    }
    tasks = all.map((captured, i) => ({ captured, id: ids[i] })).filter((t) => matches(t.id));
  } catch (error) {
    await send({
      type: 'file-error',
      message: error instanceof BenchFileError ? error.message : describeError(error),
    });
    return;
  }
  for (const { captured, id } of tasks) {
    await send({ type: 'task-start', task: id });
    const { benchmark, medianNs, error } = await runTask(job, captured, id);
    await send({ type: 'benchmark', benchmark });
    await send({
      type: 'task-end',
      task: id,
      ...(medianNs !== undefined ? { medianNs } : {}),
      ...(error ? { error } : {}),
    });
  }
}

process.once('message', (message: StartMessage) => {
  void (async () => {
    await send({ type: 'hello', node: process.version });
    await runFile(message);
    await send({ type: 'done' });
    // Open handles of the bench (pools, servers, timers) must not keep the child alive.
    process.exit(0);
  })().catch((error: unknown) => {
    process.stderr.write(`perfgate bench child: ${messageOf(error)}\n`);
    process.exit(70);
  });
});
