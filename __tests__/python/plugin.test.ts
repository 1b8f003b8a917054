// The plugin's three passes on a project with known numbers (__tests__/fixtures/python/known):
// sqlite3 statements and HTTP requests counted exactly with their call sites, cProfile call
// counts, tracemalloc bytes per op against known allocations, and a known leak.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPythonSidecars } from '../../src/ingest/python/attach.js';
import { parseSidecar } from '../../src/ingest/python/sidecar.js';
import type { Benchmark } from '../../src/model/run.js';
import { runSchema } from '../../src/model/run.js';
import { ROOT } from '../cli/helpers.js';
import { findPython, runOfPytestJson, runPytest, type PytestRun } from './python.js';

const { python, reason } = findPython(['pytest', 'pytest_benchmark']);
if (!python) console.warn(`skipping the pytest plugin tests: ${reason}`);

const project = join(ROOT, '__tests__', 'fixtures', 'python', 'known');
const out = mkdtempSync(join(tmpdir(), 'perfgate-pytest-known-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

let pytest: PytestRun;
let benchmarks: Map<string, Benchmark>;

describe.skipIf(!python)('perfgate_pytest on known code', () => {
  beforeAll(async () => {
    pytest = runPytest(python!, project, out, {
      args: ['--benchmark-max-time=0.05', '--benchmark-min-rounds=3'],
      env: { PERFGATE_PROFILE_TIME: '0.05', PERFGATE_MEMORY_ROUND_TIME: '0.02' },
    });
    expect(pytest.status, pytest.output).toBe(0);
    const { run, attached, warnings } = await attachPythonSidecars(
      runOfPytestJson(pytest.json),
      [pytest.json],
      { runDir: out },
    );
    expect(warnings).toEqual([]);
    expect(attached).toBe(5);
    // The Run with its attachments is a valid Run (what `perfgate baseline save` reads back).
    runSchema.parse(run);
    benchmarks = new Map(run.benchmarks.map((b) => [b.name, b]));
  }, 600_000);

  it('is enabled by PYTHONPATH and PYTEST_PLUGINS alone, and says where it wrote', () => {
    expect(pytest.output).toContain(
      `perfgate: profiles, queries and memory of 5 benchmarks → ${pytest.sidecar}`,
    );
    const sidecar = parseSidecar(readFileSync(pytest.sidecar, 'utf8'), pytest.sidecar);
    expect(sidecar.benchmarks.map((b) => b.fullname)).toEqual([
      'tests/test_known.py::test_sqlite_names',
      'tests/test_known.py::test_http_items',
      'tests/test_known.py::test_one_megabyte',
      'tests/test_known.py::test_hundred_blocks',
      'tests/test_known.py::test_leak',
    ]);
  });

  it('counts sqlite3 statements exactly, fingerprinted, with the project call site', () => {
    const queries = benchmarks.get('test_sqlite_names')!.queries!;
    expect(queries.iterations).toBe(3);
    expect(queries.perIteration).toBe(21);
    expect(queries.httpPerIteration).toBe(0);
    const byFingerprint = new Map(queries.fingerprints.map((f) => [f.fingerprint, f]));
    expect(byFingerprint.get('SELECT id FROM item ORDER BY id')).toMatchObject({
      perIteration: 1,
      driver: 'sqlite3',
      callSite: { file: 'store.py', line: 14, function: 'load_names' },
    });
    // sqlite3's trace callback gives the statement with its values bound: perfgate folds them.
    expect(byFingerprint.get('SELECT name FROM item WHERE id = ?')).toMatchObject({
      perIteration: 20,
      callSite: { file: 'store.py', line: 19, function: 'load_name' },
    });
    expect(queries.nPlusOne).toEqual([
      expect.objectContaining({
        fingerprint: 'SELECT name FROM item WHERE id = ?',
        perIteration: 20,
        callSite: { file: 'store.py', line: 19, function: 'load_name' },
      }),
    ]);
  });

  it('counts HTTP requests through urllib with their route and call site', () => {
    const queries = benchmarks.get('test_http_items')!.queries!;
    expect(queries.perIteration).toBe(0);
    expect(queries.httpPerIteration).toBe(3);
    expect(queries.fingerprints).toEqual([
      expect.objectContaining({
        kind: 'http',
        fingerprint: 'GET /items/:id',
        perIteration: 3,
        driver: 'urllib',
        callSite: { file: 'store.py', line: 25, function: 'fetch_items' },
      }),
    ]);
  });

  it('profiles with cProfile: exact calls per op, project-relative paths', () => {
    const profile = benchmarks.get('test_sqlite_names')!.profile!;
    expect(profile.source).toBe('pstats');
    const byName = new Map(profile.functions.map((f) => [f.name, f]));
    expect(byName.get('load_names')).toMatchObject({ file: 'store.py', line: 13, calls: 1 });
    expect(byName.get('load_name')).toMatchObject({ file: 'store.py', line: 18, calls: 20 });
    expect(byName.get("{method 'execute' of 'sqlite3.Connection' objects}")?.calls).toBe(21);
    expect(profile.rawFile).toMatch(
      /^bench\.json\.perfgate-profiles\/0001-test_sqlite_names\.prof$/,
    );
    const json = JSON.parse(readFileSync(pytest.json, 'utf8')) as {
      benchmarks: Array<{ name: string; stats: { median: number } }>;
    };
    const median = json.benchmarks.find((b) => b.name === 'test_sqlite_names')!.stats.median;
    expect(profile.opNs).toBeCloseTo(median * 1e9, 3);
    // No frame names the plugin or an absolute path of this machine.
    for (const f of profile.functions) {
      expect(f.file).not.toContain('perfgate_pytest');
      expect(f.file.startsWith('/')).toBe(false);
    }
  });

  it('measures bytes per op with tracemalloc within 1 % of a known allocation', () => {
    const one = benchmarks.get('test_one_megabyte')!.memory!;
    expect(one.method).toBe('tracemalloc');
    // bytearray(1_000_000): 1,000,000 bytes of payload plus its object header.
    expect(one.allocBytesPerOp).toBeGreaterThanOrEqual(1_000_000);
    expect(one.allocBytesPerOp).toBeLessThan(1_010_000);
    expect(one.topAllocations[0]).toMatchObject({ file: 'allocate.py', line: 6 });
    expect(one.leak).toBeNull();
    // 100 live blocks of 10,000 bytes (setup of benchmark.pedantic is not measured).
    const hundred = benchmarks.get('test_hundred_blocks')!.memory!;
    expect(hundred.allocBytesPerOp).toBeGreaterThanOrEqual(1_000_000);
    expect(hundred.allocBytesPerOp).toBeLessThan(1_010_000);
    expect(hundred.topAllocations[0]).toMatchObject({ file: 'allocate.py', line: 12 });
    expect(hundred.leak).toBeNull();
  });

  it('finds a known leak with perfgate’s leak rule, at its line', () => {
    const memory = benchmarks.get('test_leak')!.memory!;
    expect(memory.leak).not.toBeNull();
    // 1,000 bytes of payload per call plus the bytearray header and the list slot.
    expect(memory.retainedBytesPerOp).toBeGreaterThan(1_000);
    expect(memory.retainedBytesPerOp).toBeLessThan(1_100);
    expect(memory.leak!.sites[0]).toMatchObject({ file: 'allocate.py', line: 18 });
    expect(memory.leak!.sites[0]!.bytesPerOp).toBeGreaterThan(1_000);
    // (the list's over-allocation lands in few, big steps over the short evidence phase)
    expect(memory.leak!.sites[0]!.bytesPerOp).toBeLessThan(1_200);
  });
});
