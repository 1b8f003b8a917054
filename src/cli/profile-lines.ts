/**
 * `perfgate profile lines FILE [HEAD]`: line_profiler results (`kernprof -l` .lprof or the text of
 * `python -m line_profiler`): one file → its hot lines; two → the top line changes of each
 * function profiled on both sides.
 */
import { Option, type Command } from 'commander';
import { readInputFile } from '../model/io.js';
import {
  hotLines,
  readLineProfile,
  topLineChanges,
  type LineProfile,
} from '../ingest/python/line-profiler.js';
import {
  hotLinesText,
  lineChangesMarkdown,
  lineChangesText,
} from '../ingest/python/line-render.js';
import { positiveInt } from './args.js';

async function load(file: string): Promise<LineProfile> {
  return readLineProfile(await readInputFile(file), file);
}

export function registerProfileLinesCommand(profile: Command): void {
  profile
    .command('lines')
    .description(
      'line_profiler results (kernprof -l .lprof or python -m line_profiler text): hot lines of one file, top line changes of two',
    )
    .argument('<file>', 'line_profiler result (the base when HEAD is given)')
    .argument('[head]', 'the head result: show what changed per line')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['text', 'markdown', 'json'])
        .default('text'),
    )
    .option('-n, --limit <n>', 'lines (per function, with HEAD)', positiveInt, 10)
    .action(
      async (
        file: string,
        headFile: string | undefined,
        flags: { format: 'text' | 'markdown' | 'json'; limit: number },
      ) => {
        const base = await load(file);
        if (headFile === undefined) {
          const lines = hotLines(base, flags.limit);
          process.stdout.write(
            flags.format === 'json'
              ? `${JSON.stringify({ source: base.source, lines }, null, 2)}\n`
              : `${[`${file}: ${base.source}, ${base.functions.length} functions`, '', ...hotLinesText(lines)].join('\n')}\n`,
          );
          return;
        }
        const changes = topLineChanges(base, await load(headFile), flags.limit);
        const text =
          flags.format === 'json'
            ? JSON.stringify({ changes }, null, 2)
            : flags.format === 'markdown'
              ? lineChangesMarkdown(changes) ||
                '_No line changes in functions profiled on both sides._'
              : changes.length > 0
                ? lineChangesText(changes).join('\n')
                : 'no line changes in functions profiled on both sides';
        process.stdout.write(`${text}\n`);
      },
    );
}
