/**
 * `pg_stat_statements` exports: CSV with a header (`\copy (SELECT … FROM pg_stat_statements)
 * TO 'f.csv' CSV HEADER`) or JSON (an array of rows, `SELECT json_agg(s) FROM pg_stat_statements
 * s`). Columns used: `query`, `calls`, and `total_exec_time` (PG ≥ 13) or `total_time`.
 * The view keeps no per-request grouping: counts are totals.
 */
import { InputError } from '../../model/errors.js';
import { FieldCheck } from '../../model/fields.js';
import { parseJson } from '../../model/io.js';
import { fingerprintSql } from '../fingerprint.js';
import { parseCsv } from './csv.js';

export interface AggregatedStatement {
  fingerprint: string;
  sample: string;
  calls: number;
  totalMs?: number;
}

export function parsePgStatStatements(text: string, file: string): AggregatedStatement[] {
  const trimmed = text.trimStart();
  let rows: Array<Record<string, unknown>>;
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    const data = parseJson(text, file);
    const list = Array.isArray(data) ? data : (data as { rows?: unknown }).rows;
    if (!Array.isArray(list))
      throw new InputError('pg_stat_statements JSON must be an array of rows', file);
    rows = list as Array<Record<string, unknown>>;
  } else {
    const [header, ...body] = parseCsv(text).filter((row) => row.some((cell) => cell !== ''));
    if (!header) throw new InputError('empty pg_stat_statements export', file);
    rows = body.map((row) => Object.fromEntries(header.map((name, i) => [name.trim(), row[i]])));
  }
  // An empty view means nothing was captured (extension not loaded, workload not run): saying
  // "0 statements" would pass any gate.
  if (rows.length === 0)
    throw new InputError(
      'no rows: an empty pg_stat_statements export (is the extension in shared_preload_libraries, and did the workload run?)',
      file,
    );
  const check = new FieldCheck(file, 'pg_stat_statements export');
  const merged = new Map<string, AggregatedStatement>();
  rows.forEach((value, index) => {
    // Rows counted from 1 as a reader sees them; CSV cells are text, JSON values numbers.
    const at = `row ${index + 1}`;
    const row = check.object(value, at);
    if (row.query === undefined || row.calls === undefined) {
      throw new InputError(
        `${at}: expected the columns "query" and "calls" of pg_stat_statements`,
        file,
      );
    }
    const query = check.string(row.query, `${at}.query`);
    const calls = count(check, row.calls, `${at}.calls`);
    const rawTotal = row.total_exec_time ?? row.total_time;
    const totalKey = row.total_exec_time !== undefined ? 'total_exec_time' : 'total_time';
    const total =
      rawTotal === undefined || rawTotal === null || rawTotal === ''
        ? undefined
        : count(check, rawTotal, `${at}.${totalKey}`);
    // pg_stat_statements keeps one row per (user, database, query id): merge equal shapes.
    const fingerprint = fingerprintSql(query, { dialect: 'postgres' });
    const entry = merged.get(fingerprint) ?? { fingerprint, sample: query.trim(), calls: 0 };
    entry.calls += calls;
    if (total !== undefined) entry.totalMs = (entry.totalMs ?? 0) + total;
    merged.set(fingerprint, entry);
  });
  return [...merged.values()].sort((a, b) => b.calls - a.calls);
}

/** A count or a total: a finite number >= 0, or its text (CSV). */
function count(check: FieldCheck, value: unknown, path: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
    check.fail(path, 'a finite number >= 0', value);
  return n;
}
