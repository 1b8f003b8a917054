/**
 * The child half of the queries kind: its options and its pass in the bench child. Imports no
 * compare or render code (dist/child.js bundles this, not ./kind.ts).
 */
import type { KindPass } from '../model/kind.js';
import type { QueriesAttachment } from '../model/queries.js';
import { captureQueries, installQueryCapture } from './capture.js';
import { queriesOptionsSchema } from './options.js';

const options = queriesOptionsSchema.prefault({});

export const queriesPass: KindPass<'queries', typeof options, QueriesAttachment> = {
  name: 'queries',
  options,
  enabled: (o) => o.enabled,
  // Driver hooks only when the pass will use them: otherwise they only add overhead to timing.
  prepare: { what: 'query capture', run: (benchFile) => installQueryCapture(benchFile) },
  capture: (task, context, o) => captureQueries(task, context, o),
};
