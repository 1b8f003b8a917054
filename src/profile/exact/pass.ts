/**
 * The child half of the calls kind: its options, the module hooks and its pass in the bench
 * child. Imports no compare or render code (dist/child.js bundles this, not ./kind.ts).
 */
import { realpathSync } from 'node:fs';
import { register } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallsAttachment } from '../../model/calls.js';
import type { KindPass } from '../../model/kind.js';
import { captureCalls } from './capture.js';
import { installCompileHook } from './compile-hook.js';
import type { ExactLoaderData } from './loader.js';
import { callsOptionsSchema } from './options.js';
import { installRecorder } from './recorder.js';
import { trackWorkerThreads } from './workers.js';

const options = callsOptionsSchema.prefault({});

/** A file as given and as Node names it when it loads it (symlinks resolved). */
function sameFile(path: string): string[] {
  try {
    return [...new Set([path, realpathSync(path)])];
  } catch {
    return [path];
  }
}

/**
 * Installs the recorder and what instruments the project's modules: the module hooks (ES
 * modules, and CommonJS that Node's ES module loader compiles) and the CommonJS compile hook
 * (modules loaded by require()). In the bundle this module is dist/child.js, so the hooks are its
 * sibling dist/exact-loader.js. The child runs with the project root as its working directory.
 */
async function installHooks(benchFile: string): Promise<void> {
  if (typeof register !== 'function') throw new Error(`module.register needs Node >= 20.6`);
  installRecorder();
  const data: ExactLoaderData = {
    projectRoot: process.cwd(),
    exclude: sameFile(benchFile),
    ownDir: dirname(fileURLToPath(import.meta.url)),
  };
  register(new URL('./exact-loader.js', import.meta.url), { data });
  installCompileHook(data);
  trackWorkerThreads();
}

export const callsPass: KindPass<'calls', typeof options, CallsAttachment> = {
  name: 'calls',
  options,
  enabled: (o) => o.enabled,
  prepare: { what: 'the exact-calls hooks', run: (file) => installHooks(file) },
  capture: (task, context, o) => captureCalls(task, context, o),
};
