import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { renderJson, renderMarkdown, GITHUB_COMMENT_LIMIT } from '../../src/report/index.js';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { bench, noisy, prng, run } from '../helpers/runs.js';
import { bigComparison, EVIL, mixedComparison } from './fixtures.js';

/** Cells of a markdown table row, split on unescaped pipes. */
function cells(line: string): string[] {
  return line
    .replace(/\\\\/g, '')
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((c) => c.trim());
}

/** Values are joined to units by non-breaking spaces; most assertions read them as spaces. */
const plain = (text: string) => text.replaceAll('\u00a0', ' ');

describe('renderMarkdown', () => {
  const comparison = mixedComparison();
  const raw = renderMarkdown(comparison);
  const md = plain(raw);

  it('headlines the verdict with the failure counts', () => {
    expect(md.split('\n')[0]).toBe('## ❌ perfgate: 2 regressions, 1 failed benchmark');
    expect(md).toContain(
      '8 benchmarks: 2 regressions · 1 improvement · 1 unchanged · 2 new · 1 removed · 1 failed',
    );
    expect(md).toContain('base `abc1234` → head `def5678`');
  });

  it('says the commit once, with the refs, when base and head share it', () => {
    const random = prng(3);
    const same = compare(
      [run([bench('a > b', noisy(1000, 30, 0.01, random))], { ref: 'main' })],
      run([bench('a > b', noisy(1000, 30, 0.01, random))], { ref: 'pull-request' }),
      defaultConfig(),
    );
    expect(renderMarkdown(same)).toContain('base `main` → head `pull-request`, both at `abc1234`');
  });

  it('opens with one diagnosis line per regression, its links once', () => {
    const out = plain(
      renderMarkdown(comparison, {
        links: { 'users > getUsers': [{ label: 'flame graph', url: 'https://x.test/f.svg' }] },
      }),
    );
    const lines = out.split('\n').filter((l) => l.startsWith('- 🔴 '));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^- 🔴 \*\*getUsers\*\* 2\.\d× slower \\\(2\.\d\d → 5\.\d\d ms\\\) — \[flame graph\]\(https:\/\/x\.test\/f\.svg\)$/,
    );
    expect(lines[1]).toMatch(/^- 🔴 \*\*throughput\*\* 2\.\d× slower/);
    expect(out.match(/\[flame graph\]/g)).toHaveLength(1);
    expect(out.indexOf('- 🔴 **getUsers**')).toBeLessThan(out.indexOf('### Regressions'));
  });

  it('joins values to their units with non-breaking spaces', () => {
    const row = raw.split('\n').find((l) => l.startsWith('| 🔴 | getUsers'))!;
    expect(cells(row)[2]).toMatch(/^2\.\d\d\u00a0ms$/);
    expect(cells(row)[5]).not.toContain(' ');
  });

  it('tables regressions (largest first) and improvements, per file, with short names', () => {
    const lines = md.split('\n');
    expect(lines).toContain('#### users');
    expect(lines).toContain('#### ops');
    const header = lines.indexOf('#### users') + 2;
    expect(cells(lines[header])).toEqual([
      '',
      'Benchmark',
      'Base',
      'Head',
      'Change',
      '95 % CI',
      'p',
    ]);
    const rows = lines.slice(header + 2, header + 4).map(cells);
    expect(rows.map((r) => r[0])).toEqual(['🔴', '🟢']);
    expect(rows[0][1]).toBe('getUsers');
    expect(rows[0][2]).toMatch(/^2\.\d\d ms$/);
    expect(rows[0][3]).toMatch(/^5\.\d\d ms$/);
    expect(rows[0][4]).toMatch(/^\*\*2\.\d×\*\*$/);
    expect(rows[0][5]).toMatch(/^2\.\d×…2\.\d×$/);
    expect(rows[0][6]).toBe('<0.001');
    const ops = lines.indexOf('#### ops') + 4;
    expect(cells(lines[ops])[1]).toBe('throughput');
    expect(cells(lines[ops])[2]).toMatch(/^\d+ ops\/s$/);
    // Every row keeps its 7 cells: the evil name's pipe did not split the row.
    for (const row of rows) expect(row).toHaveLength(7);
  });

  it('escapes names from PR code: pipes, HTML, backticks, mentions, emphasis, links', () => {
    const row = md.split('\n').find((l) => l.includes('alert'))!;
    expect(cells(row)).toHaveLength(7);
    expect(md).not.toContain('<script>');
    expect(row).toContain('\\`x\\`');
    expect(md).not.toContain('@octocat');
    expect(md).toContain('@\u200boctocat');
    expect(md).not.toContain('**bold**');
    expect(md).not.toContain('[link](http');
    // Unescaped, the cell reads exactly as the name.
    const cell = cells(row)[1]
      .replace(/\\(.)/g, '$1')
      .replace(/\u200b/g, '');
    expect(cell).toBe(EVIL.slice('users > '.length));
    // Environment strings are code, not HTML.
    expect(md).toContain('`Intel <b>Xeon</b>`');
  });

  it('warns plainly about environment differences', () => {
    expect(md).toMatch(
      /> \[!WARNING\]\n> Base and head ran on different machines \(CPU `AMD EPYC 7763` → `Intel <b>Xeon<\/b>`, cores `4` → `2`\)/,
    );
  });

  it('lists failed benchmarks with the first line of their error', () => {
    expect(md).toContain('### 💥 Failed benchmarks');
    expect(md).toContain('- x \\> boom: ``TypeError: cannot read `x` of undefined``');
    expect(md).not.toContain('x.ts:3:9');
  });

  it('says when no significance is claimed (too few samples)', () => {
    const result = compare([run([bench('hf', [1e9])])], run([bench('hf', [2e9])]), defaultConfig());
    const out = plain(renderMarkdown(result));
    expect(out).toMatch(/\| 🔴 \| hf \| 1\.00 s \| 2\.00 s \| \*\*2\.0×\*\* \| n\/a \| n\/a \|/);
    expect(out).toContain('no significance is claimed');
  });

  it('folds unchanged, new and removed benchmarks in <details>', () => {
    expect(md).toMatch(
      /<details><summary>1 unchanged benchmark<\/summary>\n\nMDE: .*\n\n\| Benchmark \| Base \| Head \| Change \| 95 % CI \| p \| MDE \| Note \|/,
    );
    expect(md).toMatch(
      /<details><summary>2 new benchmarks \(no baseline to compare with\)<\/summary>/,
    );
    expect(md).toMatch(/\| fresh \\> one \| 3\.\d\d s \| 5 \|/);
    expect(md).toMatch(
      /<details><summary>1 removed benchmark .*<\/summary>\n\n- old \\> gone\n\n<\/details>/,
    );
    expect(md.match(/<details>/g)?.length).toBe(md.match(/<\/details>/g)?.length);
  });

  it('marks unstable benchmarks (forks that disagree) as noisy, with their spread and remedy', () => {
    const random = prng(2);
    const forked = (medians: number[]) =>
      bench(
        'n',
        medians.flatMap((m) => noisy(m, 20, 0.01, random)),
        {
          forks: medians.map(() => 20),
        },
      );
    const base = run([forked([10, 11, 10, 11, 10, 11, 10, 11])]);
    const head = run([forked([13, 17, 13, 17, 13, 17, 13, 17])]);
    const comparison = compare([base], head, defaultConfig());
    expect(comparison.benchmarks[0].time.unstable).toBe(true);
    const out = renderMarkdown(comparison);
    expect(out.split('\n')[0]).toBe('## ✅ perfgate: no regressions');
    expect(out).toContain('<details><summary>0 unchanged benchmarks, 1 noisy</summary>');
    expect(out).toMatch(
      /\| unstable: forks differ by ±\d+(\.\d)?%; more forks or a longer operation \|/,
    );
    expect(out).toContain('| MDE |');
  });

  it('no baseline: a note, not an error, and the head results', () => {
    const random = prng(9);
    const result = compare(
      [],
      run([bench('a > b', noisy(1500, 30, 0.02, random))]),
      defaultConfig(),
    );
    const out = plain(renderMarkdown(result));
    expect(out.split('\n')[0]).toBe('## ✅ perfgate: no baseline yet');
    expect(out).toContain('> [!NOTE]\n> No baseline yet');
    expect(out).toMatch(
      /### Results\n\n\| Benchmark \| Median \| Samples \|\n.*\n\| a \\> b \| 1\.\d\d µs \| 30 \|/,
    );
    expect(out).not.toContain('<details>');
  });

  it('accepted comparison: passes, names who accepted, lists what was accepted', () => {
    const accepted = {
      ...comparison,
      verdict: 'pass' as const,
      accepted: { by: '@alice', reasons: comparison.reasons },
    };
    const out = renderMarkdown(accepted);
    expect(out.split('\n')[0]).toBe(
      '## ✅ perfgate: passed, 2 regressions, 1 failed benchmark accepted',
    );
    expect(out).toContain('accepted by @\u200balice');
    expect(out).toContain('> - users \\> getUsers: 2.');
  });

  it('renders highlights escaped, before the table; those of a diagnosed benchmark once', () => {
    const withHighlights = {
      ...comparison,
      highlights: [
        'math > same: new N+1 query, 500× per iteration: SELECT * FROM `details` WHERE id = $1',
        'users > getUsers: new N+1 query, stated in its diagnosis line',
      ],
    };
    const out = renderMarkdown(withHighlights);
    expect(out).toContain(
      '### ⚠️ Highlights\n\n- math \\> same: new N\\+1 query, 500× per iteration: SELECT \\* FROM \\`details\\` WHERE id = $1\n\n',
    );
    expect(out).not.toContain('stated in its diagnosis line');
    expect(out.indexOf('Highlights')).toBeLessThan(out.indexOf('Regressions and improvements'));
  });

  it('adds links (flame graphs) to the diagnosis line, with a URL that cannot break the link', () => {
    const out = renderMarkdown(comparison, {
      links: { 'users > getUsers': [{ label: 'flame graph', url: 'https://x.test/a b(1).svg' }] },
    });
    expect(out).toContain('— [flame graph](https://x.test/a%20b%281%29.svg)');
  });

  it('uses the title option (escaped)', () => {
    expect(renderMarkdown(comparison, { title: 'perf <i>api</i>' }).split('\n')[0]).toMatch(
      /^## ❌ perf \\<i\\>api\\<\/i\\>: /,
    );
  });

  it('JSON is the Comparison itself', () => {
    expect(JSON.parse(renderJson(comparison))).toEqual(JSON.parse(JSON.stringify(comparison)));
  });
});

