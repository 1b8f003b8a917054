/**
 * The trend of a regressed benchmark as a chart: the last main runs and this pull request, so a
 * reviewer sees a step or noise at a glance (a Mermaid `xychart-beta` in the comment, which
 * GitHub renders; a sparkline in the terminal). Pure.
 */
import type { BenchmarkComparison } from '../model/comparison.js';
import type { Chart } from '../model/document.js';

const SCALES: Array<[string, number]> = [
  ['s', 1e9],
  ['ms', 1e6],
  ['µs', 1e3],
  ['ns', 1],
];

/** The chart of a benchmark's trend, or null when it has none. */
export function trendChart(b: BenchmarkComparison): Chart | null {
  const trend = b.time.trend;
  if (!trend || trend.length === 0 || b.time.head === null) return null;
  const values = [...trend.map((p) => p.value), b.time.head];
  let unit = b.time.unit;
  let scale = 1;
  if (unit === 'ns') {
    const max = Math.max(...values);
    [unit, scale] = SCALES.find(([, s]) => max >= s) ?? ['ns', 1];
  }
  return {
    type: 'chart',
    title: b.id,
    unit,
    x: [...trend.map((p, i) => p.commit?.slice(0, 7) ?? `run ${i + 1}`), 'this PR'],
    y: values.map((v) => Number((v / scale).toPrecision(3))),
  };
}
