// Renderers of a Comparison: markdown (the PR comment), text (the terminal), JSON (machines).
import type { Comparison } from '../model/comparison.js';
import { markdownReport } from './markdown.js';
import { textReport } from './text.js';

export interface MarkdownOptions {
  /** Heading of the report (default "perfgate"). */
  title?: string;
  /** Functions per regressed benchmark in "Top function changes" (default 5). */
  top?: number;
  /**
   * Hard limit on the body's length (default: GitHub comments, 65,536). Over it, the headline
   * and the regressions stay and the rest is cut with a line that links to `fullReportUrl`.
   */
  maxLength?: number;
  fullReportUrl?: string;
  /** Links to flame graphs etc. by benchmark id. */
  links?: Record<string, Array<{ label: string; url: string }>>;
}

export { GITHUB_COMMENT_LIMIT } from './markdown.js';

export function renderMarkdown(comparison: Comparison, options: MarkdownOptions = {}): string {
  return markdownReport(comparison, options);
}

export function renderText(
  comparison: Comparison,
  options: { color?: boolean; top?: number } = {},
): string {
  return textReport(comparison, options);
}

export function renderJson(comparison: Comparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}
