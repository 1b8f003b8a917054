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
import { diffSummaries } from '../../src/profile/diff-files.js';
import { readProfile, type ProfileFormat } from '../../src/profile/formats/read.js';
import type { ProfileAttachment } from '../../src/model/profile.js';
import type { FunctionChange } from '../../src/model/comparison.js';

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
  /** Function changes of base → head. */
  diff: (base: string, head: string) => Promise<FunctionChange[]>;
}

export interface FormatResult {
  format: string;
  how: string;
  available: boolean;
  aaPairs: number;
  falseChanges: number;
  ab: Record<'slow1.3' | 'slow2', { pairs: number; first: number; reported: number }>;
  /** Share of the slowed function in base profiles (own time / total), mean. */
  slowedShare?: number;
}

function have(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

export function pools(root: string, cache: string, bundles: string): PoolSpec[] {
  const workloads = join(root, 'eval/findings/workloads');
  const goDir = join(cache, 'go-build');
  const goBinary = join(goDir, 'logparse.test');
  const cBinary = join(cache, 'c-build', 'workload');
  const fileDiff =
    (projectRoot: string, format?: ProfileFormat) => async (base: string, head: string) => {
      const options = { projectRoot, ...(format ? { format } : {}) };
      const [b, h] = await Promise.all([readProfile(base, options), readProfile(head, options)]);
      return diffSummaries(b.summary, h.summary).functions;
    };
  return [
    {
      format: 'V8 (perfgate runner pass)',
      how: 'captureProfile (1 s, 100 µs interval) in a fresh node process per recording; `inner` × scale',
      slowed: 'inner',
      counts: { a: 10, 'slow1.3': 6, slow2: 6 },
      record: (variant, file) => {
        const out = execFileSync(
          process.execPath,
          [join(bundles, 'v8-capture.mjs'), String(FACTORS[variant]), join(cache, 'v8-raw'), root],
          { cwd: root, maxBuffer: 64 * 2 ** 20 },
        );
        writeFileSync(file, out);
        return true;
      },
      diff: async (base, head) =>
        compareProfiles(
          [JSON.parse(readFileSync(base, 'utf8')) as ProfileAttachment],
          JSON.parse(readFileSync(head, 'utf8')) as ProfileAttachment,
        ) ?? [],
    },
    {
      format: 'Go pprof',
      how: '`go test -bench=Pipeline -benchtime=2000x -cpuprofile` (go1.19.8); ParseLine re-parses a share of the lines',
      slowed: 'example.com/logparse.ParseLine',
      counts: { a: 6, 'slow1.3': 4, slow2: 4 },
      record: (variant, file) => {
        if (!existsSync(goBinary)) {
          if (!have('go', ['version'])) return false;
          mkdirSync(goDir, { recursive: true });
          execFileSync('go', ['test', '-c', '-o', goBinary, '.'], {
            cwd: join(workloads, 'go-logparse'),
            env: { ...process.env, GOFLAGS: '-mod=mod', GOCACHE: join(cache, 'gocache') },
          });
        }
        execFileSync(
          goBinary,
          [
            '-test.run=NONE',
            '-test.bench=Pipeline',
            '-test.benchtime=2000x',
            `-test.cpuprofile=${file}`,
          ],
          {
            cwd: goDir,
            env: {
              ...process.env,
              LOGPARSE_EXTRA_PASS_PERCENT: String(Math.round((FACTORS[variant] - 1) * 100)),
            },
          },
        );
        return true;
      },
      diff: fileDiff(join(workloads, 'go-logparse')),
    },
    {
      format: 'cProfile',
      how: '`python3 -m cProfile -o OUT workload.py FACTOR` (Python 3.11)',
      slowed: 'parse_row',
      counts: { a: 10, 'slow1.3': 6, slow2: 6 },
      record: (variant, file) => {
        if (!have('python3', ['--version'])) return false;
        execFileSync('python3', [
          '-m',
          'cProfile',
          '-o',
          file,
          join(workloads, 'workload.py'),
          String(FACTORS[variant]),
        ]);
        return true;
      },
      diff: fileDiff(workloads),
    },
    {
      format: 'perf script',
      how: '`perf record -F 1999 -g` of workload.c (gcc -O1 -g -fno-omit-frame-pointer), `perf script`',
      slowed: 'parse_line',
      counts: { a: 10, 'slow1.3': 6, slow2: 6 },
      record: (variant, file) => perfScript(workloads, cBinary, variant, file),
      diff: fileDiff(join(cache, 'c-build')),
    },
    {
      format: 'collapsed',
      how: 'the perf recordings folded into `frame;frame count` lines (what stackcollapse-perf.pl does; no folding tool is installable here)',
      slowed: 'parse_line',
      counts: { a: 10, 'slow1.3': 6, slow2: 6 },
      record: (variant, file) => {
        const script = `${file}.perf.txt`;
        if (!perfScript(workloads, cBinary, variant, script)) return false;
        writeFileSync(file, fold(readFileSync(script, 'utf8')));
        rmSync(script);
        return true;
      },
      // A stack can start with `[unknown]`: without the format, it would be taken for JSON.
      diff: fileDiff(join(cache, 'c-build'), 'collapsed'),
    },
  ];
}

function perfScript(workloads: string, binary: string, variant: Variant, file: string): boolean {
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
    ['record', '-q', '-F', '1999', '-g', '-o', data, '--', binary, String(FACTORS[variant])],
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
      aaPairs: 0,
      falseChanges: 0,
      ab: {
        'slow1.3': { pairs: 0, first: 0, reported: 0 },
        slow2: { pairs: 0, first: 0, reported: 0 },
      },
    };
    if (available) {
      for (let i = 0; i < files.a.length; i++)
        for (let j = i + 1; j < files.a.length; j++) {
          result.aaPairs += 1;
          result.falseChanges += (await spec.diff(files.a[i]!, files.a[j]!)).length;
        }
      for (const variant of ['slow1.3', 'slow2'] as const)
        for (const base of files.a)
          for (const head of files[variant]) {
            const changes = await spec.diff(base, head);
            const ab = result.ab[variant];
            ab.pairs += 1;
            if (changes[0]?.name === spec.slowed) ab.first += 1;
            if (changes.some((c) => c.name === spec.slowed)) ab.reported += 1;
          }
    }
    log(
      `  ${spec.format}: A/A ${result.falseChanges} false in ${result.aaPairs} pairs; ` +
        `1.3× first ${result.ab['slow1.3'].first}/${result.ab['slow1.3'].pairs}; ` +
        `2× first ${result.ab.slow2.first}/${result.ab.slow2.pairs}`,
    );
    results.push(result);
  }
  return results;
}
