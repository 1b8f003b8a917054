/**
 * Reading captured queries from other stacks: Postgres logs (stderr, csvlog, jsonlog),
 * pg_stat_statements exports, the perfgate JSON-lines format, and strace output for blocking
 * I/O. The format is detected from the content unless `--input` names it.
 */
import { InputError } from '../../model/errors.js';
import { decodeText, readInputFile } from '../../model/io.js';
import { readInputHead } from '../../model/lines.js';
import type { QueriesAttachment } from '../../model/queries.js';
import { analyzeStatements, type StatementRecord } from '../analyze.js';
import type { SqlDialect } from '../sql-tokenizer.js';
import { readQueriesJsonl } from './jsonl.js';
import { readPgLogStatements } from './pg-log.js';
import { parsePgStatStatements, type AggregatedStatement } from './pg-stat-statements.js';
import {
  looksLikeStraceSummary,
  looksLikeStraceTrace,
  parseStrace,
  type IoProfile,
} from './strace.js';
import { pushAll } from '../../model/arrays.js';

export const QUERY_INPUTS = [
  'auto',
  'pg-log',
  'pg-csvlog',
  'pg-jsonlog',
  'pg-stat-statements',
  'jsonl',
  'strace',
] as const;
export type QueryInput = (typeof QUERY_INPUTS)[number];

export interface StatementSummary {
  kind: 'sql' | 'http';
  fingerprint: string;
  sample: string;
  /** Executions in the whole input. */
  count: number;
  totalMs?: number;
}

export interface QueryLog {
  type: 'queries';
  formats: string[];
  statements: StatementSummary[];
  /** The same data as the Node pass produces, for `queries diff` and the gate. */
  attachment: QueriesAttachment;
}

export interface IoLog {
  type: 'io';
  formats: string[];
  profile: IoProfile;
}

export interface QueriesReadOptions {
  input: QueryInput;
  nPlusOne: number;
  /** Iterations of the workload the input covers (pg_stat_statements, ungrouped logs). */
  iterations?: number;
  dialect?: SqlDialect;
}

/** Guesses the format of one file from its name and first bytes. */
export function detectInput(text: string, file: string): Exclude<QueryInput, 'auto'> {
  const head = text.slice(0, 4096).trimStart();
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  if (looksLikeStraceSummary(text)) return 'strace';
  if (head.startsWith('[')) return 'pg-stat-statements';
  if (head.startsWith('{')) {
    try {
      const first = JSON.parse(firstLine) as Record<string, unknown>;
      if ('error_severity' in first) return 'pg-jsonlog';
      if ('calls' in first && 'query' in first) return 'pg-stat-statements';
      return 'jsonl';
    } catch {
      return head.includes('"calls"') ? 'pg-stat-statements' : 'jsonl';
    }
  }
  if (/^"?query"?,/.test(firstLine) || /,"?calls"?(,|$)/.test(firstLine))
    return 'pg-stat-statements';
  if (/^\d{4}-\d\d-\d\d [\d:.]+ \w+,/.test(firstLine)) return 'pg-csvlog';
  if (/\b(LOG|ERROR|WARNING|DETAIL|STATEMENT):\s\s/.test(head)) return 'pg-log';
  if (looksLikeStraceTrace(text)) return 'strace';
  throw new InputError(
    'cannot tell the format (expected a Postgres log, pg_stat_statements export, perfgate JSONL or strace output); name it with --input',
    file,
  );
}

/** Reads and analyses one or more files of the same kind (queries or strace). */
export async function readQueryLogs(
  files: string[],
  options: QueriesReadOptions,
): Promise<QueryLog | IoLog> {
  if (files.length === 0) throw new InputError('no input file given');
  const records: StatementRecord[] = [];
  const aggregated: AggregatedStatement[] = [];
  const profiles: IoProfile[] = [];
  const formats: string[] = [];
  let jsonlIterations = 0;
  for (const file of files) {
    // Logs are read line by line; only the head is read whole, to tell the format.
    let text = decodeText(await readInputHead(file, 'queries'));
    if (text.trim() === '') text = decodeText(await readInputFile(file, 'queries'));
    if (text.trim() === '') throw new InputError('empty file', file);
    const format = options.input === 'auto' ? detectInput(text, file) : options.input;
    formats.push(format);
    const wholeText = async () => decodeText(await readInputFile(file, 'queries'));
    switch (format) {
      case 'pg-log': {
        const csv = /^\d{4}-\d\d-\d\d [\d:.]+ \w+,/.test(text.trimStart());
        pushAll(records, await readPgLogStatements(file, csv ? 'csv' : 'stderr'));
        break;
      }
      case 'pg-csvlog':
        pushAll(records, await readPgLogStatements(file, 'csv'));
        break;
      case 'pg-jsonlog':
        pushAll(records, await readPgLogStatements(file, 'json'));
        break;
      case 'pg-stat-statements':
        pushAll(aggregated, parsePgStatStatements(await wholeText(), file));
        break;
      case 'jsonl': {
        const result = await readQueriesJsonl(file, options.dialect);
        pushAll(records, result.records);
        jsonlIterations += result.iterations;
        break;
      }
      case 'strace':
        profiles.push(parseStrace(await wholeText(), file));
        break;
    }
  }
  if (profiles.length > 0) {
    if (profiles.length !== files.length)
      throw new InputError('strace output cannot be mixed with query logs');
    return { type: 'io', formats, profile: mergeProfiles(profiles) };
  }
  const statements = summarize(records, aggregated);
  const attachment =
    aggregated.length > 0 && records.length === 0
      ? fromAggregated(aggregated, options)
      : analyzeStatements(records, {
          nPlusOne: options.nPlusOne,
          ...(jsonlIterations > 0
            ? { aggregate: 'mean' as const, iterations: options.iterations ?? jsonlIterations }
            : options.iterations
              ? { aggregate: 'mean' as const, iterations: options.iterations }
              : { aggregate: 'sum' as const }),
        });
  return { type: 'queries', formats, statements, attachment };
}

