import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/model/comparison.js';
import { htmlPreview } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/index.js';
import { mixedComparison } from './fixtures.js';

describe('htmlPreview', () => {
  it('renders the comment as a GitHub-like page: tables, folded details, links', async () => {
    const url = new URL('../fixtures/report/demo-comparison.json', import.meta.url);
    const demo = JSON.parse(await readFile(url, 'utf8')) as Comparison;
    const html = htmlPreview(renderMarkdown(demo));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<div class="markdown-body">');
    expect(html).toContain('<h2>❌ perfgate: 1 regression, 1 query regression');
    expect(html.match(/<table>/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('<details><summary>Evidence: queries, memory, CPU profile</summary>');
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    // Values keep their non-breaking spaces.
    expect(html).toContain('383\u00a0ms');
  });

  it('keeps text from PR code inert', () => {
    const html = htmlPreview(renderMarkdown(mixedComparison()));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href="http://e.vil"');
  });
});
