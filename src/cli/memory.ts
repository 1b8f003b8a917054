/**
 * `perfgate memory FILE...`: the memory analysis of the gate on data from other tools (Python
 * memory_profiler `mprof run` .dat, tracemalloc dumps, V8 .heapprofile); and
 * `perfgate memory diff BASE HEAD`, which compares two of them the way the gate does
 * (exit 1 on allocation growth past the threshold or a new leak).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseThreshold } from '../model/threshold.js';
import { InputError } from '../model/errors.js';
import type { MemoryAttachment } from '../model/memory.js';
import { compareMemory } from '../memory/compare.js';
import { readMemoryData, type IngestOptions } from '../memory/ingest/index.js';
import { memoryOptionsSchema } from '../memory/options.js';
import { memoryDiffBlocks } from '../memory/render.js';
import { layoutText } from '../report/layout/text.js';
import { formatBytes } from '../text/format.js';
import { EXIT_GATE_FAILED } from './exit-codes.js';
import { positiveInt } from './args.js';

const DEFAULTS = memoryOptionsSchema.parse({});

interface Flags {
  format: 'text' | 'json';
  ops?: number;
  root: string;
  top: number;
  sampleType?: string;
}

function sharedOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output').choices(['text', 'json']).default('text'))
    .option(
      '--ops <n>',
      'operations the data covers (.heapprofile: bytes → bytes per op)',
      positiveInt,
    )
    .option('--root <dir>', 'project root: paths inside it are shown relative', process.cwd())
    .option('--top <n>', 'allocation sites to show', positiveInt, DEFAULTS.top)
    .option(
      '--sample-type <type>',
      'Go pprof: sample type to read (default bytes: alloc_space for allocs, inuse_space for heap)',
    );
}

function ingestOptions(flags: Flags): IngestOptions {
  return {
    projectRoot: flags.root,
    top: flags.top,
    ...(flags.ops ? { operations: flags.ops } : {}),
    ...(flags.sampleType ? { sampleType: flags.sampleType } : {}),
  };
}

function analysisText(file: string, format: string, m: MemoryAttachment, top: number): string {
  const lines = [`${file} (${format}: ${m.method ?? 'memory'})`];
  const parts = [
    m.allocBytesPerOp > 0 ? `allocated ${formatBytes(m.allocBytesPerOp)}/op` : null,
    `retained ${formatBytes(m.retainedBytesPerOp)}/op`,
    m.peakRss > 0 ? `peak RSS ${formatBytes(m.peakRss)}` : null,
    m.peakHeap > 0 && m.peakHeap !== m.peakRss ? `peak heap ${formatBytes(m.peakHeap)}` : null,
  ].filter((part): part is string => part !== null);
  lines.push(`  ${parts.join('  ')}`);
  if (m.leak) {
    const heap = m.leak.heapAfterRounds;
    lines.push(
      `  LEAK: ${formatBytes(m.leak.bytesPerOp)} retained per op (±${formatBytes(m.leak.stderr)}` +
        `${m.leak.pValue !== undefined ? `, p ${m.leak.pValue.toExponential(0)}` : ''}); ` +
        `floor ${formatBytes(heap[0] ?? 0)} → ${formatBytes(heap[heap.length - 1] ?? 0)} over ${heap.length} rounds`,
    );
  } else {
    lines.push('  no leak found');
  }
  if (m.topAllocations.length > 0) {
    lines.push('  top sites (bytes per op):');
    // Sites under half a byte per op say nothing at this precision.
    for (const site of m.topAllocations.slice(0, top).filter((s) => s.bytesPerOp >= 0.5)) {
      lines.push(
        `    ${formatBytes(site.bytesPerOp).padStart(10)}  ${site.name} (${site.file}:${site.line})`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function registerMemoryCommands(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  const memory = sharedOptions(
    program
      .command('memory')
      .description(
        'analyse memory data: mprof .dat, tracemalloc dumps, V8 .heapprofile, Go heap/allocs pprof',
      )
      .argument('[files...]', 'data files (each analysed on its own)')
      .option('--fail-on-leak', 'exit 1 when a file shows a leak')
      .addHelpText(
        'after',
        '\nFormats and how to produce them: docs/memory.md.\n' +
          'Compare two captures: perfgate memory diff BASE HEAD',
      ),
  ).action(async (files: string[], flags: Flags & { failOnLeak?: boolean }) => {
    if (files.length === 0)
      throw new InputError('give at least one file (perfgate memory FILE...)');
    const results = [];
    for (const file of files)
      results.push({ file, ...(await readMemoryData(file, ingestOptions(flags))) });
    process.stdout.write(
      flags.format === 'json'
        ? `${JSON.stringify(results, null, 2)}\n`
        : results.map((r) => analysisText(r.file, r.format, r.memory, flags.top)).join('\n'),
    );
    if (flags.failOnLeak && results.some((r) => r.memory.leak !== null))
      setExitCode(EXIT_GATE_FAILED);
  });

  sharedOptions(
    memory
      .command('diff')
      .description('compare two captures like the gate does (exit 1 on a regression)')
      .argument('<base>', 'data of the base (e.g. main)')
      .argument('<head>', 'data of the head (the pull request)'),
  )
    .option(
      '--threshold <percent>',
      'allowed allocation growth',
      (v) => parseThreshold(v, '--threshold'),
      DEFAULTS.threshold,
    )
    .option(
      '--alpha <p>',
      'significance level',
      (v) => {
        const n = Number(v);
        if (!(n > 0 && n <= 0.5)) throw new InvalidArgumentError('expected a number in (0, 0.5]');
        return n;
      },
      0.01,
    )
    .action(
      async (
        baseFile: string,
        headFile: string,
        flags: Flags & { threshold: number; alpha: number },
      ) => {
        const base = await readMemoryData(baseFile, ingestOptions(flags));
        const head = await readMemoryData(headFile, ingestOptions(flags));
        if (base.format !== head.format) {
          throw new InputError(
            `cannot compare ${base.format} (base) with ${head.format}`,
            headFile,
          );
        }
        const comparison = compareMemory([base.memory], head.memory, {
          threshold: flags.threshold,
          alpha: flags.alpha,
          top: flags.top,
        })!;
        process.stdout.write(
          flags.format === 'json'
            ? `${JSON.stringify({ base: baseFile, head: headFile, format: head.format, memory: comparison }, null, 2)}\n`
            : `${layoutText(memoryDiffBlocks(`${baseFile} → ${headFile}`, comparison))}${comparison.regressed ? 'memory: regression\n' : 'memory: no regression\n'}`,
        );
        if (comparison.regressed) setExitCode(EXIT_GATE_FAILED);
      },
    );
}
