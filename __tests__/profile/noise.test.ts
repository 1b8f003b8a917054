import { describe, expect, it } from 'vitest';
import { diffFunctions, type DiffSide } from '../../src/profile/diff.js';
import { normalSf, significantChanges, typicalShare } from '../../src/profile/noise.js';

/** Poisson sample by inversion (deterministic PRNG): what a sampling profiler's counts look like. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function poisson(mean: number, random: () => number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss(random)));
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = random();
  while (u > s) {
    k += 1;
    p *= mean / k;
    s += p;
  }
  return k;
}
function gauss(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

/** A profile of functions with the given time per op (ns), `exposure` samples per ns-per-op. */
function side(
  times: Record<string, number>,
  random: () => number,
  factor = 1,
  exposure = 1 / 25,
): DiffSide {
  const functions = Object.entries(times).map(([name, t]) => {
    const k = poisson(t * factor * exposure, random);
    return { name, file: 'src/x.ts', line: 1, selfSamples: k, totalSamples: k };
  });
  return { functions, samples: functions.reduce((s, f) => s + f.selfSamples, 0), exposure };
}

const PROFILE = {
  parseRow: 40_000,
  hashRow: 30_000,
  render: 20_000,
  validate: 8_000,
  log: 1_500,
  tiny: 200,
};

describe('noise rule', () => {
  it('normalSf is the standard normal upper tail', () => {
    expect(normalSf(0)).toBeCloseTo(0.5, 6);
    expect(normalSf(1.959964)).toBeCloseTo(0.025, 5);
    expect(normalSf(-1)).toBeCloseTo(0.841345, 5);
  });

  it('A/A: 200 pairs of Poisson profiles of the same code give no false alarm', () => {
    const random = rng(1);
    let alarms = 0;
    for (let i = 0; i < 200; i += 1)
      alarms += diffFunctions([side(PROFILE, random)], side(PROFILE, random)).length;
    // Family-wise alpha 0.01 per pair: ~2 expected at most.
    expect(alarms).toBeLessThanOrEqual(4);
  });

  it('a profile-wide factor (busier machine) is not blamed on every function', () => {
    const random = rng(2);
    expect(diffFunctions([side(PROFILE, random)], side(PROFILE, random, 1.5))).toEqual([]);
  });

  it("the runtime's own work neither is reported nor sets the typical function", () => {
    // Three project functions unchanged; the garbage collector's work (no project frame above it:
    // V8's pseudo-frame, Go's mark workers) doubled between the two runs. Before, the runtime's
    // frames were the typical function: the unchanged project functions were reported as shrunk.
    const random = rng(6);
    const project = { parseRow: 40_000, hashRow: 30_000, render: 20_000 };
    const runtime = (factor: number) =>
      [
        { name: '(garbage collector)', file: '', t: 30_000 },
        { name: 'runtime.gcBgMarkWorker', file: '/usr/lib/go/src/runtime/mgc.go', t: 25_000 },
        { name: 'runtime.scanobject', file: '/usr/lib/go/src/runtime/mgcmark.go', t: 20_000 },
        { name: 'runtime.findObject', file: '/usr/lib/go/src/runtime/mbitmap.go', t: 15_000 },
        { name: 'runtime.bgsweep', file: '/usr/lib/go/src/runtime/mgcsweep.go', t: 10_000 },
      ].map(({ name, file, t }) => {
        const k = poisson((t * factor) / 25, random);
        return { name, file, line: 0, selfSamples: k, totalSamples: k };
      });
    const withRuntime = (factor: number): DiffSide => {
      const s = side(project, random);
      const functions = [...s.functions, ...runtime(factor)];
      return { ...s, functions, samples: functions.reduce((n, f) => n + f.selfSamples, 0) };
    };
    expect(diffFunctions([withRuntime(1)], withRuntime(2))).toEqual([]);
  });

  it('finds a 20 % change of one function and only that one', () => {
    const random = rng(3);
    const head = { ...PROFILE, hashRow: PROFILE.hashRow * 1.2 };
    const b = side(PROFILE, random);
    const h = side(head, random);
    const changes = diffFunctions([b], h);
    expect(changes.map((c) => c.name)).toEqual(['hashRow']);
    expect(changes[0].change).toBeGreaterThan(0.1);
  });

  it('reports a function new in head with change null, and pools several bases', () => {
    const random = rng(4);
    const bases = [side(PROFILE, random), side(PROFILE, random), side(PROFILE, random)];
    const changes = diffFunctions(bases, side({ ...PROFILE, newHelper: 5_000 }, random));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ name: 'newHelper', base: 0, change: null });
  });

  it('a small change within the noise of few samples is not reported', () => {
    const random = rng(5);
    const small = { a: 3_000, b: 2_000, c: 1_000 };
    const few = 1 / 100;
    expect(
      diffFunctions([side(small, random, 1, few)], side({ ...small, a: 3_300 }, random, 1, few)),
    ).toEqual([]);
  });
});

describe('the typical share', () => {
  // Real counts: own samples of workload.c under perf record, 4 base recordings pooled against a
  // head with parse_line slowed 1.3× (eval:findings, 2026-12-03; same order of functions).
  const names = [
    '__vfprintf_internal',
    'parse_line',
    'main',
    'hash_record',
    'msort',
    'cmp',
    'memmove',
  ];
  const counts = [
    { base: 20, head: 9 },
    { base: 1102, head: 393 },
    { base: 26, head: 8 },
    { base: 804, head: 215 },
    { base: 792, head: 223 },
    { base: 565, head: 142 },
    { base: 111, head: 37 },
  ];

  it('is not pulled toward a large changed function that agreed with the first median', () => {
    // The unchanged majority's head share is 580 / 2741 = 0.212 (hash_record, msort, cmp); the
    // median of all shares is 0.235, within 3 standard errors of parse_line's 0.263: pooled with
    // its own samples, parse_line kept itself in the pool and the reference at 0.23.
    const p = typicalShare(counts)!;
    expect(p).toBeGreaterThan(0.2);
    expect(p).toBeLessThan(0.218);
    const tests = significantChanges(counts, { base: 4, head: 1 }, { reference: 'typical' });
    const reported = names.filter((_, i) => tests[i]!.significant);
    expect(reported).toEqual(['parse_line']);
  });
});
