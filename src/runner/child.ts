// The bench child process (bundled to dist/child.js): runs ONE bench file, isolated from perfgate.
// The parent sends a StartMessage over IPC; results come back one task at a time, so a crash or a
// timeout later in the file keeps what was measured before it.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { messageOf } from '../model/errors.js';
import { kinds, optionsOf } from '../kinds/index.js';
import {
  BenchFileError,
  benchesOf,
  captureTinybench,
  tasksOf,
  type CapturedTask,
} from './capture-tasks.js';
import { makeIdFilter } from '../model/filter.js';
import { benchmarkId, uniqueIds } from './ids.js';
import type { ChildMessage, StartMessage } from './protocol.js';
import { describeError, instrumentTask, instrumentedPasses, timeTask } from './run-task.js';
import type { Benchmark } from '../model/run.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('perfgate bench child needs an IPC channel'));
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
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

async function runFile(job: StartMessage): Promise<void> {
  const matches = makeIdFilter(job.filter);
  let tasks: Array<{ captured: CapturedTask; id: string }>;
  try {
    if (/\.(?:ts|mts|cts)$/.test(job.file)) registerTypeScript();
    // What the enabled kinds install before the bench file loads (the queries' driver hooks).
    for (const kind of kinds()) {
      const options = optionsOf(job.config, kind);
      if (!kind.prepare || !kind.enabled(options)) continue;
      try {
        await kind.prepare.run(job.file, options);
      } catch (error) {
        await send({
          type: 'warning',
          message: `${kind.prepare.what} could not be installed: ${describeError(error)}`,
        });
      }
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
    if (capture.skippedRuns > 0) {
      await send({
        type: 'warning',
        message:
          'the bench file calls bench.run() itself: skipped under perfgate, which measures the tasks (guard it with `if (!process.env.PERFGATE)`)',
      });
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
  // Phase 1: time every task. Phase 2: profile, queries and memory passes per timed task. The
  // passes change the process (JIT state, V8 flags), so none runs before a timing pass.
  const timed: Array<{ captured: CapturedTask; benchmark: Benchmark }> = [];
  for (const { captured, id } of tasks) {
    await send({
      type: 'task-start',
      task: id,
      name: captured.name,
      ...(captured.group !== undefined ? { group: captured.group } : {}),
    });
    const { benchmark, medianNs, error } = await timeTask(job, captured, id, send);
    await send({ type: 'benchmark', benchmark });
    await send({
      type: 'task-end',
      task: id,
      ...(medianNs !== undefined ? { medianNs } : {}),
      ...(error ? { error } : {}),
    });
    if (!error) timed.push({ captured, benchmark });
  }
  const passes = instrumentedPasses(job.config);
  if (passes.length === 0) return;
  for (const { captured, benchmark } of timed) {
    const phase = 'passes';
    await send({
      type: 'task-start',
      task: benchmark.id,
      name: captured.name,
      ...(captured.group !== undefined ? { group: captured.group } : {}),
      phase,
    });
    const instrumented = await instrumentTask(job, captured, benchmark, send, passes);
    await send({ type: 'benchmark', benchmark: instrumented });
    await send({ type: 'task-end', task: benchmark.id, phase });
  }
}

if (!process.send) {
  process.stderr.write(
    'perfgate: dist/child.js runs bench files for perfgate; run `perfgate run` instead\n',
  );
  process.exit(2);
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
