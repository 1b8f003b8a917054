// The plugin's HTTP hooks with real clients against a loopback server: urllib3, requests (over
// urllib3: one hook, http.client's putrequest) and httpx (its own transport: Client.send).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachPythonSidecars } from '../../src/ingest/python/attach.js';
import type { Benchmark } from '../../src/model/run.js';
import { ROOT } from '../cli/helpers.js';
import { findPython, runOfPytestJson, runPytest } from './python.js';

const { python, reason } = findPython([
  'pytest',
  'pytest_benchmark',
  'urllib3',
  'requests',
  'httpx',
]);
if (!python)
  console.warn(
    `skipping the HTTP client tests: ${reason} (apt-get install python3-requests python3-httpx)`,
  );

const project = join(ROOT, '__tests__', 'fixtures', 'python', 'http');
const out = mkdtempSync(join(tmpdir(), 'perfgate-pytest-http-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
let benchmarks: Map<string, Benchmark>;

describe.skipIf(!python)('perfgate_pytest on HTTP clients', () => {
  beforeAll(async () => {
    const pytest = runPytest(python!, project, out, {
      args: ['--benchmark-max-time=0.05', '--benchmark-min-rounds=3'],
      env: { PERFGATE_PASSES: 'queries' },
    });
    expect(pytest.status, pytest.output).toBe(0);
    const { run, warnings } = await attachPythonSidecars(runOfPytestJson(pytest.json), [
      pytest.json,
    ]);
    expect(warnings).toEqual([]);
    benchmarks = new Map(run.benchmarks.map((b) => [b.name, b]));
  }, 300_000);

  it.each([
    ['test_urllib3', 'urllib3', 2, 2],
    ['test_requests', 'requests', 4, 6],
    ['test_httpx', 'httpx', 3, 10],
  ])('%s: each request once, by route, from the line that made it', (name, driver, count, line) => {
    const queries = benchmarks.get(name)!.queries!;
    expect(queries.perIteration).toBe(0);
    expect(queries.httpPerIteration).toBe(count);
    expect(queries.fingerprints).toEqual([
      expect.objectContaining({
        kind: 'http',
        fingerprint: 'GET /orders/:id',
        perIteration: count,
        driver,
        callSite: expect.objectContaining({ file: 'client.py', line }),
      }),
    ]);
  });
});
