/**
 * The memory pass, run in the bench child (which has --expose-gc) after the timing pass.
 *
 * 1. Warm-up round (JIT, inline caches, lazy caches), then `rounds` measured rounds of N ops.
 * 2. Allocated bytes of each round, exactly, from V8's heap accounting: used heap at the end
 *    minus at the start plus what every GC in between freed (`v8.GCProfiler`), less the fixed
 *    cost of measuring (calibrated with empty rounds). → `allocSamples`, `allocBytesPerOp`.
 * 3. Meanwhile V8's sampling heap profiler (also sampling objects that GC later collects) says
 *    where the bytes were allocated → `topAllocations`.
 * 4. After each round a forced full GC and the used heap → `leak` rule (src/memory/leak.ts).
 * 5. Only for a leak: more rounds with live-object sampling (the sites whose objects are still
 *    alive after GC are the ones that grew), and optionally heap snapshots before/after.
 */
import { Session } from 'node:inspector/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { AllocationSite, MemoryAttachment } from '../model/memory.js';
import type { BenchTask, PassContext } from '../model/task.js';
import { allocationSites, type SamplingHeapProfile } from './heap-profile.js';
import { judgeLeak } from './leak.js';
import type { MemoryOptions } from './options.js';
import { diffConstructors, snapshotCounts } from './snapshot.js';
import { median } from '../stats/median.js';
import { isThenable } from '../hooks/thenable.js';

/** Bump when the measurement changes meaning (it is stored in `method`). */
export const CAPTURE_METHOD = 'v8-heap-accounting+sampling-heap-profiler';

const MAX_OPS_PER_ROUND = 10_000_000;
/**
 * Fewest operations in a (small) round, and in the warm-up. Warm-up growth — a keep-alive
 * agent's sockets and parsers, a pool's connections, code V8 compiles as call paths get hot,
 * caches that fill then stop — spreads over the first tens to hundreds of operations; with a
 * handful of slow operations per round it looks like growth per operation.
 */
const MIN_OPS_PER_ROUND = 32;
const MIN_WARM_UP_OPS = 256;
/** …unless operations are so slow that these minimums would take longer than this. */
const MAX_MINIMUM_MS = 4000;

/** `gc()` of this process: the global one under --expose-gc, else enabled at run time. */
export function obtainGc(): () => void {
  const global = (globalThis as { gc?: unknown }).gc;
  if (typeof global === 'function') return global as () => void;
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('memory pass: cannot obtain gc() (--expose-gc)');
  return gc as () => void;
}

/** Spaces of machine code V8 compiles: it grows as call paths get hot, and is never a leak. */
const CODE_SPACES = new Set(['code_space', 'code_large_object_space']);

/** Used heap without code spaces (JIT code is warm-up, not data the program keeps). */
function usedHeap(): number {
  let used = 0;
  for (const space of v8.getHeapSpaceStatistics())
    if (!CODE_SPACES.has(space.space_name)) used += space.space_used_size;
  return used;
}

/** perfgate's own code (dist/ bundle or src/ when run unbundled) is never an allocation site. */
const here = dirname(fileURLToPath(import.meta.url));
// dist/child.js → <pkg>/dist; src/memory/capture.ts → <pkg>/src/memory.
const packageRoot = basename(here) === 'memory' ? resolve(here, '..', '..') : resolve(here, '..');
const ownDirs = [join(packageRoot, 'src') + sep, join(packageRoot, 'dist') + sep];
const ownFile = fileURLToPath(import.meta.url);
export function isOwnFile(file: string): boolean {
  return file === ownFile || ownDirs.some((dir) => file.startsWith(dir));
}

/**
 * One op with its hooks; returns a promise only when something in it was async. No closures
 * here: a closure over `task` would make every call allocate a context (this function is
 * never optimized, see below), and that would be counted as the task's allocation.
 */
function runOnce(task: BenchTask): Promise<unknown> | undefined {
  const before = task.beforeEach?.();
  if (isThenable(before)) return finishAfterBefore(before, task);
  const result = task.fn();
  if (isThenable(result)) return finishAfterFn(result, task);
  const after = task.afterEach?.();
  return isThenable(after) ? Promise.resolve(after) : undefined;
}

async function finishAfterBefore(before: PromiseLike<unknown>, task: BenchTask): Promise<void> {
  await before;
  await task.fn();
  if (task.afterEach) await task.afterEach();
}

