/** The profiling pass: the task under the V8 sampling profiler, in the bench child. */
import { Session } from 'node:inspector/promises';
import { join, relative } from 'node:path';
import type { BenchTask, PassContext } from '../model/task.js';
import type { ProfileOptions } from './options.js';
import type { ProfileAttachment } from '../model/profile.js';
import { writeFileAtomic } from '../model/io.js';
import { v8ToTree, type V8Profile } from './formats/v8.js';
import { toAttachment } from './attachment.js';
import { benchmarkFileBase } from './file-base.js';
import { OPERATION_URL, runOperation } from '../hooks/operation.js';

/**
 * URL of this module: in the bundle it is the whole bench child (dist/child.js), so every frame
 * of perfgate's runner, and everything above it, is cut from the stacks.
 */
const OWN_URL = import.meta.url;

/** Subfolder of the run's folder for the raw profiles. */
export const PROFILES_FOLDER = 'profiles';

/** A file name for a benchmark id that is safe on every file system, and unique. */
export function profileFileName(benchmarkId: string): string {
  return `${benchmarkFileBase(benchmarkId)}.cpuprofile`;
}

/** Runs ops until `durationMs` has passed; sync tasks run in batches without awaiting. */
async function runFor(task: BenchTask, durationMs: number, medianNs: number): Promise<number> {
  const batch = Math.max(1, Math.min(10_000, Math.floor(1e6 / Math.max(1, medianNs))));
  const start = performance.now();
  let ops = 0;
  do {
    for (let i = 0; i < batch; i += 1) {
      const pending = runOperation(task);
      if (pending) await pending;
      ops += 1;
    }
  } while (performance.now() - start < durationMs);
  return ops;
}

/**
 * Profiling pass: runs the task for `options.duration` ms under the V8 sampling profiler (own
 * inspector session, `options.interval` µs), writes the raw `.cpuprofile` into
 * `ctx.outDir/profiles/` and returns the attachment. `beforeAll`/`afterAll` run outside the
 * profiled window. The Run is written in `ctx.outDir` (as the CLI and the action do):
 * `rawFile` is relative to it.
 */
export async function captureProfile(
  task: BenchTask,
  ctx: PassContext,
  options: ProfileOptions,
): Promise<ProfileAttachment | undefined> {
  if (!options.enabled) return undefined;
  if (task.beforeAll) await task.beforeAll();
  const session = new Session();
  session.connect();
  let profile: V8Profile;
  let ops: number;
  let durationMs: number;
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', {
      interval: Math.max(1, Math.round(options.interval)),
    });
    await session.post('Profiler.start');
    const start = performance.now();
    try {
      ops = await runFor(task, options.duration, ctx.medianNs);
    } finally {
      durationMs = performance.now() - start;
      profile = (await session.post('Profiler.stop')).profile as V8Profile;
    }
    await session.post('Profiler.disable');
  } finally {
    session.disconnect();
    if (task.afterAll) await task.afterAll();
  }
  const file = join(ctx.outDir, PROFILES_FOLDER, profileFileName(ctx.benchmarkId));
  await writeFileAtomic(file, JSON.stringify(profile));
  const tree = v8ToTree(profile, file, {
    projectRoot: ctx.projectRoot,
    ownUrls: new Set([OWN_URL, OPERATION_URL]),
  });
  return toAttachment(tree, {
    ops,
    durationMs,
    opNs: ctx.medianNs > 0 ? ctx.medianNs : undefined,
    rawFile: relative(ctx.outDir, file).split('\\').join('/'),
  });
}
