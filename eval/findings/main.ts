/**
 * `npm run eval:findings`: measures the profile noise rule and the leak rule on real recordings
 * and writes the tables into docs/profiling.md and docs/memory.md (between the
 * `<!-- eval:findings -->` markers), with the machine and the date.
 * argv: root cacheDir bundleDir [--fresh] [--only profiles|leaks] [--runs N]
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateLeaks, type LeakResult } from './leaks.js';
import {
  evaluateProfiles,
  HISTORY_BASES,
  SIDE_RECORDINGS,
  type FormatResult,
  type ModeResult,
} from './profiles.js';

const [root, cache, bundles, ...rest] = process.argv.slice(2) as [
  string,
  string,
  string,
  ...string[],
];
const fresh = rest.includes('--fresh');
const only = rest.includes('--only') ? rest[rest.indexOf('--only') + 1] : undefined;
const runs = rest.includes('--runs') ? Number(rest[rest.indexOf('--runs') + 1]) : 3;
const log = (line: string) => console.log(line);

/** The 1-minute load average when the evaluation started (sampled again at each table). */
const loadAtStart = loadavg()[0]!;

function machine(): string {
  const cpu = cpus();
  const end = loadavg()[0]!;
  // The evaluation itself keeps 1–3 threads runnable (the recorded process, V8's or the
  // tool's helper threads); a machine shared with builds and tests showed 13–28 on 2 cores.
  const quiet = Math.max(loadAtStart, end) <= 2 * cpu.length;
  return (
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, ` +
    `${new Date().toISOString().slice(0, 16)}Z, load average ${loadAtStart.toFixed(1)} at the start ` +
    `and ${end.toFixed(1)} at the end (${quiet ? 'the machine was otherwise idle' : 'the machine was shared with other work'})`
  );
}

const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(0)} %` : '—');

function profileTable(results: FormatResult[]): string {
  const per100 = (m: ModeResult) => ((100 * m.falseChanges) / Math.max(1, m.aaPairs)).toFixed(1);
  const first = (m: ModeResult, v: 'slow1.3' | 'slow2') =>
    `${m.ab[v].first}/${m.ab[v].pairs} (${pct(m.ab[v].first, m.ab[v].pairs)})`;
  const row = (format: string, label: string, m: ModeResult) =>
    `| ${format} | ${label} | ${m.aaPairs} | ${per100(m)} | ${first(m, 'slow1.3')} | ${first(m, 'slow2')} |`;
  const rows = results.flatMap((r) =>
    r.available
      ? [
          row(r.format, 'one', r),
          ...(r.history.aaPairs > 0 ? [row('', `${HISTORY_BASES} stored`, r.history)] : []),
          ...(r.sides.aaPairs > 0 ? [row('', `${SIDE_RECORDINGS} a side`, r.sides)] : []),
        ]
      : [`| ${r.format} | — | — | not measured: tool not available | — | — |`],
  );
  const verdict = (m: ModeResult) => {
    const aa = (100 * m.falseChanges) / Math.max(1, m.aaPairs) <= 1;
    const ab = (['slow1.3', 'slow2'] as const).every(
      (v) => m.ab[v].pairs > 0 && m.ab[v].first / m.ab[v].pairs >= 0.95,
    );
    return `A/A ${aa ? 'met' : 'NOT met'}, ranking ${ab ? 'met' : 'NOT met'}`;
  };
  const met = results
    .filter((r) => r.available)
    .map(
      (r) =>
        `${r.format}: one base ${verdict(r)}` +
        (r.history.aaPairs > 0 ? `; ${HISTORY_BASES} bases ${verdict(r.history)}` : '') +
        (r.sides.aaPairs > 0 ? `; ${SIDE_RECORDINGS} a side ${verdict(r.sides)}` : ''),
    );
  const spreads = results
    .filter((r) => r.available && r.spread.length > 0)
    .map(
      (r) =>
        `- ${r.format}: ${r.spread
          .slice(0, 6)
          .map((f) => `\`${f.name}\` ${(100 * f.cv).toFixed(1)} %`)
          .join(', ')}`,
    );
  return [
    `Measured by \`npm run eval:findings\` on ${machine()}.`,
    '',
    '| Format | Bases | A/A comparisons | False changes per 100 | 1.3× ranked first | 2× ranked first |',
    '| :-- | :-- | --: | --: | --: | --: |',
    ...rows,
    '',
    'Targets: ≤ 1 false change per 100 A/A comparisons; the slowed function first in ≥ 95 % of A/B',
    `comparisons. "One": one base recording against one head (the first PR after a baseline);`,
    `"${HISTORY_BASES} stored": ${HISTORY_BASES} base recordings pooled, as a stored history of main's runs is, whose spread`,
    'the rule then measures (src/profile/spread.ts);',
    `"${SIDE_RECORDINGS} a side": ${SIDE_RECORDINGS} base recordings against ${SIDE_RECORDINGS} head recordings (processes of the`,
    'head code), each side pooled, as `perfgate profile diff BASE_DIR HEAD_DIR` compares them.',
    `Result: ${met.join('; ')}.`,
    '',
    "Spread between processes (coefficient of variation of each function's own time between the",
    "A recordings, after each recording's profile-wide factor and beyond sampling; the six largest):",
    '',
    ...spreads,
    '',
    ...priorTable(results),
    'How each pool was recorded:',
    '',
    ...results.map(
      (r) =>
        `- ${r.format}: ${r.how}${r.available ? `; ${Math.round(r.samples).toLocaleString('en-US')} samples per A recording (median)` : ''}.`,
    ),
    '',
    'Comparisons are all combinations of the pool (A/A: A recordings; A/B: A bases and a B head;',
    `with ${HISTORY_BASES} bases, each run of ${HISTORY_BASES} consecutive A recordings against every other; ${SIDE_RECORDINGS} a side: each`,
    `run of ${SIDE_RECORDINGS} consecutive A recordings against the next ${SIDE_RECORDINGS}, or against each run of ${SIDE_RECORDINGS} B recordings), so they share`,
    'recordings and are not independent.',
  ].join('\n');
}

