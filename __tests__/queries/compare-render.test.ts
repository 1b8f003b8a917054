import { describe, expect, it } from 'vitest';
import type { BenchmarkComparison, Comparison } from '../../src/model/comparison.js';
import type { QueriesAttachment } from '../../src/model/queries.js';
import { compareQueries } from '../../src/queries/compare.js';
import { queriesSection, shortSql } from '../../src/queries/render.js';
import { layoutMarkdown } from '../../src/report/layout/markdown.js';
import { layoutText } from '../../src/report/layout/text.js';

const queriesMarkdown = (c: Comparison) => layoutMarkdown(queriesSection(c));
const queriesText = (c: Comparison) => layoutText(queriesSection(c));

const DETAIL =
  'SELECT id, user_id, bio, avatar_url, created_at FROM user_details WHERE user_id = $1';

function attachment(
  perIteration: number,
  nPlusOne: boolean,
  extra: Partial<QueriesAttachment> = {},
): QueriesAttachment {
  const fingerprints: QueriesAttachment['fingerprints'] = [
    {
      kind: 'sql',
      fingerprint: 'SELECT id FROM users',
      sample: 'SELECT id FROM users',
      perIteration: 1,
    },
  ];
  if (perIteration > 1) {
    fingerprints.push({
      kind: 'sql',
      fingerprint: DETAIL,
      sample: DETAIL.replace('$1', '7'),
      perIteration: perIteration - 1,
      callSite: { file: 'src/users.ts', line: 42 },
    });
  }
  return {
    iterations: 3,
    perIteration,
    httpPerIteration: 0,
    fingerprints,
    nPlusOne: nPlusOne
      ? [
          {
            fingerprint: DETAIL,
            sample: DETAIL.replace('$1', '7'),
            perIteration: perIteration - 1,
            callSite: { file: 'src/users.ts', line: 42 },
          },
        ]
      : [],
    blocking: { syncFsPerIteration: 0 },
    ...extra,
  };
}

function comparisonOf(
  queries: ReturnType<typeof compareQueries>,
  id = 'users.bench.ts > getUsers',
): Comparison {
  const benchmark = {
    id,
    name: 'getUsers',
    file: 'users.bench.ts',
    status: 'unchanged',
    time: {
      base: 1,
      head: 1,
      change: 0,
      ci: null,
      pValue: null,
      unit: 'ns',
      direction: 'smaller',
      threshold: 0.1,
    },
    queries,
    // The verdict compare() would record (failOn: queries).
    regressed: queries?.regressed ? ['queries'] : [],
    failed: queries?.regressed ? ['queries'] : [],
    reasons: [],
  } as BenchmarkComparison;
  return {
    verdict: 'fail',
    reasons: [],
    highlights: [],
    failOn: ['queries'],
    baseRuns: 1,
    head: {},
    envDifferences: [],
    summary: {
      regression: 0,
      improvement: 0,
      unchanged: 1,
      new: 0,
      removed: 0,
      noisy: 0,
      failed: 0,
    },
    benchmarks: [benchmark],
  };
}

describe('compareQueries', () => {
  it('flags 1 → 501 queries and the new N+1 exactly', () => {
    const result = compareQueries([attachment(1, false)], attachment(501, true), { tolerance: 0 })!;
    expect(result).toMatchObject({ base: 1, head: 501, change: 500, regressed: true });
    expect(result.nPlusOne).toEqual([
      {
        fingerprint: DETAIL,
        sample: DETAIL.replace('$1', '7'),
        perIteration: 500,
        callSite: { file: 'src/users.ts', line: 42 },
        basePerIteration: 0,
        new: true,
      },
    ]);
    expect(result.reasons).toEqual([
      'queries per iteration 1 → 501 (+500)',
      `new N+1: ${DETAIL} × 500 per iteration from src/users.ts:42`,
    ]);
    expect(result.changed).toEqual([{ fingerprint: DETAIL, base: 0, head: 500 }]);
  });

  it('applies queries.nPlusOne at compare time: a new limit changes the verdict of stored Runs', () => {
    // Captured with the default limit (5): the head carries a stored N+1 finding of 9 queries.
    const base = attachment(1, false);
    const head = attachment(10, true);
    const tolerant = { tolerance: 100 };
    expect(compareQueries([base], head, { ...tolerant, nPlusOne: 5 })!.regressed).toBe(true);
    const raised = compareQueries([base], head, { ...tolerant, nPlusOne: 50 })!;
    expect(raised.nPlusOne).toEqual([]);
    expect(raised.regressed).toBe(false);
    // Lowered below what capture used: the fingerprint's count makes the finding.
    const none = attachment(10, false);
    const lowered = compareQueries([base], none, { ...tolerant, nPlusOne: 3 })!;
    expect(lowered.nPlusOne.map((f) => [f.perIteration, f.new])).toEqual([[9, true]]);
    expect(lowered.regressed).toBe(true);
  });

  it('passes equal counts, respects the tolerance, reports fewer queries without failing', () => {
    expect(
      compareQueries([attachment(501, true)], attachment(501, true), { tolerance: 0 })!.regressed,
    ).toBe(false);
    expect(
      compareQueries([attachment(10, false)], attachment(12, false), { tolerance: 2 })!.regressed,
    ).toBe(false);
    expect(
      compareQueries([attachment(10, false)], attachment(13, false), { tolerance: 2 })!.regressed,
    ).toBe(true);
    const fewer = compareQueries([attachment(501, true)], attachment(1, false), { tolerance: 0 })!;
    expect(fewer).toMatchObject({ regressed: false, change: -500 / 501, nPlusOne: [] });
  });

  it('has no verdict without a baseline, and nothing without head data', () => {
    const first = compareQueries([], attachment(501, true), { tolerance: 0 })!;
    expect(first).toMatchObject({ base: null, head: 501, change: null, regressed: false });
    expect(first.nPlusOne[0]).toMatchObject({ new: false, basePerIteration: null });
    expect(compareQueries([attachment(1, false)], undefined, { tolerance: 0 })).toBeUndefined();
  });

  it('gates on more HTTP calls and more synchronous fs calls', () => {
    const result = compareQueries(
      [attachment(1, false, { httpPerIteration: 1, blocking: { syncFsPerIteration: 0 } })],
      attachment(1, false, { httpPerIteration: 3, blocking: { syncFsPerIteration: 4 } }),
      { tolerance: 0 },
    )!;
    expect(result.reasons).toEqual([
      'HTTP requests per iteration 1 → 3 (+2)',
      'synchronous fs calls per iteration 0 → 4 (blocking I/O)',
    ]);
  });
});

