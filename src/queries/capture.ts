/**
 * Query / HTTP / blocking-I/O capture in the bench child. `installQueryCapture` patches the
 * drivers before the bench file loads; `captureQueries` is the instrumented pass: recording is
 * switched on only around each operation, and every call is attributed to its iteration.
 */
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { CallSite, QueriesAttachment } from '../model/queries.js';
import type { BenchTask, PassContext } from '../model/task.js';
import { runOperation } from '../hooks/operation.js';
import { analyzeStatements, type StatementRecord } from './analyze.js';
import { userCallSite } from './call-site.js';
import { instrumentBetterSqlite3 } from './drivers/better-sqlite3.js';
import { instrumentSyncFs } from './drivers/fs.js';
import { instrumentHttp } from './drivers/http.js';
import { instrumentMysql2 } from './drivers/mysql2.js';
import { instrumentNodeSqlite } from './drivers/node-sqlite.js';
import { instrumentPg } from './drivers/pg.js';
import { instrumentPglite } from './drivers/pglite.js';
import { loadUserModules } from './drivers/resolve.js';
import { explainFindings } from './explain.js';
import { fingerprintHttp, fingerprintSql } from './fingerprint.js';
import type { QueriesOptions } from './options.js';
import { recorder, stackText, type RecordedEvent } from './recorder.js';
import { splitStatements } from './sql-tokenizer.js';

const DRIVERS: Array<[string, (module: unknown) => boolean]> = [
  ['pg', instrumentPg],
  ['@electric-sql/pglite', instrumentPglite],
  ['mysql2', instrumentMysql2],
  ['better-sqlite3', instrumentBetterSqlite3],
];

/** Drivers instrumented so far (package names, plus node:sqlite, http, fs). */
export const instrumented = new Set<string>();

/**
 * Installs query/HTTP instrumentation in the bench child, before the bench file is imported,
 * for the drivers as the bench file resolves them (from its own folder).
 */
export async function installQueryCapture(benchFile: string): Promise<void> {
  instrumentSyncFs();
  instrumentHttp();
  instrumented.add('fs').add('http');
  if (await instrumentNodeSqlite()) instrumented.add('node:sqlite');
  // As the bench file resolves them, and as the project root does (a bench folder of its own
  // next to the app's code); the same copy is patched once.
  const from = [benchFile, join(process.cwd(), 'package.json')];
  for (const [name, instrument] of DRIVERS) {
    for (const origin of from) {
      for (const module of await loadUserModules(name, origin)) {
        if (instrument(module)) instrumented.add(name);
      }
    }
  }
}

/** Files of perfgate itself: never reported as a call site. */
const OWN_PATHS = [dirname(fileURLToPath(import.meta.url))];

/** Instrumented pass: counts statements and requests per iteration of the task. */
export async function captureQueries(
  task: BenchTask,
  ctx: PassContext,
  options: QueriesOptions,
): Promise<QueriesAttachment | undefined> {
  if (!options.enabled) return undefined;
  recorder.events = [];
  recorder.syncFs = [];
  recorder.stackCounts = new Map();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  await sleep(3); // the delay timer must have fired once before it can measure a late firing
  try {
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      // Recording only around the operation: the hooks' queries are not the operation's.
      await runOperation(task, async () => {
        recorder.iteration = iteration;
        recorder.on = true;
        try {
          await task.fn();
        } finally {
          recorder.on = false;
        }
      });
    }
  } finally {
    recorder.on = false;
    // The delay of the last blocked turn is recorded when the timer finally fires.
    await sleep(3);
    loopDelay.disable();
  }
  const events = recorder.events;
  recorder.events = [];
  const attachment = analyzeStatements(eventsToRecords(events, ctx.projectRoot), {
    iterations: options.iterations,
    nPlusOne: options.nPlusOne,
    aggregate: 'max',
  });
  countFailedRequests(attachment, events, options.iterations);
  const syncFs = Array.from({ length: options.iterations }, (_, i) => recorder.syncFs[i] ?? 0);
  attachment.blocking = {
    syncFsPerIteration: Math.max(...syncFs),
    ...(loopDelay.count > 0
      ? {
          eventLoopMaxMs: round(loopDelay.max / 1e6),
          eventLoopP99Ms: round(loopDelay.percentile(99) / 1e6),
        }
      : {}),
  };
  if (options.explain) {
    const explained = await explainFindings(attachment, events);
    if (explained.length > 0) attachment.explain = explained;
  }
  return attachment;
}

/** Fingerprints and call sites, computed after the pass so that recording stays cheap. */
export function eventsToRecords(events: RecordedEvent[], projectRoot: string): StatementRecord[] {
  const records: StatementRecord[] = [];
  // A loop repeats the same text from the same line: fingerprint and parse each once.
  const sites = new Map<string, CallSite | undefined>();
  const statementsOf = new Map<string, Array<{ sql: string; fingerprint: string }>>();
  for (const event of events) {
    const stack = stackText(event);
    let callSite = sites.get(stack);
    if (!sites.has(stack)) {
      callSite = userCallSite(stack, projectRoot, OWN_PATHS);
      sites.set(stack, callSite);
    }
    const common = {
      group: event.iteration,
      driver: event.driver,
      ...(callSite ? { callSite } : {}),
    };
    if (event.kind === 'http') {
      records.push({
        ...common,
        kind: 'http',
        fingerprint: fingerprintHttp(event.method ?? 'GET', event.url ?? '/'),
        sample: event.text,
      });
      continue;
    }
    const dialect = event.dialect ?? 'postgres';
    const key = `${dialect}\u0000${event.text}`;
    let statements = statementsOf.get(key);
    if (!statements) {
      statements = splitStatements(event.text, dialect).map((sql) => ({
        sql,
        fingerprint: fingerprintSql(sql, { dialect }),
      }));
      statementsOf.set(key, statements);
    }
    for (const statement of statements) {
      records.push({
        ...common,
        kind: 'sql',
        fingerprint: statement.fingerprint,
        sample: statement.sql,
        // A multi-statement call's time is shared evenly by its statements.
        ...(event.timeMs !== undefined ? { timeMs: event.timeMs / statements.length } : {}),
      });
    }
  }
  return records;
}

/**
 * Failed HTTP requests (refused, reset: no response) per iteration, max over iterations as the
 * counts are: on the fingerprints (`failed`) and in total (`httpFailedPerIteration`).
 */
function countFailedRequests(
  attachment: QueriesAttachment,
  events: RecordedEvent[],
  iterations: number,
): void {
  const perFingerprint = new Map<string, number[]>();
  const total = new Array<number>(iterations).fill(0);
  for (const event of events) {
    if (event.kind !== 'http' || !event.failed) continue;
    const fingerprint = fingerprintHttp(event.method ?? 'GET', event.url ?? '/');
    const counts = perFingerprint.get(fingerprint) ?? new Array<number>(iterations).fill(0);
    counts[event.iteration] = (counts[event.iteration] ?? 0) + 1;
    perFingerprint.set(fingerprint, counts);
    total[event.iteration] = (total[event.iteration] ?? 0) + 1;
  }
  if (perFingerprint.size === 0) return;
  const maxOf = (counts: number[]) => counts.reduce((a, b) => Math.max(a, b), 0);
  attachment.httpFailedPerIteration = maxOf(total);
  for (const entry of attachment.fingerprints) {
    const counts = entry.kind === 'http' ? perFingerprint.get(entry.fingerprint) : undefined;
    if (counts) entry.failed = maxOf(counts);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
