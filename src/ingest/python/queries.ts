/** The plugin's query/HTTP capture → the queries attachment, fingerprinted like the Node pass. Pure. */
import type { QueriesAttachment } from '../../model/queries.js';
import { analyzeStatements, type StatementRecord } from '../../queries/analyze.js';
import { fingerprintHttp, fingerprintSql } from '../../queries/fingerprint.js';
import type { SidecarBenchmark, SidecarStatement } from './sidecar.js';

type SidecarQueries = NonNullable<SidecarBenchmark['queries']>;

function fingerprintOf(statement: SidecarStatement): string {
  if (statement.kind === 'sql')
    return fingerprintSql(statement.statement, { dialect: statement.dialect ?? 'postgres' });
  const space = statement.statement.indexOf(' ');
  return space > 0
    ? fingerprintHttp(statement.statement.slice(0, space), statement.statement.slice(space + 1))
    : statement.statement;
}

function* records(queries: SidecarQueries): Generator<StatementRecord> {
  for (const statement of queries.statements) {
    const fingerprint = fingerprintOf(statement);
    const total = statement.counts.reduce((a, b) => a + b, 0);
    // The plugin sums the driver time over all executions: each gets its share.
    const timeMs =
      statement.timeMs !== undefined && total > 0 ? statement.timeMs / total : undefined;
    for (let iteration = 0; iteration < statement.counts.length; iteration++) {
      for (let k = 0; k < statement.counts[iteration]!; k++) {
        yield {
          kind: statement.kind,
          fingerprint,
          sample: statement.statement,
          group: iteration,
          ...(timeMs !== undefined ? { timeMs } : {}),
          ...(statement.callSite ? { callSite: statement.callSite } : {}),
          driver: statement.driver,
        };
      }
    }
  }
}

export function pythonQueriesAttachment(
  queries: SidecarQueries,
  options: { nPlusOne: number },
): QueriesAttachment {
  return analyzeStatements(records(queries), {
    iterations: queries.iterations,
    nPlusOne: options.nPlusOne,
    aggregate: 'max',
  });
}
