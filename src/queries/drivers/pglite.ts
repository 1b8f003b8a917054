/**
 * PGlite: `query` (and `sql`, which calls it), `exec`, and the `query`/`sql`/`exec` of the
 * object a `transaction(fn)` callback receives, which bypass the public methods.
 */
import { onSettled, recordSql, recorder } from '../recorder.js';
import { exportOf, patchMethod } from './resolve.js';

type AsyncMethod = (...args: unknown[]) => Promise<unknown>;

// Plain (not async) wrappers: with recording off they return the driver's own promise, without
// an extra tick.
function timed(name: string, original: AsyncMethod, db?: unknown): AsyncMethod {
  return function (this: unknown, ...args: unknown[]) {
    if (!recorder.on || typeof args[0] !== 'string') return original.apply(this, args);
    const target = (db ?? this) as { query: AsyncMethod };
    const done = recordSql('pglite', args[0], 'postgres', {
      ...(name === 'query' && Array.isArray(args[1]) ? { values: args[1] } : {}),
      run: (sql, params) => target.query(sql, params),
    });
    return onSettled(original.apply(this, args), done);
  };
}

/** `tx.sql` builds its text from a template; record the text it hands to the database. */
function timedTemplate(original: AsyncMethod): AsyncMethod {
  return function (this: unknown, ...args: unknown[]) {
    const strings = args[0] as TemplateStringsArray | undefined;
    if (!recorder.on || !Array.isArray(strings)) return original.apply(this, args);
    const text = strings.reduce((sql, part, i) => (i === 0 ? part : `${sql}$${i}${part}`), '');
    const done = recordSql('pglite', text, 'postgres');
    return onSettled(original.apply(this, args), done);
  };
}

export function instrumentPglite(module: unknown): boolean {
  const PGlite = exportOf(module, 'PGlite') as { prototype?: object } | undefined;
  const proto = PGlite?.prototype;
  if (!proto) return false;
  patchMethod(proto, 'query', (original) => timed('query', original as AsyncMethod));
  patchMethod(proto, 'exec', (original) => timed('exec', original as AsyncMethod));
  return patchMethod(
    proto,
    'transaction',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        const callback = args[0];
        if (typeof callback !== 'function') return original.apply(this, args);
        args[0] = (tx: Record<string, unknown>) => {
          for (const key of ['query', 'exec'] as const) {
            const method = tx[key];
            if (typeof method === 'function') tx[key] = timed(key, method as AsyncMethod, this);
          }
          if (typeof tx.sql === 'function') tx.sql = timedTemplate(tx.sql as AsyncMethod);
          return (callback as (t: unknown) => unknown)(tx);
        };
        return original.apply(this, args);
      },
  );
}
