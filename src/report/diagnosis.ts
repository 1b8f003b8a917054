/**
 * One line per regressed benchmark that ties the effect to its likely cause, from data perfgate
 * already has: "GET /users 4.0× slower (227 → 900 ms): 500 new queries per call from
 * src/users.ts:25 (N+1)". Causes are tried from the most specific evidence to the least: a new
 * N+1 (exact counts and a call site), other query growth, allocation growth, then the function
 * that gained most CPU time: each kind's `cause`, by rank. Plain text (escaped by the renderer). Pure.
 */
import type { BenchmarkComparison } from '../model/comparison.js';
import { kinds, resultOf, type AnyKind } from '../kinds/index.js';
import { formatArrow, formatChangeWord } from '../text/format.js';

export interface Diagnosis {
  /** Short name of the benchmark (its group and file are headings elsewhere). */
  name: string;
  /** "4.0× slower (227 → 900 ms)". */
  effect: string;
  /** "500 new queries per call from src/users.ts:25 (N+1)"; undefined when nothing explains it. */
  cause?: string;
}

function causesByRank(): AnyKind[] {
  return kinds()
    .filter((kind) => kind.cause)
    .sort((x, y) => (x.cause?.rank ?? 0) - (y.cause?.rank ?? 0));
}

function effectOf(b: BenchmarkComparison): string {
  const { base, head, change, unit, direction } = b.time;
  if (change === null || base === null || head === null) return 'regressed';
  return `${formatChangeWord(change, direction, unit)} (${formatArrow(base, head, unit)})`;
}

export function diagnose(b: BenchmarkComparison): Diagnosis {
  const cause = causesByRank()
    .map((kind) => {
      const result = resultOf(b, kind);
      return result === undefined ? undefined : kind.cause?.of(result);
    })
    .find((found) => found !== undefined);
  return { name: b.name, effect: effectOf(b), ...(cause ? { cause } : {}) };
}

/** "GET /users 4.0× slower (227 → 900 ms): 500 new queries per call from src/users.ts:25 (N+1)". */
export function diagnosisLine(d: Diagnosis): string {
  return `${d.name} ${d.effect}${d.cause ? `: ${d.cause}` : ''}`;
}
