/**
 * What the report says about a Comparison, as display-neutral blocks (src/model/document.ts):
 * the comment (layout/markdown.ts) and the terminal (layout/text.ts) lay out the same blocks.
 * Order is importance: a comment over GitHub's size limit is cut from the end. Pure.
 */
import type { BenchmarkComparison, Comparison } from '../model/comparison.js';
import {
  code,
  details,
  heading,
  icon,
  link,
  list,
  own,
  paragraph,
  strong,
  table,
  tone,
  type Block,
  type Inline,
} from '../model/document.js';
import { groupByPlace } from '../model/place.js';
import { checkReasons, kinds, resultOf } from '../kinds/index.js';
import {
  formatBand,
  formatChange,
  formatInterval,
  formatPValue,
  formatValue,
  nonBreaking,
} from '../text/format.js';
import {
  changedBenchmarks,
  clip,
  countsLine,
  diagnosedBenchmarks,
  headlineText,
  plural,
} from './summary.js';
import { diagnose } from './diagnosis.js';
import { confirmationLines } from './confirmation.js';
import { shiftLine } from './shift.js';
import { trendChart } from './trend.js';
import type { MarkdownOptions } from './index.js';

export type ReportOptions = Pick<MarkdownOptions, 'title' | 'top' | 'links'>;

export function reportBlocks(comparison: Comparison, options: ReportOptions = {}): Block[] {
  const top = options.top ?? 5;
  const blocks: Block[] = [headline(comparison, options), ...notices(comparison)];
  const push = (...more: Array<Block | null>) => {
    for (const block of more) if (block) blocks.push(block);
  };
  // What reads in ten seconds: one line per regressed benchmark, effect and likely cause, then
  // the findings not tied to one; each finding once. The evidence is folded below.
  const diagnosed = diagnosedBenchmarks(comparison);
  push(diagnosisList(diagnosed, options));
  push(...confirmationBlocks(comparison));
  push(...highlights(comparison, diagnosed));
  push(...changesTables(comparison));
  push(trends(comparison));
  push(...failedBlocks(comparison));
  const evidence: Block[] = [...otherFailures(comparison)];
  // Each kind's sections, in registry order (their headings are theirs).
  for (const kind of kinds()) {
    for (const section of kind.sections(comparison, { top })) evidence.push(...section.blocks);
  }
  if (evidence.length > 0) {
    push(details(own('Evidence: queries, memory, CPU profile'), evidence));
  }
  push(...newBlocks(comparison));
  push(unchangedBlock(comparison));
  push(removedBlock(comparison));
  return blocks;
}

function diagnosisList(diagnosed: BenchmarkComparison[], options: ReportOptions): Block | null {
  const items = diagnosed.map((b): Inline => {
    const d = diagnose(b);
    const effect = b.status === 'regression' ? d.effect : 'not slower';
    const cause = d.cause ?? (b.status === 'regression' ? undefined : gateReason(b));
    const links = linksOf(b, options);
    return [
      tone('bad', icon('🔴', '✗')),
      ' ',
      strong(clip(d.name)),
      ' ',
      effect,
      ...(cause ? [': ', clip(cause, 300)] : []),
      ...(links.length > 0 ? [' — ', ...links] : []),
    ];
  });
  return items.length === 0
    ? null
    : list(
        capped(items, (more) => `… and ${more} more`),
        'regressions',
      );
}

/** Confirm before failing: what was measured again and what came of it. */
function confirmationBlocks(comparison: Comparison): Block[] {
  return confirmationLines(comparison).map((l) =>
    paragraph(
      l.confirmed
        ? [tone('bad', icon('🔁', '✗')), ' ', l.text]
        : [tone('dim', icon('↩️', '~')), ' ', tone('dim', l.text)],
    ),
  );
}

/** A query or memory regression without a time regression: its first reason. */
function gateReason(b: BenchmarkComparison): string | undefined {
  const check = b.failed.find((c) => c !== 'time');
  return check ? checkReasons(b, check)[0] : undefined;
}

