/**
 * `npm run eval [-- --quick]`: the timing evaluation. Synthetic (the model on simulated suites
 * with CI-like noise) and real (eval/timing/suite measured by the built CLI, stored mode with a
 * history of 5 and `--against`). `--quick` is bounded to a few minutes (CI); the full run also
 * writes its tables into docs/statistics.md between the eval markers, with machine and date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { runHarness, type HarnessResult } from './harness.js';
import { runSynthetic, SYNTHETIC_DEFAULTS, type SyntheticRow } from './synthetic.js';

const root = process.cwd();
const quick = process.argv.includes('--quick');
const synthOnly = process.argv.includes('--synthetic');
const log = (line: string) => console.error(`eval: ${line}`);

const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)} %`;
const rateCell = (r: {
  k?: number;
  n?: number;
  rate?: number;
  interval: [number, number];
  trials?: number;
}) => {
  const n = r.n ?? r.trials ?? 0;
  if (n === 0) return '— (no trials)';
  const value = r.k !== undefined ? r.k / n : r.rate!;
  return `${pct(value)} (${pct(r.interval[0])}–${pct(r.interval[1])}, n=${n})`;
};

function syntheticTable(rows: SyntheticRow[]): string {
  const s = SYNTHETIC_DEFAULTS;
  const lines = [
    `Synthetic: ${quick ? 200 : s.trials} trials per cell, ${s.benchmarks} benchmarks per PR, ${s.forks} forks, ` +
      `alpha ${s.alpha}, threshold ${pct(s.threshold, 0)}; noise: runner ${pct(s.noise.runner)}, ` +
      `per benchmark ${pct(s.noise.bench)}, between forks ${pct(s.noise.fork)}, samples ${pct(s.noise.within, 0)} ` +
      `(${s.noise.samples} per fork). One benchmark slowed per A/B trial. 95 % Wilson intervals.`,
    '',
    '| mode | A/A: PRs failing | A/A: benchmarks flagged | median MDE | +2 % | +5 % | +10 % | +20 % |',
    '| --- | --- | --- | --: | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.mode === 'stored' ? 'stored, history of 5' : '--against (paired)'} | ${rateCell(r.prFalseAlarms)} | ` +
        `${rateCell(r.benchmarkFalseAlarms)} | ${pct(r.medianMde)} | ` +
        r.detection.map((d) => rateCell(d.detected)).join(' | ') +
        ' |',
    );
  }
  return lines.join('\n');
}

function realTable(result: HarnessResult, settings: string): string {
  const slowdowns = result.stored.detection.map((d) => d.slowdown);
  const lines = [
    `Real suite: ${result.benchmarks} benchmarks of eval/timing/suite; ${settings}.`,
    '',
    `| mode | A/A: PRs failing | A/A: benchmarks flagged | median MDE | ${slowdowns.map((s) => `+${s * 100} %`).join(' | ')} | +5 % where MDE ≤ 5 % | s per trial |`,
    `| --- | --- | --- | --: | ${slowdowns.map(() => '---').join(' | ')} | --- | --: |`,
  ];
  for (const m of [result.stored, result.against]) {
    const five = m.detection.find((d) => d.slowdown === 0.05);
    lines.push(
      `| ${m.mode === 'stored' ? 'stored, history of 5' : '--against'} | ${rateCell(m.prFalseAlarms)} | ` +
        `${rateCell(m.benchmarkFalseAlarms)} | ${pct(m.medianMde)} | ` +
        m.detection.map((d) => rateCell(d.detected)).join(' | ') +
        ` | ${five ? rateCell(five.detectedMde5) : '—'} | ${m.secondsPerTrial.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}

const started = new Date();
const trials = quick ? 200 : SYNTHETIC_DEFAULTS.trials;
const synthetic = (['stored', 'paired'] as const).map((mode) =>
  runSynthetic(mode, { ...SYNTHETIC_DEFAULTS, trials }),
);
const parts = [syntheticTable(synthetic)];
console.log(parts[0]);

if (!synthOnly) {
  const settings = quick
    ? {
        forks: 3,
        time: 150,
        aRuns: 6,
        bRuns: 1,
        againstTrials: 1,
        slowdowns: [0.1],
        slowedPerRun: 4,
      }
    : {
        forks: 5,
        time: 500,
        aRuns: 8,
        bRuns: 2,
        againstTrials: 2,
        slowdowns: [0.02, 0.05, 0.1, 0.2],
        slowedPerRun: 5,
      };
  const result = await runHarness({ root, ...settings, threshold: 0.02, alpha: 0.01, log });
  const described =
    `${settings.forks} forks, run.time ${settings.time} ms per task, threshold 2 %, alpha 0.01; ` +
    `stored: ${settings.aRuns} A runs (each the head once against 5 others), ${settings.bRuns} B run(s) per slowdown; ` +
    `--against: ${settings.againstTrials} trial(s) per slowdown and for A/A; ${settings.slowedPerRun} tasks slowed per B checkout`;
  parts.push(realTable(result, described));
  console.log(`\n${parts[1]}`);
}

const machine =
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
  `Node ${process.version}; load average at the end ${loadavg()[0].toFixed(1)}`;
const stamp = `Measured ${started.toISOString().slice(0, 16)} UTC on ${machine}.`;
console.log(`\n${stamp}`);

if (!quick && !synthOnly) {
  const file = join(root, 'docs/statistics.md');
  const doc = readFileSync(file, 'utf8');
  const begin = '<!-- eval:timing:begin -->';
  const end = '<!-- eval:timing:end -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i === -1 || j === -1) throw new Error(`docs/statistics.md has no ${begin} … ${end} section`);
  const body = `${begin}\n\n${stamp} The machine was shared with other jobs: timing figures are from a loaded machine.\n\n${parts.join('\n\n')}\n\n${end}`;
  writeFileSync(file, doc.slice(0, i) + body + doc.slice(j + end.length));
  log('wrote docs/statistics.md');
}
