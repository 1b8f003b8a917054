/**
 * Async stitching of a V8 profile's call tree for the flame graph. After an `await`, V8's sampler
 * sees only the continuation: `processTicksAndRejections` → `runMicrotasks` → the resumed
 * function (or that function straight at the root when the microtasks ran from native code), so
 * the project's async functions lose their callers and the task they belong to. The exact view's
 * call edges (the callers round of the calls kind, model/calls.ts) say who called each project
 * function; with them, a continuation of a project function is put back under its callers, up to
 * the task. Pure.
 *
 * Honest by construction: a stack is re-parented only when the edges name a single chain of
 * callers from the resumed function up to the task (every function on it has exactly one caller).
 * Continuations of dependency code (a driver's own `async` functions, which are most of the time
 * of a database-bound task) and of project functions with several callers go under one frame,
 * "(async, caller unknown)" (a project chain that is certain, below an unknown top, is kept under
 * it). Self time is not changed: only whole stacks move, and the function tables are computed
 * from the profile as it was.
 */
import type { CallsAttachment, ExactFunction } from '../model/calls.js';
import { isProjectFrame } from './project.js';
import { TreeBuilder, stackOf, type Frame, type ProfileTree } from './tree.js';

/** The frame continuations go under when the exact view cannot tell whose they are. */
export const ASYNC_UNKNOWN = '(async, caller unknown)';
/** The frame of the benchmark's operation: its own code, and what the stitching put under it. */
export const TASK_FRAME = '(task)';

/** True for the frames stitching adds (they are no function of the profile). */
export function isStitchFrame(frame: Frame): boolean {
  return (frame.name === ASYNC_UNKNOWN && frame.file === '') || frame.name === TASK_FRAME;
}

export interface StitchStats {
  /** Samples (and ns) of the whole profile. */
  samples: number;
  time: number;
  /** Of stacks that started detached from the task (async continuations and the like)… */
  detachedSamples: number;
  detachedTime: number;
  /** …put under the task by a chain of callers. */
  attributedSamples: number;
  attributedTime: number;
  /** …under "(async, caller unknown)". */
  unknownSamples: number;
  unknownTime: number;
}

export interface Stitched {
  tree: ProfileTree;
  stats: StitchStats;
}

/** Frames of the event loop's machinery that start a continuation's stack, not its code. */
function isScheduler(frame: Frame): boolean {
  if (frame.file === '') return frame.name === 'runMicrotasks' || frame.name === '(program)';
  return (
    frame.file.startsWith('node:internal/process/task_queues') ||
    frame.file.startsWith('node:internal/timers')
  );
}

/** V8's pseudo-frames (`(garbage collector)`, `(idle)`, `(program)`): no code to stitch. */
function isPseudo(frame: Frame): boolean {
  return frame.file === '' && frame.name.startsWith('(');
}

/**
 * The exact function a profile frame is, by file and then line and name: the same line and name,
 * else the one function of that name, else the one function of that line (V8 names arrows by
 * their variable, the exact view `(anonymous in f)`). Undefined when not exactly one.
 */
function matchFunction(frame: Frame, functions: readonly ExactFunction[]): number | undefined {
  const candidates: number[] = [];
  functions.forEach((f, i) => {
    if (f.file === frame.file) candidates.push(i);
  });
  const pick = (test: (f: ExactFunction) => boolean) => {
    const found = candidates.filter((i) => test(functions[i]!));
    return found.length === 1 ? found[0] : undefined;
  };
  return (
    pick((f) => f.line === frame.line && f.name === frame.name) ??
    pick((f) => f.name === frame.name) ??
    pick((f) => f.line === frame.line)
  );
}

/**
 * The callers of function `index` up to the task, outermost first (the function itself last),
 * and whether the chain reaches the task: it stops below a function with several callers (or a
 * caller not in the list, or a cycle).
 */
