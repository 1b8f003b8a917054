#!/usr/bin/env node
/**
 * `perfgate` CLI: a thin shell over the same core as the action.
 * Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage error.
 */
import { Command, CommanderError } from 'commander';
import { InputError, messageOf } from './model/errors.js';
import { registerCoreCommands } from './cli/core.js';
import { registerProfileCommands } from './cli/profile.js';
import { registerQueriesCommands } from './cli/queries.js';
import { registerMemoryCommands } from './cli/memory.js';
import { registerIngestCommands } from './cli/ingest.js';
import { VERSION } from './version.js';

export { EXIT_BAD_INPUT, EXIT_GATE_FAILED, EXIT_PASS } from './cli/exit-codes.js';
import { EXIT_BAD_INPUT, EXIT_PASS } from './cli/exit-codes.js';

async function main(argv: string[]): Promise<number> {
  const program = new Command('perfgate')
    .description(
      'Benchmarks with profilers attached, compared with a baseline; fails on regressions.',
    )
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run perfgate --help for usage)')
    .exitOverride();
  let exitCode = EXIT_PASS;
  const setExitCode = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  registerCoreCommands(program, setExitCode);
  registerProfileCommands(program, setExitCode);
  registerQueriesCommands(program, setExitCode);
  registerMemoryCommands(program, setExitCode);
  registerIngestCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT_PASS : EXIT_BAD_INPUT;
    }
    if (error instanceof InputError) {
      process.stderr.write(`perfgate: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`perfgate: ${messageOf(error)}\n`);
    if (process.env.PERFGATE_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return EXIT_BAD_INPUT;
  }
  return exitCode;
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`perfgate: ${messageOf(error)}\n`);
    process.exitCode = EXIT_BAD_INPUT;
  },
);
