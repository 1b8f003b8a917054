/**
 * perfgate running another tool itself: run the command line once (in the project folder,
 * through the shell), then ingest the result files it wrote. One call = one run of the tool, so
 * callers that want several forks call it once per fork.
 */
import { spawn } from 'node:child_process';
import { InputError } from '../model/errors.js';
import type { Meta } from '../model/run.js';
import { ingestFiles } from './files.js';
import type { IngestResult } from './ingest.js';
import type { FormatChoice } from './registry.js';

/** Lines of the command's output quoted when it fails. */
const TAIL_LINES = 20;

export interface ForeignSource {
  /** Shell command line that writes the result files (none: the files already exist). */
  command?: string;
  /** Result files: paths, globs or folders, relative to `cwd`. */
  results: readonly string[];
  format: FormatChoice;
  /** The project folder: the command runs there and `results` are resolved against it. */
  cwd: string;
  meta?: Partial<Omit<Meta, 'source' | 'env'>>;
  env?: NodeJS.ProcessEnv;
  /** Each line the command prints (stdout and stderr), e.g. to show progress. */
  onOutput?: (line: string) => void;
}

/** A command that failed: its exit status and the last lines it printed. */
export class CommandError extends InputError {
  constructor(
    readonly command: string,
    readonly exit: string,
    readonly tail: string[],
  ) {
    super(
      `command ${JSON.stringify(command)} ${exit}` +
        (tail.length > 0
          ? `; its last ${tail.length === 1 ? 'line' : `${tail.length} lines`}:\n${tail.map((l) => `  ${l}`).join('\n')}`
          : ' (no output)'),
    );
    this.name = 'CommandError';
  }
}

/** Runs the command (if any) once, then ingests the result files into a Run. */
export async function runAndIngest(source: ForeignSource): Promise<IngestResult> {
  if (source.command !== undefined && source.command.trim() !== '') {
    await runCommand(source.command, source.cwd, source.env ?? process.env, source.onOutput);
  }
  if (source.results.length === 0) {
    throw new InputError(
      '`results` is empty: name the files the benchmark tool writes (a path or glob)',
    );
  }
  return ingestFiles({
    files: source.results,
    format: source.format,
    cwd: source.cwd,
    meta: source.meta,
    env: source.env,
  });
}

/** Runs `command` through the shell in `cwd`; a non-zero exit is a CommandError with its tail. */
export function runCommand(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  onOutput?: (line: string) => void,
): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const partial = { stdout: '', stderr: '' };
    const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const lines = (partial[stream] + chunk.toString('utf8')).split(/\r?\n/);
      partial[stream] = lines.pop() ?? '';
      for (const line of lines) keep(line);
    };
    const keep = (line: string) => {
      onOutput?.(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    child.stdout.on('data', take('stdout'));
    child.stderr.on('data', take('stderr'));
    child.on('error', (error) =>
      fail(new CommandError(command, `could not start (${error.message})`, [])),
    );
    child.on('close', (code, signal) => {
      for (const rest of [partial.stdout, partial.stderr]) if (rest !== '') keep(rest);
      if (code === 0) return done();
      const lastLines = [...tail];
      while (lastLines.length > 0 && lastLines[lastLines.length - 1]!.trim() === '')
        lastLines.pop();
      fail(
        new CommandError(
          command,
          signal ? `was killed by ${signal}` : `exited with code ${code}`,
          lastLines,
        ),
      );
    });
  });
}
