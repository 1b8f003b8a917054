/**
 * What the action leaves behind besides the comment: step outputs, the job summary (the full
 * report), one warning annotation per regression, and the report/comparison files.
 */
import { checkReasons } from '../kinds/index.js';
import * as core from '@actions/core';
import type { BenchmarkComparison, Comparison } from '../model/comparison.js';
import { formatPercent } from '../text/format.js';

/** The job summary file is limited to 1 MiB per step; keep a margin. */
export const SUMMARY_LIMIT = 1_000_000;

export interface Outputs {
  verdict: 'pass' | 'fail' | 'none';
  regressions: number;
  improvements: number;
  reportPath: string;
  comparisonPath: string;
  commentUrl: string;
}

export function setOutputs(outputs: Outputs): void {
  core.setOutput('verdict', outputs.verdict);
  core.setOutput('regressions', String(outputs.regressions));
  core.setOutput('improvements', String(outputs.improvements));
  core.setOutput('report-path', outputs.reportPath);
  core.setOutput('comparison-path', outputs.comparisonPath);
  core.setOutput('comment-url', outputs.commentUrl);
}

export function countOf(comparison: Comparison, status: 'regression' | 'improvement'): number {
  return comparison.benchmarks.filter((b) => b.status === status).length;
}

/** Writes the full report to the job summary. Never throws: a summary is not worth a failure. */
export async function writeSummary(markdown: string): Promise<boolean> {
  if (!process.env.GITHUB_STEP_SUMMARY) return false;
  try {
    await core.summary.addRaw(markdown, true).write();
    return true;
  } catch (error) {
    core.warning(`perfgate: cannot write the job summary: ${(error as Error).message}`);
    return false;
  }
}

function regressionMessage(b: BenchmarkComparison): string {
  const parts: string[] = [];
  for (const check of b.regressed) {
    if (check === 'time') {
      if (b.time.change !== null) parts.push(`time ${formatPercent(b.time.change)}`);
    } else parts.push(...checkReasons(b, check));
  }
  return parts.length > 0 ? parts.join('; ') : 'regressed';
}

/**
 * One warning annotation per regressed benchmark, on its bench file. Bench files are relative
 * to the working directory; GitHub wants paths relative to the repository, so `directory` (the
 * working directory relative to the workspace) prefixes them.
 */
export function annotateRegressions(comparison: Comparison, directory = ''): number {
  const prefix = directory && directory !== '.' ? `${directory.replace(/\/+$/, '')}/` : '';
  let count = 0;
  for (const b of comparison.benchmarks) {
    if (b.regressed.length === 0) continue;
    count += 1;
    core.warning(`${b.id}: ${regressionMessage(b)}`, {
      title: comparison.accepted ? 'perfgate: accepted regression' : 'perfgate: regression',
      file: b.file ? `${prefix}${b.file}` : undefined,
    });
  }
  return count;
}

/** The message of `core.setFailed` when the gate fails: one line per failing check. */
export function failureMessage(comparison: Comparison): string {
  const reasons = comparison.reasons.length > 0 ? comparison.reasons : ['the gate failed'];
  return `perfgate: ${reasons.length} failing check(s):\n${reasons.map((r) => `- ${r}`).join('\n')}`;
}
