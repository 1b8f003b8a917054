// Contract stub, to be implemented in src/report (issue 2).
import type { Comparison } from '../model/comparison.js';

export interface MarkdownOptions {
  /** Heading of the report (default "perfgate"). */
  title?: string;
  /** Functions per regressed benchmark in "Top function changes". */
  top?: number;
  /**
   * Hard limit on the body's length (GitHub comments: 65,536). Over it, the headline and the
   * regressions stay and the rest is cut with a line that links to `fullReportUrl`.
   */
  maxLength?: number;
  fullReportUrl?: string;
  /** Links to flame graphs etc. by benchmark id. */
  links?: Record<string, Array<{ label: string; url: string }>>;
}

export function renderMarkdown(_comparison: Comparison, _options: MarkdownOptions = {}): string {
  throw new Error('renderMarkdown: not implemented yet');
}

export function renderText(
  _comparison: Comparison,
  _options: { color?: boolean; top?: number } = {},
): string {
  throw new Error('renderText: not implemented yet');
}

export function renderJson(comparison: Comparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}
