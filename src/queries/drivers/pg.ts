/**
 * node-postgres: `Client.prototype.query` sees every statement, whether it comes from a Client
 * or a Pool (`pool.query` checks out a client and calls it), with a string, a query config
 * object (`{ text, values }`) or a submittable (`new Query()`, cursors), callback or promise.
 */
import { onSettled, recordSql, recorder, withEntryStack } from '../recorder.js';
import { exportOf, patchMethod } from './resolve.js';

export function instrumentPg(module: unknown): boolean {
  // pool.query runs client.query after checking out a connection, out of the caller's stack.
  const Pool = exportOf(module, 'Pool') as { prototype?: object } | undefined;
  patchMethod(Pool?.prototype, 'query', withEntryStack);
  const Client = exportOf(module, 'Client') as { prototype?: object } | undefined;
  return patchMethod(
    Client?.prototype,
    'query',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        if (!recorder.on) return original.apply(this, args);
        const config = args[0] as { text?: unknown } | string | undefined;
        const text = typeof config === 'string' ? config : config?.text;
        if (typeof text !== 'string') return original.apply(this, args);
        const client = this as { query: (...a: unknown[]) => Promise<unknown> };
        const values = Array.isArray(args[1]) ? args[1] : (config as { values?: unknown[] }).values;
        const done = recordSql('pg', text, 'postgres', {
          ...(Array.isArray(values) ? { values } : {}),
          run: (sql, params) => client.query(sql, params),
        });
        const callbackAt = args.findIndex((arg, i) => i > 0 && typeof arg === 'function');
        if (callbackAt !== -1) {
          const callback = args[callbackAt] as (...a: unknown[]) => unknown;
          args[callbackAt] = function (this: unknown, ...results: unknown[]) {
            done();
            return callback.apply(this, results);
          };
          return original.apply(this, args);
        }
        const config2 = config as { callback?: unknown } | undefined;
        if (config2 && typeof config2 === 'object' && typeof config2.callback === 'function') {
          const callback = config2.callback as (...a: unknown[]) => unknown;
          config2.callback = (...results: unknown[]) => {
            done();
            return callback(...results);
          };
          return original.apply(this, args);
        }
        return onSettled(original.apply(this, args), done);
      },
  );
}
