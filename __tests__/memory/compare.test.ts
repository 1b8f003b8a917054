import { describe, expect, it } from 'vitest';
import { changedSites, compareMemory } from '../../src/memory/compare.js';
import { memorySection } from '../../src/memory/render.js';
import { layoutMarkdown } from '../../src/report/layout/markdown.js';
import { layoutText } from '../../src/report/layout/text.js';
import type { Comparison } from '../../src/model/comparison.js';

const memoryMarkdown = (c: Comparison) => layoutMarkdown(memorySection(c));
const memoryText = (c: Comparison) => layoutText(memorySection(c));
import type { MemoryAttachment } from '../../src/model/memory.js';

function attachment(perOp: number, extra: Partial<MemoryAttachment> = {}): MemoryAttachment {
  // Per-round samples vary a little, like real rounds do.
  const allocSamples = Array.from({ length: 10 }, (_, i) => perOp * (1 + ((i % 3) - 1) * 0.002));
  return {
    allocBytesPerOp: perOp,
    allocSamples,
    retainedBytesPerOp: 0.01,
    leak: null,
    peakRss: 80 * 2 ** 20,
    peakHeap: 10 * 2 ** 20,
    topAllocations: [{ name: 'handler', file: 'src/app.ts', line: 10, bytesPerOp: perOp * 0.9 }],
    method: 'v8-heap-accounting+sampling-heap-profiler',
    ...extra,
  };
}

const leak: NonNullable<MemoryAttachment['leak']> = {
  bytesPerOp: 394,
  stderr: 1.1,
  heapAfterRounds: [9e6, 10e6, 11e6, 12e6, 13e6],
  opsPerRound: 2500,
  sites: [{ name: 'appendRecord', file: 'src/cache.ts', line: 5, bytesPerOp: 410 }],
};

const options = { threshold: 0.1, alpha: 0.01 };