function callerChain(
  index: number,
  functions: readonly ExactFunction[],
): { chain: number[]; complete: boolean } {
  const chain = [index];
  for (let current = index; ;) {
    const callers = Object.entries(functions[current]!.callers ?? {}).filter(([, n]) => n > 0);
    if (callers.length !== 1) return { chain, complete: false };
    const key = callers[0]![0];
    if (key === '-1') return { chain, complete: true };
    const caller = Number(key);
    if (!Number.isInteger(caller) || !functions[caller] || chain.includes(caller))
      return { chain, complete: false };
    chain.unshift(caller);
    current = caller;
  }
}

/** True when the attachment carries call edges (a callers round ran). */
export function hasCallers(calls: CallsAttachment | undefined): calls is CallsAttachment {
  return calls !== undefined && (calls.callerOps ?? 0) > 0;
}

/**
 * The profile's tree with its detached stacks stitched (see above). `taskFile` is the bench
 * file (repo-relative): stacks that start in it are the task's own code. Node lines are not
 * carried over (the stitched tree is for flame graphs).
 */
export function stitchAsync(tree: ProfileTree, calls: CallsAttachment, taskFile: string): Stitched {
  const { functions } = calls;
  const builder = new TreeBuilder(tree.source, {
    hasTime: tree.hasTime,
    sampled: tree.sampled,
    intervalUs: tree.intervalUs,
  });
  const task: Frame = { name: TASK_FRAME, file: taskFile, line: 0 };
  const unknown: Frame = { name: ASYNC_UNKNOWN, file: '', line: 0 };
  const matched = tree.frames.map((f) =>
    isProjectFrame(f) ? matchFunction(f, functions) : undefined,
  );
  // The profile's frame of each exact function (chains use it, so they merge with its samples).
  const frameOf = new Map<number, Frame>();
  matched.forEach((fn, frame) => {
    if (fn !== undefined && !frameOf.has(fn)) frameOf.set(fn, tree.frames[frame]!);
  });
  const frameOfFunction = (i: number): Frame => {
    const f = functions[i]!;
    return frameOf.get(i) ?? { name: f.name, file: f.file, line: f.line };
  };
  const stats: StitchStats = {
    samples: 0,
    time: 0,
    detachedSamples: 0,
    detachedTime: 0,
    attributedSamples: 0,
    attributedTime: 0,
    unknownSamples: 0,
    unknownTime: 0,
  };
  for (let node = 1; node < tree.nodeFrame.length; node += 1) {
    const samples = tree.nodeSamples[node]!;
    const time = tree.nodeTime[node]!;
    if (!(samples > 0) && !(time > 0)) continue;
    stats.samples += samples;
    stats.time += time;
    const indices = stackOf(tree, node);
    const frames = indices.map((i) => tree.frames[i]!);
    let start = 0;
    while (start < frames.length - 1 && isScheduler(frames[start]!)) start += 1;
    const first = frames[start]!;
    let stack: Frame[];
    if (start === 0 && frames.length === 1 && isPseudo(first)) stack = frames;
    else if (first.file === taskFile) stack = [task, ...frames.slice(start)];
    else {
      stats.detachedSamples += samples;
      stats.detachedTime += time;
      const fn = matched[indices[start]!];
      const { chain, complete } =
        fn === undefined ? { chain: [], complete: false } : callerChain(fn, functions);
      const callers = chain.slice(0, -1).map(frameOfFunction);
      const rest = start === frames.length - 1 && isScheduler(first) ? frames : frames.slice(start);
      if (complete) {
        stats.attributedSamples += samples;
        stats.attributedTime += time;
        stack = [task, ...callers, ...rest];
      } else {
        stats.unknownSamples += samples;
        stats.unknownTime += time;
        stack = [unknown, ...callers, ...rest];
      }
    }
    builder.addStack(stack, samples, time);
  }
  return { tree: builder.tree, stats };
}