describe('the Queries section, as markdown and as text', () => {
  it('renders counts and the N+1 finding with its call site', () => {
    const md = queriesMarkdown(
      comparisonOf(compareQueries([attachment(1, false)], attachment(501, true), { tolerance: 0 })),
    );
    expect(md).toContain('### Queries');
    // A count changes by a count, not by a percentage.
    // Short names in the rows, the file as their heading.
    expect(md).toContain('#### users.bench.ts\n\n| Benchmark |');
    expect(md).toContain('| getUsers ⚠️ | 1 → 501 | +500 |');
    expect(md).toContain(
      '- **New N+1:** `SELECT … FROM user_details WHERE user_id = $1` × 500 per call, from src/users.ts:42',
    );
    const text = queriesText(
      comparisonOf(compareQueries([attachment(1, false)], attachment(501, true), { tolerance: 0 })),
    );
    expect(text).toContain(
      'New N+1: SELECT … FROM user_details WHERE user_id = $1 × 500 per call, from src/users.ts:42',
    );
  });

  it('shows HTTP and sync fs columns only when there are any', () => {
    const md = queriesMarkdown(
      comparisonOf(
        compareQueries(
          [attachment(1, false, { httpPerIteration: 1 })],
          attachment(1, false, { httpPerIteration: 3 }),
          { tolerance: 0 },
        ),
      ),
    );
    expect(md).toContain('| Benchmark | Queries / iteration | Change | HTTP / iteration |\n');
    expect(md).toContain('| 1 → 1 | ±0 | 1 → 3 |');
    const sqlOnly = queriesMarkdown(
      comparisonOf(compareQueries([attachment(1, false)], attachment(501, true), { tolerance: 0 })),
    );
    expect(sqlOnly).not.toContain('HTTP');
  });

  it('lists EXPLAIN findings in the details', () => {
    const head = attachment(501, true, {
      explain: [
        {
          fingerprint: DETAIL,
          plan: 'Seq Scan on user_details',
          seqScans: [{ relation: 'public.user_details', rows: 50000, filter: '(user_id = $1)' }],
          hints: ['CREATE INDEX ON public.user_details (user_id)'],
        },
      ],
    });
    head.blocking = { syncFsPerIteration: 0, eventLoopMaxMs: 250.4 };
    const result = compareQueries([attachment(1, false)], head, { tolerance: 0 });
    expect(result?.explain).toHaveLength(1);
    expect(queriesMarkdown(comparisonOf(result))).toContain(
      'event loop blocked up to 250 ms at a time',
    );
    const md = queriesMarkdown(comparisonOf(result));
    expect(md).toContain(
      '- `SELECT … FROM user_details WHERE user_id = $1`: Seq Scan on `public.user_details` (50.0k rows); consider `CREATE INDEX ON public.user_details (user_id)`',
    );
    expect(queriesText(comparisonOf(result))).toContain(
      'Seq Scan on public.user_details (50.0k rows); consider CREATE INDEX ON public.user_details (user_id)',
    );
  });

  it('escapes hostile SQL and names', () => {
    const evil = 'SELECT `x` FROM t WHERE a = $1 | <img src=x> @admin';
    const head = attachment(6, false, {
      nPlusOne: [
        {
          fingerprint: evil,
          sample: evil,
          perIteration: 6,
          callSite: { file: 'src/[x](y).ts', line: 1 },
        },
      ],
    });
    const md = queriesMarkdown(
      comparisonOf(
        compareQueries([attachment(1, false)], head, { tolerance: 0 }),
        'a | b <script>',
      ),
    );
    // A pipe is escaped in table cells only: in a list, `\|` would show its backslash.
    expect(md).toContain('``SELECT `x` FROM t WHERE a = $1 | <img src=x> @admin``');
    expect(md).toContain('src/\\[x\\]\\(y\\).ts:1');
    expect(md).toContain('a \\| b \\<script\\>');
    expect(md).not.toContain('<script>');
  });

  it('is empty without query data and short when nothing changed', () => {
    const none = comparisonOf(undefined);
    delete none.benchmarks[0]!.queries;
    expect(queriesSection(none)).toEqual([]);
    const same = queriesMarkdown(
      comparisonOf(compareQueries([attachment(1, false)], attachment(1, false), { tolerance: 0 })),
    );
    expect(same).toContain('Query counts unchanged in 1 instrumented benchmark');
  });

  it('shortens long select lists only', () => {
    expect(shortSql('SELECT id FROM users')).toBe('SELECT id FROM users');
    expect(shortSql(DETAIL)).toBe('SELECT … FROM user_details WHERE user_id = $1');
  });
});
