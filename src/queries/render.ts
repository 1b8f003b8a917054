/**
 * The "Queries" section of the reports, as display-neutral blocks. SQL and names come from the
 * pull request: they stay plain text and code spans, which the layouts escape. Pure.
 */
import type { BenchmarkComparison, Comparison, QueriesComparison } from '../model/comparison.js';
import type { CallSite } from '../model/queries.js';
import {
  code,
  details as detailsBlock,
  heading,
  icon,
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
import { formatCount } from '../text/format.js';

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

function finding(f: QueriesComparison['nPlusOne'][number], benchmark: string): Inline {
  const where = site(f.callSite);
  const before =
    f.basePerIteration !== null && f.basePerIteration !== undefined && !f.new
      ? ` (base × ${formatCount(f.basePerIteration)})`
      : '';
  return [
    tone(f.new ? 'bad' : 'warn', strongIf(f.new === true, own(f.new ? 'New N+1:' : 'N+1:'))),
    ' ',
    code(shortSql(f.fingerprint)),
    own(` × ${formatCount(f.perIteration)} per call`),
    ...(where ? [own(', from '), where] : []),
    before,
    own(' — '),
    benchmark,
  ];
}

function strongIf(yes: boolean, inline: Inline): Inline {
  return yes ? strong(inline) : inline;
}

function countDelta(delta: number): string {
  return delta > 0 ? `+${formatCount(delta)}` : delta < 0 ? `−${formatCount(-delta)}` : '±0';
}

function arrow(base: number | null | undefined, head: number | null | undefined): string {
  if (base === null || base === undefined)
    return head === null || head === undefined ? '–' : formatCount(head);
  return `${formatCount(base)} → ${formatCount(head ?? 0)}`;
}

/** The "Queries" section; none when no benchmark has query data. */
export function queriesSection(comparison: Comparison): Block[] {
  const benchmarks = withQueries(comparison);
  if (benchmarks.length === 0) return [];
  const changed = benchmarks.filter((b) => countsChanged(b.queries));
  const findings = benchmarks.flatMap((b) => b.queries.nPlusOne.map((f) => ({ b, f })));
  findings.sort(
    (x, y) =>
      Number(y.f.new ?? false) - Number(x.f.new ?? false) || y.f.perIteration - x.f.perIteration,
  );
  const blocks: Block[] = [heading(3, own('Queries'))];
  if (changed.length === 0 && findings.length === 0) {
    const total = benchmarks.reduce((sum, b) => sum + (b.queries.head ?? 0), 0);
    blocks.push(
      paragraph(
        own(
          `Query counts unchanged in ${benchmarks.length} instrumented benchmark${benchmarks.length === 1 ? '' : 's'} (${formatCount(total)} queries per iteration in all), no N+1 pattern.`,
        ),
      ),
    );
    return blocks;
  }
  if (changed.length > 0) {
    // HTTP and sync-fs columns only when some benchmark has any: zeros are noise in the comment.
    const http = changed.some(
      (b) => (b.queries.httpBase ?? 0) > 0 || (b.queries.httpHead ?? 0) > 0,
    );
    const fs = changed.some(
      (b) => (b.queries.syncFsBase ?? 0) > 0 || (b.queries.syncFsHead ?? 0) > 0,
    );
    const row = (b: WithQueries): Inline[] => {
      const q = b.queries;
      // Counts change by a count ("+500"), not a percentage (1 → 501 is not "+50000.0%").
      const change = q.base === null || q.head === null ? '' : countDelta(q.head - q.base);
      return [
        [b.name, ...(q.regressed ? [' ', tone('bad', icon('⚠️', '!'))] : [])],
        own(arrow(q.base, q.head)),
        own(change),
        ...(http ? [own(arrow(q.httpBase, q.httpHead))] : []),
        ...(fs ? [own(arrow(q.syncFsBase, q.syncFsHead))] : []),
      ];
    };
    // Short names in the rows, their file and group as the heading.
    for (const [place, group] of groupByPlace(changed)) {
      blocks.push(
        heading(4, place),
        table(
          [
            ['Benchmark', 'l'],
            ['Queries / iteration', 'r'],
            ['Change', 'r'],
            ...(http ? [['HTTP / iteration', 'r'] as const] : []),
            ...(fs ? [['Sync fs / iteration', 'r'] as const] : []),
          ],
          group.map(row),
          'benchmarks with query changes',
        ),
      );
    }
  }
  if (findings.length > 0) {
    blocks.push(
      list(
        findings.map(({ b, f }) => finding(f, b.id)),
        'N+1 findings',
      ),
    );
  }

  const details: Inline[] = [];
  for (const b of benchmarks) {
    const blocked = b.queries.eventLoopMaxMs;
    if (blocked !== undefined && blocked >= BLOCKED_LOOP_MS) {
      details.push([
        b.id,
        own(
          `: event loop blocked up to ${formatCount(blocked)} ms at a time (synchronous work in the operation)`,
        ),
      ]);
    }
  }
  for (const b of changed) {
    // A query already stated as an N+1 above is not listed again.
    const stated = new Set(b.queries.nPlusOne.map((f) => f.fingerprint));
    for (const c of b.queries.changed ?? []) {
      if (stated.has(c.fingerprint)) continue;
      details.push([b.id, ': ', code(shortSql(c.fingerprint)), ' ', own(arrow(c.base, c.head))]);
    }
  }
  for (const b of benchmarks) {
    for (const e of b.queries.explain ?? []) {
      if (e.seqScans.length === 0) continue;
      const scans = e.seqScans.map((s, i): Inline[] => [
        own(`${i > 0 ? ', ' : ''}Seq Scan on `),
        code(s.relation),
        own(` (${formatCount(s.rows)} rows)`),
      ]);
      const hints = e.hints.map((h): Inline[] => [own('; consider '), code(h)]);
      details.push([code(shortSql(e.fingerprint)), ': ', scans, hints]);
    }
  }
  if (details.length > 0) {
    blocks.push(detailsBlock(own('Query details'), [list(details, 'query details')]));
  }
  return blocks;
}
