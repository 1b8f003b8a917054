// Contract stub: commands of this concern are registered here.
import type { Command } from 'commander';

export function registerMemoryCommands(
  _program: Command,
  _setExitCode: (code: number) => void,
): void {}
