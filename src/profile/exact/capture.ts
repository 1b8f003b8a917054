/**
 * The exact-calls pass, in the bench child: the task's operations with the recorder on, in
 * rounds, after every task of the file was timed (the timing pass never counts). Only the
 * operation itself is counted, not its beforeEach/afterEach. After the timed rounds, one callers
 * round (untimed, as many operations as a round) records which project function called which.
 */
import type { CallsAttachment, ExactFunction } from '../../model/calls.js';
import type { BenchTask, PassContext } from '../../model/task.js';
import { runOperation } from '../../hooks/operation.js';
import { isThenable } from '../../hooks/thenable.js';
import type { CallsOptions } from './options.js';
import {
  installedRecorder,
  type ExactRecorder,
  type RecordedEdge,
  type RecordedFunction,
} from './recorder.js';
import { workerThreadsWindow } from './workers.js';

/** Functions kept per benchmark, most calls first. */
export const MAX_EXACT_FUNCTIONS = 200;
const MAX_OPS_PER_ROUND = 10_000;

/** Operations per round: the rounds together take about `duration` ms at the timed median. */
export function opsPerRound(options: Pick<CallsOptions, 'duration' | 'rounds'>, medianNs: number) {
  const roundNs = (options.duration * 1e6) / options.rounds;
  return Math.max(1, Math.min(MAX_OPS_PER_ROUND, Math.round(roundNs / Math.max(1, medianNs))));
}

/** The task's function with the recorder on from its call to its settling. */
function counted(task: BenchTask, recorder: ExactRecorder): () => unknown {
  return () => {
    recorder.on = true;
    let result: unknown;
    try {
      result = task.fn();
    } catch (error) {
      recorder.on = false;
      throw error;
    }
    if (!isThenable(result)) {
      recorder.on = false;
      return result;
    }
    return Promise.resolve(result).finally(() => {
      recorder.on = false;
    });
  };
}

const keyOf = (f: Pick<RecordedFunction, 'name' | 'file' | 'line'>) =>
  `${f.file}\u0000${f.line}\u0000${f.name}`;

/** Rounds of recorded functions → calls and inclusive time per op (all rounds), per round. */
export function perOperation(
  rounds: ReadonlyArray<readonly RecordedFunction[]>,
  opsPerRound: number,
): ExactFunction[] {
  const byKey = new Map<string, { f: RecordedFunction; calls: number; ms: number[] }>();
  rounds.forEach((round, index) => {
    for (const f of round) {
      const key = keyOf(f);
      const entry = byKey.get(key) ?? { f, calls: 0, ms: rounds.map(() => 0) };
      entry.calls += f.calls;
      entry.ms[index] = f.inclusiveMs / opsPerRound;
      byKey.set(key, entry);
    }
  });
  const ops = rounds.length * opsPerRound;
  return [...byKey.values()]
    .map(({ f, calls, ms }) => ({
      name: f.name,
      file: f.file,
      line: f.line,
      callsPerOp: calls / ops,
      inclusiveMsPerOp: ms.reduce((sum, v) => sum + v, 0) / ms.length,
      roundsMs: ms,
    }))
    .sort(
      (a, b) =>
        b.callsPerOp - a.callsPerOp ||
        b.inclusiveMsPerOp - a.inclusiveMsPerOp ||
        keyOf(a).localeCompare(keyOf(b)),
    )
    .slice(0, MAX_EXACT_FUNCTIONS);
}

/**
 * Each function's callers (see ExactFunction.callers) from the callers round's edges, per op of
 * `ops`: callers by their index in `functions`, `-1` none, `other` a function not in the list.
 */
export function withCallers(
  functions: ExactFunction[],
  edges: readonly RecordedEdge[],
  ops: number,
): ExactFunction[] {
  const index = new Map(functions.map((f, i) => [keyOf(f), i]));
  const byCallee = new Map<number, Record<string, number>>();
  for (const edge of edges) {
    const callee = index.get(keyOf(edge.callee));
    if (callee === undefined || ops <= 0) continue;
    const caller = edge.caller ? index.get(keyOf(edge.caller)) : -1;
    const key = caller === undefined ? 'other' : String(caller);
    const callers = byCallee.get(callee) ?? {};
    callers[key] = (callers[key] ?? 0) + edge.calls / ops;
    byCallee.set(callee, callers);
  }
  return functions.map((f, i) => {
    const callers = byCallee.get(i);
    return callers ? { ...f, callers } : f;
  });
}

/**
 * Runs the pass; undefined when the recorder was not installed (the calls kind's prepare did
 * not run: the pass is off in this child).
 */
export async function captureCalls(
  task: BenchTask,
  ctx: PassContext,
  options: CallsOptions,
): Promise<CallsAttachment | undefined> {
  const recorder = installedRecorder();
  if (!options.enabled || !recorder) return undefined;
  const perRound = opsPerRound(options, ctx.medianNs);
  const operation = counted(task, recorder);
  const rounds: RecordedFunction[][] = [];
  let edges: RecordedEdge[] = [];
  if (task.beforeAll) await task.beforeAll();
  const start = performance.now();
  const workerThreads = workerThreadsWindow();
  // Worker threads that ran while the operations were counted: their calls were not counted.
  let workers = 0;
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      recorder.reset();
      for (let i = 0; i < perRound; i += 1) {
        const pending = runOperation(task, operation);
        if (pending) await pending;
      }
      rounds.push(recorder.snapshot());
    }
    recorder.startCallers();
    try {
      for (let i = 0; i < perRound; i += 1) {
        const pending = runOperation(task, operation);
        if (pending) await pending;
      }
    } finally {
      edges = recorder.stopCallers();
    }
  } finally {
    recorder.on = false;
    workers = workerThreads();
    if (task.afterAll) await task.afterAll();
  }
  return {
    ops: perRound * options.rounds,
    rounds: options.rounds,
    durationMs: performance.now() - start,
    instrumented: recorder.size,
    functions: withCallers(perOperation(rounds, perRound), edges, perRound),
    callerOps: perRound,
    ...(workers > 0 ? { workerThreads: workers } : {}),
  };
}
