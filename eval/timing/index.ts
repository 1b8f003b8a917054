/**
 * `npm run eval [-- --quick | --synthetic] [--trials N] [--out FILE] [--rejudge DIR] …`: the
 * timing evaluation. Synthetic (the model on simulated suites with CI-like noise) and real
 * (eval/timing/suite measured by the built CLI, stored mode with a history of 5 and `--against`,
 * and the cost of forks). `--quick` is bounded to a few minutes (CI) and writes its table only
 * to `--out`; the full run writes it into docs/statistics.md between the eval markers (or to
 * `--out`), with machine, date and load. `--synthetic` alone rewrites only the synthetic tables
 * there (between the synthetic markers, with their own stamp) and the synthetic column of the
 * targets table; `--trials N` sets the trials per synthetic cell (default 5000). The Runs stay in the work folder (`--work`, default
 * eval/timing/.work) so that `--rejudge DIR` can judge them again with the current model.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  judge,
  measure,
  readManifest,
  type HarnessResult,
  type HarnessSettings,
  type Manifest,
} from './harness.js';
import {
  HETEROGENEOUS_DEFAULTS,
  runHeterogeneous,
  type HeterogeneousRow,
} from './heterogeneous.js';
import { runSynthetic, SYNTHETIC_DEFAULTS, type SyntheticRow } from './synthetic.js';

const root = process.cwd();
const quick = process.argv.includes('--quick');
/** Peak 1-minute load average per core of a measurement on an otherwise idle machine. */
const QUIET_LOAD_PER_CORE = 2;
const synthOnly = process.argv.includes('--synthetic');
const log = (line: string) => console.error(`eval: ${line}`);
const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const numberFlag = (name: string, fallback: number): number => {
  const value = flag(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n >= 0)) throw new Error(`${name} ${value}: not a number`);
  return n;
};
/** Where the table goes (default: docs/statistics.md for the full run, nowhere for --quick). */
const out = flag('--out');
/** Judge the manifest of an earlier run again (its Runs are kept in its work folder). */
const rejudge = flag('--rejudge');
/** The work folder: inside the project, so that the suite resolves tinybench and PGlite. */
const work = flag('--work') ?? join(root, 'eval/timing/.work');

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

/** A rate against a target: met, or missed by how many points (and whether the interval says so). */
function verdict(
  k: number,
  n: number,
  interval: [number, number],
  target: number,
  atMost: boolean,
): string {
  if (n === 0) return 'not measured (no trials)';
  const value = k / n;
  const met = atMost ? value <= target : value >= target;
  const sure = atMost ? interval[1] <= target : interval[0] >= target;
  const miss = Math.abs(value - target) * 100;
  const edge = pct(atMost ? interval[1] : interval[0]);
  const other = pct(atMost ? interval[0] : interval[1]);
  if (met && sure) return `met (${pct(value)})`;
  if (met)
    return `met on the point estimate (${pct(value)}), not shown: the interval reaches ${edge}`;
  const surelyMissed = atMost ? interval[0] > target : interval[1] < target;
  return `**missed by ${miss.toFixed(1)} points** (${pct(value)}${surelyMissed ? '' : `; the interval reaches ${other}`})`;
}

type Cell = { k: number; n: number; interval: [number, number] };
const cellOf = (r: {
  k?: number;
  n?: number;
  rate?: number;
  trials?: number;
  interval: [number, number];
}): Cell => {
  const n = r.n ?? r.trials ?? 0;
  return { k: r.k ?? Math.round((r.rate ?? 0) * n), n, interval: r.interval };
};

