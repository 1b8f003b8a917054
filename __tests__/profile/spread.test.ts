import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareProfiles } from '../../src/profile/compare.js';
import { diffFunctions, type DiffSide } from '../../src/profile/diff.js';
import { attachmentSide } from '../../src/profile/attachment.js';
import {
  acrossRecordings,
  blockDispersions,
  pooledExtra,
  priorSpread,
  spreadEstimates,
} from '../../src/profile/spread.js';
import type { ProfileAttachment } from '../../src/model/profile.js';
import { readProfile } from '../../src/profile/formats/read.js';
import { toAttachment } from '../../src/profile/attachment.js';
import { TIME_BLOCKS } from '../../src/profile/tree.js';

const fixtures = join(import.meta.dirname, '../fixtures/profiles/v8-aa');
const load = (name: string) =>
  JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as ProfileAttachment;

/** A side of six functions with these own samples (a "typical" majority and `f0`). */
function side(counts: number[], extra: Partial<DiffSide> = {}): DiffSide {
  return {
    functions: counts.map((k, i) => ({
      name: `f${i}`,
      file: 'src/app.ts',
      line: 10 * i + 1,
      selfSamples: k,
      totalSamples: k,
      ownSamples: k,
    })),
    samples: counts.reduce((a, b) => a + b, 0),
    exposure: 1,
    ...extra,
  };
}

describe('blocks of a recording', () => {
  it.each(['app.cpuprofile', 'app.perf-script.txt'])(
    '%s: own samples by eighth of the recording, in the summary and the attachment',
    async (name) => {
      const { summary, tree } = await readProfile(join(fixtures, '..', name), {});
      expect(summary.blocks).toHaveLength(TIME_BLOCKS);
      const all = summary.blocks!.reduce((a, b) => a + b, 0);
      expect(all).toBeGreaterThan(0.95 * summary.samples);
      // Equal runs of samples: each block holds an eighth.
      for (const k of summary.blocks!)
        expect(Math.abs(k - all / TIME_BLOCKS)).toBeLessThan(2 + all * 0.01);
      for (const f of summary.functions.filter((f) => f.ownSamples > 0 && f.blocks))
        expect(f.blocks!.reduce((a, b) => a + b, 0)).toBe(f.ownSamples);
      const attachment = toAttachment(tree, { ops: 100, durationMs: 1000 });
      expect(attachment.blocks).toEqual(summary.blocks);
      expect(attachment.functions[0]!.blocks).toHaveLength(TIME_BLOCKS);
    },
  );
});

