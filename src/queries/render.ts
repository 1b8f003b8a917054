/**
 * The "Queries" section of the comment and its terminal twin. SQL and names come from the pull
 * request: everything is escaped (inline code for SQL, escapeMarkdown for the rest). Pure.
 */
import type { BenchmarkComparison, Comparison, QueriesComparison } from '../model/comparison.js';
import type { CallSite } from '../model/queries.js';
import { escapeMarkdown, formatCount, inlineCode } from '../text/format.js';

const MAX_SQL = 140;
const MAX_SELECT_LIST = 24;
/** Event-loop delays from this long are worth a line in the details. */
const BLOCKED_LOOP_MS = 100;

type WithQueries = BenchmarkComparison & { queries: QueriesComparison };

function withQueries(comparison: Comparison): WithQueries[] {
  return comparison.benchmarks.filter((b): b is WithQueries => b.queries !== undefined);
}

function countsChanged(q: QueriesComparison): boolean {
  return (
    (q.base !== null && q.base !== q.head) ||
    (q.httpBase != null && q.httpBase !== q.httpHead) ||
    (q.syncFsBase != null && q.syncFsHead != null && q.syncFsBase !== q.syncFsHead)
  );
}

/**
 * `SELECT id, name, email, created_at FROM users WHERE …` → `SELECT … FROM users WHERE …`:
 * a long select list says little about where the time goes; the table and the filter do.
 */
export function shortSql(fingerprint: string): string {
  let text = fingerprint;
  const match = /^(SELECT(?: DISTINCT)?) (.+?) (FROM .*)$/s.exec(text);
  if (match && match[2]!.length > MAX_SELECT_LIST && !/\bSELECT\b/.test(match[2]!)) {
    text = `${match[1]} … ${match[3]}`;
  }
  return text.length > MAX_SQL ? `${text.slice(0, MAX_SQL - 1)}…` : text;
}

function site(callSite: CallSite | undefined): string {
  return callSite ? `${callSite.file}:${callSite.line}` : '';
}

function findingLine(
  finding: QueriesComparison['nPlusOne'][number],
  benchmark: string,
  markdown: boolean,
): string {
  const where = site(finding.callSite);
  const before =
    finding.basePerIteration !== null && finding.basePerIteration !== undefined && !finding.new
      ? ` (base × ${formatCount(finding.basePerIteration)})`
      : '';
  if (!markdown) {
    const tag = finding.new ? 'NEW N+1' : 'N+1';
    return `${tag} ${shortSql(finding.fingerprint)} × ${formatCount(finding.perIteration)} per call${where ? `, from ${where}` : ''}${before} [${benchmark}]`;
  }
  const tag = finding.new ? '**New N+1:** ' : 'N+1: ';
  return (
    `- ${tag}${inlineCode(shortSql(finding.fingerprint))} × ${formatCount(finding.perIteration)} per call` +
    `${where ? `, from ${escapeMarkdown(where)}` : ''}${escapeMarkdown(before)} — ${escapeMarkdown(benchmark)}`
  );
}

function countDelta(delta: number): string {
  return delta > 0 ? `+${formatCount(delta)}` : delta < 0 ? `−${formatCount(-delta)}` : '±0';
}

function arrow(base: number | null | undefined, head: number | null | undefined): string {
  if (base === null || base === undefined)
    return head === null || head === undefined ? '–' : formatCount(head);
  return `${formatCount(base)} → ${formatCount(head ?? 0)}`;
}

