/**
 * Function changes on pairs of real profiles: per format a pool of recordings of one workload at
 * base speed (A) and with one function slowed 1.3× and 2× (B), made with the real tool. A/A pairs
 * (two A recordings) count false function changes; A/B pairs count how often the slowed function
 * is reported first. Recordings are cached (node_modules/.cache/perfgate-eval-findings/), so a
 * re-run only evaluates; `--fresh` records again.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareProfiles } from '../../src/profile/compare.js';
import { spreadEstimates } from '../../src/profile/spread.js';
import { diffSummaries } from '../../src/profile/diff-files.js';
import { readProfile, type ProfileFormat } from '../../src/profile/formats/read.js';
import type { ProfileAttachment } from '../../src/model/profile.js';
import type { FunctionChange } from '../../src/model/comparison.js';
import { profileOptionsSchema } from '../../src/profile/options.js';

const DEFAULT_PROFILE = profileOptionsSchema.parse({});

export type Variant = 'a' | 'slow1.3' | 'slow2';
const FACTORS: Record<Variant, number> = { a: 1, 'slow1.3': 1.3, slow2: 2 };

export interface PoolSpec {
  format: string;
  /** How the recordings were made, for the docs. */
  how: string;
  /** The function slowed in B. */
  slowed: string;
  counts: Record<Variant, number>;
  /** Records one profile of the variant into `file`; false when the tool is not available. */
  record: (variant: Variant, file: string) => boolean;
  /** All samples of a recording. */
  samples: (file: string) => Promise<number>;
  /** Own samples of each function (by name) in each recording, for the spread between them. */
  spread?: (files: string[]) => Promise<Array<Map<string, number>>>;
  /**
   * Function changes of the bases (pooled, as a stored history is) → the heads (pooled: one, or
   * several processes of the head code); with `prior`, under that prior spread instead of the
   * profiler's (spread.ts).
   */
  diff: (bases: string[], heads: string[], prior?: number) => Promise<FunctionChange[]>;
  /** The pool's profiler has a prior spread: weigh PRIORS on it. */
  weighPriors?: boolean;
}

/** Priors weighed on the pools that have one (one base against one head). */
export const PRIORS = [0, 0.02, 0.03, 0.04, 0.05];

export interface PriorResult {
  prior: number;
  aaPairs: number;
  falseChanges: number;
  ab: ModeResult['ab'];
}

/** Bases of the stored-history comparisons (the action keeps up to 5 runs; 4 leave A heads). */
export const HISTORY_BASES = 4;

/**
 * Recordings a side in the "several processes" comparisons: SIDE_RECORDINGS base recordings
 * against SIDE_RECORDINGS head recordings, as `perfgate profile diff BASE_DIR HEAD_DIR` pools them.
 */
export const SIDE_RECORDINGS = 3;

/** Counts of one way of comparing (one base, or a history of HISTORY_BASES bases). */
export interface ModeResult {
  aaPairs: number;
  falseChanges: number;
  ab: Record<'slow1.3' | 'slow2', { pairs: number; first: number; reported: number }>;
}

export interface FormatResult extends ModeResult {
  format: string;
  how: string;
  available: boolean;
  /** The same pools with HISTORY_BASES A recordings as the bases of each comparison. */
  history: ModeResult;
  /** SIDE_RECORDINGS recordings a side: A recordings against other A (or B) recordings. */
  sides: ModeResult;
  /**
   * Spread of each function's own time between the A recordings beyond sampling (coefficient of
   * variation, after each recording's profile-wide factor), largest first.
   */
  spread: Array<{ name: string; cv: number }>;
  /** One base against one head under each of PRIORS, when the pool has a prior. */
  priors: PriorResult[];
  /** Median samples of an A recording (the rule's power is the samples a recording holds). */
  samples: number;
}

function emptyMode(): ModeResult {
  return {
    aaPairs: 0,
    falseChanges: 0,
    ab: {
      'slow1.3': { pairs: 0, first: 0, reported: 0 },
      slow2: { pairs: 0, first: 0, reported: 0 },
    },
  };
}

