// Contract stub, to be implemented in src/queries (issue 5).
import type { QueriesComparison } from '../model/comparison.js';
import type { QueriesAttachment } from '../model/queries.js';
import type { QueriesOptions } from './options.js';

/** Exact comparison of query counts and N+1 findings. Pure. */
export function compareQueries(
  _bases: QueriesAttachment[],
  _head: QueriesAttachment | undefined,
  _options: QueriesOptions,
): QueriesComparison | undefined {
  return undefined;
}
