// A made-up fourth attachment kind, written as a kind's own folder would be (src/<kind>/kind.ts):
// its types join the Run's benchmarks and the Comparison's by declaration merging, its schema
// joins the stored Run's through `attachment`. Nothing else of the project names it.
import { z } from 'zod';
import type { AttachmentKind } from '../../../src/model/kind.js';
import { heading, list, own } from '../../../src/model/document.js';

/** Open file handles per operation. */
const handlesSchema = z.object({ perOp: z.number().nonnegative() });
export type Handles = z.infer<typeof handlesSchema>;

export interface HandlesComparison {
  base: number | null;
  head: number;
  regressed: boolean;
  reasons: string[];
}

declare module '../../../src/model/run.js' {
  interface KindAttachments {
    handles: Handles;
  }
}
declare module '../../../src/model/comparison.js' {
  interface KindComparisons {
    handles: HandlesComparison;
  }
}

const options = z.object({ enabled: z.boolean().default(true) }).prefault({});

export const handlesKind: AttachmentKind<'handles', typeof options, Handles, HandlesComparison> = {
  name: 'handles',
  comparisonField: 'handles',
  options,
  attachment: handlesSchema,
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
    // The augmented Comparison type: `b.handles` is typed, no cast.
    const rows = comparison.benchmarks.flatMap((b) =>
      b.handles ? [[b.id, own(`: ${b.handles.base ?? '—'} → ${b.handles.head}`)]] : [],
    );
    return rows.length === 0
      ? []
      : [{ blocks: [heading(3, own('Open handles')), list(rows, 'benchmarks')] }];
  },
};
