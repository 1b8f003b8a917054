// The demo's pull request (examples/users-api/pull-request: PGlite, one query per user) through
// the runner with the profile and calls passes: its flame graph must show the project's async
// functions (src/users.ts) under the task, where V8's sampler saw them only as continuations of
// processTicksAndRejections, and say how much stayed "(async, caller unknown)".
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { CallsAttachment } from '../../src/model/calls.js';
import { runSchema, type Run } from '../../src/model/run.js';
import { treeFromAttachment } from '../../src/profile/attachment.js';
import { writeFlameGraphs } from '../../src/profile/flamegraph-files.js';
import { ASYNC_UNKNOWN, TASK_FRAME, stitchAsync } from '../../src/profile/stitch.js';
import { runBenchmarks } from '../../src/runner/index.js';
import { ROOT } from '../cli/helpers.js';
import { testConfig } from '../runner/helpers.js';

const ID = 'users.bench.ts > users-api > GET /users';
let outDir: string;
let run: Run;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perfgate-stitch-'));
  const result = await runBenchmarks({
    cwd: join(ROOT, 'examples/users-api/pull-request'),
    // One op takes ~0.5–1 s on a loaded 2-core machine: as few as the passes allow.
    config: testConfig({
      profile: { enabled: true, duration: 300, interval: 200 },
      calls: { enabled: true, rounds: 1, duration: 1 },
    }),
    outDir,
    onProgress: () => undefined,
    onOutput: () => undefined,
  });
  run = runSchema.parse(JSON.parse(JSON.stringify(result.run)));
}, 240_000);
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

interface SvgFrame {
  label: string;
  x: number;
  w: number;
  d: number;
}

/** The frames of the SVG's first (folded) view. */
function framesOf(svg: string): SvgFrame[] {
  const view = svg.slice(svg.indexOf('id="view0"'), svg.indexOf('id="view1"'));
  return [
    ...view.matchAll(/data-x="([\d.]+)" data-w="([\d.]+)" data-d="(\d+)"><title>([^\n<]*)/g),
  ].map((m) => ({ x: Number(m[1]), w: Number(m[2]), d: Number(m[3]), label: m[4]! }));
}

const inside = (child: SvgFrame, parent: SvgFrame) =>
  child.d === parent.d + 1 &&
  child.x >= parent.x - 1e-6 &&
  child.x + child.w <= parent.x + parent.w + 1e-6;

describe('async stitching of the demo pull request', () => {
  it('records getUserDetails as called by getUsers, and getUsers by the task', () => {
    const b = run.benchmarks.find((x) => x.id === ID)!;
    expect(b.error).toBeUndefined();
    const calls = b.calls as CallsAttachment;
    expect(calls.callerOps).toBeGreaterThan(0);
    const index = calls.functions.findIndex((f) => f.name === 'getUsers');
    const details = calls.functions.find((f) => f.name === 'getUserDetails')!;
    expect(calls.functions[index]!.callers).toEqual({ '-1': 1 });
    expect(details.callers).toEqual({ [String(index)]: 500 });
  });

  it('draws src/users.ts under the task and says what stayed unknown', async () => {
    const b = run.benchmarks.find((x) => x.id === ID)!;
    const { stats } = stitchAsync(treeFromAttachment(b.profile!)!, b.calls!, b.file);
    // Most of a PGlite-bound op is PGlite's own continuations: nothing places them.
    expect(stats.attributedSamples).toBeGreaterThan(0);
    expect(stats.unknownSamples).toBeGreaterThan(stats.attributedSamples);

    const comparison = compare([run], run, defaultConfig());
    const status = comparison.benchmarks.find((x) => x.id === ID)!.status;
    const written = await writeFlameGraphs(comparison, [run], run, join(outDir, 'flame'), {
      statuses: [status],
    });
    const svg = await readFile(written[ID]!.find((f) => f.label === 'flame graph')!.file, 'utf8');
    const frames = framesOf(svg);
    const task = frames.find((f) => f.d === 1 && f.label === `${TASK_FRAME} (users.bench.ts)`)!;
    expect(task).toBeDefined();
    const getUsers = frames.find((f) => /^getUsers \(src\/users\.ts:\d+\)$/.test(f.label))!;
    expect(inside(getUsers, task)).toBe(true);
    expect(frames.find((f) => f.d === 1 && f.label === ASYNC_UNKNOWN)).toBeDefined();
    expect(svg).toMatch(/head: \d+\.\d % of the time stitched under/);
  });
});