function summarize(
  records: StatementRecord[],
  aggregated: AggregatedStatement[],
): StatementSummary[] {
  const byKey = new Map<string, StatementSummary>();
  for (const r of records) {
    const key = `${r.kind}\u0000${r.fingerprint}`;
    const entry = byKey.get(key) ?? {
      kind: r.kind,
      fingerprint: r.fingerprint,
      sample: r.sample,
      count: 0,
    };
    entry.count++;
    if (r.timeMs !== undefined) entry.totalMs = round((entry.totalMs ?? 0) + r.timeMs);
    byKey.set(key, entry);
  }
  for (const a of aggregated) {
    const key = `sql\u0000${a.fingerprint}`;
    const entry = byKey.get(key) ?? {
      kind: 'sql' as const,
      fingerprint: a.fingerprint,
      sample: a.sample,
      count: 0,
    };
    entry.count += a.calls;
    if (a.totalMs !== undefined) entry.totalMs = round((entry.totalMs ?? 0) + a.totalMs);
    byKey.set(key, entry);
  }
  return [...byKey.values()].sort(
    (a, b) => b.count - a.count || a.fingerprint.localeCompare(b.fingerprint),
  );
}

/**
 * pg_stat_statements has totals only: per iteration = calls / iterations, and N+1 findings only
 * when the number of iterations is known (otherwise any frequent query would look like one).
 */
function fromAggregated(
  rows: AggregatedStatement[],
  options: QueriesReadOptions,
): QueriesAttachment {
  const iterations = options.iterations ?? 1;
  const fingerprints = rows.map((row) => ({
    kind: 'sql' as const,
    fingerprint: row.fingerprint,
    sample: row.sample,
    perIteration: round(row.calls / iterations),
    ...(row.totalMs !== undefined ? { timeMs: round(row.totalMs / iterations) } : {}),
    driver: 'postgres',
  }));
  const timed = rows.some((row) => row.totalMs !== undefined);
  return {
    iterations,
    perIteration: round(rows.reduce((sum, row) => sum + row.calls, 0) / iterations),
    httpPerIteration: 0,
    ...(timed
      ? {
          timeMsPerIteration: round(
            rows.reduce((sum, row) => sum + (row.totalMs ?? 0), 0) / iterations,
          ),
        }
      : {}),
    fingerprints,
    nPlusOne:
      options.iterations === undefined
        ? []
        : fingerprints
            .filter((f) => f.perIteration >= options.nPlusOne)
            .map((f) => ({
              fingerprint: f.fingerprint,
              sample: f.sample,
              perIteration: f.perIteration,
            })),
  };
}

function mergeProfiles(profiles: IoProfile[]): IoProfile {
  if (profiles.length === 1) return profiles[0]!;
  const calls = new Map<string, { name: string; calls: number; errors: number; seconds: number }>();
  for (const p of profiles) {
    for (const s of p.syscalls) {
      const entry = calls.get(s.name) ?? { name: s.name, calls: 0, errors: 0, seconds: 0 };
      entry.calls += s.calls;
      entry.errors += s.errors ?? 0;
      entry.seconds += s.seconds ?? 0;
      calls.set(s.name, entry);
    }
  }
  const syscalls = [...calls.values()].sort((a, b) => b.calls - a.calls);
  return {
    source: profiles[0]!.source,
    syscalls,
    totalCalls: syscalls.reduce((sum, s) => sum + s.calls, 0),
    totalSeconds: round(syscalls.reduce((sum, s) => sum + s.seconds, 0)),
    tinyIo: profiles.flatMap((p) => p.tinyIo),
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
