// `npm run bench compare`: perfgate's compare + markdown render over 10,000 synthetic benchmarks,
// and an evaluation of the statistics (A/A false alarms, A/B detection power) on synthetic runs
// with within-run and run-to-run noise. Writes docs/benchmarks/compare.md.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compare, type CompareOptions } from '../src/compare/index.js';
import { defaultConfig } from '../src/config/schema.js';
import type { Benchmark, Run } from '../src/model/run.js';
import { summarize } from '../src/stats/summary.js';
import { renderMarkdown } from '../src/report/index.js';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function prng(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * One run's samples: log-normal within-run noise (cv), a run-level offset (the runner, its
 * boost state: the same for every sample of the run) and 1 % outliers at 1.5–3× (GC pauses,
 * preemption).
 */
function samplesOf(
  median: number,
  n: number,
  cv: number,
  runOffset: number,
  random: () => number,
): number[] {
  const samples = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let value = median * runOffset * Math.exp(cv * gaussian(random));
    if (random() < 0.01) value *= 1.5 + 1.5 * random();
    samples[i] = value;
  }
  return samples;
}

function makeRun(benchmarks: Benchmark[], commit: string): Run {
  return {
    schemaVersion: 1,
    tool: 'perfgate',
    meta: {
      commit,
      timestamp: new Date(0).toISOString(),
      env: { os: 'linux', cpu: 'synthetic', cores: 2, node: process.version, runner: 'bench' },
    },
    benchmarks,
  };
}

function makeBenchmark(id: string, samples: number[]): Benchmark {
  return {
    id,
    name: id,
    file: 'synthetic.bench.ts',
    unit: 'ns',
    direction: 'smaller',
    samples,
    stats: summarize(samples),
  };
}

// ---------------------------------------------------------------- speed of compare + render

interface Suite {
  bases: Run[];
  head: Run;
}

function suite(count: number, history: number, seed: number): Suite {
  const random = prng(seed);
  const medians = Array.from({ length: count }, () => 10 ** (2 + 5 * random()));
  const sizes = Array.from({ length: count }, () => 100 + Math.floor(101 * random()));
  const runOf = (commit: string, factor: (i: number) => number) =>
    makeRun(
      medians.map((m, i) =>
        makeBenchmark(
          `suite${i % 50}.bench.ts > group${i % 7} > task ${i}`,
          samplesOf(m * factor(i), sizes[i], 0.04, Math.exp(0.01 * gaussian(random)), random),
        ),
      ),
      commit,
    );
  const bases = Array.from({ length: history }, (_, k) => runOf(`base${k}`, () => 1));
  // 5 % of the benchmarks 30 % slower, 5 % 30 % faster, the rest unchanged.
  const head = runOf('head', (i) => (i % 20 === 0 ? 1.3 : i % 20 === 1 ? 0.7 : 1));
  return { bases, head };
}

interface Timing {
  compareMs: number;
  renderMs: number;
  heapMb: number;
  rssMb: number;
  regressions: number;
  bytes: number;
}

