/**
 * Enabling the pytest plugin in a command perfgate runs, without any change to the command or
 * the project: perfgate's `python/` folder goes first on PYTHONPATH and `perfgate_pytest` joins
 * PYTEST_PLUGINS (pytest loads every module named there). PERFGATE_PYTEST=0 turns it off.
 */
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLUGIN_MODULE = 'perfgate_pytest';

/**
 * perfgate's `python/` folder: found upwards from this module (src/ingest/python in a checkout,
 * dist/ in the npm package, which ships `python/` next to `dist/`).
 */
export function pluginDir(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'python');
    if (existsSync(join(candidate, PLUGIN_MODULE, '__init__.py'))) return candidate;
    if (dirname(dir) === dir)
      throw new Error(
        `perfgate: the pytest plugin (python/${PLUGIN_MODULE}) is not installed next to ${from}`,
      );
  }
}

/** `env` with the plugin enabled (a new object); unchanged when PERFGATE_PYTEST is `0`. */
export function withPytestPlugin(
  env: NodeJS.ProcessEnv,
  dir: string = pluginDir(),
): NodeJS.ProcessEnv {
  if (env.PERFGATE_PYTEST === '0') return { ...env };
  const pythonPath = env.PYTHONPATH ? `${dir}${delimiter}${env.PYTHONPATH}` : dir;
  const plugins = (env.PYTEST_PLUGINS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== PLUGIN_MODULE);
  return {
    ...env,
    PYTHONPATH: pythonPath,
    PYTEST_PLUGINS: [...plugins, PLUGIN_MODULE].join(','),
  };
}
