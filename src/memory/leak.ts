/**
 * The leak rule, pure: does the used heap after GC grow with the number of operations run?
 *
 * Rounds run different numbers of operations (N, 2N, N, 2N, …); after each, a forced GC and
 * the used heap. A leak needs all of:
 *
 * 1. Significant growth: least squares of heap against cumulative operations; the slope `b`
 *    (bytes per op) is above zero by a one-sided t-test on its standard error, p < leakAlpha.
 * 2. Sustained growth: each half of the rounds, fitted alone, grows at least a quarter of `b`.
 *    This rejects one-off steps (a cache filled once, code compiled late).
 * 3. Growth by operation, not by round: rounds differ in size, so each round's increment of
 *    the heap splits into a part per operation and a part per round: increment = c + b·ops,
 *    fitted as the lower-quartile line (quantile regression). The operations must account for
 *    at least as much of a typical round's growth as the round itself (b·ops ≥ c). V8 and the
 *    harness can creep by a few KB per round whatever the task does; a leak grows with the
 *    work done. The lower quartile, because the noise of these increments is one-sided: a Map
 *    or array that leaks doubles its backing store now and then, and that round grows by
 *    megabytes more; a least-squares comparison of the two explanations flipped on such steps
 *    (3 of 24 runs of an unbounded Map were missed that way). (`c` of the
 *    joint least-squares fit heap = a + b'·ops + c·round is reported as `bytesPerRound`.)
 * 4. Material growth: b is at least 1 % of the bytes one operation allocates. Below that the
 *    growth is of the size of V8's own warm-up: feedback and bytecode of code paths getting hot,
 *    and for a fetch through undici's keep-alive agent 0.3–0.8 % of the ~60 KB an op allocates
 *    over the first thousands of operations, flattening after (measured here; code space is
 *    left out of the heap figures already) — a relative bound, not a fixed byte count.
 *
 * 5. Steady growth: the heap grew from one round to the next in at least 3/4 of the rounds.
 *    Without a leak the heap after GC is flat with occasional steps of a few KB (V8 compiling
 *    code, growing its own tables); a leak adds its bytes in every round.
 *
 * (A leak into a growing array or Map adds a staircase to the line — the backing store grows
 * by half at a time — which mostly hurts `c`, hence test 1 uses the plain line.)
 */
import { studentSf } from '../stats/student-t.js';
import { fitLine } from '../stats/linear-fit.js';
import { median } from '../stats/median.js';
import { quantileLine } from '../stats/quantile-line.js';

/** Growth below this fraction of the allocation per op is not a leak (test 4). */
export const MATERIAL_FRACTION = 0.01;

/** A leak grows the heap in at least this fraction of round-to-round steps (test 5). */
export const STEADY_FRACTION = 0.75;

export interface LeakJudgement {
  /** Round-to-round steps in which the heap after GC grew. */
  growingRounds: number;
  /** Growth per operation (slope of the line), bytes. */
  bytesPerOp: number;
  /** Standard error of the slope, bytes. */
  stderr: number;
  /** One-sided p-value of "b > 0". */
  pValue: number;
  /** Growth per round not explained by operations (c), bytes. */
  bytesPerRound: number;
  /** Slopes (bytes per op) of the first and the second half of the rounds. */
  halves: [number, number];
  leak: boolean;
}

interface TwoTermFit {
  b: number;
  c: number;
  stderrB: number;
  df: number;
}

