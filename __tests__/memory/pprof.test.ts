import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readMemoryData } from '../../src/memory/ingest/index.js';
import { readProfile } from '../../src/profile/formats/read.js';

const root = resolve(import.meta.dirname, '../..');
const go = join(root, '__tests__/fixtures/memory/go');
/** Where the Go program was built (its files are absolute paths under it in the profiles). */
const goRoot = '/work/scratch/findings/goheap';
const run = promisify(execFile);

describe('Go heap/allocs pprof profiles', () => {
  it('reads a heap profile as inuse_space bytes, sites charged to project frames', async () => {
    const { format, memory } = await readMemoryData(join(go, 'leaky.heap.pprof'), {
      projectRoot: goRoot,
      operations: 5000,
    });
    expect(format).toBe('pprof');
    expect(memory.method).toBe('go pprof (inuse_space)');
    // 5000 sessions of 4 KiB payload kept: ~20.4 MB live under main.newSession (go tool pprof).
    expect(memory.peakHeap).toBeGreaterThan(20e6);
    expect(memory.topAllocations[0]).toMatchObject({ name: 'main.newSession', file: 'main.go' });
    expect(memory.topAllocations[0]!.bytesPerOp).toBeGreaterThan(4096);
    // strings.genSplit (standard library) is charged to the project function that called it.
    expect(memory.topAllocations.some((s) => s.name === 'strings.genSplit')).toBe(false);
  });

  it('reads an allocs profile as alloc_space (its default type), bytes per op with operations', async () => {
    const { memory } = await readMemoryData(join(go, 'steady.allocs.pprof'), {
      projectRoot: goRoot,
      operations: 5000,
    });
    expect(memory.method).toBe('go pprof (alloc_space)');
    expect(memory.allocBytesPerOp).toBeGreaterThan(4096);
    expect(memory.allocBytesPerOp).toBeLessThan(6000);
    expect(memory.topAllocations[0]).toMatchObject({ name: 'main.newSession' });
  });

  it('ranks by bytes, not object counts, and says which type', async () => {
    const heap = await readProfile(join(go, 'leaky.heap.pprof'), { projectRoot: goRoot });
    expect(heap.tree.sampleType).toBe('inuse_space/bytes');
    expect(heap.summary.functions.sort((a, b) => b.selfSamples - a.selfSamples)[0]!.name).toBe(
      'main.newSession',
    );
    const objects = await readProfile(join(go, 'leaky.heap.pprof'), {
      projectRoot: goRoot,
      sampleType: 'alloc_objects',
    });
    expect(objects.tree.sampleType).toBe('alloc_objects/count');
    await expect(
      readMemoryData(join(go, 'leaky.heap.pprof'), { sampleType: 'inuse_objects' }),
    ).rejects.toThrow(
      /leaky\.heap\.pprof: pprof: sample type inuse_objects\/count is not in bytes/,
    );
    await expect(readProfile(join(go, 'leaky.heap.pprof'), { sampleType: 'nope' })).rejects.toThrow(
      /no sample type "nope" \(the profile has alloc_objects, alloc_space/,
    );
  });

  it('perfgate memory reads them (it refused them before)', async () => {
    const { stdout } = await run(process.execPath, [
      join(root, 'dist/cli.js'),
      'memory',
      join(go, 'leaky.heap.pprof'),
      '--root',
      goRoot,
      '--ops',
      '5000',
    ]);
    expect(stdout).toContain('(pprof: go pprof (inuse_space))');
    expect(stdout).toMatch(/KiB {2}main\.newSession \(main\.go:0\)/);
  });
});
