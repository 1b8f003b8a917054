/**
 * node:sqlite (Node ≥ 22.5): `DatabaseSync#exec` and the statements of `DatabaseSync#prepare`
 * (`sourceSQL`). Absent on older Node: nothing to do.
 */
import { instrumentSqliteDatabase } from './better-sqlite3.js';

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
  return instrumentSqliteDatabase(proto, 'node:sqlite', 'sourceSQL');
}
