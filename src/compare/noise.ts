/**
 * Run-to-run noise from the baseline history. Pure.
 *
 * The samples of one run cannot show how much a benchmark moves between runs (another runner,
 * another CPU boost state, another neighbour on the host). The history can: it holds the medians
 * of the last K main-branch runs. We measure the spread of ln(median) between consecutive runs
 * with a robust estimator, so that one real step change in the history (a commit that made
 * main faster) does not inflate the estimate:
 *   σ = median(|ln m_i − ln m_{i+1}|) / (Φ⁻¹(¾) · √2)
 * (for independent normal run medians, the differences have sd σ√2 and median absolute value
 * 0.6745·σ√2).
 */
import { normalQuantile } from '../stats/normal.js';
import { studentQuantile } from '../stats/student-t.js';

/**
 * Fewest base runs with which the run-to-run noise is estimated. With fewer, the estimate is so
 * uncertain that the band would swallow almost any change; perfgate then says nothing about it.
 */
export const MIN_RUNS_FOR_NOISE = 5;

const MAD_TO_SD = 1 / (normalQuantile(0.75) * Math.SQRT2);

/** σ of ln(run median) from the medians of the history (newest first); null with too few runs. */
export function runToRunSigma(medians: readonly number[]): number | null {
  const logs = medians.filter((m) => m > 0 && Number.isFinite(m)).map(Math.log);
  if (logs.length < MIN_RUNS_FOR_NOISE) return null;
  const diffs: number[] = [];
  for (let i = 1; i < logs.length; i++) diffs.push(Math.abs(logs[i] - logs[i - 1]));
  diffs.sort((x, y) => x - y);
  const mid = diffs.length >> 1;
  const median = diffs.length % 2 === 1 ? diffs[mid] : (diffs[mid - 1] + diffs[mid]) / 2;
  return median * MAD_TO_SD;
}

/**
 * Half-width of the band of relative changes that the history explains as noise: under "no code
 * change", ln(m_head) − ln(m_base) has sd σ√2, and the band is its two-sided (1 − alpha) range.
 * σ is itself estimated from only `runs` runs, so the quantile is Student's t with runs − 1
 * degrees of freedom rather than the normal one (the normal quantile would give several times
 * alpha in false alarms with 5–10 runs; see docs/statistics.md).
 * Returned as a fraction (0.18 = ±18 %); null when σ is unknown.
 */
export function noiseBand(sigma: number | null, alpha: number, runs: number): number | null {
  if (sigma === null || runs < 2) return null;
  return Math.expm1(studentQuantile(1 - alpha / 2, runs - 1) * Math.SQRT2 * sigma);
}
