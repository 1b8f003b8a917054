/**
 * `perfgate calibrate`: what the gate can see on this machine before it is turned on. The suite
 * runs against itself (A/A) in alternating fork pairs, exactly as `--against` runs base and
 * head, and each benchmark gets its between-fork and within-fork noise, its minimum detectable
 * change at the current settings, and the forks (and time) a 5 % change would need.
 */
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { applyOverrides, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { calibrate, type CalibrationRow } from '../stats/calibrate.js';
import { formatDuration, formatPercent } from '../text/format.js';
import { neutralize } from '../text/neutralize.js';
import { runAgainst } from '../runner/index.js';
import type { Benchmark } from '../model/run.js';
import { InputError } from '../model/errors.js';
import { positiveInt } from './args.js';
import { EXIT_BAD_INPUT, EXIT_PASS } from './exit-codes.js';
import { createProgress } from './progress.js';

interface CalibrateFlags {
  config?: string;
  forks?: number;
  filter?: string;
  target: string;
  format: 'text' | 'json';
}

export function registerCalibrateCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('calibrate')
    .description(
      'run the suite against itself (A/A, alternating fork pairs) and print what the gate can detect per benchmark',
    )
    .option('-c, --config <file>', 'config file')
    .option('--forks <n>', 'fork pairs to measure (default: config run.forks)', positiveInt)
    .option('--filter <pattern>', 'only benchmarks whose id contains this text, or /regex/')
    .option('--target <pct>', 'the change to size forks for', '5')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'json'])
        .default('text'),
    )
    .action(async (flags: CalibrateFlags) => setExitCode(await calibrateCommand(flags)));
}

async function calibrateCommand(flags: CalibrateFlags): Promise<number> {
  const target = Number(String(flags.target).replace(/%$/, '')) / 100;
  if (!(target > 0 && target < 10)) {
    throw new InputError(`--target: expected a percentage such as 5 or 5%, got "${flags.target}"`);
  }
  const cwd = process.cwd();
  const loaded = applyOverrides(await loadConfig(cwd, flags.config), {});
  // Timing only: the profile, queries and memory passes add nothing to a noise measurement.
  const config: Config = {
    ...loaded,
    run: { ...loaded.run, forks: flags.forks ?? loaded.run.forks },
    profile: { ...loaded.profile, enabled: false },
    queries: { ...loaded.queries, enabled: false },
    memory: { ...loaded.memory, enabled: false },
  };
  const outDir = join(resolve(cwd, config.baselineDir), 'runs', 'calibrate');
  const progress = createProgress(process.stderr);
  const started = Date.now();
  let result: Awaited<ReturnType<typeof runAgainst>>;
  try {
    const side = (dir: string) => ({
      cwd,
      config,
      outDir: join(outDir, dir),
      ...(flags.filter ? { filter: flags.filter } : {}),
      onProgress: progress.onProgress,
      onOutput: (file: string, line: string) => progress.output(`[${file}] ${line}`),
    });
    result = await runAgainst({ base: side('a'), head: side('b') });
  } finally {
    progress.done();
  }
  const failures = [...result.base.failures, ...result.head.failures];
  for (const f of failures) {
    process.stderr.write(
      `perfgate: ${neutralize(`${f.file}${f.task ? ` > ${f.task}` : ''}: ${f.error.split('\n')[0]}`)}\n`,
    );
  }
  const byId = new Map(result.base.run.benchmarks.map((b) => [b.id, b]));
  const inputs = result.head.run.benchmarks.flatMap((b) => {
    const a = byId.get(b.id);
    return a && measured(a) && measured(b) ? [{ id: b.id, a: sideOf(a), b: sideOf(b) }] : [];
  });
  const rows = calibrate(inputs, {
    alpha: config.alpha,
    benchmarks: inputs.length,
    forkTimeMs: config.run.time / Math.max(1, config.run.forks),
    target,
  });
  const seconds = (Date.now() - started) / 1000;
  const settings = { forks: config.run.forks, alpha: config.alpha, target, seconds };
  process.stdout.write(
    flags.format === 'json'
      ? `${JSON.stringify({ settings, benchmarks: rows }, null, 2)}\n`
      : calibrationText(rows, settings),
  );
  return failures.length > 0 || rows.length === 0 ? EXIT_BAD_INPUT : EXIT_PASS;
}

function measured(b: Benchmark): boolean {
  return b.error === undefined && b.samples.length > 0;
}

function sideOf(b: Benchmark): { samples: number[]; forks: number[] } {
  return { samples: b.samples, forks: b.forks ?? [b.samples.length] };
}

/** Noise and MDE are sizes, not changes: no sign. */
function pct(fraction: number | null): string {
  return fraction === null ? '—' : formatPercent(Math.abs(fraction)).replace(/^\+/, '');
}

/** One line per benchmark, then what to do about the ones that cannot see the target. */
export function calibrationText(
  rows: readonly CalibrationRow[],
  settings: { forks: number; alpha: number; target: number; seconds: number },
): string {
  const header = [
    'benchmark',
    'between forks',
    'within a fork',
    'MDE',
    `forks for ${pct(settings.target)}`,
  ];
  const lines = rows.map((r) => [
    neutralize(r.id),
    pct(r.betweenFork),
    pct(r.withinFork),
    pct(r.mde),
    r.forksForTarget === null
      ? 'more than 100: lengthen the operation'
      : `${r.forksForTarget} (${formatDuration((r.timeForTargetMs ?? 0) * 1e6)} of measuring)`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const blind = rows.filter((r) => r.mde === null || r.mde > settings.target).length;
  return [
    `A/A calibration: ${settings.forks} fork pairs, alpha ${settings.alpha}, ${rows.length} benchmarks, ${settings.seconds.toFixed(0)} s`,
    '',
    line(header),
    ...lines.map(line),
    '',
    'MDE: the smallest change the gate detects with 90 % probability at these settings (docs/statistics.md).',
    blind === 0
      ? `Every benchmark can see a ${pct(settings.target)} change with ${settings.forks} forks.`
      : `${blind} of ${rows.length} cannot see a ${pct(settings.target)} change with ${settings.forks} forks: raise run.forks (or use --against), or make their operation longer.`,
    '',
  ].join('\n');
}
