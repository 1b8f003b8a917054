/**
 * The pull-request comment (markdown). Everything that comes from PR code (benchmark ids,
 * errors, SQL, environment strings) goes through escapeMarkdown / inlineCode. Pure.
 */
import { markdownTable } from 'markdown-table';
import type { BenchmarkComparison, Comparison } from '../model/comparison.js';
import { checkReasons, kinds, resultOf } from '../kinds/index.js';
import {
  escapeMarkdown,
  formatBand,
  formatChange,
  formatInterval,
  formatPValue,
  formatValue,
  inlineCode,
  nonBreaking,
} from '../text/format.js';
import { fitBlocks, safeUrl, type Block, type RowsBlock } from './fit.js';
import {
  changedBenchmarks,
  clip,
  countsLine,
  diagnosedBenchmarks,
  headlineText,
  plural,
} from './summary.js';
import { diagnose } from './diagnosis.js';
import { trendChart } from './trend.js';
import { confirmationLines } from './confirmation.js';
import type { MarkdownOptions } from './index.js';

/** GitHub's limit on an issue comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export function markdownReport(comparison: Comparison, options: MarkdownOptions = {}): string {
  const top = options.top ?? 5;
  const blocks: Block[] = [headline(comparison, options), ...notices(comparison)];
  const push = (block: Block | null) => {
    if (block) blocks.push(block);
  };
  // What reads in ten seconds: one line per regressed benchmark, effect and likely cause, then
  // the findings not tied to one; each finding once. The evidence is folded below.
  const diagnosed = diagnosedBenchmarks(comparison);
  push(diagnosisBlock(diagnosed, options));
  push(confirmationBlock(comparison));
  push(highlightsBlock(comparison, diagnosed));
  blocks.push(...changesTables(comparison));
  push(trends(comparison));
  push(failedBlock(comparison));
  const details: string[] = [];
  const others = otherFailures(comparison);
  if (others) details.push(`${others.head}${others.rows.join('\n')}\n${others.tail}`);
  // Each kind's sections, in registry order (their headings are theirs).
  for (const kind of kinds()) {
    for (const section of kind.sections(comparison, { top })) {
      const text = section.markdown.trim();
      if (text) details.push(`${text}\n\n`);
    }
  }
  if (details.length > 0) {
    blocks.push({
      text: `<details><summary>Evidence: queries, memory, CPU profile</summary>\n\n${details.join('')}</details>\n\n`,
    });
  }
  push(newBlock(comparison, options));
  push(unchangedBlock(comparison, options));
  push(removedBlock(comparison));
  return fitBlocks(blocks, options.maxLength ?? GITHUB_COMMENT_LIMIT, options.fullReportUrl);
}

function diagnosisBlock(
  diagnosed: BenchmarkComparison[],
  options: MarkdownOptions,
): RowsBlock | null {
  const rows = diagnosed.map((b) => {
    const d = diagnose(b);
    const effect = b.status === 'regression' ? d.effect : 'not slower';
    const cause = d.cause ?? (b.status === 'regression' ? undefined : gateReason(b));
    const links = linksOf(b, options);
    return (
      `- 🔴 **${escapeMarkdown(clip(d.name))}** ${escapeMarkdown(effect)}` +
      `${cause ? `: ${escapeMarkdown(clip(cause, 300))}` : ''}` +
      `${links ? ` — ${links}` : ''}`
    );
  });
  return listBlock(
    '',
    capped(rows, (more) => `- … and ${more} more`),
    'regressions',
  );
}

/** Confirm before failing: what was measured again and what came of it. */
function confirmationBlock(comparison: Comparison): Block | null {
  const lines = confirmationLines(comparison);
  if (lines.length === 0) return null;
  const text = lines
    .map((l) => `${l.confirmed ? '🔁' : '↩️'} ${escapeMarkdown(l.text)}`)
    .join('\n\n');
  return { text: `${text}\n\n` };
}

/** A query or memory regression without a time regression: its first reason. */
function gateReason(b: BenchmarkComparison): string | undefined {
  const check = b.failed.find((c) => c !== 'time');
  return check ? checkReasons(b, check)[0] : undefined;
}

/** Highlights about benchmarks without a diagnosis line (those are stated there). */
function highlightsBlock(
  comparison: Comparison,
  diagnosed: BenchmarkComparison[],
): RowsBlock | null {
  const stated = diagnosed.map((b) => `${b.id}:`);
  const rest = comparison.highlights.filter((h) => !stated.some((id) => h.startsWith(id)));
  return listBlock(
    '### ⚠️ Highlights\n\n',
    capped(
      rest.map((h) => `- ${escapeMarkdown(clip(h, 500))}`),
      (more) => `- … and ${more} more (see the sections below)`,
    ),
    'highlights',
  );
}

