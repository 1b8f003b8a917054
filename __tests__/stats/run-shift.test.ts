// Stored mode's run shift (src/stats/timing-tests.ts splitHistory, timing-verdict.ts): each
// benchmark's own change is measured against the median shift of the OTHER benchmarks, the
// shift itself is tested against how much the history's runs moved, and both are taken as time
// so that ns and ops/s benchmarks agree. Deterministic suites built by hand: no randomness.
import { describe, expect, it } from 'vitest';
import { historyContrasts, splitHistory } from '../../src/stats/timing-tests.js';
import { judgeTiming, type TimingCase } from '../../src/stats/timing-verdict.js';

const alpha = 0.01;
/** Runner effect (ln) of each of the 5 history runs, newest first: sd ≈ 0.4 %. */
const RUNNERS = [0.004, -0.003, 0.002, -0.005, 0.002];
/** A benchmark's own run-to-run noise, deterministic: |e| ≤ 0.3 %. */
const own = (b: number, run: number) => 0.003 * Math.sin(7 * b + 3 * run + 1);

interface SuiteOptions {
  benchmarks?: number;
  /** ln change of each benchmark's time in the head. */
  change?: (b: number) => number;
  /** The head's runner effect (ln). */
  headRunner?: number;
  /** Benchmarks measured in ops/s (higher is better) instead of ns. */
  opsPerSec?: (b: number) => boolean;
  runners?: readonly number[];
}

/** The time level (ln ns) of benchmark b in a run, and the cases as perfgate would build them. */
function suite(options: SuiteOptions = {}): TimingCase[] {
  const {
    benchmarks = 12,
    change = () => 0,
    headRunner = 0.001,
    opsPerSec = () => false,
    runners = RUNNERS,
  } = options;
  return Array.from({ length: benchmarks }, (_, b): TimingCase => {
    const mu = Math.log(1000 * 1.7 ** b);
    const ops = opsPerSec(b);
    // ops/s = 1e9 / ns: its ln level is ln 1e9 − ln ns.
    const value = (time: number) => (ops ? Math.log(1e9) - time : time);
    const forks = (level: number) => [level - 0.002, level, level + 0.002];
    const history = runners.map((r, run) => value(mu + r + own(b, run)));
    const head = forks(value(mu + headRunner + change(b) + own(b, 9)));
    return {
      direction: ops ? 'bigger' : 'smaller',
      threshold: 0.03,
      data: { design: 'history', history, head, newest: forks(history[0]) },
    };
  });
}

const statuses = (cases: TimingCase[]) => judgeTiming(cases, alpha).judgements.map((j) => j.status);

function splitOf(cases: TimingCase[]) {
  const contrasts = historyContrasts(
    cases.map((c) => {
      if (c.data.design !== 'history') throw new Error('stored cases only');
      return {
        history: c.data.history,
        head: c.data.head.reduce((s, x) => s + x, 0) / c.data.head.length,
        ...(c.direction === 'bigger' ? { sign: -1 as const } : {}),
      };
    }),
  );
  return { contrasts, split: splitHistory(contrasts, null)! };
}

