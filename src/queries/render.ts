// Contract stub, to be implemented in src/queries (issue 5).
import type { Comparison } from '../model/comparison.js';

/** The "Queries" section of the comment; '' when no benchmark has query data. */
export function queriesMarkdown(_comparison: Comparison): string {
  return '';
}

/** The same for the terminal. */
export function queriesText(_comparison: Comparison): string[] {
  return [];
}
