// The comment includes the sections of the profile, queries and memory renderers in the right
// places. Those renderers are replaced here by recognisable fakes (their own tests cover them).
import { describe, expect, it, vi } from 'vitest';

// Blocks spelled out: vi.mock factories run before this file's imports.
const fake = (name: string) => [
  { type: 'heading', level: 3, text: name },
  { type: 'paragraph', text: `${name.toUpperCase()}-SECTION` },
];
vi.mock('../../src/profile/render.js', () => ({
  functionChangesSection: (b: { id: string }, top: number) => [
    {
      type: 'table',
      columns: [{ header: 'Function' }, { header: 'Base' }],
      rows: [[{ own: `hot(${b.id}) top=${top}` }, '1']],
      noun: 'functions',
    },
  ],
}));
vi.mock('../../src/queries/render.js', () => ({ queriesSection: () => fake('Queries') }));
vi.mock('../../src/memory/render.js', () => ({ memorySection: () => fake('Memory') }));

const { renderMarkdown, renderText } = await import('../../src/report/index.js');
const { mixedComparison } = await import('./fixtures.js');

describe('sections from the attachment renderers', () => {
  const comparison = mixedComparison();

  it('top function changes under each regressed benchmark, then queries, then memory', () => {
    const md = renderMarkdown(comparison, { top: 3 });
    expect(md).toContain('#### Top function changes: getUsers\n\n| Function | Base |');
    expect(md).toContain('hot(users > getUsers) top=3');
    expect(md).toContain('hot(ops > throughput) top=3');
    expect(md).not.toContain('hot(math > same)'); // unchanged: no function table
    const order = [
      'Regressions and improvements',
      'Top function changes',
      'QUERIES-SECTION',
      'MEMORY-SECTION',
      'unchanged benchmark',
    ];
    const positions = order.map((s) => md.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('terminal: the same sections in the same order', () => {
    const text = renderText(comparison, { top: 3 });
    expect(text).toMatch(
      /Top function changes: getUsers\n.*Function.*\n.*\n.*hot\(users > getUsers\) top=3/,
    );
    const order = [
      'Regressions and improvements',
      'Top function changes',
      'QUERIES-SECTION',
      'MEMORY-SECTION',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('query and memory failures of the gate are listed with the benchmark', () => {
    const withQueries = {
      ...comparison,
      reasons: [...comparison.reasons, 'math > same: queries: 1 → 501 queries per iteration'],
      benchmarks: comparison.benchmarks.map((b) =>
        b.id === 'math > same'
          ? {
              ...b,
              queries: {
                base: 1,
                head: 501,
                change: 500,
                nPlusOne: [],
                regressed: true,
                reasons: ['1 → 501 queries per iteration'],
              },
              // compare() records the verdict on the benchmark: the hand-made one must too.
              regressed: [...b.regressed, 'queries' as const],
              failed: [...b.failed, 'queries' as const],
            }
          : b,
      ),
    };
    const md = renderMarkdown(withQueries);
    expect(md.split('\n')[0]).toBe(
      '## ❌ perfgate: 2 regressions, 1 query regression, 1 failed benchmark',
    );
    expect(md).toContain(
      '### Call-count, query and memory regressions\n\n- math \\> same: queries: 1 → 501 queries per iteration',
    );
    expect(renderText(withQueries)).toContain(
      '• math > same: queries: 1 → 501 queries per iteration',
    );
  });
});
