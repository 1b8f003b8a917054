/** The queries kind (SQL, HTTP and blocking I/O per iteration) behind the AttachmentKind contract. */
import type { QueriesComparison } from '../model/comparison.js';
import type { AttachmentKind } from '../model/kind.js';
import type { QueriesAttachment } from '../model/queries.js';
import { captureQueries, installQueryCapture } from './capture.js';
import { compareQueries } from './compare.js';
import { queriesOptionsSchema } from './options.js';
import { queriesMarkdown, queriesText } from './render.js';

const options = queriesOptionsSchema.prefault({});

export const queriesKind: AttachmentKind<
  'queries',
  typeof options,
  QueriesAttachment,
  QueriesComparison
> = {
  name: 'queries',
  comparisonField: 'queries',
  options,
  enabled: (o) => o.enabled,
  // Driver hooks only when the pass will use them: otherwise they only add overhead to timing.
  prepare: { what: 'query capture', run: (benchFile) => installQueryCapture(benchFile) },
  capture: (task, context, o) => captureQueries(task, context, o),
  compare: (bases, head, o) => compareQueries(bases, head, o),
  gate: {
    check: 'queries',
    noun: 'query',
    verdict: (q) => ({ regressed: q.regressed, reasons: q.reasons }),
  },
  highlights(id, q) {
    return q.nPlusOne
      .filter((finding) => finding.new)
      .map((finding) => {
        const where = finding.callSite
          ? ` at ${finding.callSite.file}:${finding.callSite.line}`
          : '';
        return `${id}: new N+1 query, ${finding.perIteration}× per iteration${where}: ${finding.fingerprint}`;
      });
  },
  sections: (comparison) => [
    { markdown: queriesMarkdown(comparison), text: queriesText(comparison) },
  ],
};
