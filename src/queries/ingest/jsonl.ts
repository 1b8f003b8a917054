/**
 * The perfgate JSON-lines format, for any language's test harness (docs/queries.md):
 *
 *   {"sql": "SELECT * FROM users WHERE id = 42", "iteration": 0, "durationMs": 0.4}
 *   {"http": "GET https://api.test/users/42", "request": "req-7", "callSite": "app/users.py:42"}
 *
 * One object per line; `sql` (or `statement`) or `http` (`"METHOD URL"`, or `method` + `url`);
 * optional `iteration` (the same workload repeated) or `request` / `session` (N+1 is counted
 * within one), `durationMs`, `callSite` (`"file:line"` or `{ "file", "line" }`), `dialect`
 * (`postgres` default, `mysql`, `sqlite`). Blank lines are ignored.
 */
import { InputError } from '../../model/errors.js';
import type { CallSite } from '../../model/queries.js';
import type { StatementRecord } from '../analyze.js';
import { fingerprintHttp, fingerprintSql } from '../fingerprint.js';
import { splitStatements, type SqlDialect } from '../sql-tokenizer.js';
import { readFileLines, readText, type LineReader } from '../../model/lines.js';
import { SampleTable } from './samples.js';

export interface JsonlResult {
  records: StatementRecord[];
  /** Distinct `iteration` values, when lines carry them (else 0). */
  iterations: number;
}

const DIALECTS = new Set(['postgres', 'mysql', 'sqlite']);

/** The perfgate JSON-lines format, line by line. */
export function queriesJsonlReader(
  file: string,
  defaultDialect: SqlDialect = 'postgres',
): LineReader<JsonlResult> {
  const records: StatementRecord[] = [];
  const iterations = new Set<unknown>();
  const sqlSamples = new SampleTable();
  const httpSamples = new SampleTable();
  return {
    line(raw, number) {
      const line = raw.trim();
      if (line === '') return;
      const where = `line ${number}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new InputError(`${where}: not JSON (expected one JSON object per line)`, file);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new InputError(`${where}: expected a JSON object`, file);
      }
      const o = value as Record<string, unknown>;
      const group = o.iteration ?? o.request ?? o.session ?? 'all';
      if (typeof group !== 'string' && typeof group !== 'number') {
        throw new InputError(
          `${where}: "iteration", "request" and "session" must be a string or a number`,
          file,
        );
      }
      if (o.iteration !== undefined) iterations.add(o.iteration);
      const durationMs = o.durationMs ?? o.duration_ms;
      if (durationMs !== undefined && (typeof durationMs !== 'number' || durationMs < 0)) {
        throw new InputError(`${where}: "durationMs" must be a non-negative number`, file);
      }
      const callSite = parseCallSite(o.callSite ?? o.call_site, where, file);
      const common = {
        group: o.iteration !== undefined ? `iteration ${String(o.iteration)}` : String(group),
        ...(callSite ? { callSite } : {}),
      };
      const sql = o.sql ?? o.statement;
      if (typeof sql === 'string') {
        const dialect = (o.dialect ?? defaultDialect) as SqlDialect;
        if (!DIALECTS.has(dialect))
          throw new InputError(`${where}: unknown dialect ${JSON.stringify(o.dialect)}`, file);
        const statements = splitStatements(sql, dialect);
        for (const statement of statements) {
          const [fingerprint, sample] = sqlSamples.of(
            fingerprintSql(statement, { dialect }),
            statement,
          );
          records.push({
            ...common,
            kind: 'sql',
            fingerprint,
            sample,
            ...(typeof durationMs === 'number' ? { timeMs: durationMs / statements.length } : {}),
            ...(typeof o.driver === 'string' ? { driver: o.driver } : {}),
          });
        }
        return;
      }
      let method = typeof o.method === 'string' ? o.method : undefined;
      let url = typeof o.url === 'string' ? o.url : undefined;
      if (typeof o.http === 'string') {
        const parts = o.http.trim().split(/\s+/);
        if (parts.length >= 2) [method, url] = parts;
        else url = parts[0];
      }
      if (url === undefined)
        throw new InputError(`${where}: expected "sql" or "http" (or "method" and "url")`, file);
      const [fingerprint, sample] = httpSamples.of(
        fingerprintHttp(method ?? 'GET', url),
        `${(method ?? 'GET').toUpperCase()} ${url}`,
      );
      records.push({
        ...common,
        kind: 'http',
        fingerprint,
        sample,
        ...(typeof durationMs === 'number' ? { timeMs: durationMs } : {}),
      });
    },
    end: () => ({ records, iterations: iterations.size }),
  };
}

export function parseQueriesJsonl(
  text: string,
  file: string,
  defaultDialect: SqlDialect = 'postgres',
): JsonlResult {
  return readText(queriesJsonlReader(file, defaultDialect), text);
}

/** The perfgate JSON-lines format from a file, line by line (no whole-file string). */
export function readQueriesJsonl(
  file: string,
  defaultDialect: SqlDialect = 'postgres',
): Promise<JsonlResult> {
  return readFileLines(queriesJsonlReader(file, defaultDialect), file, 'queries');
}

function parseCallSite(value: unknown, where: string, file: string): CallSite | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const match = /^(.*):(\d+)(?::(\d+))?$/.exec(value);
    if (!match) return { file: value, line: 0 };
    return {
      file: match[1]!,
      line: Number(match[2]),
      ...(match[3] ? { column: Number(match[3]) } : {}),
    };
  }
  const o = value as { file?: unknown; line?: unknown };
  if (
    typeof o === 'object' &&
    typeof o.file === 'string' &&
    (o.line === undefined || typeof o.line === 'number')
  ) {
    return { file: o.file, line: typeof o.line === 'number' ? o.line : 0 };
  }
  throw new InputError(`${where}: "callSite" must be "file:line" or { "file", "line" }`, file);
}
