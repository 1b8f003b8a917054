/** The plugin's query/HTTP capture → the queries attachment, fingerprinted like the Node pass. Pure. */
import type { QueriesAttachment } from '../../model/queries.js';
import { analyzeStatements, type StatementRecord } from '../../queries/analyze.js';
import { fingerprintHttp, fingerprintSql } from '../../queries/fingerprint.js';
import type { SidecarBenchmark, SidecarStatement } from './sidecar.js';

type SidecarQueries = NonNullable<SidecarBenchmark['queries']>;

/**
 * DB-API `format`/`pyformat` placeholders (`%s`, `%(name)s`: psycopg, PyMySQL) as the dialect's
 * own (`$1`, `$2`… for Postgres, `?` otherwise), which the SQL tokenizer knows; `%%` is a literal
 * `%`. Inside a string literal the replacement is harmless: the literal becomes a placeholder.
 */
export function pyformatPlaceholders(
  sql: string,
  dialect: 'postgres' | 'mysql' | 'sqlite',
): string {
  let n = 0;
  return sql.replace(/%\(\w+\)s|%s|%%/g, (match) =>
    match === '%%' ? '%' : dialect === 'postgres' ? `$${++n}` : '?',
  );
}

function fingerprintOf(statement: SidecarStatement): string {
  if (statement.kind === 'sql') {
    const dialect = statement.dialect ?? 'postgres';
    const pyformat = statement.paramstyle === 'format' || statement.paramstyle === 'pyformat';
    return fingerprintSql(
      pyformat ? pyformatPlaceholders(statement.statement, dialect) : statement.statement,
      { dialect },
    );
  }
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
