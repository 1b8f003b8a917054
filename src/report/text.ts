/**
 * The terminal report: the same information as the comment, one line per item, colour only
 * when asked. Control characters from PR code are replaced so a benchmark name cannot move the
 * cursor or recolour the terminal. Pure.
 */
import { confirmationLines } from './confirmation.js';
import pc from 'picocolors';
import type { BenchmarkComparison, Comparison } from '../model/comparison.js';
import { kinds } from '../kinds/index.js';
import type { KindSection } from '../model/kind.js';
import {
  formatBand,
  formatChange,
  formatInterval,
  formatPValue,
  formatValue,
} from '../text/format.js';
import {
  changedBenchmarks,
  clip,
  countsLine,
  diagnosedBenchmarks,
  headlineText,
} from './summary.js';
import { diagnose, diagnosisLine } from './diagnosis.js';

/** Control characters (ANSI escapes, carriage returns) from untrusted text → '?'. */
export function sanitizeTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

export function textReport(
  comparison: Comparison,
  options: { color?: boolean; top?: number } = {},
): string {
  const c = pc.createColors(options.color ?? false);
  const top = options.top ?? 5;
  const safe = (text: string) => sanitizeTerminal(clip(text, 300));
  const lines: string[] = [];
  const verdict = comparison.verdict === 'fail' ? c.bold(c.red('FAIL')) : c.bold(c.green('PASS'));
  lines.push(`perfgate ${verdict}: ${headlineText(comparison)}`);
  const base =
    comparison.baseRuns === 0
      ? 'no baseline'
      : `base ${comparison.base?.commit?.slice(0, 12) ?? '(unknown commit)'}${comparison.baseRuns > 1 ? `, ${comparison.baseRuns} runs of history` : ''}`;
  lines.push(c.dim(`${countsLine(comparison)} (${safe(base)})`));

  if (comparison.baseRuns === 0) {
    lines.push(c.yellow('No baseline yet: nothing is compared; the results of this run follow.'));
  }
  // The same diagnosis lines as the comment: effect and likely cause, first.
  for (const b of diagnosedBenchmarks(comparison).filter((d) => d.status === 'regression')) {
    lines.push(c.red(`✗ ${safe(diagnosisLine(diagnose(b)).replaceAll('\u00a0', ' '))}`));
  }
  for (const l of confirmationLines(comparison))
    lines.push((l.confirmed ? c.red : c.dim)(safe(l.text)));
  if (comparison.envDifferences.length > 0) {
    const what = comparison.envDifferences
      .map((d) => `${d.field} ${safe(d.base)} → ${safe(d.head)}`)
      .join(', ');
    lines.push(
      c.yellow(
        `! Base and head ran on different machines (${what}); timing changes may come from the machine.`,
      ),
    );
  }
  if (comparison.accepted) {
    lines.push(
      c.yellow(
        `Accepted by ${safe(comparison.accepted.by)}: the gate failure does not block the merge.`,
      ),
    );
  }
  for (const h of comparison.highlights) lines.push(c.yellow(`⚠ ${safe(h)}`));

  const sections = kinds().flatMap((kind) => kind.sections(comparison, { top }));
  const changed = changedBenchmarks(comparison);
  // A benchmark's sections go under its line in the list of changes; the others further down.
  const underLine = new Map<string, KindSection[]>();
  const changedIds = new Set(changed.map((b) => b.id));
  for (const section of sections) {
    if (section.benchmark === undefined || !changedIds.has(section.benchmark)) continue;
    underLine.set(section.benchmark, [...(underLine.get(section.benchmark) ?? []), section]);
  }
  if (changed.length > 0) lines.push('', c.bold('Regressions and improvements'));
  for (const b of changed) {
    const regression = b.status === 'regression';
    const paint = regression ? c.red : c.green;
    lines.push(
      `  ${paint(regression ? '▲' : '▼')} ${safe(b.id)}  ${values(b)}  ${paint(formatChange(b.time.change))}  ${evidence(b)}`,
    );
    for (const section of underLine.get(b.id) ?? [])
      for (const line of section.text) lines.push(`      ${sanitizeTerminal(line)}`);
  }

  const failed = comparison.benchmarks.filter((b) => b.status === 'failed');
  if (failed.length > 0) lines.push('', c.bold(c.red('Failed benchmarks')));
  for (const b of failed)
    lines.push(
      c.red(`  ✗ ${safe(b.id)}: ${safe((b.error ?? 'no samples recorded').split('\n')[0])}`),
    );

  for (const section of sections) {
    if (section.text.length === 0 || (section.benchmark && changedIds.has(section.benchmark)))
      continue;
    const heading = section.benchmark !== undefined ? [safe(section.benchmark)] : [];
    lines.push('', ...heading, ...section.text.map(sanitizeTerminal));
  }

  const noisy = comparison.benchmarks.filter((b) => b.status === 'noisy');
  if (noisy.length > 0)
    lines.push(
      '',
      c.bold(
        noisy.every((b) => b.time.confirmation)
          ? 'Noisy (not confirmed when measured again)'
          : 'Noisy (unstable: the forks disagree more than the change, or not confirmed)',
      ),
    );
  for (const b of noisy) {
    const band = b.time.noiseBand;
    const spread = b.time.spread;
    const why = b.time.confirmation
      ? `  not confirmed by ${b.time.confirmation.forks} more runs (${formatChange(b.time.confirmation.change)})`
      : spread != null && b.time.unstable
        ? `  forks differ by ${formatBand(spread)}: more forks or a longer operation`
        : band != null
          ? `  runs of main vary by ${formatBand(band)}`
          : '';
    lines.push(`  ~ ${safe(b.id)}  ${values(b)}  ${formatChange(b.time.change)}${c.dim(why)}`);
  }
  const fresh = comparison.benchmarks.filter((b) => b.status === 'new');
  if (fresh.length > 0)
    lines.push('', c.bold(comparison.baseRuns === 0 ? 'Results' : 'New benchmarks'));
  for (const b of fresh)
    lines.push(
      `  + ${safe(b.id)}  ${b.time.head === null ? '—' : formatValue(b.time.head, b.time.unit)}`,
    );
  const removed = comparison.benchmarks.filter((b) => b.status === 'removed');
  if (removed.length > 0) lines.push('', c.bold('Removed benchmarks'));
  for (const b of removed) lines.push(c.dim(`  - ${safe(b.id)}`));

  if (comparison.reasons.length > 0) {
    lines.push('', c.bold(comparison.accepted ? 'Accepted failures' : 'Why the gate fails'));
    for (const r of comparison.reasons)
      lines.push(`  ${comparison.accepted ? '•' : c.red('✗')} ${safe(r)}`);
  }
  return `${lines.join('\n')}\n`;
}

function values(b: BenchmarkComparison): string {
  const { base, head, unit } = b.time;
  return `${base === null ? '—' : formatValue(base, unit)} → ${head === null ? '—' : formatValue(head, unit)}`;
}

function evidence(b: BenchmarkComparison): string {
  if (b.time.pValue === null) return '(too few samples for a test; threshold only)';
  return `CI ${formatInterval(b.time.ci)}  p ${formatPValue(b.time.pValue)}`;
}
