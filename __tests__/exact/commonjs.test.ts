// A CommonJS project through the real runner: its modules are instrumented once whoever loads
// them (a CommonJS bench file's require(), an ES module bench file's import, a .cts module's
// require), and the exact counts reach the Run, the comparison, the gate and the reports. A
// worker thread's calls are not counted, and the attachment and the report say so.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { CallsAttachment } from '../../src/model/calls.js';
import { runSchema, type Run } from '../../src/model/run.js';
import { instrumentModule } from '../../src/profile/exact/transform.js';
import { markdownReport } from '../../src/report/markdown.js';
import { textReport } from '../../src/report/text.js';
import { runBenchmarks, type RunResult } from '../../src/runner/index.js';
import { transformTypeScript } from '../../src/runner/ts-loader.js';
import { testConfig } from '../runner/helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/exact/commonjs/', import.meta.url));
const USERS = 'users.bench.js > users > GET /users';
const ORDERS = 'users.bench.js > users > GET /orders';
const ESM_USERS = 'esm.bench.mjs > users > GET /users';
const WORDS = 'words.bench.ts > words > count';
const WORKER = 'worker.bench.mjs > worker > checksum';

let outDir: string;
let baseResult: RunResult;
let base: Run;
let head: Run;

async function runProject(folder: string): Promise<RunResult> {
  return runBenchmarks({
    cwd: join(FIXTURES, folder),
    config: testConfig({ calls: { enabled: true, rounds: 3, duration: 60 } }),
    outDir: join(outDir, folder),
    onProgress: () => undefined,
    onOutput: () => undefined,
  });
}

/** The Run round-tripped through its schema (what a stored baseline goes through). */
const stored = (result: RunResult): Run => runSchema.parse(JSON.parse(JSON.stringify(result.run)));

function attachment(run: Run, id: string): CallsAttachment {
  const benchmark = run.benchmarks.find((b) => b.id === id);
  expect(benchmark, id).toBeDefined();
  expect(benchmark!.error, id).toBeUndefined();
  return benchmark!.calls as CallsAttachment;
}

/** `name file:line` → calls per op; a function listed twice would fail here. */
function callsOf(run: Run, id: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of attachment(run, id).functions) {
    const key = `${f.name} ${f.file}:${f.line}`;
    expect(out[key], `${key} listed twice`).toBeUndefined();
    out[key] = f.callsPerOp;
  }
  return out;
}

