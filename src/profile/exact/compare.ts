/**
 * Exact calls of the project's functions, base against head. Call counts of deterministic code
 * are exact, so a change is reported exactly ("getUserDetails: 1 → 500 calls per op") and gated
 * like query counts; async-inclusive times are judged as timings are (Mann-Whitney on the
 * rounds, Benjamini–Hochberg across the functions, beyond the threshold). Functions are matched by name
 * and file; the line is an attribute (a function that moved is the same function). Pure.
 */
import type { CallsAttachment, ExactFunction } from '../../model/calls.js';
import type { CallsComparison, ExactCallChange } from '../../model/comparison.js';
import { benjaminiHochberg } from '../../stats/benjamini-hochberg.js';
import { mannWhitneyU } from '../../stats/mann-whitney.js';
import type { CallsOptions } from './options.js';

/** Half a call per op: below it, a difference of averaged counts is rounding, not code. */
const MIN_DIFFERENCE = 0.5;
export const MAX_EXACT_CHANGES = 10;

/** name+file, and the rank among same-named functions of the file (two anonymous arrows). */
function keyed(functions: readonly ExactFunction[]): Map<string, ExactFunction> {
  const seen = new Map<string, number>();
  const out = new Map<string, ExactFunction>();
  for (const f of [...functions].sort((a, b) => a.line - b.line)) {
    const base = `${f.file}\u0000${f.name}`;
    const rank = seen.get(base) ?? 0;
    seen.set(base, rank + 1);
    out.set(`${base}\u0000${rank}`, f);
  }
  return out;
}

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** head/base − 1; null from a zero base. */
function relativeChange(base: number, head: number): number | null {
  if (base === head) return 0;
  return base > 0 ? head / base - 1 : null;
}

function timeTest(base: ExactFunction, head: ExactFunction): number | null {
  const a = base.roundsMs ?? [];
  const b = head.roundsMs ?? [];
  if (a.length < 2 || b.length < 2) return null;
  return mannWhitneyU(sorted(a), sorted(b)).pValue;
}

export function compareExact(
  bases: readonly CallsAttachment[],
  head: CallsAttachment | undefined,
  options: Pick<CallsOptions, 'tolerance' | 'timeThreshold'>,
  { alpha }: { alpha: number },
  max = MAX_EXACT_CHANGES,
): CallsComparison | undefined {
  const base = bases[0];
  if (!base || !head) return undefined;
  const baseFns = keyed(base.functions);
  const headFns = keyed(head.functions);
  const keys = [...new Set([...baseFns.keys(), ...headFns.keys()])];
  const tested = keys.flatMap((key) => {
    const b = baseFns.get(key);
    const h = headFns.get(key);
    const p = b && h && b.inclusiveMsPerOp + h.inclusiveMsPerOp > 0 ? timeTest(b, h) : null;
    return p === null ? [] : [{ key, p }];
  });
  const adjusted = new Map(
    benjaminiHochberg(tested.map((t) => t.p)).map((p, i) => [tested[i]!.key, p]),
  );
  const changes: ExactCallChange[] = [];
  const reasons: string[] = [];
  for (const key of keys) {
    const b = baseFns.get(key);
    const h = headFns.get(key);
    const f = (h ?? b)!;
    const baseCalls = b?.callsPerOp ?? null;
    const headCalls = h?.callsPerOp ?? null;
    const callsChanged = Math.abs((headCalls ?? 0) - (baseCalls ?? 0)) >= MIN_DIFFERENCE;
    const baseMs = b?.inclusiveMsPerOp ?? 0;
    const headMs = h?.inclusiveMsPerOp ?? 0;
    const pAdjusted = adjusted.get(key) ?? null;
    const relative = relativeChange(baseMs, headMs);
    // A function new or gone is a change of its calls; its time alone would say nothing more.
    const timeChanged =
      b !== undefined &&
      h !== undefined &&
      pAdjusted !== null &&
      pAdjusted < alpha &&
      (relative === null ? headMs !== baseMs : Math.abs(relative) > options.timeThreshold);
    if (!callsChanged && !timeChanged) continue;
    const change: ExactCallChange = {
      name: f.name,
      file: f.file,
      line: f.line,
      base: baseCalls,
      head: headCalls,
      time: {
        base: baseMs,
        head: headMs,
        change: b && h ? relative : null,
        ...(timeChanged ? { beyondNoise: true } : {}),
      },
      ...(b && h && b.line !== h.line ? { baseLine: b.line } : {}),
    };
    changes.push(change);
    if (
      baseCalls !== null &&
      headCalls !== null &&
      headCalls - baseCalls >= MIN_DIFFERENCE &&
      headCalls - baseCalls > options.tolerance
    )
      reasons.push(
        `${f.name} (${f.file}:${f.line}): ${formatCalls(baseCalls)} → ${formatCalls(headCalls)} calls per op`,
      );
  }
  changes.sort(byImportance);
  const workerThreads = Math.max(base.workerThreads ?? 0, head.workerThreads ?? 0);
  return {
    changes: changes.slice(0, max),
    regressed: reasons.length > 0,
    reasons,
    ...(workerThreads > 0 ? { workerThreads } : {}),
  };
}

/**
 * Grown counts first, most grown first (new functions before all), and among equal growth the
 * function called least: `getUserDetails` 1 → 50 before the arrow inside it 50 → 2500, since the
 * caller's change explains its callees'. Then shrunk counts, then time changes alone.
 */
function byImportance(x: ExactCallChange, y: ExactCallChange): number {
  const rank = (c: ExactCallChange) => {
    const base = c.base ?? 0;
    const head = c.head ?? 0;
    if (Math.abs(head - base) < MIN_DIFFERENCE) return { group: 2, factor: 0, calls: 0 };
    if (head > base) return { group: 0, factor: base > 0 ? head / base : Infinity, calls: head };
    return { group: 1, factor: base > 0 ? -head / base : 0, calls: base };
  };
  const a = rank(x);
  const b = rank(y);
  const time = (c: ExactCallChange) => Math.abs((c.time?.head ?? 0) - (c.time?.base ?? 0));
  return (
    a.group - b.group ||
    b.factor - a.factor ||
    a.calls - b.calls ||
    time(y) - time(x) ||
    x.name.localeCompare(y.name)
  );
}

/** 500 → "500", 1.5 → "1.5", 0.333 → "0.33". */
export function formatCalls(calls: number | null): string {
  if (calls === null) return '—';
  return calls >= 100 ? String(Math.round(calls)) : String(Math.round(calls * 100) / 100);
}