describe('renderMarkdown: size limit', () => {
  it('stays under GitHub’s limit with thousands of benchmarks and huge names, regressions first', () => {
    const big = bigComparison(3000, 2000);
    const out = plain(
      renderMarkdown(big, { fullReportUrl: 'https://github.com/o/r/actions/runs/1' }),
    );
    expect(out.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(out.split('\n')[0]).toBe('## ❌ perfgate: 1000 regressions');
    expect(out).toContain('### Regressions and improvements');
    expect(out).toMatch(
      /✂️ \*\*Report truncated\*\* to fit GitHub's size limit: (\d+ more changed benchmarks and )?\d+ more sections? left out\. See \[the full report\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)\./,
    );
    expect(out).not.toContain('unchanged benchmarks</summary>');
    // Names are clipped, and rows are whole (the cut falls between rows).
    const rows = out.split('\n').filter((l) => l.startsWith('| 🔴'));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(cells(row)).toHaveLength(7);
  });

  it('keeps a cut <details> closed', () => {
    const big = bigComparison(4000, 10, 1000);
    const out = renderMarkdown(big, { maxLength: 20_000 });
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out.match(/<details>/g)?.length).toBe(out.match(/<\/details>/g)?.length);
    expect(out).toMatch(/\d+ more unchanged benchmarks/);
    expect(out).toContain('See the full report (job summary and artifacts of this run)');
  });

  it('never exceeds any limit (property)', () => {
    const big = bigComparison(200, 300, 4);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 150_000 }),
        (limit) => renderMarkdown(big, { maxLength: limit }).length <= limit,
      ),
      { numRuns: 30 },
    );
  });

  it('small reports are not touched', () => {
    const comparison = mixedComparison();
    expect(renderMarkdown(comparison)).not.toContain('truncated');
  });
});

describe('renderMarkdown: leading lists', () => {
  it('caps highlights so that they cannot push the regressions table out', () => {
    const big = bigComparison(300, 20, 2);
    const highlights = Array.from(
      { length: 5000 },
      (_, i) => `b${i}: new N+1 query, ${'x'.repeat(400)}`,
    );
    const out = renderMarkdown({ ...big, highlights }, { maxLength: 20_000 });
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out.match(/^- b\d+: new N\\\+1/gm)).toHaveLength(10);
    expect(out).toContain('- … and 4990 more (see the sections below)');
    expect(out).toContain('### Regressions and improvements');
  });
});
