import { afterAll, describe, expect, it } from 'vitest';
import { captureInChild, removeDriver, tasksFixture as fixture } from './helpers.js';

afterAll(removeDriver);

describe('captureMemory (in a fresh node process, like the bench child)', () => {
  it('flags a module-level array that grows each op as a leak, at the right site', async () => {
    const [memory] = await captureInChild('appendRecord', { roundTime: 3 });
    expect(memory!.retained!.pValue).toBeLessThan(0.001);
    const leak = memory!.leak;
    expect(leak).not.toBeNull();
    // Each record: object + tags array + 32-element array, all retained.
    expect(leak!.bytesPerOp).toBeGreaterThan(300);
    expect(leak!.bytesPerOp).toBeLessThanOrEqual(memory!.allocBytesPerOp * 1.1);
    expect(leak!.stderr).toBeLessThan(leak!.bytesPerOp / 4);
    expect(leak!.heapAfterRounds).toHaveLength(10);
    expect(leak!.sites[0]).toMatchObject({ name: 'appendRecord', file: fixture, line: 5 });
    expect(memory!.retainedBytesPerOp).toBe(leak!.bytesPerOp);
    expect(memory!.topAllocations[0]).toMatchObject({ name: 'appendRecord', file: fixture });
  });

  it('finds no leak in the same work without the append, run after run', async () => {
    const runs = await captureInChild('buildRecord', {}, 10);
    for (const memory of runs) {
      expect(memory.leak).toBeNull();
      expect(memory.allocBytesPerOp).toBeGreaterThan(300);
      expect(memory.topAllocations[0]).toMatchObject({
        name: 'buildRecord',
        file: fixture,
        line: 10,
      });
    }
  });

  it('finds no leak in async work nor in a cache that fills once', async () => {
    for (const memory of await captureInChild('asyncWork', {}, 3)) {
      expect(memory.leak).toBeNull();
      expect(memory.allocBytesPerOp).toBeGreaterThan(100);
    }
    for (const memory of await captureInChild('boundedCacheWork', {}, 3)) {
      expect(memory.leak).toBeNull();
    }
    for (const memory of await captureInChild('compute', {}, 3)) {
      expect(memory.leak).toBeNull();
      expect(memory.allocBytesPerOp).toBeLessThan(8);
    }
  });

  it('measures a known allocation size and reports about 2x when it doubles', async () => {
    const [small] = await captureInChild('allocate1000');
    const [large] = await captureInChild('allocate2000');
    expect(small!.allocBytesPerOp).toBeGreaterThan(8048 * 0.99);
    expect(small!.allocBytesPerOp).toBeLessThan(8048 * 1.01);
    const ratio = large!.allocBytesPerOp / small!.allocBytesPerOp;
    expect(ratio).toBeGreaterThan(1.95);
    expect(ratio).toBeLessThan(2.05);
    expect(small!.allocSamples).toHaveLength(10);
    expect(small!.peakHeap).toBeGreaterThan(0);
    expect(small!.peakRss).toBeGreaterThan(small!.peakHeap);
    expect(small!.leak).toBeNull();
    // The site is the function that allocates (its first line), never perfgate's own loop.
    expect(small!.topAllocations[0]).toMatchObject({
      name: 'allocate1000',
      file: fixture,
      line: 16,
    });
    expect(small!.topAllocations[0]!.bytesPerOp).toBeGreaterThan(8048 * 0.8);
    expect(large!.topAllocations[0]).toMatchObject({ name: 'allocate2000', file: fixture });
  });

  it('keeps a fast, big leak within its heap budget and still reports it', async () => {
    const [memory] = await captureInChild('hoardBuffers', { roundTime: 50 });
    expect(memory!.leak).not.toBeNull();
    expect(memory!.leak!.bytesPerOp).toBeGreaterThan(60 * 1024);
    const heap = memory!.leak!.heapAfterRounds;
    expect(heap[heap.length - 1]! - heap[0]!).toBeLessThan(300 * 2 ** 20);
    expect(memory!.leak!.sites[0]).toMatchObject({ name: 'hoardBuffers', file: fixture });
  });

  it('names the constructors that grew with heap snapshots', async () => {
    const [memory] = await captureInChild('openSession', {
      snapshots: true,
      // Rounds long enough that the retained growth stands well above GC noise: this test is
      // about naming the constructors, the leak rule itself is tested in leak.test.ts.
      roundTime: 10,
      rounds: 6,
    });
    expect(memory!.leak).not.toBeNull();
    const grown = memory!.leak!.constructors!;
    expect(grown.map((c) => c.name)).toContain('UserSession');
    expect(grown.find((c) => c.name === 'UserSession')!.countDelta).toBeGreaterThan(100);
  });

  it('measures bound and native functions too', async () => {
    const [bound] = await captureInChild('boundTask');
    expect(bound!.allocBytesPerOp).toBeGreaterThan(300);
    expect(bound!.leak).toBeNull();
    const [native] = await captureInChild('nativeTask');
    expect(native!.leak).toBeNull();
  });

  it('gets gc() by itself when node runs without --expose-gc', async () => {
    const [memory] = await captureInChild('allocate1000', {}, 1, []);
    expect(memory!.allocBytesPerOp).toBeGreaterThan(8000);
  });
});