/** Functions the transform finds in these project modules: what `instrumented` is when each loaded once. */
function functionsIn(files: string[]): number {
  return files
    .map((file) => {
      const source = readFileSync(join(FIXTURES, 'main', file), 'utf8');
      const code = file.endsWith('.cts')
        ? transformTypeScript(source, join(FIXTURES, 'main', file), 'commonjs')
        : source;
      return instrumentModule(code, file, 'script')?.functions.length ?? 0;
    })
    .reduce((sum, n) => sum + n, 0);
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perfgate-exact-cjs-'));
  baseResult = await runProject('main');
  base = stored(baseResult);
  head = stored(await runProject('pull-request'));
}, 240_000);
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('exact calls of a CommonJS project', () => {
  it('installs the hooks with no warning', () => {
    expect(baseResult.warnings).toEqual([]);
  });

  it('counts the functions of CommonJS modules a CommonJS bench file requires, each once', () => {
    expect(callsOf(base, USERS)).toEqual({
      'getUsers src/users.js:13': 1,
      'getUserDetails src/users.js:7': 1,
      '(anonymous in getUserDetails) src/users.js:8': 50,
      '(anonymous in getUserDetails) src/users.js:9': 50,
      '(anonymous in getUsers) src/users.js:15': 50,
      '(anonymous in getUsers) src/users.js:16': 50,
      'query src/db.js:5': 2,
      '(anonymous in query) src/db.js:6': 2,
      '(anonymous in (anonymous in query)) src/db.js:6': 2,
      'module.exports src/format.cjs:16': 50,
      'Greeter.greet src/format.cjs:7': 50,
      'Greeter.join src/format.cjs:10': 50,
    });
    // Every module the bench file loaded registered its functions once.
    expect(attachment(base, USERS).instrumented).toBe(
      functionsIn(['src/users.js', 'src/db.js', 'src/format.cjs', 'src/compiled/orders.js']),
    );
  });

  it("counts TypeScript compiled to CommonJS, without the compiler's helpers", () => {
    expect(callsOf(base, ORDERS)).toEqual({
      'loadTotals src/compiled/orders.js:37': 1,
      '(anonymous in loadTotals) src/compiled/orders.js:38': 1,
      'OrderRepo.forUsers src/compiled/orders.js:27': 1,
      '(anonymous in OrderRepo.forUsers) src/compiled/orders.js:28': 1,
      '(anonymous in (anonymous in OrderRepo.forUsers)) src/compiled/orders.js:29': 10,
      '(anonymous in (anonymous in loadTotals)) src/compiled/orders.js:40': 6,
      'totalOf src/compiled/orders.js:34': 6,
      '(anonymous in totalOf) src/compiled/orders.js:35': 18,
      'query src/db.js:5': 1,
      '(anonymous in query) src/db.js:6': 1,
      '(anonymous in (anonymous in query)) src/db.js:6': 1,
    });
    // loadTotals returns __awaiter's promise: timed until it settles (two event-loop turns).
    const loadTotals = attachment(base, ORDERS).functions.find((f) => f.name === 'loadTotals')!;
    const totalOf = attachment(base, ORDERS).functions.find((f) => f.name === 'totalOf')!;
    expect(loadTotals.inclusiveMsPerOp).toBeGreaterThan(totalOf.inclusiveMsPerOp);
  });

  it('counts the same CommonJS modules imported by an ES module bench file, each once', () => {
    expect(callsOf(base, ESM_USERS)).toEqual(callsOf(base, USERS));
    expect(attachment(base, ESM_USERS).instrumented).toBe(
      functionsIn(['src/users.js', 'src/db.js', 'src/format.cjs']),
    );
  });

  it('counts a .cts module and the plain CommonJS module it requires, each once', () => {
    expect(callsOf(base, WORDS)).toEqual({
      'count src/words.cts:5': 1,
      'words src/split.js:3': 1,
      '(anonymous in words) src/split.js:3': 4,
    });
    expect(attachment(base, WORDS).instrumented).toBe(
      functionsIn(['src/words.cts', 'src/split.js']),
    );
  });

  it('says that the calls made in a worker thread are not counted', () => {
    // checksum runs once per op in the main thread (counted) and once in the worker (not).
    expect(callsOf(base, WORKER)).toEqual({ 'checksum src/checksum.js:3': 1 });
    expect(attachment(base, WORKER).instrumented).toBe(functionsIn(['src/checksum.js']));
    expect(attachment(base, WORKER).workerThreads).toBe(1);
    expect(attachment(base, USERS).workerThreads).toBeUndefined();
    const comparison = compare([base], base, defaultConfig());
    const worker = comparison.benchmarks.find((b) => b.id === WORKER)!;
    expect(worker.exactCalls).toMatchObject({ changes: [], workerThreads: 1 });
  });

  it("reports a CommonJS project's N+1 exactly, gates it and shows it in both reports", () => {
    expect(callsOf(head, USERS)).toMatchObject({
      'getUsers src/users.js:14': 1,
      'getUserDetails src/users.js:7': 50,
      '(anonymous in getUserDetails) src/users.js:8': 2500,
      'query src/db.js:5': 51,
    });
    const comparison = compare([base], head, { ...defaultConfig(), failOn: ['calls'] });
    const users = comparison.benchmarks.find((b) => b.id === USERS)!;
    expect(users.exactCalls!.changes[0]).toMatchObject({
      name: 'getUserDetails',
      file: 'src/users.js',
      base: 1,
      head: 50,
    });
    expect(users.exactCalls!.reasons).toContain(
      'getUserDetails (src/users.js:7): 1 → 50 calls per op',
    );
    expect(users.failed).toEqual(['calls']);
    expect(comparison.verdict).toBe('fail');
    const markdown = markdownReport(comparison);
    expect(markdown).toContain('#### Top function changes: GET /users');
    expect(markdown).toMatch(/\| getUserDetails \| src\/users\.js:7 \| 1 → 50 \|/);
    expect(textReport(comparison)).toMatch(
      /getUserDetails \(src\/users\.js:7\): 1 → 50 calls per op/,
    );
  });
});
