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
import { detectImporter, importerNamed } from '../../model/importer.js';
import type { AggregatedStatement } from './pg-stat-statements.js';
import {
  QUERY_FORMATS,
  QUERY_IMPORTERS,
  unknownQueryFormat,
  type QueryFormat,
} from './registry.js';
import type { IoProfile } from './strace.js';
import { pushAll } from '../../model/arrays.js';

export const QUERY_INPUTS = ['auto', ...QUERY_FORMATS] as const;
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

/** Guesses the format of one file from its first bytes (the importer table's order). */
export function detectInput(text: string, file: string): QueryFormat {
  const importer = detectImporter(QUERY_IMPORTERS, text, file);
  if (!importer) throw unknownQueryFormat(file);
  return importer.name;
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
    let text = decodeText(await readInputHead(file, QUERY_IMPORTERS.input));
    if (text.trim() === '') text = decodeText(await readInputFile(file, QUERY_IMPORTERS.input));
    if (text.trim() === '') throw new InputError('empty file', file);
    const format = options.input === 'auto' ? detectInput(text, file) : options.input;
    formats.push(format);
    const importer = importerNamed(QUERY_IMPORTERS, format);
    const context = options.dialect ? { dialect: options.dialect } : {};
    const data = importer.readFile
      ? await importer.readFile(file, context, text)
      : importer.parse(decodeText(await readInputFile(file, QUERY_IMPORTERS.input)), file, context);
    if (data.type === 'io') profiles.push(data.profile);
    else if (data.type === 'aggregated') pushAll(aggregated, data.aggregated);
    else {
      pushAll(records, data.records);
      jsonlIterations += data.iterations ?? 0;
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
