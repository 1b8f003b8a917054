/**
 * `perfgate profile top FILE` and `perfgate profile diff BASE HEAD`: any supported profile
 * format (detected from the content), same model, same noise rule as the PR comment.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { InputError } from '../model/errors.js';
import { writeFileAtomic } from '../model/io.js';
import { topBySelf, topByTotal, type FunctionStats } from '../profile/analysis.js';
import { diffSummaries } from '../profile/diff-files.js';
import { flameGraphSvg, flameViews } from '../profile/flamegraph.js';
import {
  PROFILE_FORMATS,
  readProfile,
  type LoadedProfile,
  type ProfileFormat,
} from '../profile/formats/read.js';
import { functionChangesBlocks, location } from '../profile/render.js';
import { layoutMarkdown } from '../report/layout/markdown.js';
import { layoutText } from '../report/layout/text.js';
import { formatDuration } from '../text/format.js';
import { totalTime } from '../profile/tree.js';
import { priorVariance } from '../profile/spread.js';
import { positiveInt } from './args.js';
import { registerProfileLinesCommand } from './profile-lines.js';

interface ReadFlags {
  root?: string;
  input?: ProfileFormat;
  sampleType?: string;
}

function probability(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1))
    throw new InputError(
      `--alpha: expected a number between 0 and 1, got ${JSON.stringify(value)}`,
    );
  return n;
}

function load(file: string, flags: ReadFlags): Promise<LoadedProfile> {
  return readProfile(file, {
    projectRoot: resolve(flags.root ?? process.cwd()),
    format: flags.input,
    ...(flags.sampleType ? { sampleType: flags.sampleType } : {}),
  });
}

/**
 * One side of a diff: a profile file, or a folder of them (recordings of the same code in
 * several processes, pooled; their spread is measured). Hidden files are skipped.
 */
async function loadSide(path: string, flags: ReadFlags): Promise<LoadedProfile[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) return [await load(path, flags)];
  const entries = await readdir(path, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(path, e.name))
    .sort();
  if (files.length === 0) throw new InputError(`${path}: a folder with no profile files in it`);
  return Promise.all(files.map((file) => load(file, flags)));
}

async function output(text: string, out?: string): Promise<void> {
  if (out) await writeFileAtomic(out, text);
  else process.stdout.write(text);
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '—';
}

