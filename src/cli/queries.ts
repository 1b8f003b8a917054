// Contract stub: commands of this concern are registered here.
import type { Command } from 'commander';

export function registerQueriesCommands(
  _program: Command,
  _setExitCode: (code: number) => void,
): void {}
