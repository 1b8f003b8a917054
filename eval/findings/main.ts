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
import { evaluateProfiles, type FormatResult } from './profiles.js';

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
  const rows = results.map((r) =>
    r.available
      ? `| ${r.format} | ${r.aaPairs} | ${((100 * r.falseChanges) / Math.max(1, r.aaPairs)).toFixed(1)} | ${r.ab['slow1.3'].first}/${r.ab['slow1.3'].pairs} (${pct(r.ab['slow1.3'].first, r.ab['slow1.3'].pairs)}) | ${r.ab.slow2.first}/${r.ab.slow2.pairs} (${pct(r.ab.slow2.first, r.ab.slow2.pairs)}) |`
      : `| ${r.format} | — | not measured: tool not available | — | — |`,
  );
  const met = results
    .filter((r) => r.available)
    .map((r) => {
      const aa = (100 * r.falseChanges) / Math.max(1, r.aaPairs) <= 1;
      const ab = ['slow1.3', 'slow2'].every((v) => {
        const x = r.ab[v as 'slow1.3' | 'slow2'];
        return x.pairs > 0 && x.first / x.pairs >= 0.95;
      });
      return `${r.format}: A/A ${aa ? 'met' : 'NOT met'}, ranking ${ab ? 'met' : 'NOT met'}`;
    });
  return [
    `Measured by \`npm run eval:findings\` on ${machine()}.`,
    '',
    '| Format | A/A pairs | False changes per 100 pairs | 1.3× ranked first | 2× ranked first |',
    '| :-- | --: | --: | --: | --: |',
    ...rows,
    '',
    'Targets: ≤ 1 false change per 100 A/A pairs; the slowed function first in ≥ 95 % of A/B pairs.',
    `Result: ${met.join('; ')}.`,
    '',
    'How each pool was recorded:',
    '',
    ...results.map((r) => `- ${r.format}: ${r.how}.`),
    '',
    'Pairs are all combinations of the pool (A/A: two A recordings; A/B: an A and a B recording), so',
    'they share recordings and are not independent.',
  ].join('\n');
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