function measure(s: Suite, options: CompareOptions, repetitions: number): Timing[] {
  const results: Timing[] = [];
  for (let r = 0; r < repetitions; r++) {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const comparison = compare(s.bases, s.head, options);
    const t1 = performance.now();
    const heapAfter = process.memoryUsage().heapUsed;
    const markdown = renderMarkdown(comparison);
    const t2 = performance.now();
    results.push({
      compareMs: t1 - t0,
      renderMs: t2 - t1,
      heapMb: (heapAfter - heapBefore) / 2 ** 20,
      rssMb: process.memoryUsage().rss / 2 ** 20,
      regressions: comparison.summary.regression,
      bytes: markdown.length,
    });
  }
  return results;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

// ---------------------------------------------------------------- statistical evaluation

interface Scenario {
  name: string;
  slowdown: number;
  runSigma: number;
  history: number;
  threshold: number;
}

interface Outcome {
  regression: number;
  improvement: number;
  noisy: number;
}

function evaluate(s: Scenario, trials: number, seed: number): Outcome {
  const random = prng(seed);
  const options: CompareOptions = { ...defaultConfig(), threshold: s.threshold };
  const outcome: Outcome = { regression: 0, improvement: 0, noisy: 0 };
  const offset = () => Math.exp(s.runSigma * gaussian(random));
  for (let t = 0; t < trials; t++) {
    const m = 1e5;
    const bases = Array.from({ length: s.history }, (_, k) =>
      makeRun([makeBenchmark('b', samplesOf(m, 100, 0.05, offset(), random))], `b${k}`),
    );
    const head = makeRun(
      [makeBenchmark('b', samplesOf(m * (1 + s.slowdown), 100, 0.05, offset(), random))],
      'h',
    );
    const status = compare(bases, head, options).benchmarks[0].status;
    if (status === 'regression' || status === 'improvement' || status === 'noisy')
      outcome[status] += 1;
  }
  return outcome;
}

// ---------------------------------------------------------------- main

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`;
const lines: string[] = [];
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${type()}`;
lines.push(
  '# compare: speed and detection quality',
  '',
  'Written by `npm run bench compare` (bench/compare.ts). Numbers from one machine; rerun to refresh.',
  '',
  `- Machine: ${machine}`,
  `- Node.js: ${process.version}`,
  `- Date: ${new Date().toISOString()}`,
  '',
  '## Speed: compare() + renderMarkdown() of 10,000 benchmarks',
  '',
  'Synthetic suite: 10,000 benchmarks, 100–200 samples each (uniform), log-normal noise (4 %),',
  '1 % outliers; head has 5 % of the benchmarks 30 % slower and 5 % 30 % faster. Median of',
  '5 repetitions (after one warm-up); heap is the growth of the live heap during compare().',
  '',
  '| History (K) | compare() | renderMarkdown() | heap growth | RSS | regressions | comment size |',
  '| --: | --: | --: | --: | --: | --: | --: |',
);
const options = defaultConfig();
for (const history of [1, 10]) {
  const s = suite(10_000, history, 1234 + history);
  measure(s, options, 1); // warm-up
  const t = measure(s, options, 5);
  const row = `| ${history} | ${median(t.map((x) => x.compareMs)).toFixed(0)} ms | ${median(t.map((x) => x.renderMs)).toFixed(0)} ms | ${median(t.map((x) => x.heapMb)).toFixed(0)} MiB | ${median(t.map((x) => x.rssMb)).toFixed(0)} MiB | ${t[0].regressions} | ${t[0].bytes.toLocaleString('en')} chars |`;
  lines.push(row);
  console.log(row);
}

const trials = 2000;
lines.push(
  '',
  '## Detection quality (synthetic A/A and A/B runs)',
  '',
  `${trials} trials per row. Each run: 100 samples, 5 % log-normal within-run noise, 1 % outliers at`,
  '1.5–3×; each run (base runs and head alike) also gets its own run-level offset, log-normal with',
  'the run-to-run σ shown (0 = same quiet machine; 3–5 % is typical of shared CI runners).',
  'alpha = 0.01. "Flagged" = status regression or improvement (what the comment reports as a',
  'change); "noisy" = significant and over the threshold, but inside the history’s noise band.',
  '',
  '| Scenario | True change | Run-to-run σ | History K | Threshold | Flagged | of which regressions | Noisy |',
  '| :-- | --: | --: | --: | --: | --: | --: | --: |',
);
const scenarios: Scenario[] = [];
for (const runSigma of [0, 0.03, 0.05]) {
  for (const history of [1, 10]) {
    for (const threshold of [0, 0.1]) {
      scenarios.push({ name: 'A/A', slowdown: 0, runSigma, history, threshold });
    }
  }
}
for (const slowdown of [0.1, 0.2]) {
  for (const runSigma of [0, 0.03]) {
    for (const history of [1, 10]) {
      scenarios.push({ name: 'A/B', slowdown, runSigma, history, threshold: 0.05 });
      scenarios.push({ name: 'A/B', slowdown, runSigma, history, threshold: 0.1 });
    }
  }
}
let seed = 99;
for (const s of scenarios) {
  const o = evaluate(s, trials, seed++);
  const flagged = (o.regression + o.improvement) / trials;
  const row = `| ${s.name} | ${s.slowdown === 0 ? '0' : `+${pct(s.slowdown, 0)}`} | ${pct(s.runSigma, 0)} | ${s.history} | ${pct(s.threshold, 0)} | ${pct(flagged)} | ${pct(o.regression / trials)} | ${pct(o.noisy / trials)} |`;
  lines.push(row);
  console.log(row);
}
lines.push('');
writeFileSync(join(process.cwd(), 'docs', 'benchmarks', 'compare.md'), `${lines.join('\n')}\n`);
console.log('wrote docs/benchmarks/compare.md');
