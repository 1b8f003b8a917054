/**
 * Quantile regression line: y = intercept + slope · x minimising the check loss at quantile τ
 * (Koenker & Bassett). Pure.
 *
 * With one regressor an optimal line passes through two of the points, so the search over
 * pairs is exact: O(n³), bounded by thinning to MAX_POINTS evenly spaced points. The leak rule
 * uses the lower quartile of per-round heap increments: their noise is one-sided (a Map or
 * array doubling its backing store, code compiled late, V8 growing a table all add a step up),
 * and the lower quartile line follows the growth underneath the steps.
 */

export interface QuantileLine {
  slope: number;
  intercept: number;
}

const MAX_POINTS = 96;

/** Check loss of the residuals at quantile tau. */
function checkLoss(
  xs: readonly number[],
  ys: readonly number[],
  a: number,
  b: number,
  tau: number,
) {
  let loss = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = ys[i]! - a - b * xs[i]!;
    loss += r >= 0 ? tau * r : (tau - 1) * r;
  }
  return loss;
}

/**
 * The τ-quantile line of ys on xs; null when no two xs differ. Among equally good lines the
 * flattest wins (ties are common with few distinct xs; the flattest claims the least).
 */
export function quantileLine(
  allXs: readonly number[],
  allYs: readonly number[],
  tau: number,
): QuantileLine | null {
  if (allXs.length !== allYs.length) throw new Error('quantileLine: one y per x');
  if (!(tau > 0 && tau < 1)) throw new Error('quantileLine: tau must be in (0, 1)');
  const step = Math.max(1, allXs.length / MAX_POINTS);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < allXs.length; i += step) {
    xs.push(allXs[Math.floor(i)]!);
    ys.push(allYs[Math.floor(i)]!);
  }
  let best: (QuantileLine & { loss: number }) | null = null;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = xs[j]! - xs[i]!;
      if (dx === 0) continue;
      const slope = (ys[j]! - ys[i]!) / dx;
      const intercept = ys[i]! - slope * xs[i]!;
      const loss = checkLoss(xs, ys, intercept, slope, tau);
      const tolerance = 1e-12 * Math.max(1, Math.abs(loss));
      if (
        !best ||
        loss < best.loss - tolerance ||
        (loss <= best.loss + tolerance && Math.abs(slope) < Math.abs(best.slope))
      )
        best = { slope, intercept, loss };
    }
  }
  return best && { slope: best.slope, intercept: best.intercept };
}
