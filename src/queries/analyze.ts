/**
 * From individual statements (captured in Node or read from a log) to the `queries` attachment:
 * counts per iteration (or per request / session for logs), per fingerprint, and N+1 findings.
 * Pure.
 */
import { maxOf } from '../model/arrays.js';
import type { CallSite, NPlusOne, QueriesAttachment, QueryFingerprint } from '../model/queries.js';

export interface StatementRecord {
  kind: 'sql' | 'http';
  fingerprint: string;
  /** The real statement or URL. */
  sample: string;
  /** Iteration, request id or session: the unit N+1 is counted in. */
  group: string | number;
  timeMs?: number;
  callSite?: CallSite;
  driver?: string;
}

export interface AnalyzeOptions {
  /** Groups (iterations) to divide by; groups with no statement count as zero. */
  iterations?: number;
  /** N+1 threshold: a fingerprint run at least this often in one group. */
  nPlusOne: number;
  /**
   * How per-group counts become "per iteration": `max` for the deterministic iterations of the
   * Node pass, `mean` for a log of the same workload repeated (JSONL `iteration`), `sum` for a
   * log of one run whose groups are requests or sessions (the whole log is one iteration).
   */
  aggregate?: 'max' | 'mean' | 'sum';
  /** Keep at most this many fingerprints (the most frequent). */
  maxFingerprints?: number;
}

const MAX_SAMPLE = 2000;

interface Bucket {
  kind: 'sql' | 'http';
  fingerprint: string;
  sample: string;
  driver?: string;
  total: number;
  perGroup: Map<string | number, number>;
  timeMs: number;
  timed: boolean;
  sites: Map<string, { site: CallSite; count: number }>;
}

export function analyzeStatements(
  records: Iterable<StatementRecord>,
  options: AnalyzeOptions,
): QueriesAttachment {
  const buckets = new Map<string, Bucket>();
  const groups = new Set<string | number>();
  const totals = {
    sql: new Map<string | number, number>(),
    http: new Map<string | number, number>(),
  };
  let timeMs = 0;
  let timed = false;
  for (const record of records) {
    groups.add(record.group);
    const key = `${record.kind}\u0000${record.fingerprint}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {
        kind: record.kind,
        fingerprint: record.fingerprint,
        sample: truncate(record.sample),
        ...(record.driver ? { driver: record.driver } : {}),
        total: 0,
        perGroup: new Map(),
        timeMs: 0,
        timed: false,
        sites: new Map(),
      };
      buckets.set(key, bucket);
    }
    bucket.total++;
    bucket.perGroup.set(record.group, (bucket.perGroup.get(record.group) ?? 0) + 1);
    const kindTotals = totals[record.kind];
    kindTotals.set(record.group, (kindTotals.get(record.group) ?? 0) + 1);
    if (record.timeMs !== undefined) {
      bucket.timeMs += record.timeMs;
      bucket.timed = true;
      if (record.kind === 'sql') {
        timeMs += record.timeMs;
        timed = true;
      }
    }
    if (record.callSite) {
      const siteKey = `${record.callSite.file}:${record.callSite.line}`;
      const site = bucket.sites.get(siteKey);
      if (site) site.count++;
      else bucket.sites.set(siteKey, { site: record.callSite, count: 1 });
    }
  }
  const aggregate = options.aggregate ?? 'max';
  const iterations = aggregate === 'sum' ? 1 : Math.max(1, options.iterations ?? groups.size);
  const perIteration = (counts: Map<string | number, number>) => {
    if (aggregate !== 'max')
      return round([...counts.values()].reduce((a, b) => a + b, 0) / iterations);
    return Math.max(0, maxOf(counts.values()));
  };

  const fingerprints: QueryFingerprint[] = [];
  const nPlusOne: NPlusOne[] = [];
  for (const bucket of buckets.values()) {
    const callSite = mostFrequentSite(bucket);
    fingerprints.push({
      kind: bucket.kind,
      fingerprint: bucket.fingerprint,
      sample: bucket.sample,
      perIteration: perIteration(bucket.perGroup),
      ...(bucket.timed ? { timeMs: round(bucket.timeMs / iterations) } : {}),
      ...(callSite ? { callSite } : {}),
      ...(bucket.driver ? { driver: bucket.driver } : {}),
    });
    const worst = Math.max(0, maxOf(bucket.perGroup.values()));
    if (worst >= options.nPlusOne) {
      nPlusOne.push({
        fingerprint: bucket.fingerprint,
        sample: bucket.sample,
        perIteration: worst,
        ...(callSite ? { callSite } : {}),
      });
    }
  }
  fingerprints.sort(
    (a, b) => b.perIteration - a.perIteration || a.fingerprint.localeCompare(b.fingerprint),
  );
  nPlusOne.sort(
    (a, b) => b.perIteration - a.perIteration || a.fingerprint.localeCompare(b.fingerprint),
  );
  return {
    iterations,
    perIteration: perIteration(totals.sql),
    httpPerIteration: perIteration(totals.http),
    ...(timed ? { timeMsPerIteration: round(timeMs / iterations) } : {}),
    fingerprints: fingerprints.slice(0, options.maxFingerprints ?? 200),
    nPlusOne,
  };
}

function mostFrequentSite(bucket: Bucket): CallSite | undefined {
  let best: { site: CallSite; count: number } | undefined;
  for (const entry of bucket.sites.values()) if (!best || entry.count > best.count) best = entry;
  return best?.site;
}

function truncate(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > MAX_SAMPLE ? `${trimmed.slice(0, MAX_SAMPLE)}…` : trimmed;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
