// The comment preview (`perfgate compare … --format html`: htmlPreview of the comment) rendered
// by a real browser, headless Chromium (Debian `chromium`, installed by .ci/services): the
// demo's comment must come out as tables and folded details with no markdown left raw, and no
// value cell may wrap. A script in the page opens every <details>, measures, and writes its
// findings into the DOM that `--dump-dom` prints. Skips only where Chromium is absent and
// PERFGATE_REQUIRE_CHROMIUM is unset (CI sets it: there, no Chromium is a failure).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/model/comparison.js';
import { htmlPreview } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/index.js';
import { dumpDom, findChromium } from '../../scripts/lib/chromium.mjs';

const chromium = findChromium();
const required = process.env.PERFGATE_REQUIRE_CHROMIUM === '1';

const links = {
  'users.bench.ts > users-api > GET /users': [
    { label: 'flame graph', url: 'flamegraphs/GET_users.diff.svg' },
    { label: 'speedscope', url: 'flamegraphs/GET_users.speedscope.json' },
  ],
};

/** Runs in the page: what a reader would see, as JSON in <pre id="perfgate-measure">. */
const MEASURE = `
for (const d of document.querySelectorAll('details')) d.open = true;
const body = document.querySelector('.markdown-body');
const lines = (el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
};
const cells = [...body.querySelectorAll('td')].filter((td) => td.textContent.trim() !== '');
const valueCells = cells.filter((td) => /right/.test(getComputedStyle(td).textAlign));
const result = {
  tables: body.querySelectorAll('table').length,
  details: document.querySelectorAll('details').length,
  headings: [...body.querySelectorAll('h2, h3, h4')].map((h) => h.textContent),
  text: body.innerText,
  wrappedValues: valueCells.filter((td) => lines(td) > 1).map((td) => td.textContent),
  valueCells: valueCells.length,
  overflowingTables: [...body.querySelectorAll('table')]
    .filter((t) => t.scrollWidth > t.clientWidth + 1)
    .map((t) => t.querySelector('th').parentElement.textContent.trim()),
  pageOverflows: document.documentElement.scrollWidth > document.documentElement.clientWidth,
};
const pre = document.createElement('pre');
pre.id = 'perfgate-measure';
pre.textContent = JSON.stringify(result);
document.body.append(pre);
`;

interface Measure {
  tables: number;
  details: number;
  headings: string[];
  text: string;
  wrappedValues: string[];
  valueCells: number;
  overflowingTables: string[];
  pageOverflows: boolean;
}

const dir = mkdtempSync(join(tmpdir(), 'perfgate-preview-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function measure(html: string, width: number): Measure {
  const file = join(dir, `preview-${width}.html`);
  writeFileSync(file, html.replace('</body>', `<script>${MEASURE}</script></body>`));
  const dom = dumpDom(chromium!, file, { width, height: 1200 });
  const json = /<pre id="perfgate-measure">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
  if (!json) throw new Error(`no measurement in Chromium's DOM: ${dom.slice(0, 500)}`);
  const unescape = (s: string) =>
    s.replace(
      /&(amp|lt|gt|quot|#39);/g,
      (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? e,
    );
  return JSON.parse(unescape(json)) as Measure;
}

const skipped = !chromium && !required;
if (skipped)
  console.warn(
    'chromium.test.ts skipped: no chromium on PATH (Debian: apt-get install chromium); CI sets PERFGATE_REQUIRE_CHROMIUM=1 and fails instead',
  );

describe.skipIf(skipped)('comment preview in headless Chromium', () => {
  it('Chromium is installed where CI requires it', () => {
    expect(chromium, 'PERFGATE_REQUIRE_CHROMIUM=1 but no chromium on PATH').toBeDefined();
  });

  it('the demo comment: tables, folded details, nothing raw, no value wraps', () => {
    const url = new URL('../fixtures/report/demo-comparison.json', import.meta.url);
    const demo = JSON.parse(readFileSync(url, 'utf8')) as Comparison;
    // The comment's width on github.com (a pull request's conversation column).
    const m = measure(htmlPreview(renderMarkdown(demo, { links })), 960);
    expect(m.headings[0]).toBe('❌ perfgate: 1 regression, 1 query regression');
    expect(m.headings).toContain('users.bench.ts › users-api');
    // Changes, top function changes (the project's functions counted exactly), queries, memory.
    expect(m.tables).toBe(4);
    expect(m.details).toBe(2);
    // Markdown that did not become HTML would show its marks (or escapes) to the reader.
    for (const raw of [
      /\*\*/,
      /\]\(/,
      /^\s*\|.*\|\s*$/m,
      /^#{1,6} /m,
      /```/,
      /\\[\\`*_{}[\]()#+!|<>~-]/,
    ])
      expect(m.text, String(raw)).not.toMatch(raw);
    expect(m.text).toContain('node_modules/@\u200belectric-sql/pglite');
    expect(m.valueCells).toBeGreaterThan(10);
    expect(m.wrappedValues).toEqual([]);
    expect(m.overflowingTables).toEqual([]);
    expect(m.pageOverflows).toBe(false);
  });
});