export function registerProfileCommands(
  program: Command,
  _setExitCode: (code: number) => void,
): void {
  const profile = program
    .command('profile')
    .description(
      `read CPU profiles: ${PROFILE_FORMATS.join(', ')} (format detected from the content)`,
    );
  const readOptions = (command: Command) =>
    command
      .option('--root <dir>', 'project root: paths under it become repo-relative (default: cwd)')
      .option(
        '--sample-type <type>',
        'pprof: sample type to read (default: CPU time; memory profiles: bytes, alloc_space for allocs, inuse_space for heap)',
      )
      .addOption(
        new Option('--input <format>', 'skip detection: read as this format').choices([
          ...PROFILE_FORMATS,
        ]),
      );

  readOptions(
    profile
      .command('top')
      .description('top functions of a profile by self (or total) time')
      .argument('<file>', 'profile file')
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['text', 'json'])
          .default('text'),
      )
      .addOption(new Option('--by <what>', 'order by').choices(['self', 'total']).default('self'))
      .option('-n, --limit <n>', 'how many functions', positiveInt, 20),
  ).action(
    async (
      file: string,
      flags: ReadFlags & { format: 'text' | 'json'; by: 'self' | 'total'; limit: number },
    ) => {
      const loaded = await load(file, flags);
      const { summary } = loaded;
      const top = (flags.by === 'total' ? topByTotal : topBySelf)(summary.functions, flags.limit);
      const value = (f: FunctionStats, which: 'self' | 'total') =>
        summary.hasTime
          ? (which === 'self' ? f.selfTime : f.totalTime) / 1e6
          : which === 'self'
            ? f.selfSamples
            : f.totalSamples;
      if (flags.format === 'json') {
        const whole = summary.hasTime ? summary.time : summary.samples;
        process.stdout.write(
          `${JSON.stringify(
            {
              format: loaded.format,
              ...(loaded.tree.sampleType ? { sampleType: loaded.tree.sampleType } : {}),
              unit: summary.hasTime ? 'ms' : 'samples',
              samples: summary.samples,
              total: summary.hasTime ? summary.time / 1e6 : summary.samples,
              functions: top.map((f) => ({
                name: f.name,
                file: f.file,
                line: f.line,
                self: value(f, 'self'),
                total: value(f, 'total'),
                selfShare: whole > 0 ? (summary.hasTime ? f.selfTime : f.selfSamples) / whole : 0,
                totalShare:
                  whole > 0 ? (summary.hasTime ? f.totalTime : f.totalSamples) / whole : 0,
              })),
            },
            null,
            2,
          )}\n`,
        );
        return;
      }
      const whole = summary.hasTime ? summary.time : summary.samples;
      const show = (v: number) =>
        summary.hasTime ? formatDuration(v) : String(Math.round(v * 100) / 100);
      const lines = [
        `${file}: ${loaded.format}${loaded.tree.sampleType ? ` (${loaded.tree.sampleType})` : ''}, ${Math.round(summary.samples)} ${loaded.tree.sampleType ? loaded.tree.sampleType.split('/')[1] : summary.sampled ? 'samples' : 'pseudo-samples (1 per ms)'}` +
          (summary.hasTime ? `, ${formatDuration(summary.time)}` : ''),
        '',
        `${'self'.padStart(10)} ${'self%'.padStart(6)} ${'total'.padStart(10)} ${'total%'.padStart(6)}  function`,
        ...top.map((f) => {
          const self = summary.hasTime ? f.selfTime : f.selfSamples;
          const total = summary.hasTime ? f.totalTime : f.totalSamples;
          const where = location(f);
          return `${show(self).padStart(10)} ${pct(self, whole).padStart(6)} ${show(total).padStart(10)} ${pct(total, whole).padStart(6)}  ${f.name.replace(/\s+/g, ' ')}${where ? `  ${where}` : ''}`;
        }),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    },
  );

  registerProfileLinesCommand(profile);

  readOptions(
    profile
      .command('diff')
      .description('functions whose self time changed beyond sampling noise, largest change first')
      .argument('<base>', 'base profile, or a folder of base profiles (pooled)')
      .argument('<head>', 'head profile, or a folder of head profiles (pooled)')
      .addOption(
        new Option('-f, --format <format>', 'output format')
          .choices(['text', 'markdown', 'json', 'svg'])
          .default('text'),
      )
      .option('-o, --out <file>', 'write the output to a file instead of stdout')
      .option('-n, --limit <n>', 'functions listed in text/markdown', positiveInt, 20)
      .option('--normalize', 'compare shares of each profile instead of recorded time')
      .option('--alpha <p>', 'family-wise false-alarm rate of the noise test', probability, 0.01),
  ).action(
    async (
      baseFile: string,
      headFile: string,
      flags: ReadFlags & {
        format: 'text' | 'markdown' | 'json' | 'svg';
        out?: string;
        limit: number;
        normalize?: boolean;
        alpha: number;
      },
    ) => {
      const [bases, heads] = await Promise.all([
        loadSide(baseFile, flags),
        loadSide(headFile, flags),
      ]);
      if (flags.format === 'svg') {
        const all = [...bases, ...heads];
        const useTime = all.every((p) => p.tree.hasTime) && !flags.normalize;
        // Each side is the mean of its recordings (of their shares without time).
        const scale = (p: LoadedProfile, n: number) =>
          (useTime ? 1 : 1 / Math.max(1, totalTime(p.tree))) / n;
        const { folded, expanded } = flameViews([
          ...bases.map((p) => ({
            tree: p.tree,
            side: 'base' as const,
            scale: scale(p, bases.length),
          })),
          ...heads.map((p) => ({
            tree: p.tree,
            side: 'head' as const,
            scale: scale(p, heads.length),
          })),
        ]);
        const svg = flameGraphSvg(folded, {
          title: `${headFile} vs ${baseFile}`,
          expanded,
          noise: {
            alpha: flags.alpha,
            extraVariance: priorVariance(heads[0]!.tree.source, bases.length, heads.length),
          },
          formatValue: useTime ? undefined : (v) => `${(v * 100).toFixed(2)}%`,
        });
        await output(svg, flags.out);
        return;
      }
      const diff = diffSummaries(
        bases.map((p) => p.summary),
        heads.map((p) => p.summary),
        {
          normalize: flags.normalize,
          alpha: flags.alpha,
        },
      );
      let text: string;
      if (flags.format === 'json') {
        text = `${JSON.stringify({ functions: diff.functions }, null, 2)}\n`;
      } else {
        const blocks = functionChangesBlocks(diff.functions, flags.limit, {
          unit: diff.unit,
          perOp: false,
          title: 'Top function changes',
          caption: `Own ${
            diff.unit === 'ms' ? 'time' : diff.unit === 'samples' ? 'samples' : 'share of samples'
          } (with the dependencies it calls); only changes beyond sampling noise.`,
        });
        text =
          blocks.length === 0
            ? 'No function changed beyond sampling noise.\n'
            : flags.format === 'markdown'
              ? layoutMarkdown(blocks)
              : layoutText(blocks);
      }
      await output(text, flags.out);
    },
  );
}