function headline(comparison: Comparison, options: MarkdownOptions): Block {
  const icon = comparison.verdict === 'fail' ? '❌' : '✅';
  const title = escapeMarkdown(clip(options.title ?? 'perfgate', 100));
  const against =
    comparison.mode === 'against'
      ? ['measured against the base on this machine, in alternating fork pairs']
      : [];
  const sub = [countsLine(comparison), ...against, ...commitsLine(comparison)].join(' · ');
  return { text: `## ${icon} ${title}: ${headlineText(comparison)}\n\n${sub}\n\n` };
}

/**
 * "base `main` (`ac86841`) → head `pull-request` (`9a73578`)": refs name the sides when known;
 * one commit for both (as when two folders of one checkout are compared) is said once.
 */
function commitsLine(comparison: Comparison): string[] {
  if (comparison.baseRuns === 0) return [];
  const history = comparison.baseRuns > 1 ? ` (history of ${comparison.baseRuns} runs)` : '';
  const side = (name: string, meta?: { commit?: string; ref?: string }, showCommit = true) => {
    const ref = meta?.ref ? ` ${inlineCode(clip(meta.ref, 60))}` : '';
    const commit = showCommit && meta?.commit ? ` ${inlineCode(meta.commit.slice(0, 12))}` : '';
    return `${name}${ref}${ref && commit ? ` (${commit.trim()})` : commit}`;
  };
  const { base, head } = comparison;
  if (base?.commit && base.commit === head.commit) {
    return [
      `${side('base', base, false)}${history} → ${side('head', head, false)}, both at ${inlineCode(base.commit.slice(0, 12))}`,
    ];
  }
  return [`${side('base', base)}${history} → ${side('head', head)}`];
}

function notices(comparison: Comparison): Block[] {
  const blocks: Block[] = [];
  if (comparison.baseRuns === 0) {
    blocks.push({
      text:
        '> [!NOTE]\n> No baseline yet, so nothing is compared and nothing can regress. The results of ' +
        'this run are shown below; once a run of the main branch stores its baseline, pull requests are ' +
        'compared with it.\n\n',
    });
  }
  if (comparison.envDifferences.length > 0) {
    const what = comparison.envDifferences
      .map(
        (d) =>
          `${FIELD_NAMES[d.field] ?? d.field} ${inlineCode(clip(d.base, 100))} → ${inlineCode(clip(d.head, 100))}`,
      )
      .join(', ');
    blocks.push({
      text:
        `> [!WARNING]\n> Base and head ran on different machines (${what}). ` +
        'Timing changes may come from the machine rather than the code: this comparison is weaker.\n\n',
    });
  }
  if (comparison.accepted) {
    const reasons = capped(
      comparison.accepted.reasons.map((r) => `> - ${escapeMarkdown(clip(r, 500))}`),
      (more) => `> - … and ${more} more`,
    );
    blocks.push({
      head: `> [!NOTE]\n> The gate failure was accepted by ${escapeMarkdown(clip(comparison.accepted.by, 100))}; it does not block the merge. Accepted:\n`,
      rows: reasons,
      tail: '\n',
      noun: 'accepted reasons',
    });
  }
  return blocks;
}

const FIELD_NAMES: Record<string, string> = {
  cpu: 'CPU',
  cores: 'cores',
  node: 'Node.js',
  os: 'OS',
};

