/**
 * The real-code evaluation: the suite in eval/timing/suite measured by perfgate itself (the
 * built CLI, `dist/cli.js`), in checkouts with and without calibrated slowdowns, compared in
 * stored mode (history of 5) and with `--against`.
 *
 * Two halves: `measure` runs perfgate and records every Run, `--against` Comparison and wall
 * time in a manifest (rewritten after each step, so a run cut short still counts what it did);
 * `judge` turns a manifest into rates with the current model, so stored-mode data can be
 * judged again after a change of the statistics (`npm run eval -- --rejudge DIR`).
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { compare } from '../../src/compare/index.js';
import { defaultConfig, type Config } from '../../src/config/schema.js';
import type { Comparison } from '../../src/model/comparison.js';
import { readRun } from '../../src/model/io.js';
import type { Run } from '../../src/model/run.js';
import { wilson } from './simulate.js';
import { createDatabase, DUMP_FILE } from './suite/database.js';

export interface HarnessSettings {
  forks: number;
  /** run.time per task (ms, over all forks). */
  time: number;
  /** A runs: the history plus the A/A heads (stored mode uses each as head once). */
  aRuns: number;
  /** Rounds: each round is one stored B run and one `--against` trial per slowdown, and one
   * `--against` A/A trial. */
  rounds: number;
  slowdowns: number[];
  /** Tasks slowed in one B checkout (rotating through the suite). */
  slowedPerRun: number;
  threshold: number;
  alpha: number;
  /** Rounds of the cost comparison (defaults vs --forks 1, alternating); 0: none. */
  costRounds: number;
  /** Stop starting new steps after this many minutes (what was measured still counts). */
  budgetMinutes: number;
  /** Bench files of the suite to use (default all); the one with `spin 10k` is required. */
  files?: string[];
  /** Run perfgate under `nice -n 10` (a full run on a shared machine). */
  nice?: boolean;
}

export const SPIN = 'compute.bench.ts > compute > spin 10k';
export const HISTORY = 5;

interface Step {
  seconds: number;
  /** 1-minute load average when the step ended. */
  load: number;
}
export interface Manifest {
  settings: HarnessSettings;
  started: string;
  aRuns: Array<Step & { file: string }>;
  bRuns: Array<Step & { file: string; slowdown: number; tasks: string[] }>;
  /** `--against` trials; slowdown 0 is A/A. */
  against: Array<Step & { slowdown: number; tasks: string[]; comparison: Comparison }>;
  cost: Array<Step & { label: string; args: string[] }>;
  finished?: string;
}

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
  /** Mean wall time per cost label (s) and how many runs. */
  cost: Array<{ label: string; seconds: number; n: number }>;
  load: { min: number; max: number; mean: number };
}

