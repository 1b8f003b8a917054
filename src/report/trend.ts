/**
 * The trend of a regressed benchmark as a Mermaid `xychart-beta` (GitHub renders it in
 * comments): the last main runs and this pull request, so a reviewer sees a step or noise at a
 * glance. Pure.
 */
import type { BenchmarkComparison } from '../model/comparison.js';

const SCALES: Array<[string, number]> = [
  ['s', 1e9],
  ['ms', 1e6],
  ['µs', 1e3],
  ['ns', 1],
];

/** Mermaid strings are double-quoted; quotes, backticks and newlines from PR code are dropped. */
function label(text: string): string {
  return text.replace(/["`\r\n\\]/g, ' ').slice(0, 80);
}

/** A fenced mermaid block, or '' when the benchmark has no trend. */
export function trendChart(b: BenchmarkComparison): string {
  const trend = b.time.trend;
  if (!trend || trend.length === 0 || b.time.head === null) return '';
  const values = [...trend.map((p) => p.value), b.time.head];
  let unit = b.time.unit;
  let scale = 1;
  if (unit === 'ns') {
    const max = Math.max(...values);
    [unit, scale] = SCALES.find(([, s]) => max >= s) ?? ['ns', 1];
  }
  const shown = values.map((v) => Number((v / scale).toPrecision(3)));
  const xs = [...trend.map((p, i) => p.commit?.slice(0, 7) ?? `run ${i + 1}`), 'this PR'];
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${label(b.id)}"`,
    `  x-axis [${xs.map((x) => `"${label(x)}"`).join(', ')}]`,
    `  y-axis "${label(unit)}"`,
    `  line [${shown.join(', ')}]`,
    '```',
    '',
  ].join('\n');
}
