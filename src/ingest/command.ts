/**
 * perfgate running another tool itself: run the command line once (in the project folder,
 * through the shell), then ingest the result files it wrote. One call = one run of the tool, so
 * callers that want several forks call it once per fork.
 */
import { InputError } from '../model/errors.js';
import { spawnContained } from '../runner/contain.js';
import type { Meta } from '../model/run.js';
import { ingestFiles } from './files.js';
import { withPytestPlugin } from './python/plugin-env.js';
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
  /** Extra variable names kept from the command besides GitHub's and Actions' secrets (`run.secretEnv`). */
  secretEnv?: readonly string[];
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
    // A pytest command gets perfgate's plugin (profiles, queries, memory) without any change.
    const env = withPytestPlugin(source.env ?? process.env);
    await runCommand(source.command, source.cwd, env, source.onOutput, source.secretEnv);
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

/**
 * Runs `command` through the shell in `cwd`, contained like a bench child (its own process group,
 * killed with everything it started; no GitHub or Actions secrets in its environment: the
 * command runs pull-request code). A non-zero exit is a CommandError with its tail.
 */
export async function runCommand(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  onOutput?: (line: string) => void,
  secretEnv?: readonly string[],
): Promise<void> {
  const { child, closed } = spawnContained(command, [], {
    cwd,
    env,
    secretEnv,
    shell: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const partial = { stdout: '', stderr: '' };
  const keep = (line: string) => {
    onOutput?.(line);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const take = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const lines = (partial[stream] + chunk.toString('utf8')).split(/\r?\n/);
    partial[stream] = lines.pop() ?? '';
    for (const line of lines) keep(line);
  };
  child.stdout?.on('data', take('stdout'));
  child.stderr?.on('data', take('stderr'));
  const { code, signal, error } = await closed;
  if (error) throw new CommandError(command, `could not start (${error.message})`, []);
  for (const rest of [partial.stdout, partial.stderr]) if (rest !== '') keep(rest);
  if (code === 0) return;
  const lastLines = [...tail];
  while (lastLines.length > 0 && lastLines[lastLines.length - 1]!.trim() === '') lastLines.pop();
  throw new CommandError(
    command,
    signal ? `was killed by ${signal}` : `exited with code ${code}`,
    lastLines,
  );
}
