/**
 * Foreign benchmark results on the command line: `perfgate ingest`, `perfgate import-history`,
 * and the readers that let `perfgate compare BASE HEAD` take result files of other tools.
 */
import { stat } from 'node:fs/promises';
import { relative, resolve, join } from 'node:path';
import { glob } from 'tinyglobby';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Source } from '../engine/source.js';
import { foreignSourceFrom } from '../ingest/source.js';
import { readInputFile, parseRun, writeRun } from '../model/io.js';
import type { Run } from '../model/run.js';
import {
  FORMAT_NAMES,
  detectImporter,
  ingestFiles,
  isPerfgateRun,
  parseFormatChoice,
  type FormatChoice,
} from '../ingest/index.js';
import { historyRuns } from '../ingest/history.js';
import { readEnv } from '../runner/env.js';
import { LocalStore, readBaseRuns } from '../store/local.js';

const FORMATS_HELP = `auto or ${FORMAT_NAMES.join(', ')}`;

export function registerIngestCommands(program: Command): void {
  program
    .command('ingest')
    .description("turn another tool's benchmark results into a perfgate Run (JSON)")
    .argument('<files...>', 'result files, globs, or a folder (criterion: target/criterion)')
    .option('--format <format>', `the tool's format: ${FORMATS_HELP}`, 'auto')
    .option('-o, --out <file>', 'where to write the Run (default: .perfgate/runs/latest.json)')
    .option('-c, --config <file>', 'config file (baselineDir)')
    .action(async (files: string[], flags: { format: string; out?: string; config?: string }) => {
      const cwd = process.cwd();
      const config = await loadConfig(cwd, flags.config);
      const format = parseFormatChoice(flags.format, '--format');
      const { run, warnings } = await ingestFiles({ files, format, cwd });
      warn(warnings);
      const out = resolve(cwd, flags.out ?? join(config.baselineDir, 'runs', 'latest.json'));
      await writeRun(out, run);
      const formats = [...new Set(run.meta.source?.files.map((f) => f.format))].join(', ');
      process.stdout.write(
        `perfgate: wrote ${run.benchmarks.length} benchmark${run.benchmarks.length === 1 ? '' : 's'} ` +
          `(${formats}) to ${relative(cwd, out) || out}\n`,
      );
    });

  program
    .command('import-history')
    .description(
      "keep github-action-benchmark's history (gh-pages data.js or data.json) as baseline runs",
    )
    .argument('<file>', 'data.js (window.BENCHMARK_DATA = {...}) or data.json')
    .option(
      '--name <suite>',
      "only this benchmark suite (gab's `name` input; default: all, merged per commit)",
    )
    .option('-c, --config <file>', 'config file (baselineDir, history)')
    .action(async (file: string, flags: { name?: string; config?: string }) => {
      const cwd = process.cwd();
      const config = await loadConfig(cwd, flags.config);
      const text = (await readInputFile(file)).toString('utf8');
      const runs = historyRuns(text, file, { suite: flags.name, env: readEnv(process.version) });
      const kept = runs.slice(-config.history);
      const store = new LocalStore(resolve(cwd, config.baselineDir));
      for (const run of kept) await store.save(run, config.history);
      process.stdout.write(
        `perfgate: imported ${kept.length} of ${runs.length} runs from ${file} into ` +
          `${relative(cwd, store.historyDir) || store.historyDir}/ (history keeps ${config.history}; newest ${kept.at(-1)?.meta.commit?.slice(0, 7) ?? '-'})\n`,
      );
    });
}

/** `compare`'s HEAD: a perfgate Run, or another tool's result file (format detected or forced). */
export async function readComparedRun(path: string, format: FormatChoice): Promise<Run> {
  if (format === 'auto' && !(await isFolder(path))) {
    const text = (await readInputFile(path)).toString('utf8');
    // A Run, or a JSON object no importer knows: read as a Run, whose errors say what is wrong.
    const unknownObject = text.trimStart().startsWith('{') && !detectImporter(text, path);
    if (isPerfgateRun(text) || unknownObject) return parseRun(text, path);
  }
  const { run, warnings } = await ingestFiles({ files: [path], format, cwd: process.cwd() });
  warn(warnings);
  return run;
}

/**
 * `compare`'s BASE: what readBaseRuns takes (a Run, a folder of Runs, a store), or another
 * tool's result file or criterion folder.
 */
export async function readComparedBases(path: string, format: FormatChoice): Promise<Run[]> {
  if (format === 'auto' && (await isFolder(path))) {
    const criterion = await glob('**/new/estimates.json', { cwd: path });
    if (criterion.length === 0) return readBaseRuns(path);
  }
  return [await readComparedRun(path, format)];
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

function warn(warnings: readonly string[]): void {
  for (const warning of warnings) process.stderr.write(`perfgate: warning: ${warning}\n`);
}

/** `--command` and `--results` (repeatable), on `perfgate` and `perfgate run`. */
export function addForeignOptions(command: Command): Command {
  return command
    .option(
      '--command <cmd>',
      'shell command that runs another benchmark tool first (with --results)',
    )
    .option(
      '--results <glob>',
      "another tool's result files to gate instead of the bench files (repeatable; docs/ingest.md)",
      (value: string, previous: string[] = []) => [...previous, value],
    );
}

export interface ForeignFlags {
  command?: string;
  results?: string[];
}

/**
 * The source of the head Run: foreign results when `--results` or the config's `results` is set
 * (flags win), else `fallback` (the bench files). `formatFlag` names the input-format flag.
 */
export function sourceFor(
  config: Config,
  flags: ForeignFlags & { inputFormat?: string },
  formatFlag: string,
  fallback: () => Source,
): Source {
  const foreign = foreignSourceFrom(
    {
      command: flags.command ?? config.command,
      results: flags.results ?? config.results,
      format: flags.inputFormat ?? config.format,
    },
    {
      command: flags.command !== undefined ? '--command' : 'config `command`',
      format: flags.inputFormat !== undefined ? formatFlag : 'config `format`',
    },
    // The tool's own output, as it runs, on stderr (stdout is the report's).
    { onOutput: (line) => process.stderr.write(`${line}\n`) },
  );
  return foreign ?? fallback();
}
