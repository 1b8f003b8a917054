/**
 * The real-code evaluation: the suite in eval/timing/suite measured by perfgate itself (the
 * built CLI, `dist/cli.js`), in checkouts with and without calibrated slowdowns, compared in
 * stored mode (history of 5) and with `--against`. I/O at this edge; the counting is pure.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compare } from '../../src/compare/index.js';
import { defaultConfig, type Config } from '../../src/config/schema.js';
import type { Comparison } from '../../src/model/comparison.js';
import { readRun } from '../../src/model/io.js';
import type { Run } from '../../src/model/run.js';
import { wilson } from './simulate.js';

export interface HarnessSettings {
  /** Repository root (where dist/cli.js is). */
  root: string;
  forks: number;
  /** run.time per task (ms, over all forks). */
  time: number;
  /** A runs: the history plus the A/A heads (stored mode uses each as head once). */
  aRuns: number;
  /** Head runs per slowdown level (stored mode). */
  bRuns: number;
  /** `--against` trials per level (and A/A). */
  againstTrials: number;
  slowdowns: number[];
  /** Tasks slowed in one B checkout (rotating through the suite). */
  slowedPerRun: number;
  threshold: number;
  alpha: number;
  log: (line: string) => void;
}

const SPIN = 'compute.bench.ts > compute > spin 10k';
const HISTORY = 5;

export interface Rate {
  k: number;
  n: number;
  interval: [number, number];
}
const rate = (k: number, n: number): Rate => ({ k, n, interval: wilson(k, n) });

export interface ModeResult {
  mode: 'stored' | 'against';
  prFalseAlarms: Rate;
  benchmarkFalseAlarms: Rate;
  detection: Array<{ slowdown: number; detected: Rate; detectedMde5: Rate }>;
  /** Wall time of one trial (s): one perfgate run, or one `perfgate --against`. */
  secondsPerTrial: number;
  medianMde: number | null;
}

export interface HarnessResult {
  benchmarks: number;
  stored: ModeResult;
  against: ModeResult;
}

/** A checkout of the suite: its files, its config with the harness's run time, a slowdown. */
function copySuite(s: HarnessSettings, to: string, slowdown: Record<string, number> | null): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  const suite = join(s.root, 'eval/timing/suite');
  for (const f of readdirSync(suite)) {
    if (f.endsWith('.ts')) copyFileSync(join(suite, f), join(to, f));
  }
  const config = JSON.parse(readFileSync(join(suite, 'perfgate.config.json'), 'utf8'));
  writeFileSync(
    join(to, 'perfgate.config.json'),
    JSON.stringify({ ...config, run: { time: s.time } }),
  );
  if (slowdown) writeFileSync(join(to, 'slowdown.json'), JSON.stringify(slowdown));
}

function perfgate(
  root: string,
  cwd: string,
  args: string[],
): { status: number; stdout: string; seconds: number } {
  const start = Date.now();
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (Date.now() - start) / 1000;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(
      `perfgate ${args.join(' ')} in ${cwd} exited ${r.status}: ${r.stderr.slice(-2000)}`,
    );
  }
  return { status: r.status ?? 2, stdout: r.stdout, seconds };
}

async function runOnce(
  s: HarnessSettings,
  dir: string,
  out: string,
): Promise<{ run: Run; seconds: number }> {
  const { seconds } = perfgate(s.root, dir, ['run', '--forks', String(s.forks), '--out', out]);
  return { run: await readRun(out), seconds };
}

/** Spin iterations that slow each task by `slowdown`, from the medians of one A run. */
export function slowdownIterations(
  run: Run,
  slowdown: number,
  tasks: readonly string[],
): Record<string, number> {
  const spin = run.benchmarks.find((b) => b.id === SPIN);
  if (!spin) throw new Error(`the suite has no ${SPIN}`);
  const nsPerIteration = spin.stats.median / 10_000;
  const result: Record<string, number> = {};
  for (const b of run.benchmarks) {
    if (tasks.includes(b.id))
      result[b.name] = Math.round((slowdown * b.stats.median) / nsPerIteration);
  }
  return result;
}

const flagged = (c: Comparison) =>
  c.benchmarks.filter(
    (b) => b.id !== SPIN && (b.status === 'regression' || b.status === 'improvement'),
  );

