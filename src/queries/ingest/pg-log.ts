/**
 * Postgres server logs → statements: the stderr text format (any `log_line_prefix` that shows
 * the pid as `[%p]`), csvlog and jsonlog (PG ≥ 15). Statements come from `log_statement`
 * (`statement:` / `execute <name>:`) and from `log_min_duration_statement`
 * (`duration: … ms  statement: …`); a bare `duration:` line gives its time to the session's
 * previous statement. `parse`/`bind` steps are not executions. N+1 is counted per session.
 */
import { InputError } from '../../model/errors.js';
import type { StatementRecord } from '../analyze.js';
import { fingerprintSql } from '../fingerprint.js';
import { splitStatements } from '../sql-tokenizer.js';
import { parseCsv } from './csv.js';
import { pushAll } from '../../model/arrays.js';

export interface PgLogEntry {
  session: string;
  severity: string;
  message: string;
}

const STATEMENT =
  /^(?:duration: ([\d.]+) ms\s+)?(statement|execute [^:]*|parse [^:]*|bind [^:]*):\s([\s\S]*)$/;
const DURATION_ONLY = /^duration: ([\d.]+) ms\s*$/;

/** Turns log messages into statements (pure). */
export function statementsFromPgLog(entries: Iterable<PgLogEntry>): StatementRecord[] {
  const records: StatementRecord[] = [];
  const lastBySession = new Map<string, StatementRecord[]>();
  for (const entry of entries) {
    if (entry.severity !== 'LOG') continue;
    const message = entry.message;
    const durationOnly = DURATION_ONLY.exec(message);
    if (durationOnly) {
      const last = lastBySession.get(entry.session);
      if (last) {
        const ms = Number(durationOnly[1]) / last.length;
        for (const record of last) record.timeMs = ms;
      }
      lastBySession.delete(entry.session);
      continue;
    }
    const match = STATEMENT.exec(message);
    if (!match) continue;
    const kind = match[2]!;
    if (kind.startsWith('parse ') || kind.startsWith('bind ')) continue;
    const statements = splitStatements(match[3]!, 'postgres');
    const created: StatementRecord[] = statements.map((sql) => ({
      kind: 'sql',
      fingerprint: fingerprintSql(sql, { dialect: 'postgres' }),
      sample: sql,
      group: entry.session,
      driver: 'postgres',
    }));
    if (match[1] !== undefined) {
      for (const record of created) record.timeMs = Number(match[1]) / created.length;
      lastBySession.delete(entry.session);
    } else lastBySession.set(entry.session, created);
    pushAll(records, created);
  }
  return records;
}

// `2024-01-01 10:00:00.123 UTC [1234] user@db LOG:  statement: …` (prefix up to the severity).
const STDERR_LINE =
  /^(.*?)\b(LOG|ERROR|WARNING|NOTICE|INFO|DEBUG\d?|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION):\s\s(.*)$/;

/** Entries of a stderr-format log; continuation lines (tab-indented) join their entry. */
export function parsePgStderrLog(text: string, file: string): PgLogEntry[] {
  const entries: PgLogEntry[] = [];
  let current: PgLogEntry | undefined;
  let recognised = 0;
  for (const line of text.split(/\r?\n/)) {
    const match = STDERR_LINE.exec(line);
    if (match && !line.startsWith('\t')) {
      const pid = /\[(\d+)(?:-\d+)?\]/.exec(match[1]!)?.[1];
      const session = /\b([0-9a-f]+\.[0-9a-f]+)\b/.exec(match[1]!)?.[1];
      current = { session: pid ?? session ?? 'all', severity: match[2]!, message: match[3]! };
      entries.push(current);
      recognised++;
    } else if (current && (line.startsWith('\t') || line === '')) {
      current.message += `\n${line.replace(/^\t/, '')}`;
    }
  }
  if (recognised === 0 && text.trim() !== '') {
    throw new InputError(
      'not a Postgres log: no line with "LOG:  " (see docs/queries.md for the settings)',
      file,
    );
  }
  for (const entry of entries) entry.message = entry.message.replace(/\n+$/, '');
  return entries;
}

// csvlog columns (PG 13–17): 5 session_id, 11 error_severity, 13 message.
export function parsePgCsvLog(text: string, file: string): PgLogEntry[] {
  const rows = parseCsv(text).filter((row) => row.length > 1);
  if (rows.length > 0 && rows.every((row) => row.length < 14)) {
    throw new InputError('not a Postgres csvlog: expected at least 14 columns per row', file);
  }
  return rows
    .filter((row) => row.length >= 14)
    .map((row) => ({ session: row[5] || row[3] || 'all', severity: row[11]!, message: row[13]! }));
}

/** jsonlog (PG ≥ 15): one JSON object per line. */
export function parsePgJsonLog(text: string, file: string): PgLogEntry[] {
  const entries: PgLogEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputError(
        `line ${i + 1}: not JSON (expected Postgres jsonlog, one object per line)`,
        file,
      );
    }
    const record = value as Record<string, unknown>;
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof record.error_severity !== 'string'
    ) {
      throw new InputError(
        `line ${i + 1}: not a Postgres jsonlog entry (no "error_severity")`,
        file,
      );
    }
    entries.push({
      session: String(record.session_id ?? record.pid ?? 'all'),
      severity: record.error_severity,
      message: typeof record.message === 'string' ? record.message : '',
    });
  }
  return entries;
}
