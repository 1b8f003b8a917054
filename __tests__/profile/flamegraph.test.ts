import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import {
  addToFlame,
  flameGraphSvg,
  flameRoot,
  flameViews,
  judgeFrames,
} from '../../src/profile/flamegraph.js';
import { priorVariance } from '../../src/profile/spread.js';
import { TreeBuilder, totalTime, type Frame } from '../../src/profile/tree.js';
import { v8ToTree } from '../../src/profile/formats/v8.js';
import { toAttachment } from '../../src/profile/attachment.js';
import { writeFlameGraphs } from '../../src/profile/flamegraph-files.js';
import { toSpeedscope } from '../../src/profile/speedscope-export.js';
import { speedscopeToTree } from '../../src/profile/formats/speedscope.js';
import { summarize } from '../../src/profile/analysis.js';
import type { Comparison } from '../../src/model/comparison.js';
import type { Run } from '../../src/model/run.js';

const evil: Frame = {
  name: '<script>alert("x")</script> & ]]> \u0001',
  file: 'src/a&b.ts',
  line: 3,
};
const main: Frame = { name: 'main', file: 'src/main.ts', line: 1 };
const parse: Frame = { name: 'parseRow', file: 'src/parse.ts', line: 10 };

/** The small tree of the file tests (three functions). */
function simpleTree(parseSamples: number, evilSamples: number) {
  const b = new TreeBuilder('v8', { hasTime: true, sampled: true, intervalUs: 100 });
  b.addStack([main, parse], parseSamples, parseSamples * 100_000);
  b.addStack([main, evil], evilSamples, evilSamples * 100_000);
  b.addStack([main], 10, 1_000_000);
  return b.tree;
}

const helpers = ['a', 'b', 'c', 'd', 'e'].map((n, i) => ({
  name: `helper${n}`,
  file: 'src/helpers.ts',
  line: 10 * (i + 1),
}));

/** parseRow and the evil name vary; five helpers hold the same time on both sides. */
function tree(parseSamples: number, evilSamples: number, jitter = 0) {
  const b = new TreeBuilder('v8', { hasTime: true, sampled: true, intervalUs: 100 });
  b.addStack([main, parse], parseSamples, parseSamples * 100_000);
  b.addStack([main, evil], evilSamples, evilSamples * 100_000);
  helpers.forEach((h, i) => {
    const n = 400 + (i % 2 === 0 ? jitter : -jitter);
    b.addStack([main, h], n, n * 100_000);
  });
  b.addStack([main], 10, 1_000_000);
  return b.tree;
}

function frames(svg: string, view = 0) {
  const part = svg.split(`<g class="view`)[view + 1] ?? '';
  return [
    ...part.matchAll(
      /<g class="f"[^>]*data-w="([\d.]+)"[^>]*><title>([^<]*)<\/title><rect [^>]*fill="([^"]+)"/g,
    ),
  ].map((m) => ({ width: Number(m[1]), title: m[2], fill: m[3] }));
}

const NEUTRAL = 'rgb(236,236,236)';

