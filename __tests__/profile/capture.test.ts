import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureProfile } from '../../src/profile/capture.js';
import { compareProfiles } from '../../src/profile/compare.js';
import { profileAttachmentSchema, type ProfileAttachment } from '../../src/model/profile.js';
import type { PassContext } from '../../src/model/task.js';
import { createRequire } from 'node:module';

const { operation } = createRequire(import.meta.url)('./workload.cjs') as {
  operation: (scale: number) => number;
};

const root = resolve(import.meta.dirname, '../..');
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perfgate-profile-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

async function capture(
  scale: number,
  id = `bench/x.bench.ts > scale ${scale}`,
  duration = 300,
): Promise<ProfileAttachment> {
  // The timing pass comes first in the child: warm the JIT the same way and take its median.
  const times: number[] = [];
  const start = performance.now();
  while (performance.now() - start < 100) {
    const t0 = process.hrtime.bigint();
    operation(scale);
    times.push(Number(process.hrtime.bigint() - t0));
  }
  times.sort((a, b) => a - b);
  const ctx: PassContext = {
    benchmarkId: id,
    benchFile: join(root, 'bench/x.bench.ts'),
    projectRoot: root,
    outDir,
    medianNs: times[times.length >> 1],
  };
  const attachment = await captureProfile({ name: id, fn: () => operation(scale) }, ctx, {
    enabled: true,
    duration,
    interval: 100,
    top: 5,
  });
  expect(attachment).toBeDefined();
  return profileAttachmentSchema.parse(attachment);
}

describe('captureProfile', () => {
  it('profiles the task, writes the raw .cpuprofile and attributes time to its functions', async () => {
    const profile = await capture(1, 'bench/x.bench.ts > g/1 <weird> name');
    expect(profile.source).toBe('v8');
    expect(profile.ops).toBeGreaterThan(10);
    expect(profile.samples).toBeGreaterThan(100);
    expect(profile.rawFile).toMatch(
      /^profiles\/bench_x\.bench\.ts_g_1_weird_name-[0-9a-f]{8}\.cpuprofile$/,
    );
    const raw = JSON.parse(await readFile(join(outDir, profile.rawFile!), 'utf8'));
    expect(Array.isArray(raw.nodes)).toBe(true);
    const names = profile.functions.map((f) => f.name);
    expect(names).toContain('inner');
    expect(names).toContain('other');
    const inner = profile.functions.find((f) => f.name === 'inner')!;
    expect(inner.file).toBe('__tests__/profile/workload.cjs');
    expect(inner.line).toBe(7);
    expect(inner.self).toBeGreaterThan(0);
    expect(inner.total).toBeGreaterThanOrEqual(inner.self);
    // perfgate's own loop is cut from the stacks: no frame of src/profile.
    expect(profile.functions.some((f) => f.file.startsWith('src/profile'))).toBe(false);
    for (const [stack] of profile.stacks!.stacks)
      expect(profile.stacks!.frames[stack[0]].file).not.toMatch(/src\/profile/);
  });

  it('puts exactly the function whose work doubled at the top of the diff', async () => {
    // Longer passes: on a loaded machine the sampler gets far fewer than duration / interval samples.
    const base = await capture(1, undefined, 800);
    const head = await capture(2, undefined, 800);
    const changes = compareProfiles([base], head)!;
    expect(changes.length).toBeGreaterThan(0);
    expect(changes[0]).toMatchObject({
      name: 'inner',
      file: '__tests__/profile/workload.cjs',
      line: 7,
    });
    // Both passes run on a shared 2-core machine: time per op (from the timing pass) swings with
    // the load, so assert the share of the profile, which doubling inner's work must raise.
    const share = (p: ProfileAttachment) =>
      p.functions.find((f) => f.name === 'inner')!.selfSamples / p.samples;
    expect(share(head)).toBeGreaterThan(share(base) * 1.15);
    expect(changes.find((c) => c.name === 'other')).toBeUndefined();
  });

  it('reports no function change in A/A profiles of the same code', async () => {
    for (let round = 0; round < 3; round += 1) {
      const a = await capture(1);
      const b = await capture(1);
      expect(compareProfiles([a], b)).toEqual([]);
    }
  });

  it('profiles async tasks, runs hooks outside/inside the window, and can be disabled', async () => {
    const calls: string[] = [];
    const ctx: PassContext = {
      benchmarkId: 'bench/async.bench.ts > io',
      benchFile: join(root, 'bench/async.bench.ts'),
      projectRoot: root,
      outDir,
      medianNs: 200_000,
    };
    const task = {
      name: 'io',
      beforeAll: () => void calls.push('beforeAll'),
      afterAll: () => void calls.push('afterAll'),
      beforeEach: async () => undefined,
      fn: async () => {
        operation(1);
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
    const profile = await captureProfile(task, ctx, {
      enabled: true,
      duration: 100,
      interval: 200,
      top: 5,
    });
    expect(calls).toEqual(['beforeAll', 'afterAll']);
    expect(profile!.ops).toBeGreaterThan(0);
    expect(profile!.functions.some((f) => f.name === 'inner')).toBe(true);
    expect(
      await captureProfile(task, ctx, { enabled: false, duration: 100, interval: 200, top: 5 }),
    ).toBeUndefined();
  });

  it('propagates an error of the task and leaves the profiler usable', async () => {
    const ctx: PassContext = {
      benchmarkId: 'bench/x.bench.ts > throws',
      benchFile: join(root, 'bench/x.bench.ts'),
      projectRoot: root,
      outDir,
      medianNs: 1000,
    };
    let teardown = false;
    await expect(
      captureProfile(
        {
          name: 'throws',
          fn: () => {
            throw new Error('boom');
          },
          afterAll: () => {
            teardown = true;
          },
        },
        ctx,
        { enabled: true, duration: 50, interval: 100, top: 5 },
      ),
    ).rejects.toThrow('boom');
    expect(teardown).toBe(true);
    const again = await capture(1, 'bench/x.bench.ts > after error', 100);
    expect(again.samples).toBeGreaterThan(0);
  });
});
