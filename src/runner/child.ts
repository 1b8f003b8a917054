// The bench child process (bundled to dist/child.js): runs ONE bench file, isolated from perfgate.
// The parent sends a StartMessage over IPC; results come back one task at a time, so a crash or a
// timeout later in the file keeps what was measured before it. The kinds' code (prepare and
// passes) is a bundle of its own (dist/child-passes.js), loaded only when the job enables a kind:
// a timed fork loads none of it, and the TypeScript hooks (sucrase) only for a TypeScript file.
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { messageOf } from '../model/errors.js';
import {
  BenchFileError,
  benchesOf,
  captureTinybench,
  groupOf,
  tasksOf,
  type CapturedTask,
} from './capture-tasks.js';
import { makeIdFilter } from '../model/filter.js';
import { benchmarkId, uniqueIds } from './ids.js';
import type { ChildMessage, StartMessage } from './protocol.js';
import { describeError, instrumentTask, timeTask } from './run-task.js';
import type { Benchmark } from '../model/run.js';
import type * as ChildPassesModule from './child-passes.js';

type ChildPasses = typeof ChildPassesModule;

/**
 * The kinds' half of the child: dist/child-passes.js beside this bundle (the child always runs
 * bundled). Imported from a URL, which esbuild leaves alone, so it stays a file of its own.
 */
function loadChildPasses(): Promise<ChildPasses> {
  return import(new URL('./child-passes.js', import.meta.url).href) as Promise<ChildPasses>;
}

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

/**
 * A file written for tinybench alone prints `console.table(bench.table())` after its own
 * `bench.run()`, which perfgate skips: the table would only hold empty rows. perfgate reports
 * the measurements itself, so the bench process's tables are dropped.
 */
function silenceConsoleTable(): void {
  console.table = () => undefined;
}

async function runFile(job: StartMessage): Promise<void> {
  const matches = makeIdFilter(job.filter);
  let tasks: Array<{ captured: CapturedTask; id: string }>;
  let kinds: ChildPasses | undefined;
  try {
    if (job.instrumented !== false) kinds = await loadChildPasses();
    if (/\.(?:ts|mts|cts)$/.test(job.file)) registerTypeScript();
    // What the enabled kinds install before the bench file loads (the queries' driver hooks).
    await kinds?.prepareKinds(job.file, job.config, send);
    const capture = await captureTinybench(job.file);
    silenceConsoleTable();
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
    const benches = await benchesOf(exports, capture);
    const all = benches.flatMap((bench, i) =>
      tasksOf(bench, capture, groupOf(bench, i, benches.length)),
    );
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
  const passes = kinds?.instrumentedPasses(job.config) ?? [];
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

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Child exit code after an 'unsettled' message (Node's own code for an unsettled top-level await). */
const UNSETTLED_EXIT_CODE = 13;
let finished = false;
// 'beforeExit' comes only when the event loop is empty: perfgate was awaiting bench code (a task,
// a hook, a top-level await) whose promise nothing can settle any more.
process.on('beforeExit', () => {
  if (finished) return;
  finished = true;
  void send({ type: 'unsettled' }).finally(() => process.exit(UNSETTLED_EXIT_CODE));
});

process.once('message', (message: StartMessage) => {
  void (async () => {
    await send({ type: 'hello', node: process.version });
    await runFile(message);
    finished = true;
    // Output still queued in this process would be lost when the parent kills it after 'done'.
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    await send({ type: 'done' });
    // The parent now kills this child with its whole process group, after looking for
    // descendants that left the group (which needs this process alive). Open handles of the bench
    // (pools, servers, timers) must not keep it alive if the parent is gone.
    setTimeout(() => process.exit(0), 5000);
  })().catch((error: unknown) => {
    process.stderr.write(`perfgate bench child: ${messageOf(error)}\n`);
    process.exit(70);
  });
});
