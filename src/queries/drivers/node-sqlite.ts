/**
 * node:sqlite (Node ≥ 22.5): `DatabaseSync#exec` and the statements of `DatabaseSync#prepare`
 * (`sourceSQL`). Absent on older Node: nothing to do.
 */
import { recordSql, recorder } from '../recorder.js';
import { instrumentSqliteStatements } from './better-sqlite3.js';
import { patchMethod } from './resolve.js';

let patchedStatements: object | undefined;

export async function instrumentNodeSqlite(): Promise<boolean> {
  let sqlite: { DatabaseSync?: { prototype?: object } };
  try {
    const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
    sqlite = (
      getBuiltin ? getBuiltin('node:sqlite') : await import('node:sqlite' as string)
    ) as typeof sqlite;
  } catch {
    return false;
  }
  const proto = sqlite?.DatabaseSync?.prototype;
  if (!proto) return false;
  patchMethod(
    proto,
    'exec',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        if (!recorder.on || typeof args[0] !== 'string') return original.apply(this, args);
        const done = recordSql('node:sqlite', args[0], 'sqlite');
        try {
          return original.apply(this, args);
        } finally {
          done();
        }
      },
  );
  return patchMethod(
    proto,
    'prepare',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const statement = original.apply(this, args) as object;
        const statementProto = statement ? (Object.getPrototypeOf(statement) as object) : undefined;
        if (statementProto && statementProto !== patchedStatements) {
          instrumentSqliteStatements(statementProto, 'node:sqlite', 'sourceSQL');
          patchedStatements = statementProto;
        }
        return statement;
      },
  );
}
