/**
 * Loads a driver the way the user's bench file would: from the bench file's folder (its
 * node_modules), both as CommonJS and as ESM when the package ships two builds, so that the
 * copy the user's code gets is the copy perfgate instruments.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Every distinct module object of `name` reachable from `benchFile`; [] when not installed. */
export async function loadUserModules(name: string, benchFile: string): Promise<unknown[]> {
  const modules: unknown[] = [];
  const require = createRequire(resolve(benchFile));
  let cjsPath: string | undefined;
  try {
    cjsPath = require.resolve(name);
    modules.push(require(name));
  } catch {
    // not installed, or ESM only
  }
  const esmPath = esmEntry(name, dirname(resolve(benchFile)));
  if (esmPath && esmPath !== cjsPath) {
    try {
      const namespace = (await import(pathToFileURL(esmPath).href)) as Record<string, unknown>;
      modules.push(namespace);
    } catch {
      // a broken ESM build is the user's problem; the CommonJS one is instrumented
    }
  }
  return modules;
}

/** The file `import name` resolves to from `fromDir` (conditions node, import, default). */
export function esmEntry(name: string, fromDir: string): string | undefined {
  const root = packageRoot(name, fromDir);
  if (!root) return undefined;
  let manifest: { exports?: unknown; main?: string };
  try {
    manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    return undefined;
  }
  if (manifest.exports === undefined) return undefined; // CommonJS only: require() covers it
  let target: unknown = manifest.exports;
  if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
    const record = target as Record<string, unknown>;
    if (Object.keys(record).some((key) => key.startsWith('.'))) target = record['.'];
  }
  const picked = pickCondition(target, ['node', 'import', 'default']);
  return picked ? join(root, picked) : undefined;
}

function pickCondition(target: unknown, conditions: string[]): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const item of target) {
      const picked = pickCondition(item, conditions);
      if (picked) return picked;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [key, value] of Object.entries(target)) {
      if (conditions.includes(key)) {
        const picked = pickCondition(value, conditions);
        if (picked) return picked;
      }
    }
  }
  return undefined;
}

function packageRoot(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const PATCHED = Symbol.for('perfgate.queries.patched');

/**
 * Replaces `name` on the object of `target`'s prototype chain that owns it, once per owner.
 * Returns false when there is no such method.
 */
export function patchMethod(
  target: object | undefined,
  name: string,
  wrap: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown,
): boolean {
  let owner: object | null = target ?? null;
  while (owner && !Object.prototype.hasOwnProperty.call(owner, name))
    owner = Object.getPrototypeOf(owner) as object | null;
  if (!owner) return false;
  const original = (owner as Record<string, unknown>)[name];
  if (typeof original !== 'function') return false;
  if ((original as unknown as Record<symbol, unknown>)[PATCHED]) return true;
  const wrapped = wrap(original as (...args: unknown[]) => unknown);
  Object.defineProperty(wrapped, PATCHED, { value: true });
  Object.defineProperty(wrapped, 'name', { value: (original as { name: string }).name });
  Object.defineProperty(owner, name, {
    value: wrapped,
    writable: true,
    configurable: true,
    enumerable: Object.getOwnPropertyDescriptor(owner, name)?.enumerable ?? false,
  });
  return true;
}

/** Reads `exports.X`, looking through an ESM namespace's `default` too. */
export function exportOf(module: unknown, key: string): unknown {
  const record = module as Record<string, unknown> | undefined;
  if (!record) return undefined;
  if (record[key] !== undefined) return record[key];
  const fallback = record.default as Record<string, unknown> | undefined;
  return fallback?.[key];
}
