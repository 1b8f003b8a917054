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
import { CsvReader } from './csv.js';
import { pushAll } from '../../model/arrays.js';
import { readFileLines, readText, type LineReader } from '../../model/lines.js';
import { SampleTable } from './samples.js';

export interface PgLogEntry {
  session: string;
  severity: string;
  message: string;
}

const STATEMENT =
  /^(?:duration: ([\d.]+) ms\s+)?(statement|execute [^:]*|parse [^:]*|bind [^:]*):\s([\s\S]*)$/;
const DURATION_ONLY = /^duration: ([\d.]+) ms\s*$/;

/**
 * Turns log messages into statements, one entry at a time. Equal fingerprints share one string,
 * and every record of a fingerprint carries its first sample (the only one analysed), so 125,000
 * statements cost 125,000 small records, not 125,000 copies of their text.
 */
export class PgStatementBuilder {
  readonly records: StatementRecord[] = [];
  private readonly lastBySession = new Map<string, StatementRecord[]>();
  private readonly samples = new SampleTable();

  entry(entry: PgLogEntry): void {
    if (entry.severity !== 'LOG') return;
    const message = entry.message;
    const durationOnly = DURATION_ONLY.exec(message);
    if (durationOnly) {
      const last = this.lastBySession.get(entry.session);
      if (last) {
        const ms = Number(durationOnly[1]) / last.length;
        for (const record of last) record.timeMs = ms;
      }
      this.lastBySession.delete(entry.session);
      return;
    }
    const match = STATEMENT.exec(message);
    if (!match) return;
    const kind = match[2]!;
    if (kind.startsWith('parse ') || kind.startsWith('bind ')) return;
    const statements = splitStatements(match[3]!, 'postgres');
    const created: StatementRecord[] = statements.map((sql) => {
      const [fingerprint, sample] = this.samples.of(
        fingerprintSql(sql, { dialect: 'postgres' }),
        sql,
      );
      return { kind: 'sql', fingerprint, sample, group: entry.session, driver: 'postgres' };
    });
    if (match[1] !== undefined) {
      for (const record of created) record.timeMs = Number(match[1]) / created.length;
      this.lastBySession.delete(entry.session);
    } else this.lastBySession.set(entry.session, created);
    pushAll(this.records, created);
  }
}

/** Turns log messages into statements (pure). */
export function statementsFromPgLog(entries: Iterable<PgLogEntry>): StatementRecord[] {
  const builder = new PgStatementBuilder();
  for (const entry of entries) builder.entry(entry);
  return builder.records;
}

// `2024-01-01 10:00:00.123 UTC [1234] user@db LOG:  statement: …` (prefix up to the severity).
const STDERR_LINE =
  /^(.*?)\b(LOG|ERROR|WARNING|NOTICE|INFO|DEBUG\d?|FATAL|PANIC|DETAIL|HINT|CONTEXT|STATEMENT|QUERY|LOCATION):\s\s(.*)$/;

/** Entries of a stderr-format log, line by line; continuation lines (tab-indented) join their entry. */
export function pgStderrReader(
  file: string,
  onEntry: (entry: PgLogEntry) => void,
): LineReader<void> {
  let current: PgLogEntry | undefined;
  let recognised = 0;
  let content = false;
  const flush = () => {
    if (!current) return;
    current.message = current.message.replace(/\n+$/, '');
    onEntry(current);
  };
  return {
    line(line) {
      if (!content && line.trim() !== '') content = true;
      const match = STDERR_LINE.exec(line);
      if (match && !line.startsWith('\t')) {
        flush();
        const pid = /\[(\d+)(?:-\d+)?\]/.exec(match[1]!)?.[1];
        const session = /\b([0-9a-f]+\.[0-9a-f]+)\b/.exec(match[1]!)?.[1];
        current = { session: pid ?? session ?? 'all', severity: match[2]!, message: match[3]! };
        recognised++;
      } else if (current && (line.startsWith('\t') || line === '')) {
        current.message += `\n${line.replace(/^\t/, '')}`;
      }
    },
    end() {
      if (recognised === 0 && content) {
        throw new InputError(
          'not a Postgres log: no line with "LOG:  " (see docs/queries.md for the settings)',
          file,
        );
      }
      flush();
    },
  };
}

/** Entries of a stderr-format log. */
export function parsePgStderrLog(text: string, file: string): PgLogEntry[] {
  const entries: PgLogEntry[] = [];
  readText(
    pgStderrReader(file, (entry) => entries.push(entry)),
    text,
  );
  return entries;
}

// csvlog columns (PG 13–17): 5 session_id, 11 error_severity, 13 message.
/** Entries of a csvlog, line by line (a quoted message may span lines). */
export function pgCsvReader(file: string, onEntry: (entry: PgLogEntry) => void): LineReader<void> {
  let rows = 0;
  let wide = 0;
  const csv = new CsvReader((row) => {
    if (row.length <= 1) return;
    rows++;
    if (row.length < 14) return;
    wide++;
    onEntry({ session: row[5] || row[3] || 'all', severity: row[11]!, message: row[13]! });
  });
  return {
    line(line) {
      csv.write(`${line}\n`);
    },
    end() {
      csv.end();
      if (rows > 0 && wide === 0) {
        throw new InputError('not a Postgres csvlog: expected at least 14 columns per row', file);
      }
    },
  };
}

export function parsePgCsvLog(text: string, file: string): PgLogEntry[] {
  const entries: PgLogEntry[] = [];
  readText(
    pgCsvReader(file, (entry) => entries.push(entry)),
    text,
  );
  return entries;
}

/** jsonlog (PG ≥ 15): one JSON object per line. */
export function pgJsonReader(file: string, onEntry: (entry: PgLogEntry) => void): LineReader<void> {
  return {
    line(raw, number) {
      const line = raw.trim();
      if (line === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new InputError(
          `line ${number}: not JSON (expected Postgres jsonlog, one object per line)`,
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
          `line ${number}: not a Postgres jsonlog entry (no "error_severity")`,
          file,
        );
      }
      onEntry({
        session: String(record.session_id ?? record.pid ?? 'all'),
        severity: record.error_severity,
        message: typeof record.message === 'string' ? record.message : '',
      });
    },
    end() {},
  };
}

export function parsePgJsonLog(text: string, file: string): PgLogEntry[] {
  const entries: PgLogEntry[] = [];
  readText(
    pgJsonReader(file, (entry) => entries.push(entry)),
    text,
  );
  return entries;
}

export type PgLogFormat = 'stderr' | 'csv' | 'json';

/** Statements of a Postgres log file read line by line (bounded memory: no whole-file string). */
export async function readPgLogStatements(
  file: string,
  format: PgLogFormat,
): Promise<StatementRecord[]> {
  const builder = new PgStatementBuilder();
  const onEntry = (entry: PgLogEntry) => builder.entry(entry);
  const reader =
    format === 'csv'
      ? pgCsvReader(file, onEntry)
      : format === 'json'
        ? pgJsonReader(file, onEntry)
        : pgStderrReader(file, onEntry);
  await readFileLines(reader, file, 'queries');
  return builder.records;
}
