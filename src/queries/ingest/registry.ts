/**
 * The table of query-log importers (the shared Importer shape, src/model/importer.ts), in
 * detection order: JSON and CSV shapes first (a jsonlog line before a pg_stat_statements row), Postgres's text log, strace last (its trace
 * lines are the loosest pattern; a `strace -c` summary is recognised first).
 */
import { InputError } from '../../model/errors.js';
import type { Importer, ImporterTable } from '../../model/importer.js';
import type { StatementRecord } from '../analyze.js';
import type { SqlDialect } from '../sql-tokenizer.js';
import { parseQueriesJsonl, readQueriesJsonl } from './jsonl.js';
import {
  parsePgCsvLog,
  parsePgJsonLog,
  parsePgStderrLog,
  readPgLogStatements,
  statementsFromPgLog,
} from './pg-log.js';
import { parsePgStatStatements, type AggregatedStatement } from './pg-stat-statements.js';
import {
  looksLikeStraceSummary,
  looksLikeStraceTrace,
  parseStrace,
  type IoProfile,
} from './strace.js';

export const QUERY_FORMATS = [
  'pg-log',
  'pg-csvlog',
  'pg-jsonlog',
  'pg-stat-statements',
  'jsonl',
  'strace',
] as const;
export type QueryFormat = (typeof QUERY_FORMATS)[number];

/** What one file holds: statements, per-statement totals, or I/O syscalls. */
export type QueryFileData =
  | { type: 'records'; records: StatementRecord[]; iterations?: number }
  | { type: 'aggregated'; aggregated: AggregatedStatement[] }
  | { type: 'io'; profile: IoProfile };

export type QueryImporter = Importer<QueryFormat, string, QueryFileData, { dialect?: SqlDialect }>;

const CSV_LOG_LINE = /^\d{4}-\d\d-\d\d [\d:.]+ \w+,/;

/** The first line's JSON object, when the text is JSON lines. */
function firstJsonLine(text: string): Record<string, unknown> | undefined {
  const head = text.slice(0, 4096).trimStart();
  if (!head.startsWith('{')) return undefined;
  try {
    return JSON.parse(head.split(/\r?\n/, 1)[0] ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const head = (text: string): string => text.slice(0, 4096).trimStart();
const firstLine = (text: string): string => head(text).split(/\r?\n/, 1)[0] ?? '';
const records = (list: StatementRecord[]): QueryFileData => ({ type: 'records', records: list });

/** A `strace -c` summary is strace output whatever else the file holds (the program's output). */
const straceSummaryFirst = looksLikeStraceSummary;

const pgJsonLogImporter: QueryImporter = {
  name: 'pg-jsonlog',
  describes: 'Postgres jsonlog (log_destination = jsonlog)',
  detect: (text) => !straceSummaryFirst(text) && 'error_severity' in (firstJsonLine(text) ?? {}),
  parse: (text, file) => records(statementsFromPgLog(parsePgJsonLog(text, file))),
  readFile: async (file) => records(await readPgLogStatements(file, 'json')),
};

const pgStatStatementsImporter: QueryImporter = {
  name: 'pg-stat-statements',
  describes: 'pg_stat_statements export (JSON or CSV)',
  detect(text) {
    if (straceSummaryFirst(text)) return false;
    const start = head(text);
    if (start.startsWith('[')) return true;
    if (start.startsWith('{')) {
      const first = firstJsonLine(text);
      return first ? 'calls' in first && 'query' in first : start.includes('"calls"');
    }
    const line = firstLine(text);
    return /^"?query"?,/.test(line) || /,"?calls"?(,|$)/.test(line);
  },
  parse: (text, file) => ({ type: 'aggregated', aggregated: parsePgStatStatements(text, file) }),
};

const jsonlImporter: QueryImporter = {
  name: 'jsonl',
  describes: 'perfgate JSON lines',
  // Any other JSON object per line: perfgate's own format, whose reader says what is missing.
  detect: (text) => !straceSummaryFirst(text) && head(text).startsWith('{'),
  parse(text, file, { dialect }) {
    const result = parseQueriesJsonl(text, file, dialect);
    return { type: 'records', records: result.records, iterations: result.iterations };
  },
  async readFile(file, { dialect }) {
    const result = await readQueriesJsonl(file, dialect);
    return { type: 'records', records: result.records, iterations: result.iterations };
  },
};

const pgCsvLogImporter: QueryImporter = {
  name: 'pg-csvlog',
  describes: 'Postgres csvlog (log_destination = csvlog)',
  detect: (text) => !straceSummaryFirst(text) && CSV_LOG_LINE.test(firstLine(text)),
  parse: (text, file) => records(statementsFromPgLog(parsePgCsvLog(text, file))),
  readFile: async (file) => records(await readPgLogStatements(file, 'csv')),
};

const pgLogImporter: QueryImporter = {
  name: 'pg-log',
  describes: 'Postgres stderr log (log_statement or log_min_duration_statement)',
  detect: (text) =>
    !straceSummaryFirst(text) && /\b(LOG|ERROR|WARNING|DETAIL|STATEMENT):\s\s/.test(head(text)),
  // Named as pg-log, a csvlog is still read as one.
  parse: (text, file) =>
    records(
      statementsFromPgLog(
        CSV_LOG_LINE.test(text.trimStart())
          ? parsePgCsvLog(text, file)
          : parsePgStderrLog(text, file),
      ),
    ),
  readFile: async (file, _context, start) =>
    records(
      await readPgLogStatements(file, CSV_LOG_LINE.test(start.trimStart()) ? 'csv' : 'stderr'),
    ),
};

const straceImporter: QueryImporter = {
  name: 'strace',
  describes: 'strace output (`strace -c` or `strace -f -T`)',
  detect: (text) => looksLikeStraceSummary(text) || looksLikeStraceTrace(text),
  parse: (text, file) => ({ type: 'io', profile: parseStrace(text, file) }),
};

export const QUERY_IMPORTERS: ImporterTable<QueryImporter> = {
  input: 'queries',
  importers: [
    pgJsonLogImporter,
    pgStatStatementsImporter,
    jsonlImporter,
    pgCsvLogImporter,
    pgLogImporter,
    straceImporter,
  ],
};

/** Neither format recognised: the error names them. */
export function unknownQueryFormat(file: string): InputError {
  return new InputError(
    'cannot tell the format (expected a Postgres log, pg_stat_statements export, perfgate JSONL or strace output); name it with --input',
    file,
  );
}