/** The "Queries" section of the comment; '' when no benchmark has query data. */
export function queriesMarkdown(comparison: Comparison): string {
  const benchmarks = withQueries(comparison);
  if (benchmarks.length === 0) return '';
  const changed = benchmarks.filter((b) => countsChanged(b.queries));
  const findings = benchmarks.flatMap((b) => b.queries.nPlusOne.map((f) => ({ b, f })));
  findings.sort(
    (x, y) =>
      Number(y.f.new ?? false) - Number(x.f.new ?? false) || y.f.perIteration - x.f.perIteration,
  );
  const lines: string[] = ['### Queries', ''];
  if (changed.length === 0 && findings.length === 0) {
    const total = benchmarks.reduce((sum, b) => sum + (b.queries.head ?? 0), 0);
    lines.push(
      `Query counts unchanged in ${benchmarks.length} instrumented benchmark${benchmarks.length === 1 ? '' : 's'} (${formatCount(total)} queries per iteration in all), no N+1 pattern.`,
    );
    return `${lines.join('\n')}\n`;
  }
  if (changed.length > 0) {
    // HTTP and sync-fs columns only when some benchmark has any: zeros are noise in the comment.
    const http = changed.some(
      (b) => (b.queries.httpBase ?? 0) > 0 || (b.queries.httpHead ?? 0) > 0,
    );
    const fs = changed.some(
      (b) => (b.queries.syncFsBase ?? 0) > 0 || (b.queries.syncFsHead ?? 0) > 0,
    );
    lines.push(
      `| Benchmark | Queries / iteration | Change |${http ? ' HTTP / iteration |' : ''}${fs ? ' Sync fs / iteration |' : ''}`,
      `| --- | ---: | ---: |${http ? ' ---: |' : ''}${fs ? ' ---: |' : ''}`,
    );
    for (const b of changed) {
      const q = b.queries;
      const mark = q.regressed ? ' ⚠️' : '';
      // Counts change by a count ("+500"), not a percentage (1 → 501 is not "+50000.0%").
      const change = q.base === null || q.head === null ? '' : countDelta(q.head - q.base);
      lines.push(
        `| ${escapeMarkdown(b.id)}${mark} | ${arrow(q.base, q.head)} | ${change} |` +
          (http ? ` ${arrow(q.httpBase, q.httpHead)} |` : '') +
          (fs ? ` ${arrow(q.syncFsBase, q.syncFsHead)} |` : ''),
      );
    }
    lines.push('');
  }
  for (const { b, f } of findings) lines.push(findingLine(f, b.id, true));
  if (findings.length > 0) lines.push('');

  const details: string[] = [];
  for (const b of benchmarks) {
    const blocked = b.queries.eventLoopMaxMs;
    if (blocked !== undefined && blocked >= BLOCKED_LOOP_MS) {
      details.push(
        `- ${escapeMarkdown(b.id)}: event loop blocked up to ${formatCount(blocked)} ms at a time (synchronous work in the operation)`,
      );
    }
  }
  for (const b of changed) {
    for (const c of b.queries.changed ?? []) {
      details.push(
        `- ${escapeMarkdown(b.id)}: ${inlineCode(shortSql(c.fingerprint))} ${arrow(c.base, c.head)}`,
      );
    }
  }
  for (const b of benchmarks) {
    for (const e of b.queries.explain ?? []) {
      if (e.seqScans.length === 0) continue;
      const scans = e.seqScans
        .map((s) => `Seq Scan on ${inlineCode(s.relation)} (${formatCount(s.rows)} rows)`)
        .join(', ');
      const hints = e.hints.map((h) => `; consider ${inlineCode(h)}`).join('');
      details.push(`- ${inlineCode(shortSql(e.fingerprint))}: ${scans}${hints}`);
    }
  }
  if (details.length > 0) {
    lines.push('<details><summary>Query details</summary>', '', ...details, '', '</details>', '');
  }
  return `${lines.join('\n')}\n`;
}

/** The same for the terminal. */
export function queriesText(comparison: Comparison): string[] {
  const benchmarks = withQueries(comparison);
  if (benchmarks.length === 0) return [];
  const lines = ['Queries'];
  for (const b of benchmarks) {
    const q = b.queries;
    if (!countsChanged(q) && q.nPlusOne.length === 0) continue;
    lines.push(
      `  ${b.id}: ${arrow(q.base, q.head)} queries/iteration` +
        (q.httpHead ? `, ${arrow(q.httpBase, q.httpHead)} HTTP` : '') +
        (q.syncFsHead ? `, ${arrow(q.syncFsBase, q.syncFsHead)} sync fs` : '') +
        (q.regressed ? '  REGRESSED' : ''),
    );
    for (const f of q.nPlusOne) lines.push(`    ${findingLine(f, b.id, false)}`);
    for (const e of q.explain ?? []) for (const hint of e.hints) lines.push(`    hint: ${hint}`);
  }
  if (lines.length === 1)
    lines.push(`  unchanged in ${benchmarks.length} benchmark(s), no N+1 pattern`);
  return lines;
}
