/**
 * The pull-request comment: the report's blocks (document.ts) laid out as markdown, cut to
 * GitHub's size limit. Everything that comes from PR code is escaped by the layout. Pure.
 */
import type { Comparison } from '../model/comparison.js';
import { reportBlocks } from './document.js';
import { layoutMarkdown } from './layout/markdown.js';
import type { MarkdownOptions } from './index.js';

/** GitHub's limit on an issue comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export function markdownReport(comparison: Comparison, options: MarkdownOptions = {}): string {
  return layoutMarkdown(reportBlocks(comparison, options), {
    maxLength: options.maxLength ?? GITHUB_COMMENT_LIMIT,
    ...(options.fullReportUrl ? { fullReportUrl: options.fullReportUrl } : {}),
  });
}