/** Regressions and improvements, one table per file and group, short names in the rows. */
function changesTables(comparison: Comparison): Block[] {
  const changed = changedBenchmarks(comparison);
  if (changed.length === 0) return [];
  const blocks: Block[] = [{ text: '### Regressions and improvements\n\n' }];
  const groups = groupBy(changed, (b) => headingOf(b));
  const thresholdOnly = changed.some((b) => b.time.pValue === null);
  const disagree = changed.some((b) => intervalDisagrees(b));
  const summaryOnly = changed.filter((b) => b.time.method?.includes('summary'));
  for (const [heading, benchmarks] of groups) {
    const rows = benchmarks.map((b) => [
      b.status === 'regression' ? '🔴' : '🟢',
      escapeMarkdown(clip(b.name)),
      value(b.time.base, b.time.unit),
      value(b.time.head, b.time.unit),
      `**${formatChange(b.time.change)}**`,
      nonBreaking(formatInterval(b.time.ci)),
      `${formatPValue(b.time.pValue)}${intervalDisagrees(b) ? ' †' : ''}`,
    ]);
    blocks.push(
      tableBlock(
        `#### ${escapeMarkdown(heading)}\n\n`,
        ['', 'Benchmark', 'Base', 'Head', 'Change', '95 % CI', 'p'],
        rows,
        '\n',
        'changed benchmarks',
        ['c', 'l', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  const notes = [
    ...(thresholdOnly
      ? [
          'p n/a: too few samples for a significance test; these are judged on the threshold alone, and no significance is claimed.',
        ]
      : []),
    // Foreign results with only mean ± sd (src/compare/summary.ts): the comment says so.
    ...(summaryOnly.length > 0
      ? [
          `Summary only: the benchmark tool wrote no samples for ${summaryOnly.map((b) => label(b)).join(', ')}; base and head are its means, tested with Welch's t-test where it gave n and sd.`,
        ]
      : []),
    ...(disagree
      ? [
          '†: the 95 % interval includes no change although the test is significant: the interval and the test see the samples differently (few samples, or a skewed distribution); the status follows the test.',
        ]
      : []),
  ];
  if (notes.length > 0) blocks.push({ text: `${notes.join('\n\n')}\n\n` });
  return blocks;
}

/** "users.bench.ts › users-api": where a benchmark lives, the heading of its table. */
function headingOf(b: BenchmarkComparison): string {
  return clip(b.group ? `${b.file} › ${b.group}` : b.file, 200);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** A status from the test that its interval does not back (the interval includes 0). */
function intervalDisagrees(b: BenchmarkComparison): boolean {
  const ci = b.time.ci;
  if (!ci || (b.status !== 'regression' && b.status !== 'improvement')) return false;
  return ci[0] <= 0 && ci[1] >= 0;
}

/** Charts shown at most: a trend per regression, the first ones. */
const MAX_TRENDS = 5;

function trends(comparison: Comparison): Block | null {
  const charts = comparison.benchmarks
    .filter((b) => b.status === 'regression')
    .map(trendChart)
    .filter(Boolean)
    .slice(0, MAX_TRENDS);
  if (charts.length === 0) return null;
  return {
    text: `<details><summary>Trend: the last main runs and this pull request</summary>\n\n${charts.join('\n')}\n</details>\n\n`,
  };
}

/** The failing checks of the kinds ("### Call-count, query and memory regressions"). */
function otherFailures(comparison: Comparison): RowsBlock | null {
  const gating = kinds().filter((kind) => kind.gate);
  const rows: string[] = [];
  for (const b of comparison.benchmarks) {
    for (const kind of gating) {
      const result = resultOf(b, kind);
      if (!kind.gate || result === undefined || !b.failed.includes(kind.gate.check)) continue;
      for (const r of kind.gate.verdict(result).reasons)
        rows.push(`- ${label(b)}: ${kind.gate.check}: ${escapeMarkdown(clip(r, 500))}`);
    }
  }
  const nouns = gating.map((kind) => kind.gate?.noun ?? kind.name);
  const what =
    nouns.length > 1 ? `${nouns.slice(0, -1).join(', ')} and ${nouns[nouns.length - 1]}` : nouns[0];
  const noun = `${what ?? 'attachment'} regressions`;
  return listBlock(`### ${noun[0]!.toUpperCase()}${noun.slice(1)}\n\n`, rows, noun);
}

function failedBlock(comparison: Comparison): RowsBlock | null {
  const failed = comparison.benchmarks.filter((b) => b.status === 'failed');
  const rows = failed.map((b) => {
    const message = (b.error ?? 'no samples recorded').split('\n')[0];
    return `- ${label(b)}: ${inlineCode(clip(message, 500), { inTable: false })}`;
  });
  return listBlock(
    '### 💥 Failed benchmarks\n\nThese threw (or recorded no samples) in this run, which fails the gate.\n\n',
    rows,
    'failed benchmarks',
  );
}

function newBlock(comparison: Comparison, options: MarkdownOptions): RowsBlock | null {
  const fresh = comparison.benchmarks.filter((b) => b.status === 'new');
  if (fresh.length === 0) return null;
  const rows = fresh.map((b) => [
    label(b, options),
    value(b.time.head, b.time.unit),
    String(b.time.samples?.head ?? ''),
  ]);
  const header = ['Benchmark', 'Median', 'Samples'];
  if (comparison.baseRuns === 0) {
    return tableBlock('### Results\n\n', header, rows, '\n', 'benchmarks', ['l', 'r', 'r']);
  }
  return tableBlock(
    `<details><summary>${plural(fresh.length, 'new benchmark')} (no baseline to compare with)</summary>\n\n`,
    header,
    rows,
    '\n</details>\n\n',
    'new benchmarks',
    ['l', 'r', 'r'],
  );
}

function unchangedBlock(comparison: Comparison, options: MarkdownOptions): RowsBlock | null {
  const quiet = comparison.benchmarks.filter(
    (b) => b.status === 'unchanged' || b.status === 'noisy',
  );
  if (quiet.length === 0) return null;
  quiet.sort((x, y) => (x.status === y.status ? 0 : x.status === 'noisy' ? -1 : 1));
  const noisy = quiet.filter((b) => b.status === 'noisy').length;
  const rows = quiet.map((b) => [
    label(b, options),
    value(b.time.base, b.time.unit),
    value(b.time.head, b.time.unit),
    formatChange(b.time.change),
    formatInterval(b.time.ci),
    formatPValue(b.time.pValue),
    b.time.mde != null ? `±${formatChange(b.time.mde).slice(1)}` : '—',
    note(b),
  ]);
  const summary = [
    plural(quiet.length - noisy, 'unchanged benchmark'),
    ...(noisy > 0 ? [`${noisy} noisy`] : []),
  ].join(', ');
  const unstable = quiet.some((b) => b.status === 'noisy' && !b.time.confirmation);
  const explain = unstable
    ? '*Noisy*: the change is significant, but the benchmark’s forks disagree with one another (unstable: V8 compiled it differently in different processes), so only a change well beyond their spread would count. Remedy: more forks (`run.forks`), or a longer operation per sample.\n\n'
    : '';
  const mde =
    'MDE: the smallest change this comparison would detect with 90 % probability (docs/statistics.md).\n\n';
  return tableBlock(
    `<details><summary>${summary}</summary>\n\n${explain}${mde}`,
    ['Benchmark', 'Base', 'Head', 'Change', '95 % CI', 'p', 'MDE', 'Note'],
    rows,
    '\n</details>\n\n',
    'unchanged benchmarks',
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
}

function removedBlock(comparison: Comparison): RowsBlock | null {
  const removed = comparison.benchmarks.filter((b) => b.status === 'removed');
  if (removed.length === 0) return null;
  return listBlock(
    `<details><summary>${plural(removed.length, 'removed benchmark')} (in the baseline, not in this run)</summary>\n\n`,
    removed.map((b) => `- ${label(b)}`),
    'removed benchmarks',
    '\n</details>\n\n',
  );
}

function note(b: BenchmarkComparison): string {
  const confirmation = b.time.confirmation;
  if (confirmation && !confirmation.confirmed) {
    return `not confirmed: measured again in ${confirmation.forks} more runs, ${formatChange(confirmation.change)}`;
  }
  if (b.time.unstable) {
    const spread = b.time.spread != null ? ` ±${formatChange(b.time.spread).slice(1)}` : '';
    return `unstable: forks differ by${spread}; more forks or a longer operation`;
  }
  if (b.status === 'noisy') {
    const band = b.time.noiseBand;
    return band != null ? `noisy: runs of main vary by up to ${formatBand(band)}` : 'noisy';
  }
  const ci = b.time.ci;
  if (ci && (ci[0] > 0 || ci[1] < 0)) {
    // The interval excludes 0 but the test did not call it a change: say why, not just "no".
    return b.time.pValue !== null && b.time.pValue >= 0.05
      ? `interval excludes 0, test not significant (p ${formatPValue(b.time.pValue)}): judged unchanged`
      : `within the ${formatBand(b.time.threshold)} threshold`;
  }
  if (b.time.change !== null && Math.abs(b.time.change) > b.time.threshold)
    return 'not significant (the interval includes 0)';
  return '';
}

function value(v: number | null, unit: string): string {
  return v === null ? '—' : nonBreaking(escapeMarkdown(formatValue(v, unit)));
}

/** A benchmark in lists outside its group's table: its id, escaped and clipped. */
function label(b: BenchmarkComparison, _options: MarkdownOptions = {}): string {
  return escapeMarkdown(clip(b.id));
}

/** Artifact links of a benchmark (flame graphs…), shown once, on its diagnosis line. */
function linksOf(b: BenchmarkComparison, options: MarkdownOptions): string {
  return (options.links?.[b.id] ?? [])
    .map((l) => `[${escapeMarkdown(clip(l.label, 40))}](${safeUrl(l.url)})`)
    .join(' · ');
}

/**
 * Lists shown above the regressions table are capped, so that they cannot push the table out of
 * a comment that has to be truncated.
 */
const MAX_LEADING_ITEMS = 10;

function capped(rows: string[], more: (count: number) => string): string[] {
  if (rows.length <= MAX_LEADING_ITEMS) return rows;
  return [...rows.slice(0, MAX_LEADING_ITEMS), more(rows.length - MAX_LEADING_ITEMS)];
}

function listBlock(head: string, rows: string[], noun: string, tail = '\n'): RowsBlock | null {
  return rows.length === 0 ? null : { head, rows, tail, noun };
}

function tableBlock(
  heading: string,
  header: string[],
  rows: string[][],
  tail: string,
  noun: string,
  align: string[],
): RowsBlock {
  const lines = markdownTable([header, ...rows], { align, alignDelimiters: false }).split('\n');
  return { head: `${heading}${lines[0]}\n${lines[1]}\n`, rows: lines.slice(2), tail, noun };
}
