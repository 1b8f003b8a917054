/**
 * Foreign results as an engine Source: run the tool's command (if any) once, ingest the result
 * files it wrote, keep the benchmarks the filter selects. Benchmarks the tool reported as failed
 * (or that the file stops before) become run failures, like a bench file that threw.
 */
import type { Collected, Source } from '../engine/source.js';
import { InputError } from '../model/errors.js';
import { makeIdFilter } from '../model/filter.js';
import { runAndIngest, type ForeignSource } from './command.js';
import { parseFormatChoice, type FormatChoice } from './registry.js';

export type ForeignSourceOptions = Omit<ForeignSource, 'cwd'>;

export function foreignSource(options: ForeignSourceOptions): Source {
  return {
    describe: () =>
      `${options.command ? `\`${options.command}\` then ` : ''}results ${options.results.join(', ')} (format ${options.format})`,
    collect: async (context): Promise<Collected> => {
      const { run, warnings } = await runAndIngest({
        ...options,
        cwd: context.cwd,
        secretEnv: options.secretEnv ?? context.config.run.secretEnv,
      });
      const matches = makeIdFilter(context.filter);
      const benchmarks = run.benchmarks.filter((b) => matches(b.id));
      if (benchmarks.length === 0) {
        throw new InputError(
          `no benchmark of the results matches the filter ${JSON.stringify(context.filter)}`,
        );
      }
      const fileOf = (id: string) =>
        run.benchmarks.find((b) => b.id === id)?.file || options.results.join(', ');
      return {
        run: { ...run, benchmarks },
        failures: benchmarks.flatMap((b) =>
          b.error !== undefined ? [{ file: fileOf(b.id), task: b.id, error: b.error }] : [],
        ),
        warnings: warnings.map((message) => ({ file: options.results.join(', '), message })),
      };
    },
  };
}

/** The foreign-results settings of the config, overridden by flags or action inputs. */
export interface ForeignSettings {
  command?: string;
  results?: string | readonly string[];
  format?: string;
}

/**
 * The foreign source the settings ask for, or undefined when `results` is not set (then the
 * bench files run as usual). `where` names the flags or inputs in errors.
 */
export function foreignSourceFrom(
  settings: ForeignSettings,
  where: { command: string; format: string },
  extra: Pick<ForeignSourceOptions, 'onOutput' | 'meta' | 'env'> = {},
): Source | undefined {
  const results = (
    typeof settings.results === 'string' ? [settings.results] : (settings.results ?? [])
  )
    .map((r) => r.trim())
    .filter(Boolean);
  const command = settings.command?.trim() || undefined;
  if (results.length === 0) {
    if (command)
      throw new InputError(
        `${where.command} needs results: the files the command writes (a path or glob)`,
      );
    return undefined;
  }
  const format: FormatChoice = parseFormatChoice(settings.format?.trim() || 'auto', where.format);
  return foreignSource({ command, results, format, ...extra });
}
