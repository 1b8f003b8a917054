/**
 * Runs pytest with perfgate's plugin under a Python that has what the tests need (Debian's
 * python3-pytest, -pytest-benchmark, -flask, -flask-sqlalchemy; .ci/services installs them).
 * PERFGATE_PYTHON picks the interpreter; else the first of python3, /usr/bin/python3 that has
 * the modules. Tests skip with the reason when none has.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPytestPlugin } from '../../src/ingest/python/plugin-env.js';
import { makeBenchmark } from '../helpers/runs.js';
import type { Run } from '../../src/model/run.js';
import { ROOT } from '../cli/helpers.js';

export const PLUGIN_DIR = join(ROOT, 'python');

export function findPython(
  modules: readonly string[],
  candidates: readonly string[] = process.env.PERFGATE_PYTHON
    ? [process.env.PERFGATE_PYTHON]
    : ['python3', '/usr/bin/python3'],
  env: NodeJS.ProcessEnv = process.env,
): { python?: string; reason?: string } {
  const script = modules.map((m) => `import ${m}`).join('; ');
  const tried: string[] = [];
  for (const candidate of candidates) {
    const result = spawnSync(candidate, ['-c', script], { encoding: 'utf8', env });
    if (result.status === 0) return { python: candidate };
    tried.push(`${candidate}: ${(result.stderr || String(result.error)).trim().split('\n').pop()}`);
  }
  return {
    reason: `no Python with ${modules.join(', ')} (apt-get install python3-pytest python3-pytest-benchmark python3-flask python3-flask-sqlalchemy, or set PERFGATE_PYTHON); tried ${tried.join('; ')}`,
  };
}

export interface PytestRun {
  status: number | null;
  output: string;
  json: string;
  sidecar: string;
}

/** `python -m pytest` in `project` with the plugin enabled through the environment only. */
export function runPytest(
  python: string,
  project: string,
  outDir: string,
  options: { args?: string[]; env?: Record<string, string> } = {},
): PytestRun {
  const json = join(outDir, 'bench.json');
  const result = spawnSync(
    python,
    [
      '-m',
      'pytest',
      '-q',
      '-p',
      'no:cacheprovider',
      `--benchmark-json=${json}`,
      '--benchmark-warmup=off',
      ...(options.args ?? []),
    ],
    {
      cwd: project,
      encoding: 'utf8',
      env: withPytestPlugin(
        { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...options.env },
        PLUGIN_DIR,
      ),
      timeout: 550_000,
    },
  );
  return {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    json,
    sidecar: `${json}.perfgate`,
  };
}

/** A Run whose benchmarks have the ids of the pytest-benchmark entries (their `fullname`). */
export function runOfPytestJson(file: string): Run {
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    benchmarks: Array<{ fullname: string; name: string; stats: { median: number } }>;
  };
  return {
    schemaVersion: 1,
    tool: 'perfgate',
    meta: {
      timestamp: new Date().toISOString(),
      env: { os: 'linux', cpu: 'test', cores: 2, node: process.version, runner: 'local' },
    },
    benchmarks: data.benchmarks.map((b) => ({
      ...makeBenchmark({ name: b.name, ns: b.stats.median * 1e9 }),
      id: b.fullname,
      file: b.fullname.split('::')[0]!,
    })),
  };
}