describe('spread between recordings', () => {
  it('a real A/A pair of two processes: the function that moved with its process is no change', () => {
    const [a, b] = [load('process-a.json'), load('process-b.json')];
    expect(compareProfiles([a], b)).toEqual([]);
    expect(compareProfiles([b], a)).toEqual([]);
    // The pair is a hard one: judged on sampling noise alone (no source, no blocks: what the
    // rule did before it knew the spread), inner is reported.
    const bare = (p: ProfileAttachment): DiffSide => {
      const s = attachmentSide(p)!;
      return {
        ...s,
        source: undefined,
        blocks: undefined,
        functions: s.functions.map((f) => ({ ...f, blocks: undefined })),
      };
    };
    const naive = diffFunctions([bare(a)], bare(b));
    expect(naive.map((f) => f.name)).toContain('inner');
    const inner = naive.find((f) => f.name === 'inner')!;
    expect(inner.change).toBeLessThan(-0.1);
  });

  it('still reports a doubled function between the same two processes', () => {
    const [a, b] = [load('process-a.json'), load('process-b.json')];
    const doubled: ProfileAttachment = {
      ...b,
      functions: b.functions.map((f) =>
        f.name === 'inner'
          ? {
              ...f,
              selfSamples: f.selfSamples * 2,
              totalSamples: f.totalSamples * 2,
              ownSamples: (f.ownSamples ?? f.selfSamples) * 2,
              blocks: f.blocks?.map((k) => k * 2),
            }
          : f,
      ),
    };
    const changes = compareProfiles([a], doubled)!;
    expect(changes[0]?.name).toBe('inner');
  });

  it('prior spread by profiler: V8 has one, the others none measured', () => {
    expect(priorSpread('v8')).toBeGreaterThan(0);
    expect(priorSpread('pprof')).toBe(0);
    expect(priorSpread(undefined)).toBe(0);
  });

  it('block dispersion: a steady share is Poisson (1), a share that jumps between blocks is not', () => {
    const totals = [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000];
    const steady = [200, 202, 198, 201, 199, 200, 200, 200];
    const jumpy = [150, 250, 150, 250, 150, 250, 150, 250];
    const phi = blockDispersions([steady, steady, steady, jumpy, steady], totals)!;
    expect(phi[0]).toBe(1);
    expect(phi[3]).toBeGreaterThan(3);
    // Too few functions with enough samples to say what is typical: no estimate.
    expect(blockDispersions([steady, [1, 0, 0, 0, 0, 0, 0, 1]], totals)).toBeUndefined();
    expect(blockDispersions([steady], undefined)).toBeUndefined();
  });

  it('pooled extra variance: (Σ (φ − 1)·k) / (Σ k)² on the ln scale', () => {
    expect(pooledExtra([100], [1])).toBe(0);
    expect(pooledExtra([100], [3])).toBeCloseTo(2 / 100, 12);
    expect(pooledExtra([100, 300], [2, 1])).toBeCloseTo(100 / 400 ** 2, 12);
  });

  it('across bases: one base takes the prior; several measure each function, moderated', () => {
    // One head recording: its weight 1, and no estimate of its own.
    const oneHead = (functions: number) => ({
      counts: Array.from({ length: functions }, () => [1]),
      exposures: [1],
    });
    const acrossBases = (perBase: number[][], exposures: number[], prior: number) =>
      acrossRecordings([{ counts: perBase, exposures }, oneHead(perBase.length)], prior);
    for (const v of acrossBases([[500], [400]], [1], 0.05)) expect(v).toBeCloseTo(0.005, 12);
    // Five bases: f0 moves ±20 % between them, the others hold (beyond sampling).
    const perBase = [
      [1000, 1200, 800, 1200, 800],
      [1000, 1000, 1000, 1000, 1000],
      [1000, 1000, 1000, 1000, 1000],
      [1000, 1000, 1000, 1000, 1000],
    ];
    const exposures = [1, 1, 1, 1, 1];
    const raw = spreadEstimates(perBase, exposures)!;
    expect(Math.sqrt(raw[0]!)).toBeGreaterThan(0.15);
    expect(raw[1]).toBe(0);
    const v = acrossBases(perBase, exposures, 0.01);
    expect(v[0]!).toBeGreaterThan(10 * v[1]!);
    // Moderated (4 degrees of freedom of the typical function's, here the prior, against f's 4):
    // f0 below its own estimate; a steady function at the prior, its floor (the head is a new
    // process); × (1 + 1/5) for the head against 5 pooled bases.
    expect(v[0]!).toBeCloseTo(((4 * 0.01 ** 2 + 4 * raw[0]!) / 8) * 1.2, 12);
    expect(v[1]!).toBeCloseTo(0.01 ** 2 * 1.2, 12);
  });

  it('several recordings a side: each side measures the spread, weighed by its degrees of freedom', () => {
    const steady = [1000, 1000, 1000];
    // Three bases that agree; three heads where f0 moves ±20 % (and the others hold).
    const bases = { counts: [steady, steady, steady, steady], exposures: [1, 1, 1] };
    const heads = { counts: [[1000, 1200, 800], steady, steady, steady], exposures: [1, 1, 1] };
    const headSpread = spreadEstimates(heads.counts, heads.exposures)!;
    const v = acrossRecordings([bases, heads], 0.01);
    // f0's c² is the heads' estimate (2 degrees of freedom) pooled with the bases' 0 (2 more),
    // moderated toward the typical (the prior's floor), × (1/3 + 1/3) for 3 recordings a side.
    const pooled = (2 * headSpread[0]! + 2 * 0) / 4;
    expect(v[0]!).toBeCloseTo(((4 * 0.01 ** 2 + 4 * pooled) / 8) * (2 / 3), 12);
    expect(v[1]!).toBeCloseTo(0.01 ** 2 * (2 / 3), 12);
  });

  it('pooled heads: a change that holds in every head process is found, one within their spread is not', () => {
    const bases = [1000, 1000, 1000].map((k) => side([k, 1000, 1000, 1000, 1000, 1000]));
    // f0 25 % up in each of three head processes: found.
    const slowed = [1250, 1250, 1250].map((k) => side([k, 1000, 1000, 1000, 1000, 1000]));
    expect(diffFunctions(bases, slowed).map((f) => f.name)).toEqual(['f0']);
    // The same mean (+25 %) from heads that scatter ±50 % around it: within their spread.
    const scattered = [1250, 1875, 625].map((k) => side([k, 1000, 1000, 1000, 1000, 1000]));
    expect(diffFunctions(bases, scattered)).toEqual([]);
  });

  it('a function that varies across the stored bases is not reported for a change within its spread', () => {
    // f0's base values spread ±20 %; the head's f0 is 25 % above their mean, the rest hold.
    const bases = [1000, 1200, 800, 1200, 800].map((k) => side([k, 1000, 1000, 1000, 1000, 1000]));
    const head = side([1250, 1000, 1000, 1000, 1000, 1000]);
    expect(diffFunctions(bases, head)).toEqual([]);
    // With steady bases, the same head is a change.
    const steady = [1000, 1000, 1000, 1000, 1000].map((k) =>
      side([k, 1000, 1000, 1000, 1000, 1000]),
    );
    expect(diffFunctions(steady, head).map((f) => f.name)).toEqual(['f0']);
    // A doubling beyond the spread is still found.
    const doubled = side([2000, 1000, 1000, 1000, 1000, 1000]);
    expect(diffFunctions(bases, doubled).map((f) => f.name)).toEqual(['f0']);
  });
});
