/**
 * Benjamini–Hochberg adjusted p-values (step-up, Benjamini & Hochberg 1995). Pure.
 *
 * Why BH and not Holm: the error that matters for a gate is failing a pull request that
 * changed nothing. In that case every benchmark is a true null, and there the false discovery
 * rate BH controls equals the family-wise rate: P(any false regression) ≤ alpha, as with Holm.
 * When the pull request did slow some benchmarks, the gate fails rightly either way, and BH
 * finds more of the slowed ones (a PR that slows 40 benchmarks by 5 % is seen as such). BH
 * holds under the positive dependence that a common runner shift gives (Benjamini & Yekutieli
 * 2001).
 */

/** p̃ᵢ = min over j with p₍ⱼ₎ ≥ pᵢ of m·p₍ⱼ₎/j, capped at 1; same order as the input. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, i } = order[rank - 1];
    running = Math.min(running, (m * p) / rank);
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}
