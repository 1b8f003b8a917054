import { describe, expect, it } from 'vitest';
import { COMMENT_LIMIT, commentMarker } from '../../src/github/comment.js';
import { commentMarkdown, summaryMarkdown } from '../../src/github/render.js';
import { SUMMARY_LIMIT } from '../../src/github/publish.js';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { makeRun } from '../helpers/runs.js';

describe('comment size', () => {
  it('stays within 65,536 characters for a huge suite, keeping the regressions and a link', () => {
    const names = Array.from(
      { length: 4000 },
      (_, i) => `a rather long benchmark name number ${i} | with | pipes`,
    );
    const base = makeRun(
      '1'.repeat(40),
      names.map((name) => ({ name, ns: 1000 })),
    );
    const head = makeRun(
      '2'.repeat(40),
      names.map((name, i) => ({ name, ns: i % 500 === 0 ? 3000 : 1000 })),
    );
    const comparison = compare([base], head, defaultConfig());
    expect(comparison.verdict).toBe('fail');
    const parts = {
      comparison,
      notes: '',
      title: 'perfgate',
      runUrl: 'https://github.com/acme/shop/actions/runs/42',
    };
    const body = commentMarkdown(parts, 'perf');
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(commentMarker('perf'))).toBe(true);
    expect(body).toContain('number 0 ');
    expect(body).toContain('number 3500 ');
    expect(body).toContain('https://github.com/acme/shop/actions/runs/42');
    const summary = summaryMarkdown(parts);
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(summary.length).toBeGreaterThan(body.length);
  });
});
