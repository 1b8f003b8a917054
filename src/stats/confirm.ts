/**
 * Confirming a suspected regression before the gate fails. Pure.
 *
 * The first measurement screens: benchmarks it calls a regression are suspects. Each suspect is
 * measured again (more forks; against the base when the base can be run) and the decision is
 * taken on the confirmation data alone, with Benjamini–Hochberg over the suspects. The two
 * measurements are independent, so a benchmark that did not change fails the gate only when it
 * passes both: P ≤ P(screen) · P(confirm) ≤ alpha. Reusing the first data in the decision would
 * make the second look a foregone conclusion; not confirming on fresh data would keep every
 * chance alarm of the screen.
 */
import type { TimingJudgement } from './timing-verdict.js';

export interface Confirmation {
  /** Suspects re-measured. */
  suspects: number;
  /** Of those, confirmed as regressions. */
  confirmed: string[];
  /** Not confirmed: the first result was chance (or drift). */
  notConfirmed: string[];
  /** Forks measured per side in the confirmation. */
  forks: number;
  /** Wall time of the confirmation, ms. */
  ms: number;
}

/** Ids that the first measurement calls a regression. */
export function suspectsOf(ids: readonly string[], judged: readonly TimingJudgement[]): string[] {
  return ids.filter((_, i) => judged[i].status === 'regression');
}

/**
 * The confirmation's verdict: `judged` are the suspects' judgements on the confirmation data
 * (judged together, so BH runs over the suspects only).
 */
export function decideConfirmation(
  suspects: readonly string[],
  judged: readonly TimingJudgement[],
  forks: number,
  ms: number,
): Confirmation {
  const confirmed = suspects.filter((_, i) => judged[i].status === 'regression');
  return {
    suspects: suspects.length,
    confirmed,
    notConfirmed: suspects.filter((id) => !confirmed.includes(id)),
    forks,
    ms,
  };
}