describe('differential flame graph', () => {
  const root = flameRoot();
  addToFlame(root, tree(1000, 800), 'base', 1);
  addToFlame(root, tree(2000, 400, 8), 'head', 1);
  const svg = flameGraphSvg(root, { title: 'bench > <b>name</b>' });

  it('is well-formed XML with the script in CDATA', () => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('<script type="text/ecmascript"><![CDATA[');
    expect(svg).toMatch(/function zoom\(/);
    expect(svg).toMatch(/function search\(/);
  });

  it('escapes names from PR code everywhere', () => {
    expect(svg).not.toContain('<script>alert');
    expect(svg).not.toContain('<b>name</b>');
    expect(svg).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; ]]&#62;');
    expect(svg).toContain('src/a&#38;b.ts:3');
    expect(svg).not.toContain('\u0001');
  });

  it('colours only changes beyond noise: growth red, shrinkage blue, widths by head', () => {
    const frame = (name: string) => frames(svg).find((f) => f.title.startsWith(name))!;
    const p = frame('parseRow');
    expect(p.fill).toBe('rgb(250,50,50)'); // the largest growth: full red
    expect(p.width).toBeCloseTo(2000 / 4418, 4);
    expect(frame('&#60;script').fill).toMatch(/^rgb\((\d+),\1,250\)$/);
    // ±8 samples of 400 is sampling noise: the helpers stay grey, and so does main, whose own
    // time did not change (its children's did).
    for (const h of helpers) expect(frame(h.name).fill).toBe(NEUTRAL);
    expect(frame('main').fill).toBe(NEUTRAL);
    expect(frame('main').title).toContain('within noise');
    expect(svg).toContain('base 100 ms +100.0%, beyond noise');
  });

  it('lists the top changes beside the graph, largest first', () => {
    const list = [...svg.matchAll(/<g class="c" data-i="(\d+)"><title>([^<]*)<\/title>/g)];
    expect(list.map((m) => m[2])).toEqual([
      '+99.6 ms parseRow (src/parse.ts:10), called from main (src/main.ts:1)',
      '−40.3 ms &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; ]]&#62;  (src/a&#38;b.ts:3), called from main (src/main.ts:1)',
    ]);
    // Each entry points at its frame (click: zoom to it).
    expect(frames(svg)[Number(list[0]![1])]!.title).toMatch(/^parseRow/);
  });

  it('matches a function that moved by name and file: one frame, at its new line', () => {
    const moved = { ...parse, line: 14 };
    const b = new TreeBuilder('v8', { hasTime: true, sampled: true, intervalUs: 100 });
    b.addStack([main, moved], 1000, 1000 * 100_000);
    const r = flameRoot();
    addToFlame(r, tree(1000, 10), 'base', 1);
    addToFlame(r, b.tree, 'head', 1);
    const mainNode = [...r.children.values()][0]!;
    const parses = [...mainNode.children.values()].filter((c) => c.name === 'parseRow');
    expect(parses).toHaveLength(1);
    expect(parses[0]).toMatchObject({ line: 14, baseSamples: 1000, headSamples: 1000 });
  });
});

