/**
 * The calls kind: exact call counts and async-inclusive time of the project's own functions,
 * from wrapping the functions of project modules in the instrumented pass. Gated like query
 * counts (check `calls`); shown first in the profile's "Top function changes". The child half
 * (options, module hooks, pass) is ./pass.ts.
 */
import type { CallsAttachment } from '../../model/calls.js';
import type { CallsComparison } from '../../model/comparison.js';
import type { AttachmentKind } from '../../model/kind.js';
import { compareExact, formatCalls } from './compare.js';
import { callsPass } from './pass.js';

export const callsKind: AttachmentKind<
  'calls',
  typeof callsPass.options,
  CallsAttachment,
  CallsComparison
> = {
  ...callsPass,
  comparisonField: 'exactCalls',
  compare: (bases, head, o, context) => compareExact(bases, head, o, context),
  gate: {
    check: 'calls',
    noun: 'call-count',
    verdict: (result) => ({ regressed: result.regressed, reasons: result.reasons }),
  },
  cause: {
    // After the queries' N+1 (the query is more specific), before memory and sampled time.
    rank: 1.5,
    of(result) {
      const grown = result.changes.find((c) => c.head !== null && c.head - (c.base ?? 0) >= 0.5);
      if (!grown) return undefined;
      return `${grown.name} (${grown.file}:${grown.line}) called ${formatCalls(grown.base)} → ${formatCalls(grown.head)} times per op`;
    },
  },
  // Rendered inside the profile kind's "Top function changes" (project functions first).
  sections: () => [],
};
