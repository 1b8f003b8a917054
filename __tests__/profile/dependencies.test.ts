import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProfile } from '../../src/profile/formats/read.js';
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

describe('"of which …": dependency time under the project function that called it', () => {
  it('splits ParseLine’s own time by the Go packages it called (real Go profiles)', async () => {
    const options = { projectRoot: '/work/scratch/findings/goparse' };
    const read = (name: string) => readProfile(join(fixtures, 'go-logparse', name), options);
    const [base, head] = [await read('base.pprof'), await read('head.pprof')];
    const parse = head.summary.functions.find((f) => f.name === 'example.com/logparse.ParseLine')!;
    const deps = parse.dependencies!;
    // Charged to ParseLine (own), split by package; together less than its own samples.
    expect(deps.get('strings')).toBeGreaterThan(0);
    expect(deps.get('runtime')).toBeGreaterThan(0);
    const inDeps = [...deps.values()].reduce((a, b) => a + b, 0);
    expect(inDeps).toBeLessThan(parse.ownSamples);
    expect(inDeps).toBeGreaterThan(parse.selfSamples * 0.5);
    // No project function is a dependency of itself, and dependency frames have none.
    for (const f of head.summary.functions) if (!f.project) expect(f.dependencies).toBeUndefined();

    // Through the Run's attachment into the Comparison and the report.
    const [b, h] = [base, head].map((p) =>
      toAttachment(p.tree, { ops: 2000, durationMs: p.summary.time / 1e6 }),
    );
    const changes = compareProfiles([b!], h!)!;
    const top = changes[0]!;
    expect(top.name).toBe('example.com/logparse.ParseLine');
    expect(top.dependencies!.map((d) => d.package)).toContain('strings');
    const strings = top.dependencies!.find((d) => d.package === 'strings')!;
    expect(strings.head).toBeGreaterThan(strings.base);
    expect(strings.head).toBeLessThan(top.head);
    const md = functionChangesTable(changes, 5);
    expect(md).toContain('<details><summary>Time in dependencies</summary>');
    expect(md).toMatch(/\n- example\.com/);
    expect(md).toMatch(
      /ParseLine \\?\(parse\.go\\?\): of which [^\n]*strings \d+ % \(\+[\d.]+ (µs|ms) per op\)/,
    );
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
    const text = functionChangesLines(changes, 5);
    expect(
      text.some((l) =>
        /^ +• example\.com\/logparse\.ParseLine \(parse\.go\): of which .*strings \d+ %/.test(l),
      ),
    ).toBe(true);
  });

  it('says nothing when the function called no dependency', () => {
    const md = functionChangesTable(
      [{ name: 'f', file: 'src/f.ts', line: 1, base: 1, head: 2, change: 1 }],
      5,
    );
    expect(md).not.toContain('<details>');
  });
});
