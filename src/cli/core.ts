/**
 * The core commands: `perfgate` (run + compare with the local baseline), `run`, `compare`,
 * `baseline save|list`. Exit codes (src/cli.ts): 0 pass, 1 gate failed, 2 bad input or a bench
 * that failed.
 */
import { relative, resolve, dirname, join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import pc from 'picocolors';
import { applyOverrides, CONFIG_FILE_NAMES, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { parseThreshold } from '../model/threshold.js';
import { compare } from '../compare/index.js';
import { CHECKS } from '../kinds/index.js';
import type { Check, Comparison } from '../model/comparison.js';
import { InputError } from '../model/errors.js';
import { readRun, writeFileAtomic } from '../model/io.js';
import { renderJson, renderMarkdown, renderText, type MarkdownOptions } from '../report/index.js';
import { htmlPreview } from '../report/html.js';
import { collect, runEngine } from '../engine/index.js';
import type { Collected, Source } from '../engine/source.js';
import { againstSource, benchSource, type BenchSourceOptions } from '../runner/source.js';
import type { BaselineStore } from '../store/store.js';
import { LocalStore } from '../store/local.js';
import { createProgress } from './progress.js';
import { unknownCommandError } from './unknown-command.js';
import { checkoutBase } from '../runner/checkout.js';
import { positiveInt } from './args.js';
import { EXIT_GATE_FAILED, EXIT_BAD_INPUT } from './exit-codes.js';
import {
  addForeignOptions,
  readComparedBases,
  readComparedRun,
  sourceFor,
  type ForeignFlags,
} from './ingest.js';
import { parseFormatChoice } from '../ingest/registry.js';

type Format = 'text' | 'markdown' | 'json' | 'html';
const FORMATS: Format[] = ['text', 'markdown', 'json', 'html'];

interface CommonFlags {
  config?: string;
  threshold?: string;
  failOn?: string;
  node?: string;
  forks?: number;
  /** `--confirm N` / `--no-confirm` (commander: true when neither is given). */
  confirm?: number | boolean;
}

/** `--confirm N`: forks of the confirmation, at least 2 (a test needs two). */
function confirmForksArg(value: string): number {
  const n = positiveInt(value);
  if (n < 2) throw new InvalidArgumentError('expected 2 or more forks');
  return n;
}

/** `perfgate.config.{json,js,mjs,ts,mts}`, from the names the loader looks for. */
function configNames(): string {
  const extensions = CONFIG_FILE_NAMES.map((name) => name.slice('perfgate.config.'.length));
  return `perfgate.config.{${extensions.join(',')}}`;
}

export function registerCoreCommands(program: Command, setExitCode: (code: number) => void): void {
  // Each subcommand owns its options (`perfgate run --config X`); options before the subcommand
  // still reach it through flagsOf().
  program.enablePositionalOptions();

  addForeignOptions(program)
    .option('--input-format <format>', 'format of --results (default auto: detected)')
    .addOption(formatOption())
    .option('-c, --config <file>', `config file (default: ${configNames()} in cwd)`)
    .option('--filter <pattern>', 'only benchmarks whose id contains this text, or /regex/')
    .option('--node <binary>', 'Node binary that runs the bench files (default: node on PATH)')
    .option('-t, --threshold <pct>', 'changes smaller than this are "unchanged" (e.g. 10 or 10%)')
    .option('--fail-on <checks>', `checks that fail the gate: ${CHECKS.join(',')} or none`)
    .option('--save', 'also keep this run as the newest baseline (e.g. on the main branch)')
    .option(
      '--ref <name>',
      'branch or label this run stands for in reports (default: the git branch)',
    )
    .option('--forks <n>', 'child processes per bench file (config run.forks)', positiveInt)
    .option(
      '--against <path-or-ref>',
      'benchmark this git ref/SHA (or another checkout) and the working tree on this machine, in alternating fork pairs, and compare them',
    )
    .option(
      '--confirm <n>',
      'measure a suspected timing regression again in N more forks before failing (config confirm.forks)',
      confirmForksArg,
    )
    .option('--no-confirm', 'fail on the first measurement (config confirm: false)')
    .addHelpText(
      'after',
      '\nWith no command: run the benchmarks, compare them with the local baseline and print\n' +
        'the report; the run, report.md and comparison.json are written to .perfgate/.',
    )
    .allowExcessArguments()
    .action(async (flags: RunAndCompareFlags, command: Command) => {
      if (command.args.length > 0) throw unknownCommandError(program, command.args);
      if (flags.against !== undefined) {
        const config = await configWithFlags(process.cwd(), flags);
        setExitCode(await runAgainstCommand(flags.against, config, flags));
      } else setExitCode(await runAndCompare(flags));
    });

  addForeignOptions(program.command('run'))
    .description(
      'run the benchmarks (or --command, then ingest --results) and write the Run (JSON)',
    )
    .option('--format <format>', 'format of --results (default auto: detected from the content)')
    .option('-o, --out <file>', 'where to write the Run (default: .perfgate/runs/latest.json)')
    .option(
      '--ref <name>',
      'branch or label this run stands for in reports (default: the git branch)',
    )
    .option('--filter <pattern>', 'only benchmarks whose id contains this text, or /regex/')
    .option('--node <binary>', 'Node binary that runs the bench files (default: node on PATH)')
    .option('--forks <n>', 'child processes per bench file (config run.forks)', positiveInt)
    .option('-c, --config <file>', 'config file')
    .action(async (_flags: unknown, command: Command) => {
      const flags = flagsOf<
        CommonFlags & ForeignFlags & { out?: string; filter?: string; ref?: string }
      >(command);
      // `run --format` is the input format; the program's own --format is the report's.
      const inputFormat = command.opts<{ format?: string }>().format;
      const cwd = process.cwd();
      const config = await configWithFlags(cwd, flags);
      const out = resolve(cwd, flags.out ?? join(config.baselineDir, 'runs', 'latest.json'));
      const result = await collect({
        cwd,
        config,
        filter: flags.filter,
        outDir: dirname(out),
        source: sourceFor(config, { ...flags, inputFormat }, '--format', () =>
          benchesWithProgress(flags.ref),
        ),
        runFile: out,
      });
      process.stdout.write(
        `perfgate: wrote ${plural(result.run.benchmarks.length, 'benchmark')} to ${shown(out)}\n`,
      );
      if (reportFailures(result)) setExitCode(EXIT_BAD_INPUT);
    });

  program
    .command('compare')
    .description('compare a head Run with a base Run, or a folder of base Runs (history)')
    .argument('<base>', 'base Run file, or a folder of Run files (e.g. .perfgate)')
    .argument('<head>', 'head Run file')
    .addOption(formatOption())
    .option('-t, --threshold <pct>', 'changes smaller than this are "unchanged" (e.g. 10 or 10%)')
    .option('--fail-on <checks>', `checks that fail the gate: ${CHECKS.join(',')} or none`)
    .option('-c, --config <file>', 'config file (thresholds, alpha, failOn)')
    .option(
      '--input-format <format>',
      "BASE and HEAD are this tool's result files (default auto: perfgate Runs or detected)",
      'auto',
    )
    .action(async (base: string, head: string, _flags: unknown, command: Command) => {
      const flags = flagsOf<CommonFlags & { format: Format; inputFormat: string }>(command);
      const config = await configWithFlags(process.cwd(), flags);
      const input = parseFormatChoice(flags.inputFormat, '--input-format');
      const [bases, headRun] = await Promise.all([
        readComparedBases(base, input),
        readComparedRun(head, input),
      ]);
      const comparison = compare(bases, headRun, config);
      process.stdout.write(render(comparison, flags.format, config));
      if (comparison.verdict === 'fail') setExitCode(EXIT_GATE_FAILED);
    });

  const baseline = program
    .command('baseline')
    .description('manage the local baseline history (.perfgate/baseline/)');
  baseline
    .command('save')
    .description('keep a Run file as the newest baseline (the oldest beyond `history` is dropped)')
    .argument('<file>', 'Run file, e.g. .perfgate/runs/latest.json')
    .option('-c, --config <file>', 'config file (baselineDir, history)')
    .option('--force', 'save even when some benchmarks of the run failed')
    .action(async (file: string, _flags: unknown, command: Command) => {
      const flags = flagsOf<{ config?: string; force?: boolean }>(command);
      const cwd = process.cwd();
      const config = await loadConfig(cwd, flags.config);
      const run = await readRun(file);
      const failed = run.benchmarks.filter((b) => b.error !== undefined);
      if (failed.length > 0 && !flags.force) {
        throw new InputError(
          `${plural(failed.length, 'benchmark')} failed in this run (${failed[0].id}); ` +
            'a baseline with failures compares badly — fix them, or pass --force',
          file,
        );
      }
      const store = new LocalStore(resolve(cwd, config.baselineDir));
      await store.save(run, config.history);
      const count = (await store.entries()).length;
      process.stdout.write(
        `perfgate: saved ${file} as the newest baseline (${plural(count, 'run')} in ${shown(store.historyDir)}/, keeping ${config.history})\n`,
      );
    });
  baseline
    .command('list')
    .description('list the baseline history, newest first')
    .option('-c, --config <file>', 'config file (baselineDir)')
    .action(async (_flags: unknown, command: Command) => {
      const flags = flagsOf<{ config?: string }>(command);
      const cwd = process.cwd();
      const config = await loadConfig(cwd, flags.config);
      const store = new LocalStore(resolve(cwd, config.baselineDir));
      const files = await store.entries();
      if (files.length === 0) {
        process.stdout.write(`perfgate: no baseline in ${shown(store.historyDir)}/\n`);
        return;
      }
      for (const file of files) {
        const run = await readRun(file).catch((error: Error) => error);
        const name = shown(file);
        if (run instanceof Error) process.stdout.write(`${name}  unreadable: ${run.message}\n`);
        else {
          const { commit, ref, timestamp } = run.meta;
          const where = [commit?.slice(0, 7), ref].filter(Boolean).join(' ');
          process.stdout.write(
            `${name}  ${timestamp}  ${where || '-'}  ${plural(run.benchmarks.length, 'benchmark')}\n`,
          );
        }
      }
    });
}

/**
 * The command's options, also taking those given before the subcommand (`perfgate -c x run`):
 * a value set on the command line wins over a default, the subcommand's own over the program's.
 */
function flagsOf<T>(command: Command): T {
  const chain: Command[] = [];
  for (let current: Command | null = command; current; current = current.parent)
    chain.push(current);
  const flags: Record<string, unknown> = { ...chain[chain.length - 1].opts(), ...command.opts() };
  for (const key of new Set(chain.flatMap((cmd) => Object.keys(cmd.opts())))) {
    const explicit = chain.find(
      (cmd) => cmd.opts()[key] !== undefined && cmd.getOptionValueSource(key) !== 'default',
    );
    if (explicit) flags[key] = explicit.opts()[key];
  }
  return flags as T;
}

/** The default command: run, compare with the local baseline, print and keep the report. */
type RunAndCompareFlags = CommonFlags &
  ForeignFlags & {
    format: Format;
    inputFormat?: string;
    filter?: string;
    save?: boolean;
    ref?: string;
    against?: string;
  };

/**
 * `perfgate --against PATH_OR_REF`: the base (another checkout, or REF in a temporary git
 * worktree) and the working tree benchmarked on this machine in alternating fork pairs, both
 * with this config, compared as pairs. Prints the report (JSON: the Comparison, as `compare`).
 */
async function runAgainstCommand(
  ref: string,
  config: Config,
  flags: { format: Format; filter?: string },
): Promise<number> {
  const cwd = process.cwd();
  const note = (line: string) => process.stderr.write(`perfgate: ${line}\n`);
  const base = await checkoutBase(ref, cwd, config.install);
  note(`--against ${base.description} (${shown(base.root)}): dependencies: ${base.install}`);
  try {
    const outDir = join(resolve(cwd, config.baselineDir), 'runs', 'against');
    const started = Date.now();
    const result = await runEngine({
      cwd,
      config,
      filter: flags.filter,
      outDir,
      source: withProgress((hooks) => againstSource(base.root, hooks)),
      // The base is measured here: no stored history is read.
      store: NO_STORE,
      onConfirm: (ids, forks) => note(confirmingLine(ids, forks)),
    });
    const { comparison } = result;
    await writeFileAtomic(join(outDir, 'comparison.json'), result.json);
    process.stdout.write(render(comparison, flags.format, config));
    note(
      `${config.run.forks} fork pairs in ${((Date.now() - started) / 1000).toFixed(0)} s; comparison: ${shown(join(outDir, 'comparison.json'))}`,
    );
    reportWarnings(result);
    if (reportFailures(result)) return EXIT_BAD_INPUT;
    return comparison.verdict === 'fail' ? EXIT_GATE_FAILED : 0;
  } finally {
    await base.cleanup();
  }
}

/** `--against` reads no baseline: the base is measured with the head. */
const NO_STORE: BaselineStore = {
  describe: () => 'the base measured with the head',
  load: async () => [],
  save: async () => {
    throw new Error('--against stores no baseline');
  },
};

function confirmingLine(ids: string[], forks: number): string {
  const shownIds = ids.slice(0, 3).join(', ') + (ids.length > 3 ? `, … (${ids.length})` : '');
  return `confirming ${plural(ids.length, 'suspected regression')} in ${forks} more forks: ${shownIds}`;
}

/** Confirmation problems that did not fail the run (the first measurement decided). */
function reportWarnings(result: Collected): void {
  for (const w of result.warnings ?? []) {
    if (w.message.startsWith('confirmation run failed'))
      process.stderr.write(
        `perfgate: warning: ${w.file}${w.task ? ` > ${w.task}` : ''}: ${w.message}\n`,
      );
  }
}

async function runAndCompare(flags: RunAndCompareFlags): Promise<number> {
  const cwd = process.cwd();
  const config = await configWithFlags(cwd, flags);
  const store = new LocalStore(resolve(cwd, config.baselineDir));
  const runsDir = join(store.root, 'runs');
  const runFile = join(runsDir, 'latest.json');
  const result = await runEngine({
    cwd,
    config,
    filter: flags.filter,
    outDir: runsDir,
    source: sourceFor(config, flags, '--input-format', () => benchesWithProgress(flags.ref)),
    runFile,
    store,
    // Differential flame graphs of the regressed benchmarks, linked from report.md (relative).
    flameGraphs: { dir: join(store.root, 'flamegraphs') },
    onConfirm: (ids, forks) => process.stderr.write(`perfgate: ${confirmingLine(ids, forks)}\n`),
  });
  const { comparison, bases, flames } = result;
  const reportFile = join(store.root, 'report.md');
  const comparisonFile = join(store.root, 'comparison.json');
  const links = Object.fromEntries(
    Object.entries(flames).map(([id, files]) => [
      id,
      files.map(({ label, file }) => ({ label, url: relative(store.root, file) })),
    ]),
  );
  await writeFileAtomic(reportFile, renderMarkdown(comparison, { top: config.profile.top, links }));
  await writeFileAtomic(comparisonFile, result.json);
  process.stdout.write(render(comparison, flags.format, config, links));

  reportWarnings(result);
  const failures = reportFailures(result);
  const note = (line: string) => process.stderr.write(`perfgate: ${line}\n`);
  note(`run: ${shown(runFile)}, report: ${shown(reportFile)}, ${shown(comparisonFile)}`);
  for (const [id, files] of Object.entries(flames)) {
    note(`flame graph of ${id}: ${files.map(({ file }) => shown(file)).join(', ')}`);
  }
  if (flags.save) {
    if (failures) note('not saved as baseline: some benchmarks failed');
    else {
      await store.save(result.run, config.history);
      note(`saved this run as the newest baseline in ${shown(store.historyDir)}/`);
    }
  } else if (bases.length === 0) {
    note(`no baseline yet in ${shown(store.historyDir)}/, so nothing was compared.`);
    note(`  keep this run as the baseline:  perfgate baseline save ${shown(runFile)}`);
    note('  or, on your main branch:        perfgate --save');
  }
  if (failures) return EXIT_BAD_INPUT;
  return comparison.verdict === 'fail' ? EXIT_GATE_FAILED : 0;
}

/** The bench files, with the live status line on stderr while they run. */
function benchesWithProgress(ref?: string): Source {
  return withProgress((hooks) =>
    benchSource({ ...(ref !== undefined ? { meta: { ref } } : {}), ...hooks }),
  );
}

type ProgressHooks = Pick<BenchSourceOptions, 'onProgress' | 'onOutput'>;

/**
 * A runner source whose every measurement (the first, a confirmation) shows the live status
 * line on stderr; the bench code's console goes above it, never into it.
 */
function withProgress(make: (hooks: ProgressHooks) => Source): Source {
  const live = async <T>(use: (source: Source) => Promise<T>): Promise<T> => {
    const progress = createProgress(process.stderr);
    try {
      return await use(
        make({
          onProgress: progress.onProgress,
          onOutput: (file, line) => progress.output(`[${file}] ${line}`),
        }),
      );
    } finally {
      progress.done();
    }
  };
  const plain = make({});
  return {
    describe: plain.describe,
    collect: (context) => live((source) => source.collect(context)),
    ...(plain.remeasure
      ? { remeasure: (request, context) => live((source) => source.remeasure!(request, context)) }
      : {}),
  };
}

/** Prints failed bench files/tasks to stderr; true when there were any. */
function reportFailures(result: Collected): boolean {
  if (result.failures.length === 0) return false;
  const color = pc.createColors(Boolean(process.stderr.isTTY) && pc.isColorSupported);
  process.stderr.write(
    color.red(`perfgate: ${plural(result.failures.length, 'bench failure')}:\n`) +
      result.failures
        .map((f) => `  ${f.file}${f.task ? ` > ${f.task}` : ''}: ${f.error.split('\n')[0]}\n`)
        .join(''),
  );
  return true;
}

async function configWithFlags(cwd: string, flags: CommonFlags): Promise<Config> {
  const config = applyOverrides(await loadConfig(cwd, flags.config), {
    threshold:
      flags.threshold === undefined ? undefined : parseThreshold(flags.threshold, '--threshold'),
    failOn: flags.failOn === undefined ? undefined : parseFailOn(flags.failOn),
    node: flags.node,
  });
  const forked =
    flags.forks === undefined ? config : { ...config, run: { ...config.run, forks: flags.forks } };
  if (flags.confirm === false) return { ...forked, confirm: false };
  if (typeof flags.confirm === 'number') return { ...forked, confirm: { forks: flags.confirm } };
  return forked;
}

export function parseFailOn(value: string): Check[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 1 && items[0] === 'none') return [];
  for (const item of items) {
    if (!(CHECKS as readonly string[]).includes(item)) {
      throw new InputError(
        `--fail-on: unknown check "${item}" (use ${CHECKS.join(', ')}, comma-separated, or none)`,
      );
    }
  }
  return items as Check[];
}

function render(
  comparison: Comparison,
  format: Format,
  config: Config,
  links?: MarkdownOptions['links'],
): string {
  if (format === 'json') return renderJson(comparison);
  if (format === 'markdown')
    return ensureNewline(renderMarkdown(comparison, { top: config.profile.top, links }));
  // A preview of the pull-request comment in a browser: `perfgate compare … -f html > c.html`.
  if (format === 'html')
    return htmlPreview(renderMarkdown(comparison, { top: config.profile.top, links }));
  const color = Boolean(process.stdout.isTTY) && pc.isColorSupported;
  return ensureNewline(renderText(comparison, { color, top: config.profile.top }));
}

function formatOption(): Option {
  return new Option('-f, --format <format>', 'report format').choices(FORMATS).default('text');
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A path as the user would type it: relative to cwd when that is shorter. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  if (rel === '') return '.';
  return rel.length < path.length ? rel : path;
}
