// Contract stub, to be implemented in src/memory (issue 6).
import type { Comparison } from '../model/comparison.js';

/** The "Memory" section of the comment; '' when no benchmark has memory data. */
export function memoryMarkdown(_comparison: Comparison): string {
  return '';
}

/** The same for the terminal. */
export function memoryText(_comparison: Comparison): string[] {
  return [];
}