async function finishAfterFn(result: PromiseLike<unknown>, task: BenchTask): Promise<void> {
  await result;
  if (task.afterEach) await task.afterEach();
}

/** The same, awaiting each part (async tasks). */
async function runOnceAsync(task: BenchTask): Promise<void> {
  if (task.beforeEach) await task.beforeEach();
  await task.fn();
  if (task.afterEach) await task.afterEach();
}

/**
 * A one-line helper that calls a V8 intrinsic (%Name(f)), or null where natives syntax is
 * refused. The flag is on only while the helper is compiled or called: V8 may flush the
 * helper's bytecode after some GCs and compile it again on the next call.
 */
function nativeHelper(name: string): ((f: unknown) => void) | null {
  const withNatives = <T>(body: () => T): T => {
    v8.setFlagsFromString('--allow-natives-syntax');
    try {
      return body();
    } finally {
      v8.setFlagsFromString('--no-allow-natives-syntax');
    }
  };
  try {
    const helper = withNatives(() => new Function('f', `%${name}(f);`) as (f: unknown) => void);
    return (f) => {
      try {
        withNatives(() => helper(f));
      } catch {
        // Best effort: without it, sites may name an optimized caller.
      }
    };
  } catch {
    return null;
  }
}
const neverOptimizeFunction = nativeHelper('NeverOptimizeFunction');
const deoptimizeFunction = nativeHelper('DeoptimizeFunction');

/**
 * V8's sampling heap profiler charges an allocation to the outermost function of optimized
 * code: the frames TurboFan inlined are invisible to it. So perfgate's loop functions are never
 * optimized (nothing is inlined into them), and during the pass TurboFan does not inline at
 * all: the task's own code, optimized before (timing pass) with its callees inlined, is
 * deoptimized at the start and end of the pass so that each function shows as itself.
 */
function neverOptimize(...fns: Array<(...args: never[]) => unknown>): void {
  if (neverOptimizeFunction) for (const fn of fns) neverOptimizeFunction(fn);
}

/**
 * Only plain JS functions: the intrinsic aborts the process for anything else (bound functions,
 * proxies), and those print as native code.
 */
