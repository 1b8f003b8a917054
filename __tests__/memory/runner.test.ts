// The memory pass through the real bench child (runBenchmarks → dist/child.js), then compare
// and the comment, as the CLI and the action run them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { configSchema } from '../../src/config/schema.js';
import type { Run } from '../../src/model/run.js';
import { renderMarkdown } from '../../src/report/index.js';
import { runBenchmarks } from '../../src/runner/index.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const benchFile = '__tests__/fixtures/memory/benches/memory.bench.mjs';
const config = configSchema.parse({
  profile: { enabled: false },
  queries: { enabled: false },
  memory: { enabled: true, rounds: 10, roundTime: 10 },
  run: { time: 50, warmup: 10, timeout: 120_000 },
});

let outDir: string;
let run: Run;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perfgate-memory-e2e-'));
  const result = await runBenchmarks({ cwd: root, config, files: [benchFile], outDir });
  expect(result.failures).toEqual([]);
  run = result.run;
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

function memoryOf(name: string) {
  const benchmark = run.benchmarks.find((b) => b.name === name);
  expect(benchmark?.memory, `memory of ${name}`).toBeDefined();
  return benchmark!.memory!;
}

describe('memory pass in the bench child', () => {
  it('flags the module-level append as a leak at its function, and not the steady twin', () => {
    const leaky = memoryOf('leaky append');
    expect(leaky.leak).not.toBeNull();
    expect(leaky.leak!.sites[0]).toMatchObject({ name: 'openSession', file: benchFile, line: 6 });
    expect(memoryOf('steady').leak).toBeNull();
    expect(memoryOf('steady').topAllocations[0]).toMatchObject({
      name: 'buildSession',
      file: benchFile,
    });
  });

  it('reports about 2x allocation per op when the allocation doubles', () => {
    const ratio = memoryOf('alloc 2000').allocBytesPerOp / memoryOf('alloc 1000').allocBytesPerOp;
    expect(ratio).toBeGreaterThan(1.95);
    expect(ratio).toBeLessThan(2.05);
    expect(memoryOf('alloc 1000').allocBytesPerOp).toBeCloseTo(8048, -2);
    expect(memoryOf('alloc 1000').peakRss).toBeGreaterThan(0);
  });

  it('gates and headlines a new leak and a doubled allocation in compare and the comment', () => {
    // Base: the same run with "alloc 2000" renamed to be the base of "alloc 1000"'s id would be
    // artificial; instead compare head against a base whose numbers are halved / leak-free.
    const base: Run = {
      ...run,
      benchmarks: run.benchmarks.map((b) => ({
        ...b,
        memory: {
          ...b.memory!,
          leak: null,
          allocSamples:
            b.name === 'alloc 2000'
              ? b.memory!.allocSamples!.map((v) => v / 2)
              : b.memory!.allocSamples,
          allocBytesPerOp:
            b.name === 'alloc 2000' ? b.memory!.allocBytesPerOp / 2 : b.memory!.allocBytesPerOp,
        },
      })),
    };
    const comparison = compare([base], run, config);
    expect(comparison.verdict).toBe('fail');
    expect(comparison.reasons.some((r) => /leaky append.*new memory leak/.test(r))).toBe(true);
    expect(
      comparison.reasons.some((r) => /alloc 2000.*allocation .* per op \(\+100\.\d%/.test(r)),
    ).toBe(true);
    expect(comparison.highlights.some((h) => /leaky append: new memory leak/.test(h))).toBe(true);
    const leaky = comparison.benchmarks.find((b) => b.name === 'leaky append')!;
    expect(leaky.memory).toMatchObject({ leak: { new: true }, regressed: true });
    const markdown = renderMarkdown(comparison);
    expect(markdown).toContain('### Memory');
    expect(markdown).toContain('🔴 new leak');
    expect(markdown).toContain('openSession');
  });
});