/** Highlights about benchmarks without a diagnosis line (those are stated there). */
function highlights(comparison: Comparison, diagnosed: BenchmarkComparison[]): Block[] {
  const stated = diagnosed.map((b) => `${b.id}:`);
  const rest = comparison.highlights.filter((h) => !stated.some((id) => h.startsWith(id)));
  if (rest.length === 0) return [];
  return [
    heading(3, [tone('warn', icon('⚠️', '!')), own(' Highlights')]),
    list(
      capped(
        rest.map((h) => tone('warn', clip(h, 500))),
        (more) => `… and ${more} more (see the sections below)`,
      ),
      'highlights',
    ),
  ];
}

function headline(comparison: Comparison, options: ReportOptions): Block {
  const fail = comparison.verdict === 'fail';
  const mark = tone(fail ? 'bad' : 'good', fail ? icon('❌', 'FAIL') : icon('✅', 'PASS'));
  const title = clip(options.title ?? 'perfgate', 100);
  return heading(2, [mark, ' ', title, ': ', own(headlineText(comparison))]);
}

/** "12 benchmarks: … · base `main` (`ac86841`) → head `pull-request` (`9a73578`)". */
function subline(comparison: Comparison): Block {
  const against =
    comparison.mode === 'against'
      ? [own(' · measured against the base on this machine, in alternating fork pairs')]
      : [];
  const commits = commitsLine(comparison);
  return paragraph([
    own(countsLine(comparison)),
    ...against,
    ...(commits ? [own(' · '), commits] : []),
  ]);
}

/**
 * "base `main` (`ac86841`) → head `pull-request` (`9a73578`)": refs name the sides when known;
 * one commit for both (as when two folders of one checkout are compared) is said once.
 */
function commitsLine(comparison: Comparison): Inline | null {
  if (comparison.baseRuns === 0) return null;
  const history = comparison.baseRuns > 1 ? ` (history of ${comparison.baseRuns} runs)` : '';
  const side = (name: string, meta?: { commit?: string; ref?: string }, showCommit = true) => {
    const ref: Inline[] = meta?.ref ? [' ', code(clip(meta.ref, 60))] : [];
    const commit = showCommit && meta?.commit ? code(meta.commit.slice(0, 12)) : null;
    if (!commit) return [own(name), ...ref];
    return ref.length > 0 ? [own(name), ...ref, ' (', commit, ')'] : [own(name), ' ', commit];
  };
  const { base, head } = comparison;
  if (base?.commit && base.commit === head.commit) {
    return [
      ...side('base', base, false),
      own(history),
      ' → ',
      ...side('head', head, false),
      ', both at ',
      code(base.commit.slice(0, 12)),
    ];
  }
  return [...side('base', base), own(history), ' → ', ...side('head', head)];
}