export async function runHarness(s: HarnessSettings): Promise<HarnessResult> {
  const work = join(s.root, 'eval/timing/.work');
  rmSync(work, { recursive: true, force: true });
  const config: Config = { ...defaultConfig(), threshold: s.threshold, alpha: s.alpha };
  try {
    copySuite(s, join(work, 'a'), null);
    copySuite(s, join(work, 'a2'), null);
    // Stored mode: A runs (history + A/A heads).
    const aRuns: Run[] = [];
    let runSeconds = 0;
    for (let i = 0; i < Math.max(HISTORY + 1, s.aRuns); i++) {
      const { run, seconds } = await runOnce(s, join(work, 'a'), join(work, `a-${i}.json`));
      aRuns.push(run);
      runSeconds += seconds;
      s.log(`A run ${i + 1}: ${seconds.toFixed(0)} s`);
    }
    const ids = aRuns[0].benchmarks.map((b) => b.id).filter((id) => id !== SPIN);
    const historyFor = (i: number) =>
      Array.from({ length: HISTORY }, (_, k) => aRuns[(i + 1 + k) % aRuns.length]);

    let prFalse = 0;
    let benchFalse = 0;
    const mdes: number[] = [];
    for (let i = 0; i < aRuns.length; i++) {
      const c = compare(historyFor(i), aRuns[i], config);
      const f = flagged(c);
      benchFalse += f.length;
      if (f.length > 0) prFalse++;
      for (const b of c.benchmarks) if (b.time.mde != null && b.id !== SPIN) mdes.push(b.time.mde);
    }
    mdes.sort((a, b) => a - b);

    const storedDetection: ModeResult['detection'] = [];
    const againstDetection: ModeResult['detection'] = [];
    let rotation = 0;
    let againstSeconds = 0;
    let againstTrials = 0;
    const againstMdes: number[] = [];
    const slowed = () => {
      const tasks = Array.from(
        { length: s.slowedPerRun },
        (_, k) => ids[(rotation + k) % ids.length],
      );
      rotation += s.slowedPerRun;
      return tasks;
    };
    for (const slowdown of s.slowdowns) {
      let k = 0;
      let n = 0;
      let k5 = 0;
      let n5 = 0;
      for (let r = 0; r < s.bRuns; r++) {
        const tasks = slowed();
        const dir = join(work, `b-${slowdown}-${r}`);
        copySuite(s, dir, slowdownIterations(aRuns[0], slowdown, tasks));
        const { run, seconds } = await runOnce(s, dir, join(work, `b-${slowdown}-${r}.json`));
        runSeconds += seconds;
        const c = compare(historyFor(r % aRuns.length), run, config);
        for (const b of c.benchmarks.filter((x) => tasks.includes(x.id))) {
          n++;
          if (b.status === 'regression') k++;
          if (b.time.mde != null && b.time.mde <= 0.05) {
            n5++;
            if (b.status === 'regression') k5++;
          }
        }
        s.log(`stored +${slowdown * 100}% run ${r + 1}: ${k}/${n} detected so far`);
      }
      storedDetection.push({ slowdown, detected: rate(k, n), detectedMde5: rate(k5, n5) });

      // --against: the head checkout (with the slowdown) against the plain one.
      let ka = 0;
      let na = 0;
      let ka5 = 0;
      let na5 = 0;
      for (let r = 0; r < s.againstTrials; r++) {
        const tasks = slowed();
        const dir = join(work, `h-${slowdown}-${r}`);
        copySuite(s, dir, slowdownIterations(aRuns[0], slowdown, tasks));
        const c = againstOnce(s, dir, join(work, 'a'));
        againstSeconds += c.seconds;
        againstTrials++;
        for (const b of c.comparison.benchmarks.filter((x) => tasks.includes(x.id))) {
          na++;
          if (b.status === 'regression') ka++;
          if (b.time.mde != null && b.time.mde <= 0.05) {
            na5++;
            if (b.status === 'regression') ka5++;
          }
        }
        s.log(`--against +${slowdown * 100}% trial ${r + 1}: ${ka}/${na} detected so far`);
      }
      againstDetection.push({ slowdown, detected: rate(ka, na), detectedMde5: rate(ka5, na5) });
    }

    let aaPr = 0;
    let aaBench = 0;
    for (let r = 0; r < s.againstTrials; r++) {
      const c = againstOnce(s, join(work, 'a2'), join(work, 'a'));
      againstSeconds += c.seconds;
      againstTrials++;
      const f = flagged(c.comparison);
      aaBench += f.length;
      if (f.length > 0) aaPr++;
      for (const b of c.comparison.benchmarks)
        if (b.time.mde != null && b.id !== SPIN) againstMdes.push(b.time.mde);
      s.log(`--against A/A trial ${r + 1}: ${f.length} flagged`);
    }
    againstMdes.sort((a, b) => a - b);

    const runs = aRuns.length + s.slowdowns.length * s.bRuns;
    return {
      benchmarks: ids.length,
      stored: {
        mode: 'stored',
        prFalseAlarms: rate(prFalse, aRuns.length),
        benchmarkFalseAlarms: rate(benchFalse, aRuns.length * ids.length),
        detection: storedDetection,
        secondsPerTrial: runSeconds / runs,
        medianMde: mdes[mdes.length >> 1] ?? null,
      },
      against: {
        mode: 'against',
        prFalseAlarms: rate(aaPr, s.againstTrials),
        benchmarkFalseAlarms: rate(aaBench, s.againstTrials * ids.length),
        detection: againstDetection,
        secondsPerTrial: againstSeconds / Math.max(1, againstTrials),
        medianMde: againstMdes[againstMdes.length >> 1] ?? null,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function againstOnce(
  s: HarnessSettings,
  head: string,
  base: string,
): { comparison: Comparison; seconds: number } {
  const r = perfgate(s.root, head, [
    '--against',
    base,
    '--forks',
    String(s.forks),
    '--threshold',
    String(s.threshold * 100),
    '--format',
    'json',
  ]);
  return { comparison: JSON.parse(r.stdout) as Comparison, seconds: r.seconds };
}