function isPlainFunction(fn: unknown): boolean {
  if (typeof fn !== 'function') return false;
  try {
    return !/\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

function deoptimize(task: BenchTask): void {
  if (!deoptimizeFunction) return;
  for (const fn of [task.fn, task.beforeEach, task.afterEach]) {
    if (isPlainFunction(fn)) deoptimizeFunction(fn);
  }
}

function setInlining(enabled: boolean): void {
  v8.setFlagsFromString(enabled ? '--turbo-inlining' : '--no-turbo-inlining');
}

// Before any call: code optimized once keeps its inlining.
neverOptimize(runOnce, runOnceAsync);

/** Runs n ops: a tight loop for sync tasks (no await per op), awaited ops for async ones. */
function makeLoop(task: BenchTask, async: boolean): (n: number) => Promise<void> | undefined {
  const loop = async
    ? async (n: number) => {
        for (let i = 0; i < n; i++) await runOnceAsync(task);
      }
    : (n: number) => {
        for (let i = 0; i < n; i++) runOnce(task);
        return undefined;
      };
  neverOptimize(loop);
  return loop;
}

interface GcStatistics {
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

interface RoundAllocation {
  /** Bytes allocated during the round. */
  bytes: number;
  /** Highest used heap seen (just before a GC, or at the end). */
  peakHeap: number;
}

async function measureRound(
  loop: (n: number) => Promise<void> | undefined,
  n: number,
): Promise<RoundAllocation> {
  const profiler = new v8.GCProfiler();
  profiler.start();
  const start = usedHeap();
  const pending = loop(n);
  if (pending) await pending;
  const end = usedHeap();
  const { statistics } = profiler.stop() as unknown as { statistics: GcStatistics[] };
  let freed = 0;
  let peakHeap = Math.max(start, end);
  for (const gc of statistics) {
    const before = gc.beforeGC.heapStatistics.usedHeapSize;
    freed += before - gc.afterGC.heapStatistics.usedHeapSize;
    peakHeap = Math.max(peakHeap, before);
  }
  return { bytes: end - start + freed, peakHeap };
}

/**
 * Warm-up that also finds out whether the task is async and how many ops fill a round. It runs
 * at least two rounds' worth of ops: optimizing compilers put code on the heap, and those bytes
 * belong to no operation.
 */
async function warmUp(
  task: BenchTask,
  medianNs: number,
  roundTimeMs: number,
): Promise<{ async: boolean; opsPerRound: number }> {
  let async = false;
  const runOps = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const pending = runOnce(task);
      if (pending) {
        async = true;
        await pending;
      }
    }
  };
  const budgetNs = roundTimeMs * 1e6;
  // Minimums in operations, scaled down when an op is so slow they would take too long.
  const atLeast = (perOpNs: number, ops: number) =>
    Math.max(1, Math.min(ops, Math.floor((MAX_MINIMUM_MS * 1e6) / Math.max(perOpNs, 1e-3))));
  const fit = (perOpNs: number) =>
    Math.max(
      atLeast(perOpNs, MIN_OPS_PER_ROUND),
      Math.min(MAX_OPS_PER_ROUND, Math.floor(budgetNs / Math.max(perOpNs, 1e-3))),
    );
  const timed = async (count: number) => {
    const started = process.hrtime.bigint();
    await runOps(count);
    return Number(process.hrtime.bigint() - started) / count;
  };
  if (Number.isFinite(medianNs) && medianNs > 0) {
    const opsPerRound = fit(medianNs);
    await runOps(Math.max(2 * opsPerRound, atLeast(medianNs, MIN_WARM_UP_OPS)));
    return { async, opsPerRound };
  }
  // No timing median: double a batch until it fills a round, then time a round of warm code.
  let batch = 1;
  let perOp = await timed(batch);
  while (batch * perOp < budgetNs && batch < MAX_OPS_PER_ROUND) {
    batch *= 2;
    perOp = await timed(batch);
  }
  const warmPerOp = await timed(fit(perOp));
  const opsPerRound = fit(warmPerOp);
  await runOps(Math.max(opsPerRound, atLeast(warmPerOp, MIN_WARM_UP_OPS) - batch));
  return { async, opsPerRound };
}

/** Memory pass (bench child runs with --expose-gc). */
export async function captureMemory(
  task: BenchTask,
  ctx: PassContext,
  options: MemoryOptions,
): Promise<MemoryAttachment | undefined> {
  if (!options.enabled) return undefined;
  const gc = obtainGc();
  const siteOptions = { projectRoot: ctx.projectRoot, isOwnFile };
  if (task.beforeAll) await task.beforeAll();
  const session = new Session();
  session.connect();
  setInlining(false);
  deoptimize(task);
  try {
    const { async, opsPerRound } = await warmUp(task, ctx.medianNs, options.roundTime);
    const loop = makeLoop(task, async);
    gc();

    // Fixed cost of measuring a round (the profiler's own objects), from empty rounds.
    const emptyRounds: number[] = [];
    for (let i = 0; i < 3; i++) emptyRounds.push((await measureRound(() => undefined, 0)).bytes);
    const overhead = median(emptyRounds);

    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: options.samplingInterval,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    // Rounds alternate N and 2N operations (same mean as the target) so that the leak fit can
    // tell growth per operation from growth per round (src/memory/leak.ts).
    const small = Math.max(
      1,
      Math.round((opsPerRound * 2) / 3),
      Math.min(opsPerRound, MIN_OPS_PER_ROUND),
    );
    const roundOps = Array.from({ length: options.rounds }, (_, i) =>
      i % 2 === 0 ? small : 2 * small,
    );
    // Preallocated so that recording a round does not itself grow the heap.
    const allocSamples = new Float64Array(options.rounds);
    const heapAfter = new Float64Array(options.rounds);
    let peakHeap = 0;
    const heapStart = usedHeap();
    const budget = growthBudget();
    let scale = 1;
    let doneOps = 0;
    for (let round = 0; round < options.rounds; round++) {
      const ops = roundOps[round]!;
      const measured = await measureRound(loop, ops);
      allocSamples[round] = Math.max(0, measured.bytes - overhead) / ops;
      peakHeap = Math.max(peakHeap, measured.peakHeap);
      gc();
      heapAfter[round] = usedHeap();
      doneOps += ops;
      // A fast leak would fill the heap long before the pass ends: when the growth so far,
      // projected over the remaining rounds (and the evidence rounds), would pass the budget,
      // the remaining rounds get fewer operations. The fit works on cumulative operations, so
      // uneven rounds are fine.
      const grown = heapAfter[round]! - heapStart;
      if (grown > 0) {
        const perOp = grown / doneOps;
        const remaining =
          roundOps.slice(round + 1).reduce((a, b) => a + b, 0) +
          evidenceOps(small * scale, options);
        const room = Math.max(0, budget - grown);
        if (perOp * remaining > room && remaining > 0) {
          const factor = Math.max(0, room / (perOp * remaining));
          scale *= factor;
          for (let later = round + 1; later < options.rounds; later++) {
            roundOps[later] = Math.max(
              later % 2 === 0 ? 1 : 2,
              Math.floor(roundOps[later]! * factor),
            );
          }
        }
      }
    }
    const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
      profile: SamplingHeapProfile;
    };
    const totalOps = roundOps.reduce((a, b) => a + b, 0);
    const allocation = allocationSites(profile, { ...siteOptions, operations: totalOps });

    const heapAfterRounds = [...heapAfter];
    // Median over rounds: a round in which V8 compiled code carries those bytes too.
    const allocBytesPerOp = median(allocSamples);
    const judgement = judgeLeak(heapAfterRounds, roundOps, options.leakAlpha, allocBytesPerOp);
    let leak: MemoryAttachment['leak'] = null;
    if (judgement.leak) {
      const evidenceSize = Math.max(1, Math.floor(small * scale));
      const evidence = await leakEvidence(session, loop, evidenceSize, gc, options, siteOptions);
      leak = {
        bytesPerOp: judgement.bytesPerOp,
        stderr: judgement.stderr,
        heapAfterRounds,
        opsPerRound: small,
        roundOps,
        pValue: judgement.pValue,
        sites: evidence.sites,
        ...(evidence.constructors ? { constructors: evidence.constructors } : {}),
      };
    }
    const samples = [...allocSamples];
    return {
      allocBytesPerOp,
      allocSamples: samples,
      retainedBytesPerOp: judgement.bytesPerOp,
      retained: {
        stderr: judgement.stderr,
        pValue: judgement.pValue,
        heapAfterRounds,
        roundOps,
      },
      leak,
      peakRss: process.resourceUsage().maxRSS * 1024,
      peakHeap,
      topAllocations: allocation.sites.slice(0, options.top),
      method: CAPTURE_METHOD,
    };
  } finally {
    setInlining(true);
    deoptimize(task); // later passes and tasks get code optimized with inlining again
    await session.post('HeapProfiler.disable').catch(() => undefined);
    session.disconnect();
    if (task.afterAll) await task.afterAll();
  }
}