function notices(comparison: Comparison): Block[] {
  const blocks: Block[] = [subline(comparison)];
  const shift = shiftLine(comparison);
  if (shift) {
    blocks.push(
      paragraph(
        shift.significant
          ? [tone(shift.slower ? 'bad' : 'good', icon('📉', '!')), ' ', shift.text]
          : tone('dim', shift.text),
      ),
    );
  }
  if (comparison.baseRuns === 0) {
    blocks.push({
      type: 'callout',
      kind: 'note',
      text: own(
        'No baseline yet, so nothing is compared and nothing can regress. The results of ' +
          'this run are shown below; once a run of the main branch stores its baseline, pull requests are ' +
          'compared with it.',
      ),
    });
  }
  if (comparison.envDifferences.length > 0) {
    const what = comparison.envDifferences.flatMap((d, i): Inline[] => [
      ...(i > 0 ? [', '] : []),
      own(FIELD_NAMES[d.field] ?? d.field),
      ' ',
      code(clip(d.base, 100)),
      ' → ',
      code(clip(d.head, 100)),
    ]);
    blocks.push({
      type: 'callout',
      kind: 'warning',
      text: [
        own('Base and head ran on different machines ('),
        what,
        own(
          '). Timing changes may come from the machine rather than the code: this comparison is weaker.',
        ),
      ],
    });
  }
  if (comparison.accepted) {
    blocks.push({
      type: 'callout',
      kind: 'note',
      text: [
        own('The gate failure was accepted by '),
        clip(comparison.accepted.by, 100),
        own('; it does not block the merge. Accepted:'),
      ],
      list: list(
        capped(
          comparison.accepted.reasons.map((r) => clip(r, 500)),
          (more) => `… and ${more} more`,
        ),
        'accepted reasons',
      ),
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
  const blocks: Block[] = [heading(3, own('Regressions and improvements'))];
  const groups = groupByPlace(changed);
  const thresholdOnly = changed.some((b) => b.time.pValue === null);
  const disagree = changed.some((b) => intervalDisagrees(b));
  const summaryOnly = changed.filter((b) => b.time.method?.includes('summary'));
  for (const [title, benchmarks] of groups) {
    const rows = benchmarks.map((b): Inline[] => {
      const regression = b.status === 'regression';
      const paint = regression ? 'bad' : 'good';
      return [
        tone(paint, regression ? icon('🔴', '▲') : icon('🟢', '▼')),
        clip(b.name),
        value(b.time.base, b.time.unit),
        value(b.time.head, b.time.unit),
        strong(tone(paint, own(formatChange(b.time.change)))),
        own(nonBreaking(formatInterval(b.time.ci))),
        own(`${formatPValue(b.time.pValue)}${intervalDisagrees(b) ? ' †' : ''}`),
      ];
    });
    blocks.push(
      heading(4, title),
      table(
        [
          ['', 'c'],
          ['Benchmark', 'l'],
          ['Base', 'r'],
          ['Head', 'r'],
          ['Change', 'r'],
          ['95 % CI', 'r'],
          ['p', 'r'],
        ],
        rows,
        'changed benchmarks',
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
          [
            own('Summary only: the benchmark tool wrote no samples for '),
            summaryOnly.map((b, i) => [i > 0 ? ', ' : '', clip(b.id)]),
            own(
              "; base and head are its means, tested with Welch's t-test where it gave n and sd.",
            ),
          ],
        ]
      : []),
    ...(disagree
      ? [
          '†: the 95 % interval includes no change although the test is significant: the interval and the test see the samples differently (few samples, or a skewed distribution); the status follows the test.',
        ]
      : []),
  ];
  for (const note of notes) blocks.push(paragraph(typeof note === 'string' ? own(note) : note));
  return blocks;
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
    .filter((chart) => chart !== null)
    .slice(0, MAX_TRENDS);
  if (charts.length === 0) return null;
  return details(own('Trend: the last main runs and this pull request'), charts);
}

/** The failing checks of the kinds ("### Query and memory regressions"). */
function otherFailures(comparison: Comparison): Block[] {
  const gating = kinds().filter((kind) => kind.gate);
  const items: Inline[] = [];
  for (const b of comparison.benchmarks) {
    for (const kind of gating) {
      const result = resultOf(b, kind);
      if (!kind.gate || result === undefined || !b.failed.includes(kind.gate.check)) continue;
      for (const r of kind.gate.verdict(result).reasons)
        items.push([clip(b.id), own(`: ${kind.gate.check}: `), clip(r, 500)]);
    }
  }
  if (items.length === 0) return [];
  const nouns = gating.map((kind) => kind.gate?.noun ?? kind.name);
  const what =
    nouns.length > 1 ? `${nouns.slice(0, -1).join(', ')} and ${nouns[nouns.length - 1]}` : nouns[0];
  const noun = `${what ?? 'attachment'} regressions`;
  return [heading(3, own(`${noun[0]!.toUpperCase()}${noun.slice(1)}`)), list(items, noun)];
}

function failedBlocks(comparison: Comparison): Block[] {
  const failed = comparison.benchmarks.filter((b) => b.status === 'failed');
  if (failed.length === 0) return [];
  const items = failed.map((b): Inline => {
    const message = (b.error ?? 'no samples recorded').split('\n')[0] ?? '';
    return [clip(b.id), ': ', tone('bad', code(clip(message, 500)))];
  });
  return [
    heading(3, [tone('bad', icon('💥', '✗')), own(' Failed benchmarks')]),
    paragraph(own('These threw (or recorded no samples) in this run, which fails the gate.')),
    list(items, 'failed benchmarks'),
  ];
}

function newBlocks(comparison: Comparison): Block[] {
  const fresh = comparison.benchmarks.filter((b) => b.status === 'new');
  if (fresh.length === 0) return [];
  const rows = fresh.map((b): Inline[] => [
    clip(b.id),
    value(b.time.head, b.time.unit),
    String(b.time.samples?.head ?? ''),
  ]);
  const columns = [
    ['Benchmark', 'l'],
    ['Median', 'r'],
    ['Samples', 'r'],
  ] as const;
  if (comparison.baseRuns === 0) {
    return [heading(3, own('Results')), table(columns, rows, 'benchmarks')];
  }
  return [
    details(own(`${plural(fresh.length, 'new benchmark')} (no baseline to compare with)`), [
      table(columns, rows, 'new benchmarks'),
    ]),
  ];
}

function unchangedBlock(comparison: Comparison): Block | null {
  const quiet = comparison.benchmarks.filter(
    (b) => b.status === 'unchanged' || b.status === 'noisy',
  );
  if (quiet.length === 0) return null;
  quiet.sort((x, y) => (x.status === y.status ? 0 : x.status === 'noisy' ? -1 : 1));
  const noisy = quiet.filter((b) => b.status === 'noisy').length;
  const rows = quiet.map((b): Inline[] => [
    clip(b.id),
    value(b.time.base, b.time.unit),
    value(b.time.head, b.time.unit),
    own(formatChange(b.time.change)),
    own(formatInterval(b.time.ci)),
    own(formatPValue(b.time.pValue)),
    own(b.time.mde != null ? `±${formatChange(b.time.mde).slice(1)}` : '—'),
    tone('dim', own(note(b))),
  ]);
  const summary = [
    plural(quiet.length - noisy, 'unchanged benchmark'),
    ...(noisy > 0 ? [`${noisy} noisy`] : []),
  ].join(', ');
  // Unstable forks explain a noisy benchmark, unless it was noisy because not confirmed.
  const unstable = quiet.some((b) => b.status === 'noisy' && !b.time.confirmation);
  const explain = unstable
    ? [
        paragraph([
          own('*Noisy*'),
          own(
            ': the change is significant, but the benchmark’s forks disagree with one another (unstable: V8 compiled it differently in different processes), so only a change well beyond their spread would count. Remedy: more forks (',
          ),
          code('run.forks'),
          own('), or a longer operation per sample.'),
        ]),
      ]
    : [];
  return details(own(summary), [
    ...explain,
    paragraph(
      own(
        'MDE: the smallest change this comparison would detect with 90 % probability (docs/statistics.md).',
      ),
    ),
    table(
      [
        ['Benchmark', 'l'],
        ['Base', 'r'],
        ['Head', 'r'],
        ['Change', 'r'],
        ['95 % CI', 'r'],
        ['p', 'r'],
        ['MDE', 'r'],
        ['Note', 'l'],
      ],
      rows,
      'unchanged benchmarks',
    ),
  ]);
}

function removedBlock(comparison: Comparison): Block | null {
  const removed = comparison.benchmarks.filter((b) => b.status === 'removed');
  if (removed.length === 0) return null;
  return details(
    own(`${plural(removed.length, 'removed benchmark')} (in the baseline, not in this run)`),
    [
      list(
        removed.map((b) => tone('dim', clip(b.id))),
        'removed benchmarks',
      ),
    ],
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
  return v === null ? '—' : nonBreaking(formatValue(v, unit));
}

/** Artifact links of a benchmark (flame graphs…), shown once, on its diagnosis line. */
function linksOf(b: BenchmarkComparison, options: ReportOptions): Inline[] {
  return (options.links?.[b.id] ?? []).flatMap((l, i): Inline[] => [
    ...(i > 0 ? [' · '] : []),
    link(clip(l.label, 40), l.url),
  ]);
}

/**
 * Lists shown above the regressions table are capped, so that they cannot push the table out of
 * a comment that has to be truncated.
 */
const MAX_LEADING_ITEMS = 10;

function capped(items: Inline[], more: (count: number) => string): Inline[] {
  if (items.length <= MAX_LEADING_ITEMS) return items;
  return [...items.slice(0, MAX_LEADING_ITEMS), own(more(items.length - MAX_LEADING_ITEMS))];
}