function have(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/**
 * The work of a recording, scaled to last about `seconds` on this machine: a fixed count of
 * iterations gave 400 perf samples on one machine and 1,000 on another, and the power of the
 * rule is the samples a recording holds. Timed once at `count` (`run(count)` runs it), kept in
 * `file` so that the cached recordings of a pool and the docs agree on it.
 */
function scaledWork(
  file: string,
  count: number,
  seconds: number,
  run: (n: number) => void,
): number {
  if (existsSync(file)) return Number(readFileSync(file, 'utf8'));
  const start = performance.now();
  run(count);
  const took = (performance.now() - start) / 1000;
  const scaled = Math.max(1, Math.round((count * seconds) / Math.max(took, 1e-3)));
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, String(scaled));
  return scaled;
}

/** A V8 recording of the pool: the profile attachment v8-capture printed. */
function readAttachment(file: string): ProfileAttachment {
  return JSON.parse(readFileSync(file, 'utf8')) as ProfileAttachment;
}

/** Target length of one recording of the native and Python pools, s. */
const RECORDING_SECONDS = 1;
/** Go's profiler samples at 100 Hz: 10 s give about as many samples as 1 s of the others. */
const GO_RECORDING_SECONDS = 10;

export function pools(root: string, cache: string, bundles: string): PoolSpec[] {
  const workloads = join(root, 'eval/findings/workloads');
  const goDir = join(cache, 'go-build');
  const goBinary = join(goDir, 'logparse.test');
  const cBinary = join(cache, 'c-build', 'workload');
  const cRounds = () =>
    scaledWork(join(cache, 'c-build', 'rounds'), 60, RECORDING_SECONDS, (n) =>
      execFileSync(cBinary, ['1', String(n)]),
    );
  /** The summaries of profile files read with the tool's own reader. */
  const summaries = (projectRoot: string, format?: ProfileFormat) => (files: string[]) =>
    Promise.all(
      files.map(
        async (file) =>
          (await readProfile(file, { projectRoot, ...(format ? { format } : {}) })).summary,
      ),
    );
  const fileDiff =
    (projectRoot: string, format?: ProfileFormat) => async (bases: string[], heads: string[]) => {
      const read = summaries(projectRoot, format);
      return diffSummaries(await read(bases), await read(heads)).functions;
    };
  const fileSamples = (projectRoot: string, format?: ProfileFormat) => async (file: string) =>
    (await summaries(projectRoot, format)([file]))[0]!.samples;
  const fileSpread =
    (projectRoot: string, format?: ProfileFormat) =>
    async (files: string[]): Promise<Array<Map<string, number>>> =>
      (await summaries(projectRoot, format)(files)).map(
        (summary) => new Map(summary.functions.map((f) => [f.name, f.ownSamples] as const)),
      );
  return [
    ...[undefined, 1000].map((duration): PoolSpec => ({
      format:
        duration === undefined
          ? 'V8 (perfgate runner pass)'
          : `V8 (runner pass, profile.duration ${duration})`,
      how:
        duration === undefined
          ? `captureProfile at the runner's defaults (profile.duration ${DEFAULT_PROFILE.duration} ms, ${DEFAULT_PROFILE.interval} µs interval) in a fresh node process per recording; \`inner\` × scale`
          : `the same with profile.duration ${duration} ms`,
      slowed: 'inner',
      counts: { a: 20, 'slow1.3': 6, slow2: 6 },
      record: (variant, file) => {
        const out = execFileSync(
          process.execPath,
          [
            join(bundles, 'v8-capture.mjs'),
            ...[String(FACTORS[variant]), join(cache, 'v8-raw'), root],
            ...(duration === undefined ? [] : [String(duration)]),
          ],
          { cwd: root, maxBuffer: 64 * 2 ** 20 },
        );
        writeFileSync(file, out);
        return true;
      },
      samples: async (file) => readAttachment(file).samples,
      spread: async (files) =>
        files.map(
          (file) =>
            new Map(
              readAttachment(file).functions.map(
                (f) => [f.name, f.ownSamples ?? f.selfSamples] as const,
              ),
            ),
        ),
      diff: async (bases, heads, priorSpread) =>
        compareProfiles(
          bases.map(readAttachment),
          heads.map(readAttachment),
          priorSpread !== undefined ? { priorSpread } : {},
        ) ?? [],
      // The prior is weighed at the runner's defaults, what the PR comment gets.
      weighPriors: duration === undefined,
    })),
    {
      format: 'Go pprof',
      how: `\`go test -bench=Pipeline -benchtime=Nx -cpuprofile\` (go1.19.8), N scaled to about ${GO_RECORDING_SECONDS} s (100 samples per s); ParseLine re-parses a share of the lines`,
      slowed: 'example.com/logparse.ParseLine',
      counts: { a: 10, 'slow1.3': 4, slow2: 4 },
      record: (variant, file) => {
        if (!existsSync(goBinary)) {
          if (!have('go', ['version'])) return false;
          mkdirSync(goDir, { recursive: true });
          execFileSync('go', ['test', '-c', '-o', goBinary, '.'], {
            cwd: join(workloads, 'go-logparse'),
            env: { ...process.env, GOFLAGS: '-mod=mod', GOCACHE: join(cache, 'gocache') },
          });
        }
        const bench = (n: number, profile?: string) =>
          execFileSync(
            goBinary,
            [
              '-test.run=NONE',
              '-test.bench=Pipeline',
              `-test.benchtime=${n}x`,
              ...(profile ? [`-test.cpuprofile=${profile}`] : []),
            ],
            {
              cwd: goDir,
              env: {
                ...process.env,
                LOGPARSE_EXTRA_PASS_PERCENT: String(Math.round((FACTORS[variant] - 1) * 100)),
              },
            },
          );
        const n = scaledWork(join(goDir, 'iterations'), 2000, GO_RECORDING_SECONDS, (k) =>
          bench(k),
        );
        bench(n, file);
        return true;
      },
      samples: fileSamples(join(workloads, 'go-logparse')),
      spread: fileSpread(join(workloads, 'go-logparse')),
      diff: fileDiff(join(workloads, 'go-logparse')),
    },
    {
      format: 'cProfile',
      how: `\`python3 -m cProfile -o OUT workload.py FACTOR ROUNDS\` (Python 3.11), ROUNDS scaled to about ${RECORDING_SECONDS} s`,
      slowed: 'parse_row',
      counts: { a: 10, 'slow1.3': 6, slow2: 6 },
      record: (variant, file) => {
        if (!have('python3', ['--version'])) return false;
        const script = join(workloads, 'workload.py');
        const rounds = scaledWork(join(cache, 'python-rounds'), 12, RECORDING_SECONDS, (n) =>
          execFileSync('python3', [script, '1', String(n)]),
        );
        execFileSync('python3', [
          '-m',
          'cProfile',
          '-o',
          file,
          script,
          String(FACTORS[variant]),
          String(rounds),
        ]);
        return true;
      },
      samples: fileSamples(workloads),
      diff: fileDiff(workloads),
    },
    {
      format: 'perf script',
      how: `\`perf record -F 1999 -g\` of workload.c (gcc -O1 -g -fno-omit-frame-pointer), rounds scaled to about ${RECORDING_SECONDS} s, \`perf script\``,
      slowed: 'parse_line',
      counts: { a: 10, 'slow1.3': 6, slow2: 6 },
      record: (variant, file) => perfScript(workloads, cBinary, variant, file, cRounds),
      samples: fileSamples(join(cache, 'c-build')),
      spread: fileSpread(join(cache, 'c-build')),
      diff: fileDiff(join(cache, 'c-build')),
    },
    {
      format: 'collapsed',
      how: 'the perf recordings folded into `frame;frame count` lines (what stackcollapse-perf.pl does; no folding tool is installable here)',
      slowed: 'parse_line',
      counts: { a: 10, 'slow1.3': 6, slow2: 6 },
      record: (variant, file) => {
        const script = `${file}.perf.txt`;
        if (!perfScript(workloads, cBinary, variant, script, cRounds)) return false;
        writeFileSync(file, fold(readFileSync(script, 'utf8')));
        rmSync(script);
        return true;
      },
      // A stack can start with `[unknown]`: without the format, it would be taken for JSON.
      samples: fileSamples(join(cache, 'c-build'), 'collapsed'),
      diff: fileDiff(join(cache, 'c-build'), 'collapsed'),
    },
  ];
}

