// Matching sidecar entries to benchmarks, and bad sidecars: pure parts of src/ingest/python.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  attachPythonSidecars,
  attachSidecar,
  withPytestSidecars,
} from '../../src/ingest/python/attach.js';
import { pluginDir, withPytestPlugin } from '../../src/ingest/python/plugin-env.js';
import { ROOT } from '../cli/helpers.js';
import { parseSidecar, type Sidecar } from '../../src/ingest/python/sidecar.js';
import { InputError } from '../../src/model/errors.js';
import { makeBenchmark } from '../helpers/runs.js';
import type { Run } from '../../src/model/run.js';

const dir = mkdtempSync(join(tmpdir(), 'perfgate-sidecar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run: Run = {
  schemaVersion: 1,
  tool: 'perfgate',
  meta: {
    timestamp: '2026-12-02T00:00:00.000Z',
    env: { os: 'linux', cpu: 'test', cores: 2, node: 'v20', runner: 'local' },
  },
  benchmarks: [
    { ...makeBenchmark({ name: 'test_a', ns: 1000 }), id: 'tests/test_x.py::test_a' },
    { ...makeBenchmark({ name: 'test_b', ns: 1000 }), id: 'tests/test_x.py::test_b' },
  ],
};

function sidecar(benchmarks: Sidecar['benchmarks']): Sidecar {
  return { format: 'perfgate-pytest', version: 1, root: '/p', python: '3.11.2', benchmarks };
}

const queries = {
  iterations: 2,
  statements: [
    {
      kind: 'sql' as const,
      driver: 'sqlite3',
      dialect: 'sqlite' as const,
      statement: 'SELECT name FROM item WHERE id = 7',
      counts: [6, 6],
      timeMs: 1.2,
      callSite: { file: 'store.py', line: 19, function: 'load_name' },
    },
  ],
};

describe('attachSidecar', () => {
  it('attaches each entry to the benchmark whose id is its fullname, and warns about the rest', () => {
    const result = attachSidecar(
      run,
      sidecar([
        { name: 'test_a', fullname: 'tests/test_x.py::test_a', opNs: 1000, queries },
        {
          name: 'test_gone',
          fullname: 'tests/test_x.py::test_gone',
          opNs: 1000,
          queries,
          errors: { memory: 'MemoryError' },
        },
        {
          name: 'test_b',
          fullname: 'tests/test_x.py::test_b',
          opNs: 1000,
          profile: { file: 'missing.prof', ops: 1, durationMs: 1 },
          errors: { memory: 'MemoryError' },
        },
      ]),
      'bench.json.perfgate',
      new Map(),
    );
    expect(result.attached).toBe(1);
    const [a, b] = result.run.benchmarks;
    expect(a!.queries).toMatchObject({
      iterations: 2,
      perIteration: 6,
      timeMsPerIteration: 0.6,
      nPlusOne: [{ fingerprint: 'SELECT name FROM item WHERE id = ?', perIteration: 6 }],
    });
    expect(b!.queries).toBeUndefined();
    expect(result.warnings).toEqual([
      'bench.json.perfgate: tests/test_x.py::test_b: the memory pass failed in Python: MemoryError',
      'bench.json.perfgate: tests/test_x.py::test_b: profile missing.prof is missing',
      'bench.json.perfgate: tests/test_x.py::test_gone: no benchmark with this id in the results',
    ]);
    // The input Run is not changed.
    expect(run.benchmarks[0]!.queries).toBeUndefined();
  });

  it('refuses a malformed sidecar, naming the file and the field', () => {
    expect(() => parseSidecar('{', 'x.perfgate')).toThrow(InputError);
    expect(() => parseSidecar('{"format": "perfgate-pytest", "version": 1}', 'x.perfgate')).toThrow(
      /x\.perfgate: not a valid perfgate pytest sidecar: root: /,
    );
  });

  it('reads sidecars next to results files and skips results without one', async () => {
    const results = join(dir, 'bench.json');
    writeFileSync(
      `${results}.perfgate`,
      JSON.stringify(
        sidecar([{ name: 'test_a', fullname: 'tests/test_x.py::test_a', opNs: 1000, queries }]),
      ),
    );
    const attached = await attachPythonSidecars(run, ['bench.json', 'other.json'], { cwd: dir });
    expect(attached.attached).toBe(1);
    expect(attached.run.benchmarks[0]!.queries!.perIteration).toBe(6);
    // The ingest step: only pytest-benchmark files are looked at, warnings are kept.
    const ingested = await withPytestSidecars(
      { run, warnings: ['from ingest'] },
      [
        { file: 'bench.json', format: 'pytest' },
        { file: 'bench.json', format: 'go' },
      ],
      { cwd: dir },
    );
    expect(ingested.warnings).toEqual(['from ingest']);
    expect(ingested.run.benchmarks[0]!.queries!.perIteration).toBe(6);
    const untouched = { run, warnings: [] };
    expect(await withPytestSidecars(untouched, [{ file: 'bench.json', format: 'go' }])).toBe(
      untouched,
    );
  });
});

describe('withPytestPlugin', () => {
  it('puts the plugin first on PYTHONPATH and in PYTEST_PLUGINS, keeping the user’s', () => {
    const env = withPytestPlugin({ PYTHONPATH: '/mine', PYTEST_PLUGINS: 'xdist' }, '/pg/python');
    expect(env.PYTHONPATH).toBe('/pg/python:/mine');
    expect(env.PYTEST_PLUGINS).toBe('xdist,perfgate_pytest');
    expect(withPytestPlugin({}, '/pg/python')).toMatchObject({
      PYTHONPATH: '/pg/python',
      PYTEST_PLUGINS: 'perfgate_pytest',
    });
    expect(withPytestPlugin({ PERFGATE_PYTEST: '0' }, '/pg/python').PYTEST_PLUGINS).toBeUndefined();
    // Found from the module (src/ here; dist/ in the package, which ships python/ next to it).
    expect(pluginDir()).toBe(join(ROOT, 'python'));
    expect(pluginDir(join(ROOT, 'dist', 'cli.js'))).toBe(join(ROOT, 'python'));
  });
});
