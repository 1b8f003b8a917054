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

/** Statement prototypes already patched (once per class: prepare is called in hot loops). */
const patchedStatements = new WeakSet<object>();

/**
 * A synchronous SQLite Database class (better-sqlite3's Database, node:sqlite's DatabaseSync):
 * `exec`, and every statement `prepare` returns (its native class is not exported, so its
 * prototype is patched on the first `prepare`). `sourceKey` is where a statement keeps its SQL.
 */
export function instrumentSqliteDatabase(
  proto: object,
  driver: string,
  sourceKey: string,
): boolean {
  patchMethod(proto, 'exec', (original) => timedSync(driver, (_self, args) => args[0], original));
  return patchMethod(
    proto,
    'prepare',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const statement = original.apply(this, args) as object;
        const statementProto = statement ? (Object.getPrototypeOf(statement) as object) : undefined;
        if (statementProto && !patchedStatements.has(statementProto)) {
          for (const method of ['run', 'get', 'all', 'iterate']) {
            patchMethod(statementProto, method, (run) =>
              timedSync(driver, (self) => (self as Record<string, unknown>)[sourceKey], run),
            );
          }
          patchedStatements.add(statementProto);
        }
        return statement;
      },
  );
}

export function instrumentBetterSqlite3(module: unknown): boolean {
  const candidate = module as { prototype?: object; default?: { prototype?: object } };
  const Database = typeof candidate === 'function' ? candidate : candidate.default;
  const proto = (Database as { prototype?: object } | undefined)?.prototype;
  if (!proto) return false;
  return instrumentSqliteDatabase(proto, 'better-sqlite3', 'source');
}