/**
 * Each function's spread between recordings (spreadEstimates: after the recordings'
 * profile-wide factors, beyond sampling), for functions sampled in all of them, largest first.
 */
function spreadOf(recordings: Array<Map<string, number>>): Array<{ name: string; cv: number }> {
  const names = [...new Set(recordings.flatMap((r) => [...r.keys()]))];
  const perFunction = names.map((name) => recordings.map((r) => r.get(name) ?? 0));
  const estimates = spreadEstimates(
    perFunction,
    recordings.map(() => 1),
  );
  return names
    .map((name, i) => ({ name, c2: estimates?.[i] }))
    .filter((f): f is { name: string; c2: number } => f.c2 !== undefined)
    .map((f) => ({ name: f.name, cv: Math.sqrt(f.c2) }))
    .sort((a, b) => b.cv - a.cv);
}

function perfScript(
  workloads: string,
  binary: string,
  variant: Variant,
  file: string,
  rounds: () => number,
): boolean {
  if (!have('perf', ['--version']) || !have('gcc', ['--version'])) return false;
  if (!existsSync(binary)) {
    mkdirSync(join(binary, '..'), { recursive: true });
    execFileSync('gcc', [
      '-O1',
      '-g',
      '-fno-omit-frame-pointer',
      '-o',
      binary,
      join(workloads, 'workload.c'),
    ]);
  }
  const data = `${file}.data`;
  const recorded = spawnSync(
    'perf',
    [
      'record',
      ...['-q', '-F', '1999', '-g', '-o', data, '--', binary],
      ...[String(FACTORS[variant]), String(rounds())],
    ],
    { stdio: 'ignore' },
  );
  if (recorded.status !== 0) return false;
  writeFileSync(
    file,
    execFileSync('perf', ['script', '-i', data], {
      maxBuffer: 256 * 2 ** 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  rmSync(data);
  return true;
}

/** perf script samples → collapsed stacks (root first, frames joined by ';', one count each). */
function fold(text: string): string {
  const counts = new Map<string, number>();
  for (const block of text.split(/\n\s*\n/)) {
    const frames = block
      .split('\n')
      .slice(1)
      .map((line) => /^\s*[0-9a-f]+\s+(.+?)\s+\(/.exec(line)?.[1])
      .filter((name): name is string => !!name)
      .map((name) => name.replace(/\+0x[0-9a-f]+$/, ''));
    if (frames.length === 0) continue;
    const stack = frames.reverse().join(';');
    counts.set(stack, (counts.get(stack) ?? 0) + 1);
  }
  return [...counts].map(([stack, n]) => `${stack} ${n}`).join('\n') + '\n';
}

export async function evaluateProfiles(
  root: string,
  cache: string,
  bundles: string,
  fresh: boolean,
  log: (line: string) => void,
): Promise<FormatResult[]> {
  const results: FormatResult[] = [];
  // Built workloads and their scaled work are recorded again too (the machine may have changed).
  if (fresh)
    for (const built of ['c-build', 'go-build', 'python-rounds'])
      rmSync(join(cache, built), { recursive: true, force: true });
  for (const spec of pools(root, cache, bundles)) {
    const dir = join(cache, spec.format.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
    if (fresh) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files: Record<Variant, string[]> = { a: [], 'slow1.3': [], slow2: [] };
    let available = true;
    for (const variant of Object.keys(FACTORS) as Variant[]) {
      for (let i = 1; i <= spec.counts[variant] && available; i++) {
        const file = join(dir, `${variant}-${i}.prof`);
        if (!existsSync(file)) {
          log(`  recording ${spec.format} ${variant} #${i}`);
          available = spec.record(variant, file);
        }
        if (available) files[variant].push(file);
      }
    }
    const result: FormatResult = {
      format: spec.format,
      how: spec.how,
      available,
      ...emptyMode(),
      history: emptyMode(),
      sides: emptyMode(),
      spread: [],
      priors: [],
      samples: 0,
    };
    if (available) {
      const count = async (
        mode: ModeResult,
        bases: string[],
        head: string | string[],
        variant?: Variant,
        prior?: number,
      ) => {
        const changes = await spec.diff(bases, typeof head === 'string' ? [head] : head, prior);
        if (variant === undefined || variant === 'a') {
          mode.aaPairs += 1;
          mode.falseChanges += changes.length;
          return;
        }
        const ab = mode.ab[variant];
        ab.pairs += 1;
        if (changes[0]?.name === spec.slowed) ab.first += 1;
        if (changes.some((c) => c.name === spec.slowed)) ab.reported += 1;
      };
      for (let i = 0; i < files.a.length; i++)
        for (let j = i + 1; j < files.a.length; j++)
          await count(result, [files.a[i]!], files.a[j]!);
      for (const variant of ['slow1.3', 'slow2'] as const)
        for (const base of files.a)
          for (const head of files[variant]) await count(result, [base], head, variant);
      // A stored history: HISTORY_BASES consecutive A recordings (cyclically) as the bases.
      const windows = files.a.map((_, start) =>
        Array.from({ length: HISTORY_BASES }, (_, k) => files.a[(start + k) % files.a.length]!),
      );
      if (files.a.length > HISTORY_BASES) {
        for (const bases of windows)
          for (const head of files.a)
            if (!bases.includes(head)) await count(result.history, bases, head, 'a');
        for (const variant of ['slow1.3', 'slow2'] as const)
          for (const bases of windows)
            for (const head of files[variant]) await count(result.history, bases, head, variant);
      }
      // Several processes a side: SIDE_RECORDINGS consecutive A recordings (cyclically) as the
      // bases, against every later run of SIDE_RECORDINGS A recordings that shares none of them
      // (A/A), or against each run of B recordings.
      const run = (list: string[], start: number) =>
        Array.from({ length: SIDE_RECORDINGS }, (_, k) => list[(start + k) % list.length]!);
      if (files.a.length >= 2 * SIDE_RECORDINGS) {
        for (let start = 0; start < files.a.length; start++)
          for (let gap = SIDE_RECORDINGS; gap <= files.a.length - SIDE_RECORDINGS; gap++)
            await count(result.sides, run(files.a, start), run(files.a, start + gap), 'a');
        for (const variant of ['slow1.3', 'slow2'] as const)
          if (files[variant].length >= SIDE_RECORDINGS)
            for (let start = 0; start < files.a.length; start++)
              for (let h = 0; h < files[variant].length; h++)
                await count(result.sides, run(files.a, start), run(files[variant], h), variant);
      }
      result.spread = spec.spread ? spreadOf(await spec.spread(files.a)) : [];
      const counts = (await Promise.all(files.a.map(spec.samples))).sort((x, y) => x - y);
      result.samples = counts[Math.floor(counts.length / 2)] ?? 0;
      if (spec.weighPriors)
        for (const prior of PRIORS) {
          const mode = emptyMode();
          for (let i = 0; i < files.a.length; i++)
            for (let j = i + 1; j < files.a.length; j++)
              await count(mode, [files.a[i]!], files.a[j]!, 'a', prior);
          for (const variant of ['slow1.3', 'slow2'] as const)
            for (const base of files.a)
              for (const head of files[variant]) await count(mode, [base], head, variant, prior);
          result.priors.push({ prior, ...mode });
        }
    }
    for (const [label, mode] of [
      ['one base', result],
      [`${HISTORY_BASES} bases`, result.history],
      [`${SIDE_RECORDINGS} a side`, result.sides],
    ] as const)
      log(
        `  ${spec.format}, ${label}: A/A ${mode.falseChanges} false in ${mode.aaPairs} pairs; ` +
          `1.3× first ${mode.ab['slow1.3'].first}/${mode.ab['slow1.3'].pairs}; ` +
          `2× first ${mode.ab.slow2.first}/${mode.ab.slow2.pairs}`,
      );
    if (result.spread.length > 0)
      log(
        `  ${spec.format} spread between recordings: ` +
          result.spread.map((f) => `${f.name} ${(100 * f.cv).toFixed(1)} %`).join(', '),
      );
    results.push(result);
  }
  return results;
}
