// Module hooks (registered with `module.register()` in the bench child by the calls kind's
// prepare, bundled to dist/exact-loader.js) that instrument the project's own modules for the
// exact-calls pass (exact/transform.ts). Registered after the TypeScript hooks, so a .ts module
// arrives here as JavaScript with its lines kept.
//
// Each module is instrumented once, here or in the CommonJS compile hook (./compile-hook.ts),
// by who compiles it on Node 20:
// - an ES module: here;
// - CommonJS given to Node with its source by a hook (TypeScript's .cts): Node's ES module
//   loader compiles it itself, never through the CommonJS loader, and loads what it require()s
//   through these hooks too, reading a CommonJS child from disk when no hook gives its source:
//   both here;
// - any other CommonJS (its source is null here: an ES module imported it, and Node hands it to
//   the CommonJS loader) and everything loaded by require(): the compile hook.
import { readFile } from 'node:fs/promises';
import type { InitializeHook, LoadHook, ResolveHook } from 'node:module';
import { fileURLToPath } from 'node:url';
import { projectModule, type ProjectRules } from './project-module.js';
import { instrumentModule } from './transform.js';

export type ExactLoaderData = ProjectRules;

let data: ExactLoaderData | undefined;

export const initialize: InitializeHook<ExactLoaderData> = (input) => {
  data = input;
};

/** CommonJS modules Node's ES module loader compiles itself (see above), by URL. */
const compiledByEsmLoader = new Set<string>();
/** Modules resolved from one of those: what it require()s (or imports). */
const requiredByThem = new Set<string>();

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const result = await nextResolve(specifier, context);
  if (context.parentURL !== undefined && compiledByEsmLoader.has(context.parentURL))
    requiredByThem.add(result.url);
  return result;
};

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context);
  if (!data || !url.startsWith('file:')) return result;
  const commonJs = result.format === 'commonjs';
  // Node compiles this CommonJS module in its ES module loader when a hook gave its source or
  // when such a module required it (then Node reads it from disk itself).
  const byEsmLoader = commonJs && (result.source != null || requiredByThem.has(url));
  if (byEsmLoader) compiledByEsmLoader.add(url);
  if (result.format !== 'module' && !byEsmLoader) return result;
  const file = new URL(url);
  file.search = '';
  const path = fileURLToPath(file);
  const relativeFile = projectModule(path, data);
  if (relativeFile === undefined) return result;
  let source: string;
  if (result.source == null) source = await readFile(path, 'utf8');
  else if (typeof result.source === 'string') source = result.source;
  else source = new TextDecoder().decode(result.source as ArrayBuffer | Uint8Array);
  const instrumented = instrumentModule(source, relativeFile, commonJs ? 'script' : 'module');
  return instrumented ? { ...result, source: instrumented.code } : result;
};
