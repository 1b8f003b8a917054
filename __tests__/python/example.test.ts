// examples/python-users-api end to end through the plugin: main (joinedload, 1 query) against
// the pull request (1 + 500 queries from get_user_details), Flask + Flask-SQLAlchemy on SQLite.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { attachPythonSidecars } from '../../src/ingest/python/attach.js';
import type { Comparison } from '../../src/model/comparison.js';
import type { Benchmark, Run } from '../../src/model/run.js';
import { renderMarkdown } from '../../src/report/index.js';
import { runSchema } from '../../src/model/run.js';
import { ROOT } from '../cli/helpers.js';
import { findPython, runOfPytestJson, runPytest } from './python.js';

const { python, reason } = findPython(['pytest', 'pytest_benchmark', 'flask', 'flask_sqlalchemy']);
if (!python) console.warn(`skipping the python-users-api tests: ${reason}`);

const example = join(ROOT, 'examples', 'python-users-api');
const out = mkdtempSync(join(tmpdir(), 'perfgate-python-example-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const ID = 'tests/test_bench_users.py::test_get_users';
const N_PLUS_ONE =
  'SELECT user_detail.id, user_detail.user_id, user_detail.bio, user_detail.city FROM user_detail WHERE user_detail.user_id = ?';

async function measure(side: 'main' | 'pull-request'): Promise<Run> {
  const dir = join(out, side);
  mkdirSync(dir);
  const pytest = runPytest(python!, join(example, side), dir, {
    args: ['--benchmark-max-time=0.2', '--benchmark-min-rounds=3'],
    env: { PERFGATE_PROFILE_TIME: '0.01', PERFGATE_MEMORY_ROUNDS: '3' },
  });
  expect(pytest.status, pytest.output).toBe(0);
  const { run, warnings } = await attachPythonSidecars(runOfPytestJson(pytest.json), [pytest.json]);
  expect(warnings).toEqual([]);
  expect(run.benchmarks.map((b) => b.id)).toEqual([ID]);
  // The Run with its attachments is a valid Run (what `perfgate baseline save` reads back).
  return runSchema.parse(run);
}

let base: Benchmark;
let head: Benchmark;
let comparison: Comparison;

describe.skipIf(!python)('examples/python-users-api through perfgate_pytest', () => {
  beforeAll(async () => {
    const baseRun = await measure('main');
    const headRun = await measure('pull-request');
    base = baseRun.benchmarks[0]!;
    head = headRun.benchmarks[0]!;
    comparison = compare([baseRun], headRun, defaultConfig());
  }, 900_000);

  it('captures SQLAlchemy statements exactly: 1 query on main, 1 + 500 on the pull request', () => {
    expect(base.queries).toMatchObject({ perIteration: 1, nPlusOne: [] });
    expect(base.queries!.fingerprints[0]).toMatchObject({
      driver: 'sqlalchemy/pysqlite',
      callSite: { file: 'app/users.py', line: 21, function: 'get_users' },
    });
    expect(base.queries!.fingerprints[0]!.fingerprint).toContain('LEFT OUTER JOIN user_detail');
    expect(head.queries!.perIteration).toBe(501);
    expect(head.queries!.nPlusOne).toEqual([
      expect.objectContaining({
        fingerprint: N_PLUS_ONE,
        perIteration: 500,
        callSite: { file: 'app/users.py', line: 9, function: 'get_user_details' },
      }),
    ]);
    expect(head.queries!.timeMsPerIteration).toBeGreaterThan(0);
  });

  it('counts calls with cProfile: get_user_details 500 times per request', () => {
    const calls = (b: Benchmark, name: string) =>
      b.profile!.functions.find((f) => f.name === name && f.file === 'app/users.py')?.calls;
    expect(calls(head, 'get_user_details')).toBe(500);
    expect(calls(head, 'get_users')).toBe(1);
    expect(calls(base, 'user_json')).toBe(500);
    expect(calls(base, 'get_user_details')).toBeUndefined();
    // Dependencies are named by package, wherever Python keeps them.
    expect(
      head.profile!.functions.some((f) => f.file.startsWith('site-packages/sqlalchemy/')),
    ).toBe(true);
  });

  it('measures memory per request with tracemalloc, charged to the project’s lines', () => {
    for (const b of [base, head]) {
      expect(b.memory!.method).toBe('tracemalloc');
      expect(b.memory!.allocBytesPerOp).toBeGreaterThan(100_000);
      expect(b.memory!.topAllocations[0]!.file).toBe('app/users.py');
    }
  });

  it('fails the pull request with the New N+1 at the Python line', () => {
    expect(comparison.verdict).toBe('fail');
    const report = renderMarkdown(comparison);
    expect(report).toContain('501');
    expect(report).toContain('app/users.py:9');
    expect(report).toContain('user_detail');
    // cProfile's counts: the helper the pull request added, 500 calls per request.
    expect(comparison.benchmarks[0]!.callChanges).toContainEqual({
      name: 'get_user_details',
      file: 'app/users.py',
      line: 8,
      base: null,
      head: 500,
    });
    expect(report).toContain('| get\\_user\\_details | app/users.py:8 | — | 500 |');
  });
});