/** OLS of y on [1, x, k] with the standard error of the x coefficient. */
function fitTwoTerms(
  xs: readonly number[],
  ks: readonly number[],
  ys: readonly number[],
): TwoTermFit | null {
  const n = ys.length;
  if (n < 4) return null;
  // Centre the regressors: better conditioning, same slopes.
  const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const mx = mean(xs);
  const mk = mean(ks);
  const my = mean(ys);
  let sxx = 0;
  let skk = 0;
  let sxk = 0;
  let sxy = 0;
  let sky = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i]! - mx;
    const k = ks[i]! - mk;
    const y = ys[i]! - my;
    sxx += x * x;
    skk += k * k;
    sxk += x * k;
    sxy += x * y;
    sky += k * y;
  }
  const det = sxx * skk - sxk * sxk;
  if (!(Math.abs(det) > 1e-9 * sxx * skk)) return null; // collinear: equal round sizes
  const b = (skk * sxy - sxk * sky) / det;
  const c = (sxx * sky - sxk * sxy) / det;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const residual = ys[i]! - my - b * (xs[i]! - mx) - c * (ks[i]! - mk);
    sse += residual * residual;
  }
  const df = n - 3;
  const variance = sse / df;
  // (X'X)^-1 for the centred two-regressor design: the x entry is skk / det.
  const stderrB = Math.sqrt((variance * skk) / det);
  return { b, c, stderrB, df };
}

/**
 * Test 3: the heap's round-to-round increments against the operations of each round; true when
 * the rounds all ran the same number of operations (nothing to tell apart).
 */
function growsByOperation(heap: readonly number[], ops: readonly number[]): boolean {
  const increments = heap.slice(1).map((h, i) => h - heap[i]!);
  const later = ops.slice(1);
  const line = quantileLine(later, increments, 0.25);
  if (!line) return true;
  return line.slope > 0 && line.slope * median(later) >= line.intercept;
}

/** One-sided p-value that the slope is above zero; exact fits give 0 (growth) or 1. */
function slopePValue(slope: number, stderr: number, df: number): number {
  if (stderr === 0 || !Number.isFinite(stderr)) return slope > 0 ? 0 : 1;
  return studentSf(slope / stderr, df);
}

/**
 * @param heapAfterRounds used heap after a forced GC at the end of each round, bytes
 * @param roundOps operations run in each round (same length), or one number for equal rounds
 * @param leakAlpha significance level of the slope test (e.g. 0.001)
 * @param allocBytesPerOp bytes one operation allocates (for the materiality test; 0: skip)
 */
export function judgeLeak(
  heapAfterRounds: readonly number[],
  roundOps: readonly number[] | number,
  leakAlpha: number,
  allocBytesPerOp = 0,
): LeakJudgement {
  const n = heapAfterRounds.length;
  if (n < 3) throw new Error(`judgeLeak: need at least 3 rounds, got ${n}`);
  const ops = typeof roundOps === 'number' ? Array<number>(n).fill(roundOps) : [...roundOps];
  if (ops.length !== n) throw new Error('judgeLeak: one operation count per round');
  const xs: number[] = [];
  let cumulative = 0;
  for (const count of ops) xs.push((cumulative += count));
  const ks = xs.map((_, i) => i + 1);

  const line = fitLine(xs, heapAfterRounds);
  const b = line.slope;
  const stderr = line.slopeStderr;
  const pValue = slopePValue(b, stderr, line.df);
  const two = fitTwoTerms(xs, ks, heapAfterRounds);
  const c = two ? two.c : 0;
  const byOperation = growsByOperation(heapAfterRounds, ops);
  // Halves overlap in the middle round when n is odd; each has at least 2 points.
  const half = Math.ceil(n / 2);
  const first = fitLine(xs.slice(0, half), heapAfterRounds.slice(0, half)).slope;
  const second = fitLine(xs.slice(n - half), heapAfterRounds.slice(n - half)).slope;
  const sustained = first >= b / 4 && second >= b / 4;
  const material = b >= MATERIAL_FRACTION * allocBytesPerOp;
  let grew = 0;
  for (let i = 1; i < n; i++) if (heapAfterRounds[i]! > heapAfterRounds[i - 1]!) grew += 1;
  const steady = grew >= STEADY_FRACTION * (n - 1);
  return {
    bytesPerOp: b,
    stderr,
    pValue,
    bytesPerRound: c,
    halves: [first, second],
    growingRounds: grew,
    leak: b > 0 && pValue < leakAlpha && sustained && byOperation && material && steady,
  };
}