/** The targets table's rows: name, synthetic cell, real-suite cell. */
function targetRows(
  synthetic: SyntheticRow[],
  real: HarnessResult | null,
): Array<[string, string, string]> {
  const [sStored, sPaired] = synthetic;
  const at = (d: { slowdown: number }[], x: number) => d.findIndex((e) => e.slowdown === x);
  const rows: Array<[string, Cell | null, Cell | null, number, boolean]> = [
    [
      'stored, history of 5: A/A PRs failing ≤ 1 %',
      cellOf(sStored.prFalseAlarms),
      real && cellOf(real.stored.prFalseAlarms),
      0.01,
      true,
    ],
    [
      'stored, history of 5: detect 10 % ≥ 90 %',
      cellOf(sStored.detection[at(sStored.detection, 0.1)].detected),
      real &&
        cellOf(
          real.stored.detection[at(real.stored.detection, 0.1)]?.detected ?? {
            k: 0,
            n: 0,
            interval: [0, 1],
          },
        ),
      0.9,
      false,
    ],
    [
      '--against: A/A PRs failing ≤ 1 %',
      cellOf(sPaired.prFalseAlarms),
      real && cellOf(real.against.prFalseAlarms),
      0.01,
      true,
    ],
    [
      '--against: detect 5 % where MDE ≤ 5 % ≥ 90 %',
      null,
      real &&
        cellOf(
          real.against.detection[at(real.against.detection, 0.05)]?.detectedMde5 ?? {
            k: 0,
            n: 0,
            interval: [0, 1],
          },
        ),
      0.9,
      false,
    ],
    [
      '--against: detect 10 % ≥ 99 %',
      cellOf(sPaired.detection[at(sPaired.detection, 0.1)].detected),
      real &&
        cellOf(
          real.against.detection[at(real.against.detection, 0.1)]?.detected ?? {
            k: 0,
            n: 0,
            interval: [0, 1],
          },
        ),
      0.99,
      false,
    ],
  ];
  return rows.map(([name, synth, measured, target, atMost]) => {
    const cell = (c: Cell | null) => (c ? verdict(c.k, c.n, c.interval, target, atMost) : '—');
    return [name, cell(synth), real ? cell(measured) : 'not run'];
  });
}

function targetsTable(synthetic: SyntheticRow[], real: HarnessResult | null): string {
  const lines = ['| target | synthetic | real suite |', '| --- | --- | --- |'];
  for (const [name, synth, measured] of targetRows(synthetic, real)) {
    lines.push(`| ${name} | ${synth} | ${measured} |`);
  }
  return lines.join('\n');
}

/**
 * `--synthetic` into docs/statistics.md: only the synthetic tables (between the synthetic
 * markers, with their own stamp) and the synthetic column of the targets table change; the
 * real suite's table, its stamp and its column stay as the last full run wrote them.
 */
function updateSynthetic(doc: string, synthetic: string, rows: Array<[string, string, string]>) {
  const begin = '<!-- eval:synthetic:begin -->';
  const end = '<!-- eval:synthetic:end -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i === -1 || j === -1) throw new Error(`docs/statistics.md has no ${begin} … ${end} section`);
  let out = `${doc.slice(0, i)}${begin}\n\n${synthetic}\n\n${end}${doc.slice(j + end.length)}`;
  for (const [name, synth] of rows) {
    const prefix = `| ${name} | `;
    out = out
      .split('\n')
      .map((line) => {
        if (!line.startsWith(prefix)) return line;
        const cells = line.slice(prefix.length).split(' | ');
        return `${prefix}${synth} | ${cells.slice(1).join(' | ')}`;
      })
      .join('\n');
  }
  return out;
}

function heterogeneousTable(rows: HeterogeneousRow[], trials: number): string {
  const s = HETEROGENEOUS_DEFAULTS;
  const lines = [
    `Synthetic, benchmarks of unequal steadiness (paired, ${trials} trials per row, ${s.benchmarks} ` +
      `benchmarks, ${s.pairs} pairs, alpha ${s.alpha}, threshold ${pct(s.threshold, 0)}): each ` +
      `benchmark's between-fork sd drawn log-uniformly from 1 % to 30 %, its within-fork noise ` +
      `that sd times a log-normal factor (sd ${s.looseness} on the log scale). "steady": between-fork ` +
      `sd ≤ 3 %. The variance prior with no covariate, with the within-fork noise, and with a ` +
      `covariate unrelated to the noise; same seeds in every row.`,
    '',
    '| variance prior | A/A: PRs failing | +10 %, steady benchmarks | +10 %, any benchmark | median MDE, steady |',
    '| --- | --- | --- | --- | --: |',
  ];
  for (const r of rows) {
    const name =
      r.covariate === 'none'
        ? 'one for the suite'
        : r.covariate === 'within-fork noise'
          ? 'scale follows within-fork noise'
          : 'scale follows an unrelated covariate';
    lines.push(
      `| ${name} | ${rateCell(r.prFalseAlarms)} | ${rateCell(r.steadyDetected10)} | ` +
        `${rateCell(r.anyDetected10)} | ${pct(r.steadyMde)} |`,
    );
  }
  return lines.join('\n');
}

