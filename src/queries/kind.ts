/** The queries kind (SQL, HTTP and blocking I/O per iteration) behind the AttachmentKind contract. */
import type { QueriesComparison } from '../model/comparison.js';
import type { AttachmentKind } from '../model/kind.js';
import type { QueriesAttachment } from '../model/queries.js';
import { formatCount } from '../text/format.js';
import { fileLine } from '../text/paths.js';
import { compareQueries } from './compare.js';
import { queriesPass } from './pass.js';
import { queriesSection } from './render.js';

export const queriesKind: AttachmentKind<
  'queries',
  typeof queriesPass.options,
  QueriesAttachment,
  QueriesComparison
> = {
  ...queriesPass,
  comparisonField: 'queries',
  compare: (bases, head, o) => compareQueries(bases, head, o),
  gate: {
    check: 'queries',
    noun: 'query',
    verdict: (q) => ({ regressed: q.regressed, reasons: q.reasons }),
  },
  cause: {
    rank: 1,
    of(q) {
      const fresh = q.nPlusOne
        .filter((f) => f.new)
        .sort((x, y) => y.perIteration - x.perIteration)[0];
      if (fresh) {
        const added = fresh.perIteration - (fresh.basePerIteration ?? 0);
        const where = fresh.callSite
          ? ` from ${fileLine(fresh.callSite.file, fresh.callSite.line)}`
          : '';
        return `${formatCount(added)} new ${added === 1 ? 'query' : 'queries'} per call${where} (N+1)`;
      }
      if (q.base !== null && q.head !== null && q.head > q.base) {
        return `queries per call ${formatCount(q.base)} → ${formatCount(q.head)}`;
      }
      if (q.httpBase != null && q.httpHead != null && q.httpHead > q.httpBase) {
        return `HTTP requests per call ${formatCount(q.httpBase)} → ${formatCount(q.httpHead)}`;
      }
      return undefined;
    },
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
  sections: (comparison) => [{ blocks: queriesSection(comparison) }],
};