/** Heap growth one memory pass may cause: 256 MiB, or a quarter of the heap limit if less. */
function growthBudget(): number {
  return Math.min(256 * 2 ** 20, v8.getHeapStatistics().heap_size_limit / 4);
}

function evidenceRounds(options: MemoryOptions): number {
  return Math.max(3, Math.ceil(options.rounds / 2));
}

function evidenceOps(opsPerRound: number, options: MemoryOptions): number {
  return evidenceRounds(options) * Math.max(1, Math.floor(opsPerRound));
}

/** Rounds with live-object sampling: what is still alive after GC is what the leak retains. */
async function leakEvidence(
  session: Session,
  loop: (n: number) => Promise<void> | undefined,
  opsPerRound: number,
  gc: () => void,
  options: MemoryOptions,
  siteOptions: { projectRoot: string; isOwnFile: (file: string) => boolean },
): Promise<{
  sites: AllocationSite[];
  constructors?: Array<{ name: string; countDelta: number; sizeDelta: number }>;
}> {
  const rounds = evidenceRounds(options);
  gc();
  const before = options.snapshots ? await snapshotCounts(session) : undefined;
  await session.post('HeapProfiler.startSampling', { samplingInterval: options.samplingInterval });
  for (let round = 0; round < rounds; round++) {
    const pending = loop(opsPerRound);
    if (pending) await pending;
    gc();
  }
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: SamplingHeapProfile;
  };
  const live = allocationSites(profile, { ...siteOptions, operations: rounds * opsPerRound });
  const sites = live.sites.slice(0, options.top);
  if (!before) return { sites };
  const after = await snapshotCounts(session);
  return { sites, constructors: diffConstructors(before, after, options.top) };
}
