/**
 * mysql2: every API (callback, promise, pool, pool cluster) ends in a connection's `query` or
 * `execute`, so the base connection class is patched once. Pools pass a ready Query command
 * (`{ sql }`); the promise wrappers call the callback API underneath.
 */
import { onSettled, recordSql, recorder, withEntryStack } from '../recorder.js';
import { exportOf, patchMethod } from './resolve.js';

function sqlOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const sql = (arg as { sql?: unknown } | undefined)?.sql;
  return typeof sql === 'string' ? sql : undefined;
}

export function instrumentMysql2(module: unknown): boolean {
  // Pools run the connection's query after checking one out, out of the caller's stack.
  for (const poolClass of ['Pool', 'PoolCluster']) {
    const Pool = exportOf(module, poolClass) as { prototype?: object } | undefined;
    for (const method of ['query', 'execute']) patchMethod(Pool?.prototype, method, withEntryStack);
  }
  const Connection = exportOf(module, 'Connection') as { prototype?: object } | undefined;
  const proto = Connection?.prototype;
  if (!proto) return false;
  let patched = false;
  for (const method of ['query', 'execute']) {
    patched =
      patchMethod(
        proto,
        method,
        (original) =>
          function (this: unknown, ...args: unknown[]) {
            if (!recorder.on) return original.apply(this, args);
            const text = sqlOf(args[0]);
            if (text === undefined) return original.apply(this, args);
            const done = recordSql('mysql2', text, 'mysql');
            return onSettled(original.apply(this, args), done);
          },
      ) || patched;
  }
  return patched;
}
