/**
 * Blocking I/O: every `*Sync` function of node:fs counts one call per iteration while recording.
 * Patched once before the bench file loads (and synced into the ESM named exports) so that
 * `import { readFileSync } from 'node:fs'` is covered too.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { recorder } from '../recorder.js';

let installed = false;
let inside = false;

export function instrumentSyncFs(): void {
  if (installed) return;
  installed = true;
  const target = fs as unknown as Record<string, unknown>;
  for (const name of Object.keys(target)) {
    const original = target[name];
    if (!name.endsWith('Sync') || typeof original !== 'function') continue;
    const call = original as (...a: unknown[]) => unknown;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      // readFileSync calls openSync, fstatSync… through the module: count the outer call only.
      if (!recorder.on || inside) return call.apply(this, args);
      recorder.syncFs[recorder.iteration] = (recorder.syncFs[recorder.iteration] ?? 0) + 1;
      inside = true;
      try {
        return call.apply(this, args);
      } finally {
        inside = false;
      }
    };
    Object.defineProperty(wrapped, 'name', { value: name });
    Object.assign(wrapped, original); // keeps e.g. realpathSync.native
    try {
      target[name] = wrapped;
    } catch {
      // a read-only export stays uncounted
    }
  }
  syncBuiltinESMExports();
}