/** A checkout of the suite: its files, its config with the harness's run time, a slowdown. */
function copySuite(
  root: string,
  work: string,
  s: HarnessSettings,
  to: string,
  slowdown: Record<string, number> | null,
): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  const suite = join(root, 'eval/timing/suite');
  for (const f of readdirSync(suite)) {
    const chosen = !f.endsWith('.bench.ts') || !s.files || s.files.includes(f);
    if (f.endsWith('.ts') && chosen) copyFileSync(join(suite, f), join(to, f));
  }
  if (existsSync(join(work, DUMP_FILE))) copyFileSync(join(work, DUMP_FILE), join(to, DUMP_FILE));
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
  nice = false,
): { status: number; stdout: string; seconds: number } {
  const start = Date.now();
  const command = [process.execPath, join(root, 'dist/cli.js'), ...args];
  // A full run on a shared machine is niced so that it does not starve its neighbours.
  if (nice) command.unshift('nice', '-n', '10');
  const r = spawnSync(command[0], command.slice(1), {
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

const load = () => loadavg()[0];

/** Measures per the settings into `work` (kept: its manifest.json is the record). */
export async function measure(
  root: string,
  work: string,
  s: HarnessSettings,
  log: (line: string) => void,
): Promise<Manifest> {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const started = Date.now();
  const deadline = started + s.budgetMinutes * 60_000;
  const manifest: Manifest = {
    settings: s,
    started: new Date(started).toISOString(),
    aRuns: [],
    bRuns: [],
    against: [],
    cost: [],
  };
  const save = () => writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest));
  const steps = s.aRuns + s.rounds * (2 * s.slowdowns.length + 1) + 2 * s.costRounds;
  let done = 0;
  const progress = (what: string, seconds: number) => {
    done++;
    const elapsed = (Date.now() - started) / 1000;
    const left = (elapsed / done) * (steps - done);
    log(
      `[${done}/${steps}, ${(elapsed / 60).toFixed(1)} min, about ${(left / 60).toFixed(0)} min left, ` +
        `load ${load().toFixed(1)}] ${what}: ${seconds.toFixed(0)} s`,
    );
  };
  if (!s.files || s.files.includes('pglite.bench.ts')) {
    const db = await createDatabase();
    const dump = await db.dumpDataDir('none');
    writeFileSync(join(work, DUMP_FILE), Buffer.from(await dump.arrayBuffer()));
    await db.close();
  }

  const a = join(work, 'a');
  const a2 = join(work, 'a2');
  copySuite(root, work, s, a, null);
  copySuite(root, work, s, a2, null);
  const forks = ['--forks', String(s.forks)];

  const aRuns: Run[] = [];
  for (let i = 0; i < s.aRuns; i++) {
    const file = join(work, `a-${i}.json`);
    const { seconds } = perfgate(root, a, ['run', ...forks, '--out', file], s.nice);
    aRuns.push(await readRun(file));
    manifest.aRuns.push({ file, seconds, load: load() });
    save();
    progress(`A run ${i + 1}/${s.aRuns}`, seconds);
  }
  const ids = aRuns[0].benchmarks.map((b) => b.id).filter((id) => id !== SPIN);
  let rotation = 0;
  const slowed = () => {
    const tasks = Array.from(
      { length: s.slowedPerRun },
      (_, k) => ids[(rotation + k) % ids.length],
    );
    rotation += s.slowedPerRun;
    return tasks;
  };
  const against = (head: string) =>
    perfgate(
      root,
      head,
      ['--against', a, ...forks, '--threshold', String(s.threshold * 100), '--format', 'json'],
      s.nice,
    );

  // 10 % first: if the budget cuts a round short, the level of the targets is measured.
  const order = [...s.slowdowns].sort((x, y) => Math.abs(x - 0.1) - Math.abs(y - 0.1));
  rounds: for (let r = 0; r < s.rounds; r++) {
    for (const slowdown of order) {
      if (Date.now() > deadline) break rounds;
      let tasks = slowed();
      const dir = join(work, `b-${slowdown}-${r}`);
      copySuite(root, work, s, dir, slowdownIterations(aRuns[0], slowdown, tasks));
      const file = join(work, `b-${slowdown}-${r}.json`);
      const b = perfgate(root, dir, ['run', ...forks, '--out', file], s.nice);
      manifest.bRuns.push({ file, slowdown, tasks, seconds: b.seconds, load: load() });
      save();
      progress(`stored +${slowdown * 100} % round ${r + 1}`, b.seconds);

      tasks = slowed();
      const head = join(work, `h-${slowdown}-${r}`);
      copySuite(root, work, s, head, slowdownIterations(aRuns[0], slowdown, tasks));
      const h = against(head);
      const comparison = JSON.parse(h.stdout) as Comparison;
      manifest.against.push({ slowdown, tasks, comparison, seconds: h.seconds, load: load() });
      save();
      progress(`--against +${slowdown * 100} % round ${r + 1}`, h.seconds);
    }
    if (Date.now() > deadline) break;
    const h = against(a2);
    const comparison = JSON.parse(h.stdout) as Comparison;
    manifest.against.push({ slowdown: 0, tasks: [], comparison, seconds: h.seconds, load: load() });
    save();
    progress(`--against A/A round ${r + 1}`, h.seconds);
  }

  // Cost: perfgate run at the default forks and with one fork, alternating, on the same checkout.
  for (let r = 0; r < s.costRounds && Date.now() <= deadline; r++) {
    for (const [label, args] of [
      ['defaults (forks 5)', []],
      ['--forks 1', ['--forks', '1']],
    ] as const) {
      const file = join(work, `cost-${r}.json`);
      const { seconds } = perfgate(root, a, ['run', ...args, '--out', file], s.nice);
      manifest.cost.push({ label, args: [...args], seconds, load: load() });
      save();
      progress(`cost, ${label}`, seconds);
    }
  }
  manifest.finished = new Date().toISOString();
  save();
  return manifest;
}

const flagged = (c: Comparison) =>
  c.benchmarks.filter(
    (b) => b.id !== SPIN && (b.status === 'regression' || b.status === 'improvement'),
  );

function tally(
  comparisons: Array<{ comparison: Comparison; tasks: readonly string[] }>,
  slowdown: number,
) {
  let k = 0;
  let n = 0;
  let k5 = 0;
  let n5 = 0;
  for (const { comparison, tasks } of comparisons) {
    for (const b of comparison.benchmarks.filter((x) => tasks.includes(x.id))) {
      n++;
      if (b.status === 'regression') k++;
      if (b.time.mde != null && b.time.mde <= 0.05) {
        n5++;
        if (b.status === 'regression') k5++;
      }
    }
  }
  return { slowdown, detected: rate(k, n), detectedMde5: rate(k5, n5) };
}

function aaRates(comparisons: Comparison[]) {
  let pr = 0;
  let bench = 0;
  let benchmarks = 0;
  const mdes: number[] = [];
  for (const c of comparisons) {
    const f = flagged(c);
    bench += f.length;
    if (f.length > 0) pr++;
    for (const b of c.benchmarks) {
      if (b.id === SPIN) continue;
      benchmarks++;
      if (b.time.mde != null) mdes.push(b.time.mde);
    }
  }
  mdes.sort((x, y) => x - y);
  return {
    prFalseAlarms: rate(pr, comparisons.length),
    benchmarkFalseAlarms: rate(bench, benchmarks),
    medianMde: mdes[mdes.length >> 1] ?? null,
  };
}

const meanOf = (xs: number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);

/** Rates from a manifest; stored mode is compared here with the current model (src/compare). */
export async function judge(manifest: Manifest): Promise<HarnessResult> {
  const s = manifest.settings;
  const config: Config = { ...defaultConfig(), threshold: s.threshold, alpha: s.alpha };
  const aRuns = await Promise.all(manifest.aRuns.map((r) => readRun(r.file)));
  if (aRuns.length < HISTORY + 1) {
    throw new Error(`the manifest has ${aRuns.length} A runs; stored mode needs ${HISTORY + 1}`);
  }
  // Each A run is the head once, against the HISTORY runs after it (cyclically).
  const historyFor = (i: number) =>
    Array.from({ length: HISTORY }, (_, k) => aRuns[(i + 1 + k) % aRuns.length]);
  const storedAA = aRuns.map((head, i) => compare(historyFor(i), head, config));
  const storedB: Array<{ slowdown: number; comparison: Comparison; tasks: string[] }> = [];
  for (const [r, b] of manifest.bRuns.entries()) {
    const run = await readRun(b.file);
    storedB.push({
      slowdown: b.slowdown,
      tasks: b.tasks,
      comparison: compare(historyFor(r), run, config),
    });
  }
  const steps = [...manifest.aRuns, ...manifest.bRuns, ...manifest.against, ...manifest.cost];
  const loads = steps.map((x) => x.load);
  const againstAA = manifest.against.filter((x) => x.slowdown === 0);
  const storedSteps = [...manifest.aRuns, ...manifest.bRuns];
  const costLabels = [...new Set(manifest.cost.map((c) => c.label))];
  return {
    benchmarks: aRuns[0].benchmarks.filter((b) => b.id !== SPIN).length,
    stored: {
      mode: 'stored',
      ...aaRates(storedAA),
      detection: s.slowdowns.map((slowdown) =>
        tally(
          storedB.filter((x) => x.slowdown === slowdown),
          slowdown,
        ),
      ),
      secondsPerTrial: meanOf(storedSteps.map((x) => x.seconds)),
    },
    against: {
      mode: 'against',
      ...aaRates(againstAA.map((x) => x.comparison)),
      detection: s.slowdowns.map((slowdown) =>
        tally(
          manifest.against.filter((x) => x.slowdown === slowdown),
          slowdown,
        ),
      ),
      secondsPerTrial: meanOf(manifest.against.map((x) => x.seconds)),
    },
    cost: costLabels.map((label) => {
      const runs = manifest.cost.filter((c) => c.label === label);
      return { label, seconds: meanOf(runs.map((c) => c.seconds)), n: runs.length };
    }),
    load: {
      min: Math.min(...loads),
      max: Math.max(...loads),
      mean: meanOf(loads),
    },
  };
}

export function readManifest(dir: string): Manifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`${file}: no manifest (run npm run eval first)`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}
