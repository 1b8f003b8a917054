/**
 * Optional EXPLAIN (Postgres and PGlite) of the N+1 and the slowest fingerprints, after the
 * pass, on the connection that ran them: sequential scans on large tables and the index that
 * would avoid them. EXPLAIN without ANALYZE plans but never executes the statement.
 */
import type { ExplainFinding, QueriesAttachment } from '../model/queries.js';
import { fingerprintSql } from './fingerprint.js';
import type { RecordedEvent } from './recorder.js';
import { splitStatements } from './sql-tokenizer.js';

/** A table with at least this many rows is "large" for a sequential scan. */
export const LARGE_TABLE_ROWS = 1000;
const SLOWEST = 3;
const EXPLAINABLE = /^\s*(with|select|insert|update|delete)\b/i;

interface PlanNode {
  'Node Type'?: string;
  'Relation Name'?: string;
  Schema?: string;
  Filter?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

export async function explainFindings(
  attachment: QueriesAttachment,
  events: RecordedEvent[],
): Promise<ExplainFinding[]> {
  const wanted = new Set(attachment.nPlusOne.map((finding) => finding.fingerprint));
  const slowest = attachment.fingerprints
    .filter((f) => f.kind === 'sql' && f.timeMs !== undefined)
    .sort((a, b) => (b.timeMs ?? 0) - (a.timeMs ?? 0))
    .slice(0, SLOWEST);
  for (const f of slowest) wanted.add(f.fingerprint);
  const findings: ExplainFinding[] = [];
  for (const fingerprint of wanted) {
    const event = events.find(
      (e) =>
        e.run &&
        e.dialect === 'postgres' &&
        EXPLAINABLE.test(e.text) &&
        splitStatements(e.text).length === 1 &&
        fingerprintSql(e.text) === fingerprint,
    );
    if (!event?.run) continue;
    try {
      const result = (await event.run(
        `EXPLAIN (FORMAT JSON, VERBOSE) ${event.text}`,
        event.values,
      )) as {
        rows?: Array<Record<string, unknown>>;
      };
      const plan = planOf(result.rows?.[0]);
      if (!plan) continue;
      const seqScans: ExplainFinding['seqScans'] = [];
      for (const node of walk(plan)) {
        if (node['Node Type'] !== 'Seq Scan' || !node['Relation Name']) continue;
        const relation = node.Schema
          ? `${node.Schema}.${node['Relation Name']}`
          : node['Relation Name'];
        const rows = await tableRows(event.run, relation);
        if (rows < LARGE_TABLE_ROWS) continue;
        seqScans.push({ relation, rows, ...(node.Filter ? { filter: node.Filter } : {}) });
      }
      findings.push({
        fingerprint,
        plan: summarize(plan),
        seqScans,
        hints: seqScans.flatMap((scan) => indexHint(scan.relation, scan.filter)),
      });
    } catch {
      // A statement that cannot be planned again (temp table gone, closed client) is skipped.
    }
  }
  return findings;
}

function planOf(row: Record<string, unknown> | undefined): PlanNode | undefined {
  if (!row) return undefined;
  let value = row['QUERY PLAN'] ?? Object.values(row)[0];
  if (typeof value === 'string') value = JSON.parse(value) as unknown;
  const top = Array.isArray(value) ? (value[0] as { Plan?: PlanNode }) : undefined;
  return top?.Plan;
}

function* walk(node: PlanNode): Generator<PlanNode> {
  yield node;
  for (const child of node.Plans ?? []) yield* walk(child);
}

/** "Nested Loop > Seq Scan on public.users" — the node types, outermost first. */
function summarize(plan: PlanNode): string {
  const parts: string[] = [];
  for (const node of walk(plan)) {
    const type = node['Node Type'] ?? '?';
    parts.push(node['Relation Name'] ? `${type} on ${node['Relation Name']}` : type);
  }
  return parts.join(' > ');
}

async function tableRows(
  run: NonNullable<RecordedEvent['run']>,
  relation: string,
): Promise<number> {
  const quoted = relation
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
  const stats = (await run(
    'SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)',
    [quoted],
  )) as { rows?: Array<{ n?: number }> };
  const estimate = Number(stats.rows?.[0]?.n ?? -1);
  if (estimate >= 0) return Math.round(estimate);
  // Never analysed (reltuples = -1): count, but never more than needed to call it large.
  const counted = (await run(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${quoted} LIMIT ${LARGE_TABLE_ROWS * 100}) AS sample`,
  )) as { rows?: Array<{ n?: number }> };
  return Number(counted.rows?.[0]?.n ?? 0);
}

/** Columns compared with a parameter or a constant in a scan filter → a CREATE INDEX hint. */
export function indexHint(relation: string, filter: string | undefined): string[] {
  if (!filter) return [];
  const columns = new Set<string>();
  const re = /\(?(?:[\w"]+\.)?("?[A-Za-z_][\w]*"?)\s*(?:=|<|>|<=|>=|~~|= ANY)\s*(?:\$\d+|'|\d|\()/g;
  for (const match of filter.matchAll(re)) columns.add(match[1]!);
  if (columns.size === 0) return [];
  return [`CREATE INDEX ON ${relation} (${[...columns].join(', ')})`];
}
