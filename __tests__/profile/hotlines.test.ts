import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfile } from '../../src/profile/formats/read.js';
import { diffSummaries } from '../../src/profile/diff-files.js';
import { diffFunctions, type DiffSide } from '../../src/profile/diff.js';
import { toAttachment } from '../../src/profile/attachment.js';
import { compareProfiles } from '../../src/profile/compare.js';
import type { FunctionChange } from '../../src/model/comparison.js';
import { functionChangesBlocks } from '../../src/profile/render.js';
import { layoutMarkdown } from '../../src/report/layout/markdown.js';
import { layoutText } from '../../src/report/layout/text.js';

const functionChangesTable = (changes: FunctionChange[], top: number) =>
  layoutMarkdown(functionChangesBlocks(changes, top));
const functionChangesLines = (changes: FunctionChange[], top: number) =>
  layoutText(functionChangesBlocks(changes, top)).split('\n');

const fixtures = join(import.meta.dirname, '../fixtures/profiles');

describe('hot lines inside the top changed function', () => {
  it('V8 positionTicks: the line that does the extra work (real node --cpu-prof pair)', async () => {
    const options = { projectRoot: '/tmp/perfgate-hotlines' };
    const base = await readProfile(join(fixtures, 'hotlines/base.cpuprofile'), options);
    const head = await readProfile(join(fixtures, 'hotlines/head.cpuprofile'), options);
    const diff = diffSummaries(base.summary, head.summary);
    const top = diff.functions[0]!;
    expect(top).toMatchObject({ name: 'checksum', file: 'hot.mjs', line: 7 });
    // hot.mjs line 15: the pull request's second hash loop, absent from base.
    expect(top.lines?.[0]).toMatchObject({ line: 15, base: 0 });
    expect(top.lines![0]!.head).toBeGreaterThan(0);
    const source = (await readFile(join(fixtures, 'hotlines/hot.mjs'), 'utf8')).split('\n');
    expect(source[14]).toContain('g = (g * 33)');
    // Shown as "line 15: +… ms" in both outputs, per op through the Run's attachment.
    const ops = 8000;
    const [b, h] = [base, head].map((p) =>
      toAttachment(p.tree, { ops, durationMs: p.summary.time / 1e6 }),
    );
    expect(b!.functions.find((f) => f.name === 'checksum')!.lines!.length).toBeGreaterThan(1);
    const changes = compareProfiles([b!], h!)!;
    const hot = changes[0]!.lines![0]!;
    expect(hot.line).toBe(15);
    const md = functionChangesTable(changes, 5);
    expect(md).toMatch(/\nHot lines of checksum: line 15: \+[\d.]+ (ms|µs) per op/);
    const text = functionChangesLines(changes, 5);
    expect(
      text.some((l) => /^Hot lines of checksum: line 15: \+[\d.]+ (ms|µs) per op/.test(l)),
    ).toBe(true);
  });

  it('pprof line info: the line of ParseLine that calls strings.SplitN (real Go profiles)', async () => {
    const options = { projectRoot: '/work/scratch/findings/goparse' };
    const read = (name: string) => readProfile(join(fixtures, 'go-logparse', name), options);
    const diff = diffSummaries(
      (await read('base.pprof')).summary,
      (await read('head.pprof')).summary,
    );
    const top = diff.functions[0]!;
    expect(top.name).toBe('example.com/logparse.ParseLine');
    expect(top.lines!.length).toBeGreaterThan(0);
    const source = (await readFile(join(fixtures, 'go-logparse/parse.go.txt'), 'utf8')).split('\n');
    // Dependency time (strings.genSplit, runtime.mallocgc) is charged to the calling line.
    const hot = top.lines![0]!;
    expect(source[hot.line - 1]).toMatch(/strings\.SplitN?\(/);
    expect(hot.head).toBeGreaterThan(hot.base * 1.5);
    // A/A: no function changed, so no hot lines either.
    const again = diffSummaries(
      (await read('base.pprof')).summary,
      (await read('again.pprof')).summary,
    );
    expect(again.functions.filter((f) => f.lines)).toEqual([]);
  });

  it('perf script srcline: each sample charged to the line of its owning frame (real perf 6.1)', async () => {
    const profile = await readProfile(join(fixtures, 'app.perf-script-srcline.txt'), {
      projectRoot: '/tmp/perfgate-perfapp',
    });
    const fn = (name: string) => profile.summary.functions.find((f) => f.name === name)!;
    // app.c: line 7 is checksum's loop, line 19 compare's body.
    expect([...fn('checksum').lines!.keys()]).toEqual([7]);
    expect(fn('checksum').lines!.get(7)).toBe(fn('checksum').selfSamples);
    expect(fn('compare').lines!.get(19)).toBeGreaterThan(0);
    // Without srcline (the older fixture) there are no lines.
    const plain = await readProfile(join(fixtures, 'app.perf-script.txt'));
    expect(plain.summary.functions.filter((f) => f.lines)).toEqual([]);
  });

  it('a function that moved keeps its lines: base lines shift with it', () => {
    const others = ['a', 'b', 'c', 'd'].map((name, i) => ({
      name,
      file: 'src/other.ts',
      line: i + 1,
      selfSamples: 500,
      totalSamples: 500,
    }));
    const side = (line: number, hotSamples: number, coldSamples: number): DiffSide => ({
      functions: [
        ...others,
        {
          name: 'render',
          file: 'src/view.ts',
          line,
          selfSamples: hotSamples + coldSamples,
          totalSamples: hotSamples + coldSamples,
          lines: [
            [line + 2, coldSamples],
            [line + 5, hotSamples],
          ],
        },
      ],
      samples: 2000 + hotSamples + coldSamples,
      exposure: 1,
    });
    // Six lines were added above render: 10 → 16; its line 15 (now 21) tripled.
    const [change] = diffFunctions([side(10, 200, 300)], side(16, 600, 300));
    expect(change).toMatchObject({ name: 'render', line: 16, baseLine: 10 });
    expect(change!.lines).toEqual([{ line: 21, base: 200, head: 600 }]);
  });
});
