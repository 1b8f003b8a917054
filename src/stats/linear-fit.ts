/**
 * The least-squares fit of the leak rule (src/memory/leak.ts). Pure. Student's t is in
 * ./student-t.ts; comparisons of allocation per op reuse ./mann-whitney.ts and ./median.ts.
 */

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Standard error of the slope (0 when the points lie exactly on the line). */
  slopeStderr: number;
  /** Degrees of freedom of the residuals (n - 2). */
  df: number;
}

/** Ordinary least squares y = intercept + slope · x, with the slope's standard error. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  if (n !== ys.length || n < 2) throw new Error('fitLine: need at least 2 paired points');
  const meanX = xs.reduce((a, b) => a + b, 0) / n;
  const meanY = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - meanX) ** 2;
    sxy += (xs[i]! - meanX) * (ys[i]! - meanY);
  }
  if (sxx === 0) throw new Error('fitLine: all x values are equal');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - intercept - slope * xs[i]!) ** 2;
  const df = n - 2;
  const slopeStderr = df > 0 ? Math.sqrt(sse / df / sxx) : 0;
  return { slope, intercept, slopeStderr, df };
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
