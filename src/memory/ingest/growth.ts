/**
 * Leak judgement for foreign memory series (mprof RSS samples over time): the series is cut into
 * rounds; the floor of each round (its lowest sample, the closest thing to "after GC") goes
 * through the same rule as perfgate's own pass (src/memory/leak.ts), plus a materiality bound
 * that needs no allocation numbers: the floor must grow by at least 10 % of where it started.
 */
import type { Leak } from '../../model/memory.js';
import { judgeLeak } from '../leak.js';
import { minOf } from '../../model/arrays.js';

const ROUNDS = 12;
const MIN_SAMPLES_PER_ROUND = 3;
const FOREIGN_ALPHA = 0.001;
const MIN_RELATIVE_GROWTH = 0.1;

export function judgeForeignGrowth(points: Array<{ x: number; bytes: number }>): {
  bytesPerX: number;
  leak: Leak | null;
} {
  const rounds = Math.min(ROUNDS, Math.floor(points.length / MIN_SAMPLES_PER_ROUND));
  if (rounds < 5) return { bytesPerX: 0, leak: null };
  // Skip the first and the last round: start-up (imports, allocator arenas) is not growth, and
  // neither is shutdown (the interpreter frees everything as it exits).
  const size = points.length / rounds;
  const floors: number[] = [];
  const ends: number[] = [];
  for (let r = 1; r < rounds - 1; r++) {
    const slice = points.slice(Math.floor(r * size), Math.floor((r + 1) * size));
    floors.push(minOf(slice.map((p) => p.bytes)));
    ends.push(slice[slice.length - 1]!.x);
  }
  const roundOps = ends.map((end, i) =>
    Math.max(end - (i === 0 ? points[Math.floor(size) - 1]!.x : ends[i - 1]!), 1e-9),
  );
  if (floors.length < 3) return { bytesPerX: 0, leak: null };
  const judgement = judgeLeak(floors, roundOps, FOREIGN_ALPHA);
  const relative = (floors[floors.length - 1]! - floors[0]!) / Math.max(floors[0]!, 1);
  const leak = judgement.leak && relative >= MIN_RELATIVE_GROWTH;
  return {
    bytesPerX: judgement.bytesPerOp,
    leak: leak
      ? {
          bytesPerOp: judgement.bytesPerOp,
          stderr: judgement.stderr,
          heapAfterRounds: floors,
          opsPerRound: Math.max(minOf(roundOps), 1e-9),
          roundOps,
          pValue: judgement.pValue,
          sites: [],
        }
      : null,
  };
}
