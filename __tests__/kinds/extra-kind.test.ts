// A fourth attachment kind registered in a test flows through compare() and the reports without a
// change anywhere else: what docs/architecture.md ("How to add a kind") promises.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { kinds, registerKind } from '../../src/kinds/index.js';
import type { AttachmentKind } from '../../src/model/kind.js';
import { heading, list, own } from '../../src/model/document.js';
import { markdownReport } from '../../src/report/markdown.js';
import { textReport } from '../../src/report/text.js';
import { bench, noisy, prng, run } from '../compare/runs.js';

/** Open file handles per operation: a made-up kind, gating when the count grows. */
const options = z.object({ enabled: z.boolean().default(true) }).prefault({});
interface Handles {
  perOp: number;
}
interface HandlesComparison {
  base: number | null;
  head: number;
  regressed: boolean;
  reasons: string[];
}
const handlesKind: AttachmentKind<'handles', typeof options, Handles, HandlesComparison> = {
  name: 'handles',
  comparisonField: 'handles',
  options,
  enabled: (o) => o.enabled,
  capture: async () => ({ perOp: 0 }),
  compare(bases, head) {
    if (!head) return undefined;
    const base = bases[0]?.perOp ?? null;
    const regressed = base !== null && head.perOp > base;
    return {
      base,
      head: head.perOp,
      regressed,
      reasons: regressed ? [`open handles per op ${base} → ${head.perOp}`] : [],
    };
  },
  gate: {
    check: 'handles',
    noun: 'handle',
    verdict: (h) => ({ regressed: h.regressed, reasons: h.reasons }),
  },
  highlights: (id, h) => (h.regressed ? [`${id}: handles leak`] : []),
  sections(comparison) {
    const rows = comparison.benchmarks.flatMap((b) => {
      const h = (b as unknown as { handles?: HandlesComparison }).handles;
      return h ? [[b.id, own(`: ${h.base ?? '—'} → ${h.head}`)]] : [];
    });
    return rows.length === 0
      ? []
      : [{ blocks: [heading(3, own('Open handles')), list(rows, 'benchmarks')] }];
  },
};

let unregister: (() => void) | undefined;
afterEach(() => {
  unregister?.();
  unregister = undefined;
});

function runs() {
  const random = prng(7);
  const same = noisy(1000, 30, 0.01, random);
  const id = 'bench/files.bench.ts > open';
  const base = run([bench(id, same, { handles: { perOp: 1 } } as never)], { commit: 'base' });
  const head = run([bench(id, same, { handles: { perOp: 3 } } as never)], { commit: 'head' });
  return { base, head, id };
}

describe('a kind registered in a test', () => {
  it('is compared, gates, highlights and has its sections in both reports', () => {
    unregister = registerKind(handlesKind);
    expect(kinds().map((k) => k.name)).toEqual(['profile', 'queries', 'memory', 'handles']);
    const { base, head, id } = runs();
    const comparison = compare([base], head, {
      ...defaultConfig(),
      failOn: ['time', 'handles'],
    });
    const b = comparison.benchmarks[0]!;
    expect((b as unknown as { handles: HandlesComparison }).handles).toEqual({
      base: 1,
      head: 3,
      regressed: true,
      reasons: ['open handles per op 1 → 3'],
    });
    expect(b.status).toBe('unchanged');
    expect(b.regressed).toEqual(['handles']);
    expect(b.failed).toEqual(['handles']);
    expect(comparison.verdict).toBe('fail');
    expect(comparison.reasons).toEqual([`${id}: handles: open handles per op 1 → 3`]);
    expect(comparison.highlights).toEqual([`${id}: handles leak`]);

    const markdown = markdownReport(comparison);
    expect(markdown).toContain('1 handle regression');
    expect(markdown).toContain('### Query, memory and handle regressions');
    expect(markdown).toContain(`- ${id.replace('>', '\\>')}: handles: open handles per op 1 → 3`);
    expect(markdown).toContain('### Open handles');
    const text = textReport(comparison);
    expect(text).toContain('Open handles');
    expect(text).toContain(`• ${id}: 1 → 3`);
  });

  it('informs without gating when its check is not in failOn', () => {
    unregister = registerKind(handlesKind);
    const { base, head } = runs();
    const comparison = compare([base], head, defaultConfig());
    expect(comparison.benchmarks[0]!.regressed).toEqual(['handles']);
    expect(comparison.benchmarks[0]!.failed).toEqual([]);
    expect(comparison.verdict).toBe('pass');
  });

  it('refuses a second kind of the same name', () => {
    unregister = registerKind(handlesKind);
    expect(() => registerKind(handlesKind)).toThrow(/already registered/);
  });
});
