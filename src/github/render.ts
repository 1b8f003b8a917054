/**
 * The two markdown documents the action publishes: the job summary (the full report) and the PR
 * comment (bounded by GitHub's limit, linking the run page where the full report is).
 */
import type { Comparison } from '../model/comparison.js';
import { renderMarkdown, type MarkdownOptions } from '../report/index.js';
import { commentBody, reportBudget } from './comment.js';
import { SUMMARY_LIMIT } from './publish.js';

export interface ReportParts {
  comparison: Comparison;
  /** Markdown lines above the report (baseline notes). */
  notes: string;
  title: string;
  /** The workflow run page: its summary holds the full report. */
  runUrl: string;
  /** Links per benchmark id (the flame graphs of regressed benchmarks). */
  links?: MarkdownOptions['links'];
}

export function summaryMarkdown(parts: ReportParts): string {
  const { comparison, notes, title, links } = parts;
  return `${notes}${renderMarkdown(comparison, { title, links, maxLength: SUMMARY_LIMIT - notes.length })}`;
}

/** The full comment body (marker included), never over 65,536 characters. */
export function commentMarkdown(parts: ReportParts, job: string): string {
  const { comparison, notes, title, runUrl, links } = parts;
  const footer = `\n<sub>Full report: [job summary of this run](${runUrl}).</sub>\n`;
  const report = renderMarkdown(comparison, {
    title,
    links,
    maxLength: reportBudget(job) - notes.length - footer.length,
    fullReportUrl: runUrl,
  });
  return commentBody(`${notes}${report}${footer}`, job);
}