describe('compareMemory', () => {
  it('reports about 2x and a regression when allocation per op doubles', () => {
    const m = compareMemory([attachment(8052)], attachment(16100), options)!;
    expect(m.change).toBeCloseTo(16100 / 8052 - 1, 5);
    expect(m.pValue).toBeLessThan(0.01);
    expect(m.ci![0]).toBeGreaterThan(0.9);
    expect(m.regressed).toBe(true);
    expect(m.reasons[0]).toMatch(/allocation 7\.86 KiB → 15\.7 KiB per op \(\+100\.0%/);
    expect(m.sites![0]).toMatchObject({ name: 'handler', base: 8052 * 0.9, head: 16100 * 0.9 });
  });

  it('does not regress on the same allocation, nor on a significant change under the threshold', () => {
    expect(compareMemory([attachment(8052)], attachment(8052), options)!.regressed).toBe(false);
    const small = compareMemory([attachment(8052)], attachment(8200), options)!;
    expect(small.pValue).toBeLessThan(0.01);
    expect(small.regressed).toBe(false);
  });

  it('claims no significance with one value per side (foreign formats)', () => {
    const one = (v: number) => attachment(v, { allocSamples: undefined });
    const m = compareMemory([one(1000)], one(1500), options)!;
    expect(m.pValue).toBeNull();
    expect(m.regressed).toBe(true);
    expect(m.reasons[0]).toContain('no significance test');
  });

  it('gives no verdict (does not fail) when too few rounds make the test powerless', () => {
    const three = (v: number) => attachment(v, { allocSamples: [v, v * 1.01, v * 0.99] });
    const m = compareMemory([three(1000)], three(14000), options)!;
    expect(m.pValue).toBeGreaterThanOrEqual(0.1);
    expect(m.regressed).toBe(false);
    expect(m.reasons).toEqual([]);
    expect(m.noVerdict).toMatch(
      /^no verdict on allocation 1000 B → 13\.7 KiB per op \(\+1300\.0%\): too few rounds for a significance test \(3 vs 3, p ≥ 0\.100 > alpha 0\.01\); raise memory\.rounds$/,
    );
  });

  it('flags a new leak, and not one the baseline already had', () => {
    const fresh = compareMemory([attachment(400)], attachment(400, { leak }), options)!;
    expect(fresh.leak).toMatchObject({ new: true, bytesPerOp: 394 });
    expect(fresh.regressed).toBe(true);
    expect(fresh.reasons[0]).toMatch(
      /new memory leak: 394 B retained per op .* at appendRecord \(src\/cache\.ts:5\)/,
    );
    const old = compareMemory([attachment(400, { leak })], attachment(400, { leak }), options)!;
    expect(old.leak!.new).toBe(false);
    expect(old.regressed).toBe(false);
  });

  it('without a baseline reports head values and does not gate', () => {
    const m = compareMemory([], attachment(400, { leak }), options)!;
    expect(m).toMatchObject({ base: null, head: 400, change: null, regressed: false });
    expect(m.leak!.new).toBe(true);
    expect(compareMemory([attachment(1)], undefined, options)).toBeUndefined();
  });
});

function comparisonWith(memories: Array<[string, ReturnType<typeof compareMemory>]>): Comparison {
  return {
    verdict: 'pass',
    reasons: [],
    highlights: [],
    failOn: ['memory'],
    baseRuns: 1,
    head: {},
    envDifferences: [],
    summary: {
      regression: 0,
      improvement: 0,
      unchanged: 0,
      new: 0,
      removed: 0,
      noisy: 0,
      failed: 0,
    },
    benchmarks: memories.map(([id, memory]) => ({
      id,
      name: id,
      file: 'x.bench.ts',
      status: 'unchanged',
      time: {
        base: 1,
        head: 1,
        change: 0,
        ci: null,
        pValue: null,
        unit: 'ns',
        direction: 'smaller',
        threshold: 0.1,
      },
      ...(memory ? { memory } : {}),
      // The verdict compare() would record (failOn: memory).
      regressed: memory?.regressed ? ['memory' as const] : [],
      failed: memory?.regressed ? ['memory' as const] : [],
      reasons: [],
    })),
  };
}

describe('the Memory section, as markdown and as text', () => {
  it('is empty without memory data', () => {
    expect(memorySection(comparisonWith([['a', undefined]]))).toEqual([]);
  });

  it('shows base → head allocation, the change, leak findings and changed sites, escaped', () => {
    const doubled = compareMemory([attachment(8052)], attachment(16100), options);
    const leaking = compareMemory([attachment(400)], attachment(400, { leak }), options);
    const steady = compareMemory([attachment(100)], attachment(100), options);
    const md = memoryMarkdown(
      comparisonWith([
        ['api > get_users <script>', doubled],
        ['cache > put', leaking],
        ['math > add', steady],
      ]),
    );
    expect(md).toContain('### Memory');
    // Values and their units never wrap: non-breaking spaces.
    expect(md).toContain('7.86\u00a0KiB\u00a0→\u00a015.7\u00a0KiB');
    expect(md).toContain('+100.0%\u00a0(p\u00a01e-4)');
    // Short names in the rows, the file as their heading.
    expect(md).toContain('#### x.bench.ts\n');
    expect(md).toContain('🔴 new leak');
    expect(md).toContain('**New leak** in cache \\> put: 394 B retained per op');
    expect(md).toContain('appendRecord \\(src/cache.ts:5\\) 410 B/op');
    expect(md).toContain('handler \\(src/app.ts:10\\): 7.08 KiB → 14.2 KiB');
    expect(md).not.toContain('<script>');
    expect(md).toMatch(
      /<details><summary>Memory of 1 other benchmark<\/summary>[\s\S]*math \\> add/,
    );
    const text = memoryText(comparisonWith([['cache > put', leaking]]));
    expect(text).toContain('New leak in cache > put: 394 B retained per op');
  });
});

describe('allocation sites keep their identity when lines move', () => {
  it('matches a moved function by name and file: one site, at its head line', () => {
    // fast-uri: a change above recomposeAuthority moved it from line 744 to 738.
    const file = 'node_modules/fast-uri/index.js';
    const base = [
      { name: 'recomposeAuthority', file, line: 744, bytesPerOp: 400 },
      { name: 'parse', file, line: 200, bytesPerOp: 100 },
    ];
    const head = [
      { name: 'recomposeAuthority', file, line: 738, bytesPerOp: 1200 },
      { name: 'parse', file, line: 200, bytesPerOp: 100 },
    ];
    expect(changedSites(base, head, 10)).toEqual([
      { name: 'recomposeAuthority', file, line: 738, base: 400, head: 1200 },
    ]);
  });

  it('tells apart two anonymous functions of one file by their order', () => {
    const file = 'src/app.ts';
    const base = [
      { name: '(anonymous)', file, line: 10, bytesPerOp: 100 },
      { name: '(anonymous)', file, line: 30, bytesPerOp: 500 },
    ];
    // Both moved down by 4 lines; the second one allocates more.
    const head = [
      { name: '(anonymous)', file, line: 14, bytesPerOp: 100 },
      { name: '(anonymous)', file, line: 34, bytesPerOp: 900 },
    ];
    expect(changedSites(base, head, 10)).toEqual([
      { name: '(anonymous)', file, line: 34, base: 500, head: 900 },
    ]);
  });
});
