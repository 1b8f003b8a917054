// Contract stub, to be implemented in src/profile (issue 4).
import type { BenchmarkComparison } from '../model/comparison.js';

/** "Top function changes" table for one regressed benchmark; '' when there is nothing. */
export function functionChangesMarkdown(_benchmark: BenchmarkComparison, _top: number): string {
  return '';
}

/** The same for the terminal, one line per function. */
export function functionChangesText(_benchmark: BenchmarkComparison, _top: number): string[] {
  return [];
}
