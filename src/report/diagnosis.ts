/**
 * One line per regressed benchmark that ties the effect to its likely cause, from data perfgate
 * already has: "GET /users 4.0× slower (227 → 900 ms): 500 new queries per call from
 * src/users.ts:25 (N+1)". Causes are tried from the most specific evidence to the least: a new
 * N+1 (exact counts and a call site), other query growth, allocation growth, then the function
 * that gained most CPU time. Plain text (escaped by the renderer). Pure.
 */
import type { BenchmarkComparison } from '../model/comparison.js';
import { formatArrow, formatChangeWord, formatCount, formatDelta } from '../text/format.js';

export interface Diagnosis {
  /** Short name of the benchmark (its group and file are headings elsewhere). */
  name: string;
  /** "4.0× slower (227 → 900 ms)". */
  effect: string;
  /** "500 new queries per call from src/users.ts:25 (N+1)"; undefined when nothing explains it. */
  cause?: string;
}

function site(file: string, line: number): string {
  return line > 0 ? `${file}:${line}` : file;
}

function effectOf(b: BenchmarkComparison): string {
  const { base, head, change, unit, direction } = b.time;
  if (change === null || base === null || head === null) return 'regressed';
  return `${formatChangeWord(change, direction, unit)} (${formatArrow(base, head, unit)})`;
}

function queryCause(b: BenchmarkComparison): string | undefined {
  const q = b.queries;
  if (!q) return undefined;
  const fresh = q.nPlusOne.filter((f) => f.new).sort((x, y) => y.perIteration - x.perIteration)[0];
  if (fresh) {
    const added = fresh.perIteration - (fresh.basePerIteration ?? 0);
    const where = fresh.callSite ? ` from ${site(fresh.callSite.file, fresh.callSite.line)}` : '';
    return `${formatCount(added)} new ${added === 1 ? 'query' : 'queries'} per call${where} (N+1)`;
  }
  if (q.base !== null && q.head !== null && q.head > q.base) {
    return `queries per call ${formatCount(q.base)} → ${formatCount(q.head)}`;
  }
  if (q.httpBase != null && q.httpHead != null && q.httpHead > q.httpBase) {
    return `HTTP requests per call ${formatCount(q.httpBase)} → ${formatCount(q.httpHead)}`;
  }
  return undefined;
}

function memoryCause(b: BenchmarkComparison): string | undefined {
  const m = b.memory;
  if (!m?.regressed || m.base === null || m.head === null || m.head <= m.base) return undefined;
  const top = [...(m.sites ?? [])].sort((x, y) => y.head - y.base - (x.head - x.base))[0];
  const where = top && top.head > top.base ? ` from ${top.name} (${site(top.file, top.line)})` : '';
  return `allocations per call ${formatArrow(m.base, m.head, 'B')}${where}`;
}

function functionCause(b: BenchmarkComparison): string | undefined {
  const grown = (b.functions ?? [])
    .filter((f) => f.head > f.base)
    .sort((x, y) => y.head - y.base - (x.head - x.base))[0];
  if (!grown) return undefined;
  // Function times are ms per op.
  return `${grown.name} (${site(grown.file, grown.line)}) ${formatDelta(grown.head - grown.base, 'ms')} per call`;
}

export function diagnose(b: BenchmarkComparison): Diagnosis {
  const cause = queryCause(b) ?? memoryCause(b) ?? functionCause(b);
  return { name: b.name, effect: effectOf(b), ...(cause ? { cause } : {}) };
}

/** "GET /users 4.0× slower (227 → 900 ms): 500 new queries per call from src/users.ts:25 (N+1)". */
export function diagnosisLine(d: Diagnosis): string {
  return `${d.name} ${d.effect}${d.cause ? `: ${d.cause}` : ''}`;
}
