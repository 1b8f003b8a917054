/**
 * The leak rule on ordinary code (issue 13): warm-up growth of a keep-alive agent is not a leak,
 * growth proportional to operations is. Real loopback server, fresh process per run, like the
 * bench child. The whole catalogue is measured by `npm run eval:findings` (docs/memory.md).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { captureInChild, catalogueFixture, removeDriver } from './helpers.js';

afterAll(removeDriver);

const capture = (name: string, repeat: number) =>
  captureInChild(name, {}, repeat, ['--expose-gc'], catalogueFixture);

describe('leak rule on ordinary code', () => {
  it('finds no leak in fetch (undici keep-alive) from a loopback server, run after run', async () => {
    // Before: flagged on every run (hundreds of B/op from a few slow ops per round, JIT code
    // space included in the heap figures).
    for (const memory of await capture('fetchKeepAlive', 3)) {
      expect(memory.leak).toBeNull();
      expect(memory.allocBytesPerOp).toBeGreaterThan(1000);
      expect(memory.retained!.roundOps[0]).toBeGreaterThanOrEqual(32);
    }
  }, 120_000);

  it('finds leaks in an unbounded Map, listener closures and timers never cleared', async () => {
    for (const name of ['unboundedMap', 'listenerClosures', 'timersNeverCleared']) {
      const [memory] = await capture(name, 1);
      expect(memory!.leak, name).not.toBeNull();
      expect(memory!.leak!.bytesPerOp).toBeGreaterThan(50);
    }
  }, 120_000);
});
