// One display-neutral model (src/model/document.ts), two layouts: markdown for the comment,
// aligned columns for the terminal. The same blocks go through both here.
import { describe, expect, it } from 'vitest';
import {
  code,
  details,
  heading,
  icon,
  link,
  list,
  own,
  paragraph,
  strong,
  table,
  tone,
  type Block,
} from '../../src/model/document.js';
import { layoutMarkdown } from '../../src/report/layout/markdown.js';
import { layoutText } from '../../src/report/layout/text.js';
import { displayWidth } from '../../src/text/width.js';

const hostile = 'a|b <img src=x> **x** @team\u001b[31m';

const blocks: Block[] = [
  heading(2, [tone('bad', icon('❌', 'FAIL')), ' perfgate: ', own('1 regression')]),
  paragraph([own('*ours*'), ' ', hostile]),
  list(
    [[icon('🔴', '✗'), ' ', strong('GET /users'), ' — ', link('flame graph', 'f (1).svg')]],
    'x',
  ),
  heading(3, own('Table')),
  table(
    [['Name', 'l'], ['Value', 'r'], ['SQL']],
    [
      [hostile, own('1.5\u00a0ms'), code('SELECT a || b')],
      ['short', own('120\u00a0ms'), code('SELECT 1')],
    ],
    'rows',
  ),
  details(own('Folded'), [list([code('x | y')], 'items')]),
];

describe('markdown layout', () => {
  const md = layoutMarkdown(blocks);

  it('escapes plain text, keeps perfgate’s own wording, fences code', () => {
    expect(
      md.startsWith(
        '## ❌ perfgate: 1 regression\n\n*ours* a\\|b \\<img src=x\\> \\*\\*x\\*\\* @\u200bteam',
      ),
    ).toBe(true);
    expect(md).not.toMatch(/(?<!\\)<img/);
    expect(md).toContain('- 🔴 **GET /users** — [flame graph](f%20%281%29.svg)');
  });

  it('writes tables with markdown-table, pipes in code escaped in cells only', () => {
    expect(md).toContain('| Name | Value | SQL |\n| :- | -: | - |\n');
    expect(md).toContain('| 1.5\u00a0ms | `SELECT a \\|\\| b` |');
    expect(md).toContain('<details><summary>Folded</summary>\n\n- `x | y`\n\n</details>\n');
  });

  it('cuts between rows to fit a limit and keeps folded blocks closed', () => {
    const many: Block[] = [
      heading(3, own('Long')),
      details(own('Rows'), [
        table(
          [['n']],
          Array.from({ length: 400 }, (_, i) => [`row ${i}`]),
          'rows',
        ),
      ]),
    ];
    const out = layoutMarkdown(many, { maxLength: 2000 });
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out).toContain('</details>');
    expect(out).toMatch(/\d+ more rows left out/);
  });
});

describe('text layout', () => {
  it('aligns columns, right-aligns numbers, replaces control characters, uses the icons’ words', () => {
    const text = layoutText(blocks);
    const lines = text.split('\n');
    expect(lines[0]).toBe('FAIL perfgate: 1 regression');
    expect(text).toContain('✗ GET /users — flame graph <f (1).svg>');
    expect(text).not.toContain('\u001b');
    const rows = lines.filter((l) => /^ {2}(a\|b|short)/.test(l));
    expect(rows).toHaveLength(2);
    // "Value" is right-aligned: both values end in the same column.
    expect(rows[0]!.indexOf('1.5 ms') + 6).toBe(rows[1]!.indexOf('120 ms') + 6);
    expect(rows[0]).toContain('SELECT a || b');
    expect(text).toMatch(/\nFolded\n {4}• x \| y\n$/);
  });

  it('colours only when asked', () => {
    expect(layoutText(blocks)).not.toContain('\u001b[');
    expect(layoutText(blocks, { color: true })).toContain('\u001b[31m');
  });
});

describe('displayWidth', () => {
  it('counts emoji as two columns, marks and selectors as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('🔴')).toBe(2);
    expect(displayWidth('⚠️')).toBe(2);
    expect(displayWidth('⚠')).toBe(1);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('1.5\u00a0ms → 2 ms')).toBe(13);
  });
});
