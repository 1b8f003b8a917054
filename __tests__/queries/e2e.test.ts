// Through the real bench child (dist/child.js): a bench file with 1 + 500 queries.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { compareQueries } from '../../src/queries/compare.js';
import { runBenchmarks, type RunResult } from '../../src/runner/index.js';

const root = resolve(import.meta.dirname, '../..');
const benchFile = '__tests__/fixtures/queries/bench/users.bench.ts';
let outDir: string;
let result: RunResult;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perfgate-queries-e2e-'));
  result = await runBenchmarks({
    cwd: root,
    files: [benchFile],
    outDir,
    config: configSchema.parse({
      profile: { enabled: false },
      memory: { enabled: false },
      calls: { enabled: false },
      queries: { iterations: 2 },
      run: { time: 50, warmup: 0, minSamples: 2, timeout: 120_000 },
    }),
  });
}, 180_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('queries pass in the bench child', () => {
  it('counts 1 query for the join and 501 for 1 + 500, with the N+1 at its line', async () => {
    expect(result.failures).toEqual([]);
    const byName = Object.fromEntries(result.run.benchmarks.map((b) => [b.name, b]));
    expect(byName.join?.queries).toMatchObject({ iterations: 2, perIteration: 1, nPlusOne: [] });
    const head = byName['n+1']?.queries;
    expect(head?.perIteration).toBe(501);
    const source = (await readFile(join(root, benchFile), 'utf8')).split('\n');
    const line = source.findIndex((l) => l.includes('WHERE user_id = $1')) + 1;
    expect(head?.nPlusOne).toEqual([
      {
        fingerprint: 'SELECT bio FROM user_details WHERE user_id = $1',
        sample: 'SELECT bio FROM user_details WHERE user_id = $1',
        perIteration: 500,
        callSite: expect.objectContaining({ file: benchFile, line }),
      },
    ]);
    expect(head?.timeMsPerIteration).toBeGreaterThan(0);
    expect(head?.blocking?.syncFsPerIteration).toBe(0);

    const comparison = compareQueries([byName.join!.queries!], head, { tolerance: 0 });
    expect(comparison).toMatchObject({ base: 1, head: 501, regressed: true });
    expect(comparison?.nPlusOne[0]).toMatchObject({ new: true, perIteration: 500 });
  });
});
