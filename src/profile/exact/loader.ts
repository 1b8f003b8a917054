// Module hooks (registered with `module.register()` in the bench child by the calls kind's
// prepare, bundled to dist/exact-loader.js) that instrument the project's own modules for the
// exact-calls pass (exact/transform.ts). Registered after the TypeScript hooks, so a .ts module
// arrives here as JavaScript with its lines kept.
import type { InitializeHook, LoadHook } from 'node:module';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProjectFile } from '../project.js';
import { instrumentModule } from './transform.js';

export interface ExactLoaderData {
  projectRoot: string;
  /** Absolute paths never instrumented (the bench file: its functions are the harness). */
  exclude: string[];
  /** perfgate's own folder (dist/): never the project's code. */
  ownDir: string;
}

let data: ExactLoaderData | undefined;

export const initialize: InitializeHook<ExactLoaderData> = (input) => {
  data = input;
};

const SOURCE = /\.(?:[cm]?[jt]s)$/;

/** The repo-relative path when `path` is the project's own module, else undefined. */
export function projectModule(path: string, options: ExactLoaderData): string | undefined {
  if (!SOURCE.test(path) || options.exclude.includes(path)) return undefined;
  const own = relative(options.ownDir, path);
  if (!own.startsWith('..') && !own.startsWith(sep)) return undefined;
  const file = relative(options.projectRoot, path).split(sep).join('/');
  if (file.startsWith('../') || file.includes('/node_modules/') || !isProjectFile(file))
    return undefined;
  return file;
}

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context);
  if (!data || !url.startsWith('file:') || result.source == null) return result;
  const file = new URL(url);
  file.search = '';
  const path = fileURLToPath(file);
  const relativeFile = projectModule(path, data);
  // ES modules, and CommonJS that an earlier hook (TypeScript's .cts) already serves as source:
  // CommonJS loaded by require() does not pass through these hooks on Node 20.
  const script = result.format === 'commonjs' && path.endsWith('.cts');
  if (relativeFile === undefined || (result.format !== 'module' && !script)) return result;
  const source =
    typeof result.source === 'string'
      ? result.source
      : new TextDecoder().decode(result.source as ArrayBuffer | Uint8Array);
  const instrumented = instrumentModule(source, relativeFile, script ? 'script' : 'module');
  return instrumented ? { ...result, source: instrumented.code } : result;
};
