// The plugin's DB-API hooks against a real PostgreSQL: psycopg2 (cursor subclass from connect),
// psycopg 3 (Cursor.execute patched during the pass) and SQLAlchemy over psycopg2, counted once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPythonSidecars } from '../../src/ingest/python/attach.js';
import type { Benchmark } from '../../src/model/run.js';
import { ROOT } from '../cli/helpers.js';
import { postgresBin, startPostgres, type RunningServer } from '../queries/servers.js';
import { findPython, runOfPytestJson, runPytest } from './python.js';

const { python, reason } = findPython([
  'pytest',
  'pytest_benchmark',
  'psycopg2',
  'psycopg',
  'sqlalchemy',
]);
if (!python)
  console.warn(
    `skipping the psycopg tests: ${reason} (apt-get install python3-psycopg2 python3-psycopg)`,
  );
if (!postgresBin) console.warn('skipping the psycopg tests: postgresql is not installed');

const project = join(ROOT, '__tests__', 'fixtures', 'python', 'postgres');
const out = mkdtempSync(join(tmpdir(), 'perfgate-pytest-pg-'));
let server: RunningServer | undefined;
let benchmarks: Map<string, Benchmark>;

afterAll(async () => {
  await server?.stop();
  rmSync(out, { recursive: true, force: true });
});

describe.skipIf(!python || !postgresBin)('perfgate_pytest on PostgreSQL drivers', () => {
  beforeAll(async () => {
    server = await startPostgres();
    const pytest = runPytest(python!, project, out, {
      args: ['--benchmark-max-time=0.05', '--benchmark-min-rounds=3'],
      env: {
        PGPORT: String(server.port),
        PERFGATE_PASSES: 'queries',
      },
    });
    expect(pytest.status, pytest.output).toBe(0);
    const { run, warnings } = await attachPythonSidecars(runOfPytestJson(pytest.json), [
      pytest.json,
    ]);
    expect(warnings).toEqual([]);
    benchmarks = new Map(run.benchmarks.map((b) => [b.name, b]));
  }, 300_000);

  const expectShop = (name: string, driver: string, lookup: string) => {
    const queries = benchmarks.get(name)!.queries!;
    expect(queries.perIteration).toBe(11);
    const byFingerprint = new Map(queries.fingerprints.map((f) => [f.fingerprint, f]));
    expect(byFingerprint.get('SELECT id FROM product ORDER BY id')).toMatchObject({
      perIteration: 1,
      driver,
    });
    expect(queries.nPlusOne).toEqual([
      expect.objectContaining({
        fingerprint: lookup,
        perIteration: 10,
        callSite: expect.objectContaining({ file: 'shop.py' }),
      }),
    ]);
  };

  it('psycopg2: every execute through connections from psycopg2.connect', () => {
    expectShop('test_psycopg2', 'psycopg2', 'SELECT name FROM product WHERE id = $1');
    expect(benchmarks.get('test_psycopg2')!.queries!.nPlusOne[0]!.callSite).toEqual({
      file: 'shop.py',
      line: 20,
      function: 'names_psycopg2',
    });
  });

  it('psycopg 3: Cursor.execute', () => {
    expectShop('test_psycopg', 'psycopg', 'SELECT name FROM product WHERE id = $1');
  });

  it('SQLAlchemy over psycopg2: each statement once, from the SQLAlchemy hook', () => {
    expectShop('test_sqlalchemy', 'sqlalchemy/psycopg2', 'SELECT name FROM product WHERE id = $1');
  });
});
