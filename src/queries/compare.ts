/**
 * Exact comparison of query counts: counts of a deterministic code path do not need
 * statistics. Any increase beyond the tolerance, and any N+1 finding the base did not have, is a
 * regression. Pure.
 */
import type { QueriesComparison } from '../model/comparison.js';
import type { NPlusOne, QueriesAttachment } from '../model/queries.js';
import type { QueriesOptions } from './options.js';

const MAX_CHANGED = 20;

/** Exact comparison of query counts and N+1 findings. Pure. */
export function compareQueries(
  bases: QueriesAttachment[],
  head: QueriesAttachment | undefined,
  options: Pick<QueriesOptions, 'tolerance'> & Partial<Pick<QueriesOptions, 'nPlusOne'>>,
): QueriesComparison | undefined {
  if (!head) return undefined;
  const base = bases[0];
  const limit = options.nPlusOne;
  const reasons: string[] = [];
  const tolerance = options.tolerance;

  const sqlIncrease = base ? head.perIteration - base.perIteration : 0;
  if (base && sqlIncrease > tolerance) {
    reasons.push(
      `queries per iteration ${count(base.perIteration)} → ${count(head.perIteration)} (+${count(sqlIncrease)})`,
    );
  }
  const httpIncrease = base ? head.httpPerIteration - base.httpPerIteration : 0;
  if (base && httpIncrease > tolerance) {
    reasons.push(
      `HTTP requests per iteration ${count(base.httpPerIteration)} → ${count(head.httpPerIteration)} (+${count(httpIncrease)})`,
    );
  }
  const syncFsBase = base ? (base.blocking?.syncFsPerIteration ?? null) : null;
  const syncFsHead = head.blocking?.syncFsPerIteration ?? null;
  if (syncFsBase !== null && syncFsHead !== null && syncFsHead - syncFsBase > tolerance) {
    reasons.push(
      `synchronous fs calls per iteration ${count(syncFsBase)} → ${count(syncFsHead)} (blocking I/O)`,
    );
  }

  const baseCounts = new Map(
    base?.fingerprints.map((f) => [key(f.kind, f.fingerprint), f.perIteration]),
  );
  const baseFindings = new Set(base && findingsAt(base, limit).map((f) => f.fingerprint));
  const nPlusOne: QueriesComparison['nPlusOne'] = findingsAt(head, limit).map((finding) => {
    const isNew = base !== undefined && !baseFindings.has(finding.fingerprint);
    const basePerIteration = base
      ? (baseCounts.get(key('sql', finding.fingerprint)) ??
        baseCounts.get(key('http', finding.fingerprint)) ??
        0)
      : null;
    if (isNew) {
      const where = finding.callSite
        ? ` from ${finding.callSite.file}:${finding.callSite.line}`
        : '';
      reasons.push(
        `new N+1: ${clip(finding.fingerprint)} × ${count(finding.perIteration)} per iteration${where}`,
      );
    }
    return {
      fingerprint: finding.fingerprint,
      sample: finding.sample,
      perIteration: finding.perIteration,
      ...(finding.callSite ? { callSite: finding.callSite } : {}),
      basePerIteration,
      new: isNew,
    };
  });

  const changed: NonNullable<QueriesComparison['changed']> = [];
  if (base) {
    const headCounts = new Map(head.fingerprints.map((f) => [key(f.kind, f.fingerprint), f]));
    for (const [k, f] of headCounts) {
      const before = baseCounts.get(k) ?? 0;
      if (before !== f.perIteration)
        changed.push({ fingerprint: f.fingerprint, base: before, head: f.perIteration });
    }
    for (const f of base.fingerprints) {
      if (!headCounts.has(key(f.kind, f.fingerprint)) && f.perIteration > 0)
        changed.push({ fingerprint: f.fingerprint, base: f.perIteration, head: 0 });
    }
    changed.sort((a, b) => Math.abs(b.head - b.base) - Math.abs(a.head - a.base));
  }

  return {
    base: base ? base.perIteration : null,
    head: head.perIteration,
    change: base && base.perIteration > 0 ? head.perIteration / base.perIteration - 1 : null,
    httpBase: base ? base.httpPerIteration : null,
    httpHead: head.httpPerIteration,
    nPlusOne,
    ...(changed.length > 0 ? { changed: changed.slice(0, MAX_CHANGED) } : {}),
    regressed: reasons.length > 0,
    reasons,
    syncFsBase,
    syncFsHead,
    ...(head.blocking?.eventLoopMaxMs !== undefined
      ? { eventLoopMaxMs: head.blocking.eventLoopMaxMs }
      : {}),
    ...(head.blocking?.eventLoopP99Ms !== undefined
      ? { eventLoopP99Ms: head.blocking.eventLoopP99Ms }
      : {}),
    ...(head.explain && head.explain.length > 0 ? { explain: head.explain } : {}),
  };
}

/** Reasons are one line: a bulk statement's fingerprint is cut (the JSON keeps it whole). */
function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * N+1 findings at the limit of this comparison: the threshold is applied when comparing, not
 * only at capture, so a Run compared under a new `queries.nPlusOne` gets that limit's verdict.
 * A fingerprint's worst count per iteration is its finding's count; without a limit, the
 * findings stored at capture.
 */
export function findingsAt(attachment: QueriesAttachment, limit: number | undefined): NPlusOne[] {
  if (limit === undefined) return attachment.nPlusOne;
  const kept = attachment.nPlusOne.filter((f) => f.perIteration >= limit);
  const known = new Set(attachment.nPlusOne.map((f) => f.fingerprint));
  for (const f of attachment.fingerprints)
    if (!known.has(f.fingerprint) && f.perIteration >= limit)
      kept.push({
        fingerprint: f.fingerprint,
        sample: f.sample,
        perIteration: f.perIteration,
        ...(f.callSite ? { callSite: f.callSite } : {}),
      });
  return kept.sort(
    (a, b) => b.perIteration - a.perIteration || a.fingerprint.localeCompare(b.fingerprint),
  );
}

function key(kind: string, fingerprint: string): string {
  return `${kind}\u0000${fingerprint}`;
}

function count(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
