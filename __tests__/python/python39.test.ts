// The plugin on the oldest Python it supports (3.9): a CPython 3.9 with Debian's pure-Python
// pytest and pytest-benchmark on its path (PERFGATE_PYTHON39, python3.9, or a pyenv 3.9).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attachPythonSidecars } from '../../src/ingest/python/attach.js';
import { ROOT } from '../cli/helpers.js';
import { findPython, runOfPytestJson, runPytest } from './python.js';

const DEBIAN = '/usr/lib/python3/dist-packages';
const pyenv = join(homedir(), '.pyenv', 'versions');
const candidates = [
  ...(process.env.PERFGATE_PYTHON39 ? [process.env.PERFGATE_PYTHON39] : []),
  'python3.9',
  ...(existsSync(pyenv)
    ? readdirSync(pyenv)
        .filter((v) => v.startsWith('3.9.'))
        .map((v) => join(pyenv, v, 'bin', 'python3.9'))
    : []),
];
const pythonPath = [DEBIAN, process.env.PYTHONPATH].filter(Boolean).join(delimiter);
const env = { ...process.env, PYTHONPATH: pythonPath };
const { python, reason } = findPython(
  ['sys; assert sys.version_info[:2] == (3, 9)', 'pytest', 'pytest_benchmark'],
  candidates,
  env,
);
if (!python) console.warn(`skipping the Python 3.9 test: ${reason}`);

const out = mkdtempSync(join(tmpdir(), 'perfgate-pytest-39-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.skipIf(!python)('perfgate_pytest on Python 3.9', () => {
  it('records the three passes with the same counts and bytes', { timeout: 300_000 }, async () => {
    const pytest = runPytest(python!, join(ROOT, '__tests__', 'fixtures', 'python', 'known'), out, {
      args: ['--benchmark-max-time=0.02', '--benchmark-min-rounds=3', '-k', 'sqlite or megabyte'],
      env: {
        PYTHONPATH: pythonPath,
        PERFGATE_PROFILE_TIME: '0.01',
        PERFGATE_MEMORY_ROUNDS: '3',
      },
    });
    expect(pytest.status, pytest.output).toBe(0);
    const { run, warnings } = await attachPythonSidecars(runOfPytestJson(pytest.json), [
      pytest.json,
    ]);
    expect(warnings).toEqual([]);
    const [names, megabyte] = run.benchmarks;
    expect(names!.queries!.perIteration).toBe(21);
    expect(names!.profile!.functions.find((f) => f.name === 'load_name')?.calls).toBe(20);
    expect(megabyte!.memory!.allocBytesPerOp).toBeGreaterThanOrEqual(1_000_000);
    expect(megabyte!.memory!.allocBytesPerOp).toBeLessThan(1_010_000);
  });
});