describe('flame graph of a real PGlite workload (dependencies folded)', () => {
  const dir = join(import.meta.dirname, '../fixtures/profiles/users');
  const projectRoot = '/tmp/perfgate-users-demo';
  const read = async (name: string) =>
    v8ToTree(JSON.parse(await readFile(join(dir, name), 'utf8')), name, { projectRoot });
  const build = async (base: string, baseOps: number, head: string, headOps: number) => {
    const [b, h] = [await read(base), await read(head)];
    const { folded, expanded } = flameViews([
      { tree: b, side: 'base', scale: 1 / baseOps },
      { tree: h, side: 'head', scale: 1 / headOps },
    ]);
    // As writeFlameGraphs draws a regressed benchmark: "no change" = the same time per op.
    return flameGraphSvg(folded, {
      expanded,
      title: 'GET /users',
      noise: { reference: 'exposure' },
    });
  };

  it('folds PGlite, its WebAssembly and minified internals into one frame; the toggle expands them', async () => {
    const svg = await build('users-main.cpuprofile', 150, 'users-pr.cpuprofile', 8);
    expect(XMLValidator.validate(svg)).toBe(true);
    const folded = frames(svg, 0);
    const expanded = frames(svg, 1);
    expect(svg).toContain('id="toggle"');
    expect(
      folded.some((f) => f.title.startsWith('@electric-sql/pglite (dependency, folded)')),
    ).toBe(true);
    expect(folded.filter((f) => /^wasm-function\[/.test(f.title))).toEqual([]);
    expect(folded.filter((f) => f.title.includes('chunk-[hash].js'))).toEqual([]);
    expect(expanded.filter((f) => /^wasm-function\[/.test(f.title)).length).toBeGreaterThan(10);
    expect(folded.length * 5).toBeLessThan(expanded.length);
    // The N+1 made PGlite's time per op grow ~18×: its folded frame is red and the top change.
    const pglite = folded.find((f) => f.title.startsWith('@electric-sql/pglite'))!;
    expect(pglite.fill).toMatch(/^rgb\(250,/);
    const first = /<g class="c" data-i="\d+"><title>([^<]*)<\/title>/.exec(
      svg.split('<g class="view')[1]!,
    );
    expect(first![1]).toMatch(/^\+[\d.]+ ms @electric-sql\/pglite \(dependency, folded\)/);
  });

  it("leaves the garbage collector neutral and out of the list: the runtime's own work", async () => {
    // The two `main` runs differ in garbage collection (127 vs 289 samples, see the README).
    const svg = await build('users-main.cpuprofile', 150, 'users-main-again.cpuprofile', 150);
    for (const view of [0, 1]) {
      const gc = frames(svg, view).filter((f) => f.title.startsWith('(garbage collector)'));
      expect(gc).toHaveLength(1);
      expect(gc[0]!.fill).toBe(NEUTRAL);
      expect(gc[0]!.title).toContain('own work (not judged)');
      const listed = [
        ...svg.split('<g class="view')[view + 1]!.matchAll(/<g class="c"[^>]*><title>([^<]*)</g),
      ].map((m) => m[1]);
      expect(listed.filter((t) => t.includes('(garbage collector)'))).toEqual([]);
    }
  });

  it('colours nothing between two runs of the same code (A/A)', async () => {
    // Real recordings of one workload run twice (see fixtures/profiles/README.md), scaled like
    // writeFlameGraphs does: shares × the timing pass's time per op (the same in A/A).
    const read = async (name: string) =>
      v8ToTree(JSON.parse(await readFile(join(dir, '..', name), 'utf8')), name, {
        projectRoot: '/work/main',
      });
    const [b, h] = [
      await read('workload-base.cpuprofile'),
      await read('workload-again.cpuprofile'),
    ];
    const { folded, expanded } = flameViews([
      { tree: b, side: 'base', scale: 250_000 / totalTime(b) },
      { tree: h, side: 'head', scale: 250_000 / totalTime(h) },
    ]);
    const svg = flameGraphSvg(folded, { expanded, noise: { reference: 'exposure' } });
    for (const view of [0, 1]) {
      const coloured = frames(svg, view).filter((f, i) => i > 0 && f.fill !== NEUTRAL);
      expect(coloured.map((f) => f.title)).toEqual([]);
      expect(frames(svg, view).length).toBeGreaterThan(3);
    }
    expect(svg).toContain('none: no frame changed beyond sampling noise');
  });
});

describe('writeFlameGraphs', () => {
  it('writes an SVG and a speedscope file per regressed benchmark, from the Runs alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-flame-'));
    try {
      const run = (parseSamples: number): Run => ({
        schemaVersion: 1,
        tool: 'perfgate',
        meta: {
          timestamp: '2026-01-01T00:00:00Z',
          env: { os: 'linux', cpu: 'x', cores: 2, node: '20', runner: 'local' },
        },
        benchmarks: [
          {
            id: 'bench/a.bench.ts > parse <rows>',
            name: 'parse <rows>',
            file: 'bench/a.bench.ts',
            unit: 'ns',
            direction: 'smaller',
            samples: [1],
            stats: { n: 1, mean: 1, median: 1, min: 1, max: 1, sd: 0, p99: 1, rme: 0 },
            profile: toAttachment(simpleTree(parseSamples, 50), {
              ops: 100,
              durationMs: 10,
              opNs: 100_000,
            }),
          },
        ],
      });
      const comparison = {
        benchmarks: [{ id: 'bench/a.bench.ts > parse <rows>', status: 'regression' }],
      } as unknown as Comparison;
      const files = await writeFlameGraphs(comparison, [run(100), run(110)], run(300), dir);
      const list = files['bench/a.bench.ts > parse <rows>'];
      expect(list.map((f) => f.label)).toEqual(['flame graph', 'speedscope']);
      expect(list[0].file).toMatch(/bench_a\.bench\.ts_parse_rows-[0-9a-f]{8}\.diff\.svg$/);
      const svg = await readFile(list[0].file, 'utf8');
      expect(XMLValidator.validate(svg)).toBe(true);
      expect(svg).toContain('<title>parseRow (src/parse.ts:10)');
      // The speedscope export reads back (base and head) with our own reader.
      const data = JSON.parse(await readFile(list[1].file, 'utf8'));
      expect(data.profiles.map((p: { name: string }) => p.name)).toEqual([
        'base (newest base run)',
        'head',
      ]);
      const headOnly = { ...data, profiles: [data.profiles[1]] };
      const top = summarize(speedscopeToTree(headOnly, 'x')).functions.sort(
        (a, b) => b.selfTime - a.selfTime,
      )[0];
      expect(top.name).toBe('parseRow');
      // Unchanged benchmarks get nothing.
      const none = await writeFlameGraphs(
        {
          benchmarks: [{ id: 'bench/a.bench.ts > parse <rows>', status: 'unchanged' }],
        } as unknown as Comparison,
        [run(100)],
        run(300),
        dir,
      );
      expect(none).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("keeps only the current run's flame graphs in the folder", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-flame-'));
    try {
      // Left by earlier runs: two benchmarks' files; and a file that is not ours.
      for (const name of [
        'bench_a.bench.ts_old-0123abcd.diff.svg',
        'bench_a.bench.ts_old-0123abcd.speedscope.json',
        'bench_b.bench.ts_gone-89abcdef.diff.svg',
        'notes.txt',
      ])
        await writeFile(join(dir, name), 'x');
      const run = (parseSamples: number): Run => ({
        schemaVersion: 1,
        tool: 'perfgate',
        meta: {
          timestamp: '2026-01-01T00:00:00Z',
          env: { os: 'linux', cpu: 'x', cores: 2, node: '20', runner: 'local' },
        },
        benchmarks: [
          {
            id: 'bench/a.bench.ts > parse',
            name: 'parse',
            file: 'bench/a.bench.ts',
            unit: 'ns',
            direction: 'smaller',
            samples: [1],
            stats: { n: 1, mean: 1, median: 1, min: 1, max: 1, sd: 0, p99: 1, rme: 0 },
            profile: toAttachment(simpleTree(parseSamples, 50), { ops: 100, durationMs: 10 }),
          },
        ],
      });
      const regressed = {
        benchmarks: [{ id: 'bench/a.bench.ts > parse', status: 'regression' }],
      } as unknown as Comparison;
      const files = await writeFlameGraphs(regressed, [run(100)], run(300), dir);
      const current = files['bench/a.bench.ts > parse']!.map((f) => basename(f.file));
      expect((await readdir(dir)).sort()).toEqual([...current, 'notes.txt'].sort());
      // A later run with nothing regressed leaves no stale graph behind.
      const unchanged = {
        benchmarks: [{ id: 'bench/a.bench.ts > parse', status: 'unchanged' }],
      } as unknown as Comparison;
      await writeFlameGraphs(unchanged, [run(100)], run(100), dir);
      expect(await readdir(dir)).toEqual(['notes.txt']);
      // No folder yet: nothing to prune, no error.
      await writeFlameGraphs(unchanged, [run(100)], run(100), join(dir, 'missing'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('speedscope export keeps units and frames', () => {
    const out = toSpeedscope([{ name: 'head', tree: simpleTree(5, 1) }], 'x') as {
      shared: { frames: Frame[] };
      profiles: Array<{ unit: string; weights: number[] }>;
    };
    expect(out.profiles[0].unit).toBe('nanoseconds');
    expect(out.shared.frames.map((f) => f.name)).toContain('parseRow');
    expect(out.profiles[0].weights.reduce((a, b) => a + b, 0)).toBe(1_600_000);
  });
});

describe('frames judged with the spread between recordings', () => {
  it('a frame 15 % off with its process is within the V8 prior; a doubled one is not', () => {
    const tree = (parseSamples: number) => {
      const b = new TreeBuilder('v8', { hasTime: true, sampled: true, intervalUs: 100 });
      b.addStack([main, parse], parseSamples, parseSamples * 100_000);
      for (const h of helpers) b.addStack([main, h], 1000, 100_000_000);
      return b.tree;
    };
    const judge = (head: number, extraVariance: number) => {
      const root = flameRoot();
      addToFlame(root, tree(1000), 'base', 1);
      addToFlame(root, tree(head), 'head', 1);
      const node = root.children.get([...root.children.keys()][0]!)!;
      const frame = [...node.children.values()].find((n) => n.name === 'parseRow')!;
      return judgeFrames(root, { reference: 'exposure', extraVariance }).get(frame)!.significant;
    };
    expect(judge(1150, 0)).toBe(true);
    expect(judge(1150, priorVariance('v8'))).toBe(false);
    expect(judge(2000, priorVariance('v8'))).toBe(true);
    expect(priorVariance('pprof')).toBe(0);
  });
});
