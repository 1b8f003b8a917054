/**
 * Leak judgement for foreign memory series (mprof RSS samples over time): the series is cut into
 * rounds of alternating size; the floor of each round (its lowest sample, the closest thing to "after GC") goes
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

export function judgeForeignGrowth(input: Array<{ x: number; bytes: number }>): {
  bytesPerX: number;
  leak: Leak | null;
} {
  const points = [...input].sort((a, b) => a.x - b.x);
  const rounds = roundsOf(points);
  if (!rounds) return { bytesPerX: 0, leak: null };
  // Skip the first and the last round: start-up (imports, allocator arenas) is not growth, and
  // neither is shutdown (the interpreter frees everything as it exits). The floor of a round
  // (its lowest sample) is the closest thing to "after GC"; its x is where it was taken.
  const inner = rounds
    .slice(1, -1)
    .map((round) => round.reduce((low, p) => (p.bytes < low.bytes ? p : low)));
  const floors = inner.map((p) => p.bytes);
  const roundOps = inner.map((p, i) =>
    Math.max(p.x - (i === 0 ? rounds[0]![0]!.x : inner[i - 1]!.x), 1e-9),
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

/**
 * The series cut into rounds of alternating size (1, 2, 1, 2, … units of x), as perfgate's own
 * pass runs N and 2N operations: with equal rounds, growth per operation and growth per round
 * are the same line and the rule could not tell them apart. As many rounds as keep at least
 * MIN_SAMPLES_PER_ROUND samples in each, at most ROUNDS; undefined below 5.
 */
function roundsOf(
  points: ReadonlyArray<{ x: number; bytes: number }>,
): Array<Array<{ x: number; bytes: number }>> | undefined {
  if (points.length === 0) return undefined;
  const lo = points[0]!.x;
  const span = points[points.length - 1]!.x - lo;
  if (!(span > 0)) return undefined;
  for (let count = ROUNDS; count >= 5; count -= 1) {
    const weights = Array.from({ length: count }, (_, i) => (i % 2 === 0 ? 1 : 2));
    const unit = span / weights.reduce((sum, w) => sum + w, 0);
    const ends: number[] = [];
    let end = lo;
    for (const w of weights) ends.push((end += w * unit));
    const rounds: Array<Array<{ x: number; bytes: number }>> = weights.map(() => []);
    let r = 0;
    for (const p of points) {
      while (r < count - 1 && p.x > ends[r]! + 1e-9 * span) r += 1;
      rounds[r]!.push(p);
    }
    if (rounds.every((round) => round.length >= MIN_SAMPLES_PER_ROUND)) return rounds;
  }
  return undefined;
}
