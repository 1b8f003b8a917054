import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { addToFlame, flameGraphSvg, flameRoot } from '../../src/profile/flamegraph.js';
import { TreeBuilder, type Frame } from '../../src/profile/tree.js';
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

function tree(parseSamples: number, evilSamples: number) {
  const b = new TreeBuilder('v8', { hasTime: true, sampled: true, intervalUs: 100 });
  b.addStack([main, parse], parseSamples, parseSamples * 100_000);
  b.addStack([main, evil], evilSamples, evilSamples * 100_000);
  b.addStack([main], 10, 1_000_000);
  return b.tree;
}

describe('differential flame graph', () => {
  const root = flameRoot();
  addToFlame(root, tree(100, 50), 'base', 1);
  addToFlame(root, tree(200, 25), 'head', 1);
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

  it('colours growth red and shrinkage blue, widths by head', () => {
    const frame = (name: string) => {
      const match = new RegExp(
        `<g class="f"[^>]*data-w="([\\d.]+)"[^>]*><title>${name}[^<]*</title><rect [^>]*fill="([^"]+)"`,
      ).exec(svg);
      expect(match).not.toBeNull();
      return { width: Number(match![1]), fill: match![2] };
    };
    const p = frame('parseRow');
    expect(p.fill).toBe('rgb(250,50,50)'); // the largest growth: full red
    expect(p.width).toBeCloseTo(200 / 235, 4);
    const e = frame('&#60;script');
    expect(e.fill).toMatch(/^rgb\((\d+),\1,250\)$/);
    expect(svg).toContain('base 10.0 ms +100.0%');
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
            profile: toAttachment(tree(parseSamples, 50), {
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

  it('speedscope export keeps units and frames', () => {
    const out = toSpeedscope([{ name: 'head', tree: tree(5, 1) }], 'x') as {
      shared: { frames: Frame[] };
      profiles: Array<{ unit: string; weights: number[] }>;
    };
    expect(out.profiles[0].unit).toBe('nanoseconds');
    expect(out.shared.frames.map((f) => f.name)).toContain('parseRow');
    expect(out.profiles[0].weights.reduce((a, b) => a + b, 0)).toBe(1_600_000);
  });
});