/** One base against one head under each prior spread, for the pools that have a prior. */
function priorTable(results: FormatResult[]): string[] {
  return results
    .filter((r) => r.available && r.priors.length > 0)
    .flatMap((r) => [
      `Prior spread (src/profile/spread.ts PRIOR_SPREAD) weighed on the ${r.format} pool, one base against one head:`,
      '',
      '| Prior | False changes per 100 A/A | 1.3× ranked first | 2× ranked first |',
      '| --: | --: | --: | --: |',
      ...r.priors.map(
        (p) =>
          `| ${(100 * p.prior).toFixed(0)} % | ${((100 * p.falseChanges) / Math.max(1, p.aaPairs)).toFixed(1)} | ${pct(p.ab['slow1.3'].first, p.ab['slow1.3'].pairs)} | ${pct(p.ab.slow2.first, p.ab.slow2.pairs)} |`,
      ),
      '',
    ]);
}

function leakTable(results: LeakResult[]): string {
  const falseLeaks = results.filter((r) => !r.leaking).reduce((n, r) => n + r.flagged, 0);
  const cleanRuns = results.filter((r) => !r.leaking).reduce((n, r) => n + r.runs, 0);
  const found = results.filter((r) => r.leaking).reduce((n, r) => n + r.flagged, 0);
  const leakRuns = results.filter((r) => r.leaking).reduce((n, r) => n + r.runs, 0);
  const fmt = (b: number) => `${Math.round(b)}`;
  return [
    `Measured by \`npm run eval:findings\` on ${machine()}.`,
    '',
    '| Workload | Leaks? | Runs | Flagged as leak | Retained B/op (runs) | Allocated B/op |',
    '| :-- | :-- | --: | --: | --: | --: |',
    ...results.map(
      (r) =>
        `| ${r.what} (\`${r.name}\`) | ${r.leaking ? 'yes' : 'no'} | ${r.runs}${r.errors.length ? ` (${r.errors.length} failed)` : ''} | ${r.flagged} | ${r.retained.map(fmt).join(', ')} | ${fmt(r.allocBytesPerOp)} |`,
    ),
    '',
    `False leaks: ${falseLeaks} in ${cleanRuns} runs of non-leaking workloads (target 0: ${falseLeaks === 0 ? 'met' : 'NOT met'}). ` +
      `Leaks found: ${found} of ${leakRuns} runs of leaking workloads, ${pct(found, leakRuns)} (target ≥ 95 %: ${leakRuns > 0 && found / leakRuns >= 0.95 ? 'met' : 'NOT met'}).`,
  ].join('\n');
}

function writeSection(file: string, body: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const start = '<!-- eval:findings:start -->';
  const end = '<!-- eval:findings:end -->';
  const section = `${start}\n${body}\n${end}`;
  const next = text.includes(start)
    ? text.slice(0, text.indexOf(start)) + section + text.slice(text.indexOf(end) + end.length)
    : `${text.trimEnd()}\n\n## Evaluation (findings)\n\n${section}\n`;
  writeFileSync(path, next);
  log(`wrote ${file}`);
}

if (only !== 'leaks') {
  log('function changes on real profiles:');
  writeSection(
    'docs/profiling.md',
    profileTable(await evaluateProfiles(root, cache, bundles, fresh, log)),
  );
}
if (only !== 'profiles') {
  log('leak rule on the workload catalogue:');
  writeSection(
    'docs/memory.md',
    leakTable(evaluateLeaks(root, join(bundles, 'memory-driver.mjs'), runs, log)),
  );
}
