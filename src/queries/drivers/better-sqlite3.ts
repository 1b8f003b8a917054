/**
 * better-sqlite3: `Database#exec` and the statements `Database#prepare` returns (run, get, all,
 * iterate). The Statement class is native and not exported, so its prototype is patched on the
 * first `prepare`.
 */
import { recordSql, recorder } from '../recorder.js';
import { patchMethod } from './resolve.js';

type Method = (...args: unknown[]) => unknown;

function timedSync(
  driver: string,
  sqlOf: (self: unknown, args: unknown[]) => unknown,
  original: Method,
): Method {
  return function (this: unknown, ...args: unknown[]) {
    if (!recorder.on) return original.apply(this, args);
    const text = sqlOf(this, args);
    if (typeof text !== 'string') return original.apply(this, args);
    const done = recordSql(driver, text, 'sqlite');
    try {
      return original.apply(this, args);
    } finally {
      done();
    }
  };
}

export function instrumentSqliteStatements(
  statementProto: object,
  driver: string,
  sourceKey: string,
): void {
  for (const method of ['run', 'get', 'all', 'iterate']) {
    patchMethod(statementProto, method, (original) =>
      timedSync(driver, (self) => (self as Record<string, unknown>)[sourceKey], original),
    );
  }
}

let patchedStatements: object | undefined;

export function instrumentBetterSqlite3(module: unknown): boolean {
  const candidate = module as { prototype?: object; default?: { prototype?: object } };
  const Database = typeof candidate === 'function' ? candidate : candidate.default;
  const proto = (Database as { prototype?: object } | undefined)?.prototype;
  if (!proto) return false;
  patchMethod(proto, 'exec', (original) =>
    timedSync('better-sqlite3', (_self, args) => args[0], original),
  );
  return patchMethod(
    proto,
    'prepare',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const statement = original.apply(this, args) as object;
        const statementProto = statement ? (Object.getPrototypeOf(statement) as object) : undefined;
        // Once per Statement class: prepare is called in hot loops.
        if (statementProto && statementProto !== patchedStatements) {
          instrumentSqliteStatements(statementProto, 'better-sqlite3', 'source');
          patchedStatements = statementProto;
        }
        return statement;
      },
  );
}