describe('stored mode: the run shift', () => {
  it('A/A: nothing flagged, and the shift is reported as not significant', () => {
    const { judgements, shift } = judgeTiming(suite(), alpha);
    expect(judgements.map((j) => j.status)).toEqual(Array(12).fill('unchanged'));
    expect(shift).not.toBeNull();
    expect(shift!.significant).toBe(false);
    expect(shift!.benchmarks).toBe(12);
    expect(shift!.runs).toBe(5);
    expect(shift!.ci[0]).toBeLessThan(shift!.change);
    expect(shift!.ci[1]).toBeGreaterThan(shift!.change);
  });

  it('one benchmark of 12 slowed 20 %: that one is flagged, the shift is not significant', () => {
    for (const which of [0, 5, 11]) {
      const cases = suite({ change: (b) => (b === which ? Math.log(1.2) : 0) });
      const { judgements, shift } = judgeTiming(cases, alpha);
      expect(judgements.map((j) => j.status)).toEqual(
        Array.from({ length: 12 }, (_, b) => (b === which ? 'regression' : 'unchanged')),
      );
      expect(judgements[which].change).toBeCloseTo(0.2, 1);
      expect(shift!.significant).toBe(false);
      expect(Math.abs(shift!.change)).toBeLessThan(0.01);
    }
  });

  it("leave-one-out: a benchmark's own change does not pull the shift it is measured against", () => {
    const { contrasts, split } = splitOf(suite({ change: (b) => (b === 3 ? Math.log(1.2) : 0) }));
    // Benchmark 3's reference is the median of the 11 others: none of its own 20 %.
    const others = contrasts
      .filter((_, k) => k !== 3)
      .map((c) => c!.estimate)
      .sort((x, y) => x - y);
    expect(split.reference[3]).toBeCloseTo(others[5], 12);
    expect(split.own[3]!.estimate).toBeCloseTo(contrasts[3]!.estimate - others[5], 12);
    expect(split.own[3]!.estimate).toBeCloseTo(Math.log(1.2), 2);
  });

  it('all 12 slowed 10 %: the own changes are nil, the PR fails through the shift', () => {
    const { judgements, shift } = judgeTiming(suite({ change: () => Math.log(1.1) }), alpha);
    expect(judgements.map((j) => j.status)).toEqual(Array(12).fill('regression'));
    expect(shift!.significant).toBe(true);
    expect(shift!.pAdjusted).toBeLessThan(alpha);
    expect(shift!.change).toBeCloseTo(0.1, 2);
    // Not by their own tests: each moved with the rest of its run.
    for (const j of judgements) {
      expect(j.pAdjusted!).toBeGreaterThan(alpha);
      expect(j.change).toBeCloseTo(0.1, 2);
    }
  });

  it('ops/s benchmarks: a slowdown lowers them, and the shift is still time (positive: slower)', () => {
    const mixed = (b: number) => b % 2 === 1;
    // Everything 10 % slower: the ops/s ones fall by 9 %, all are regressions through the shift.
    const slower = judgeTiming(suite({ change: () => Math.log(1.1), opsPerSec: mixed }), alpha);
    expect(slower.judgements.map((j) => j.status)).toEqual(Array(12).fill('regression'));
    slower.judgements.forEach((j, b) => expect(j.change).toBeCloseTo(mixed(b) ? -0.091 : 0.1, 2));
    expect(slower.shift!.change).toBeCloseTo(0.1, 2);
    expect(slower.shift!.significant).toBe(true);
    // All of them in ops/s, 10 % faster: improvements, the shift negative.
    const faster = judgeTiming(
      suite({ change: () => Math.log(1 / 1.1), opsPerSec: () => true }),
      alpha,
    );
    expect(faster.judgements.map((j) => j.status)).toEqual(Array(12).fill('improvement'));
    expect(faster.shift!.change).toBeCloseTo(-0.091, 2);
    // One ops/s benchmark slowed 20 % in a mixed suite: flagged alone.
    expect(
      statuses(suite({ change: (b) => (b === 3 ? Math.log(1.2) : 0), opsPerSec: mixed })),
    ).toEqual(Array.from({ length: 12 }, (_, b) => (b === 3 ? 'regression' : 'unchanged')));
  });

  it('ops/s: a slow runner moves the shift, not the own changes (the split agrees across units)', () => {
    // History runners ±2 %; the head on a runner 1 % slower. Half the suite in ops/s.
    const runners = [0.02, -0.015, 0.01, -0.025, 0.01];
    const cases = suite({ headRunner: 0.01, runners, opsPerSec: (b) => b % 2 === 1 });
    const { split } = splitOf(cases);
    expect(split.shift).toBeCloseTo(0.01 - runners.reduce((s, r) => s + r, 0) / 5, 2);
    // Each benchmark's own change is its own noise only (|e| ≤ 0.3 % twice over), in either unit.
    for (const o of split.own) expect(Math.abs(o!.estimate)).toBeLessThan(0.007);
    const { judgements, shift } = judgeTiming(cases, alpha);
    expect(shift!.change).toBeCloseTo(0.01, 2);
    expect(judgements.map((j) => j.status)).toEqual(Array(12).fill('unchanged'));
  });

  it('after a step, the reference is taken on the average runner of the history', () => {
    // Runs 0 and 1 (newest) on fast runners; benchmark 0 got 30 % faster on main before them.
    const runners = [-0.02, -0.02, 0.013, 0.013, 0.014];
    const cases = suite({ runners });
    const stepped = cases.map((c, b) => {
      if (b !== 0 || c.data.design !== 'history') return c;
      const history = c.data.history.map((l, run) => (run >= 2 ? (l ?? 0) + Math.log(1.3) : l));
      return { ...c, data: { ...c.data, history } };
    });
    const { contrasts } = splitOf(stepped);
    expect(contrasts[0]!.replicates.base).toBe(2); // the runs since the step
    // Its reference is on the same (average) runner as the others': its contrast is like theirs,
    // not 2 % slower for the two fast runners its segment happens to hold.
    const others = contrasts.slice(1).map((c) => c!.estimate);
    const median = [...others].sort((x, y) => x - y)[5];
    expect(Math.abs(contrasts[0]!.estimate - median)).toBeLessThan(0.007);
    expect(statuses(stepped)[0]).toBe('unchanged');
  });

  it('fewer than 5 stored-mode benchmarks: no shift', () => {
    expect(judgeTiming(suite({ benchmarks: 4 }), alpha).shift).toBeNull();
  });
});