function syntheticTable(rows: SyntheticRow[], trials: number): string {
  const s = SYNTHETIC_DEFAULTS;
  const lines = [
    `Synthetic: ${trials} trials per cell, ${s.benchmarks} benchmarks per PR, ${s.forks} forks, ` +
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

function realTable(result: HarnessResult, manifest: Manifest): string {
  const st = manifest.settings;
  const slowdowns = st.slowdowns;
  const rounds = manifest.bRuns.length / Math.max(1, slowdowns.length);
  const lines = [
    `Real suite: ${result.benchmarks} benchmarks of eval/timing/suite (and the spin 10k calibration ` +
      `task, not counted), ${st.forks} forks, run.time ${st.time} ms per task, threshold ` +
      `${pct(st.threshold, 0)}, alpha ${st.alpha}. Stored: ${manifest.aRuns.length} A runs, each ` +
      `the head once against 5 others (A/A), and ${manifest.bRuns.length} B runs ` +
      `(${rounds.toFixed(1).replace(/\.0$/, '')} per slowdown); --against: ` +
      `${manifest.against.filter((a) => a.slowdown > 0).length} A/B trials and ` +
      `${manifest.against.filter((a) => a.slowdown === 0).length} A/A trials; ` +
      `${st.slowedPerRun} tasks slowed per B checkout. 95 % Wilson intervals; n counts PRs (A/A ` +
      `PRs), benchmark comparisons (A/A benchmarks) or slowed benchmarks (detection). Load ` +
      `average (1 min) during the run ${result.load.min.toFixed(1)}–${result.load.max.toFixed(1)}, ` +
      `mean ${result.load.mean.toFixed(1)}.` +
      (rejudge
        ? ' Re-judged: the stored-mode rows with the current model; the --against rows are the ' +
          'verdicts `perfgate --against` gave when they were measured (their Runs are not kept).'
        : ''),
    '',
    `| mode | A/A: PRs failing | A/A: benchmarks flagged | median MDE | ${slowdowns.map((x) => `+${x * 100} %`).join(' | ')} | +5 % where MDE ≤ 5 % | s per trial |`,
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
  if (result.cost.length > 0) {
    const [defaults, one] = result.cost;
    lines.push(
      '',
      `Cost (wall time of \`perfgate run\` on the suite, same checkout, alternating, ` +
        `run.time ${st.time} ms per task; the suite's config has the profile, queries and memory passes off):`,
      '',
      '| run | s (mean) | runs |',
      '| --- | --: | --: |',
      ...result.cost.map((c) => `| ${c.label} | ${c.seconds.toFixed(0)} | ${c.n} |`),
    );
    if (defaults && one) {
      lines.push(
        '',
        `Defaults cost ${(defaults.seconds / one.seconds).toFixed(2)}× one fork; one \`--against\` ` +
          `trial cost ${(result.against.secondsPerTrial / result.stored.secondsPerTrial).toFixed(2)}× ` +
          `one stored-mode run at ${st.forks} forks (the worktree's install reuses node_modules).`,
      );
    }
  }
  return lines.join('\n');
}

const started = new Date();
/** Trials per synthetic cell (`--trials N`; --quick: 200, else SYNTHETIC_DEFAULTS.trials). */
const trials = numberFlag('--trials', quick ? 200 : SYNTHETIC_DEFAULTS.trials);
if (!Number.isInteger(trials) || trials < 1) throw new Error(`--trials ${trials}: not a count`);
log(`synthetic: ${trials} trials per cell`);
const syntheticRows = (['stored', 'paired'] as const).map((mode) =>
  runSynthetic(mode, { ...SYNTHETIC_DEFAULTS, trials }),
);
const parts = [syntheticTable(syntheticRows, trials)];
console.log(parts[0]);
const heterogeneousTrials = quick ? 200 : HETEROGENEOUS_DEFAULTS.trials;
log(`synthetic, unequal steadiness: ${heterogeneousTrials} trials per row`);
parts.push(
  heterogeneousTable(
    (['none', 'within-fork noise', 'uninformative'] as const).map((c) =>
      runHeterogeneous(c, { ...HETEROGENEOUS_DEFAULTS, trials: heterogeneousTrials }),
    ),
    heterogeneousTrials,
  ),
);
console.log(`\n${parts[1]}`);

let loadNote = `load average at the end ${loadavg()[0].toFixed(1)}`;
let result: HarnessResult | null = null;
/** When the real suite was measured (a re-judged manifest keeps its own time). */
let measured = `${started.toISOString().slice(0, 16)} UTC`;
if (!synthOnly) {
  let manifest: Manifest;
  if (rejudge) {
    manifest = readManifest(rejudge);
  } else {
    const settings: HarnessSettings = quick
      ? // Bounded for CI: the fewest runs that exercise every part (history 5 + one A/A head),
        // on the compute file alone (the PGlite file costs seconds per fork to open). No
        // budget: every part must run, or CI would pass on a half-run harness.
        {
          files: ['compute.bench.ts'],
          forks: 2,
          time: 50,
          aRuns: 6,
          rounds: 1,
          slowdowns: [0.1],
          slowedPerRun: 2,
          threshold: 0.02,
          alpha: 0.01,
          costRounds: 0,
          budgetMinutes: 60,
        }
      : {
          forks: numberFlag('--forks', 3),
          time: numberFlag('--time', 300),
          aRuns: numberFlag('--a-runs', 6),
          rounds: numberFlag('--rounds', 1),
          slowdowns: [0.02, 0.05, 0.1, 0.2],
          slowedPerRun: 5,
          threshold: 0.02,
          alpha: 0.01,
          costRounds: numberFlag('--cost-rounds', 1),
          budgetMinutes: numberFlag('--budget', 60),
          nice: true,
        };
    manifest = await measure(root, work, settings, log);
  }
  result = await judge(manifest);
  measured =
    `${manifest.started.slice(0, 16)}–${(manifest.finished ?? manifest.started).slice(11, 16)} UTC` +
    (rejudge ? ` (judged ${started.toISOString().slice(0, 16)} UTC with the current model)` : '');
  loadNote = `load average (1 min) ${result.load.min.toFixed(1)}–${result.load.max.toFixed(1)} during the run`;
  parts.push(realTable(result, manifest));
  console.log(`\n${parts[parts.length - 1]}`);
}
parts.push(`Against the targets of issue 10:\n\n${targetsTable(syntheticRows, result)}`);
console.log(`\n${parts[parts.length - 1]}`);

const host =
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
  `Node ${process.version}`;
const machine = `${host}; ${loadNote}`;
const stamp = `Measured ${measured} on ${machine}.`;
// The synthetic tables are simulations, deterministic by seed: their own stamp, no load note.
const synthetic = [
  `Synthetic tables computed ${started.toISOString().slice(0, 16)} UTC on ${host} ` +
    '(simulations, deterministic by seed: the load of the machine does not change them).',
  parts[0],
  parts[1],
].join('\n\n');
console.log(`\n${stamp}`);
// The 1-minute load average says whether the machine was quiet: the measurement itself keeps
// 1.4–3 threads runnable here (the bench child, V8's compiler and GC threads, the CLI), a
// machine shared with builds and tests showed 13–28. The note is the measurement's.
const peak = result?.load.max ?? loadavg()[0];
const quietness =
  peak <= QUIET_LOAD_PER_CORE * cpus().length
    ? `The machine was otherwise idle (1-minute load average at most ${peak.toFixed(1)} on ${cpus().length} cores).`
    : 'The machine was shared with other jobs: timing figures are from a loaded machine.';
const body = [
  `${stamp} ${quietness}`,
  `<!-- eval:synthetic:begin -->\n\n${synthetic}\n\n<!-- eval:synthetic:end -->`,
  ...parts.slice(2),
].join('\n\n');

if (out) {
  writeFileSync(out, `${body}\n`);
  log(`wrote ${out}`);
} else if (!quick && synthOnly) {
  const file = join(root, 'docs/statistics.md');
  const doc = readFileSync(file, 'utf8');
  writeFileSync(file, updateSynthetic(doc, synthetic, targetRows(syntheticRows, null)));
  log('wrote the synthetic tables into docs/statistics.md (the real-suite table is kept)');
} else if (!quick) {
  const file = join(root, 'docs/statistics.md');
  const doc = readFileSync(file, 'utf8');
  const begin = '<!-- eval:timing:begin -->';
  const end = '<!-- eval:timing:end -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i === -1 || j === -1) throw new Error(`docs/statistics.md has no ${begin} … ${end} section`);
  writeFileSync(
    file,
    `${doc.slice(0, i)}${begin}\n\n${body}\n\n${end}${doc.slice(j + end.length)}`,
  );
  log('wrote docs/statistics.md');
}
log(`done in ${((Date.now() - started.getTime()) / 60_000).toFixed(1)} min`);
