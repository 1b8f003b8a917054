import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';
import { findPython } from '../python/python.js';

// `npm run demo:python` with short measurement times, in a store of its own: the story must end
// with a failing check, the N+1 at the Python line and get_user_details' 500 calls.
const { python, reason } = findPython(['pytest', 'pytest_benchmark', 'flask', 'flask_sqlalchemy']);
if (!python) console.warn(`skipping npm run demo:python: ${reason}`);
// The demo runs pytest through `perfgate run --command … --results …` (src/ingest, issue 11).
const help = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'run', '--help'], {
  encoding: 'utf8',
});
const hasCommand = help.stdout.includes('--command');
if (!hasCommand) console.warn('skipping npm run demo:python: perfgate run has no --command option');
const store = mkdtempSync(join(tmpdir(), 'perfgate-demo-python-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe.skipIf(!python || !hasCommand)('npm run demo:python', () => {
  it(
    'benchmarks main, saves the baseline, fails the N+1 pull request with the Python story',
    { timeout: 600_000 },
    () => {
      const result = spawnSync(
        process.execPath,
        ['scripts/demo-python.mjs', '--quick', '--store', store],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', PERFGATE_PYTHON: python },
        },
      );
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain('perfgate exited with code 1');
      const comparison = JSON.parse(readFileSync(join(store, 'comparison.json'), 'utf8'));
      expect(comparison.verdict).toBe('fail');
      const [getUsers] = comparison.benchmarks;
      expect(getUsers.id).toBe('tests/test_bench_users.py::test_get_users');
      expect(getUsers.queries.base).toBe(1);
      expect(getUsers.queries.head).toBe(501);
      const report = readFileSync(join(store, 'report.md'), 'utf8');
      expect(report).toContain('from app/users.py:9');
      expect(report).toContain('| get\\_user\\_details | app/users.py:8 | — | 500 |');
      expect(report).toContain('Allocated / op');
    },
  );
});
