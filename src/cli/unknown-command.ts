// `perfgate comapre a b`: the program's own action (run + compare) takes no arguments, so
// commander would only say "too many arguments". A word where a command belongs is a mistyped
// command: name it and suggest the closest one, as git does.
import type { Command } from 'commander';
import { InputError } from '../model/errors.js';

/** Optimal string alignment distance: edits, with a swap of two neighbours as one edit. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The names `word` most likely meant: those it starts (`prof` → profile), else the closest
 * ones if close enough to be a typo (at most 40 % of its letters wrong).
 */
export function closestNames(word: string, names: readonly string[]): string[] {
  const prefixed = names.filter((name) => word.length >= 2 && name.startsWith(word));
  if (prefixed.length > 0) return prefixed;
  const scored = names.map((name) => ({ name, distance: editDistance(word, name) }));
  const best = Math.min(...scored.map((s) => s.distance));
  const close = Math.max(1, Math.floor(Math.max(word.length, 1) * 0.4));
  return best <= close ? scored.filter((s) => s.distance === best).map((s) => s.name) : [];
}

/** The error for operands given to a program whose own action takes none. */
export function unknownCommandError(program: Command, operands: readonly string[]): InputError {
  const word = operands[0];
  const names = program.commands.map((c) => c.name()).filter((n) => n !== 'help');
  const suggestions = closestNames(word, names);
  const hint =
    suggestions.length > 0
      ? ` Did you mean ${suggestions.join(' or ')}?`
      : ` Commands: ${names.join(', ')}.`;
  return new InputError(`unknown command '${word}'.${hint} (run perfgate --help for usage)`);
}
