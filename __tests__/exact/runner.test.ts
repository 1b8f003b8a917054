// A real bench file through the runner: the project's modules (TypeScript and JavaScript) are
// instrumented by the module hooks in the bench child, and the exact counts reach the Run, the
// comparison, the gate and both reports.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/compare/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { CallsAttachment } from '../../src/model/calls.js';
import { runSchema, type Run } from '../../src/model/run.js';
import { markdownReport } from '../../src/report/markdown.js';
import { textReport } from '../../src/report/text.js';
import { runBenchmarks } from '../../src/runner/index.js';
import { testConfig } from '../runner/helpers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/exact/', import.meta.url));
const ID = 'users.bench.ts > users > GET /users';

let outDir: string;
let base: Run;
let head: Run;

async function runProject(folder: string): Promise<Run> {
  const result = await runBenchmarks({
    cwd: join(FIXTURES, folder),
    config: testConfig({ calls: { enabled: true, rounds: 3, duration: 60 } }),
    outDir: join(outDir, folder),
    onProgress: () => undefined,
    onOutput: () => undefined,
  });
  // The Run round-trips through its schema (what a stored baseline goes through).
  return runSchema.parse(JSON.parse(JSON.stringify(result.run)));
}

function callsOf(run: Run): Record<string, number> {
  const calls = run.benchmarks.find((b) => b.id === ID)!.calls as CallsAttachment;
  return Object.fromEntries(
    calls.functions.map((f) => [`${f.name} ${f.file}:${f.line}`, f.callsPerOp]),
  );
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perfgate-exact-run-'));
  base = await runProject('main');
  head = await runProject('pull-request');
}, 180_000);
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('the exact-calls pass through the runner', () => {
  it('counts the calls per op of the project functions exactly, and none of the bench file', () => {
    expect(base.benchmarks.find((b) => b.id === ID)!.error).toBeUndefined();
    expect(callsOf(base)).toEqual({
      'getUsers src/users.ts:10': 1,
      'getUserDetails src/users.ts:5': 1,
      '(anonymous in getUserDetails) src/users.ts:6': 50,
      '(anonymous in getUserDetails) src/users.ts:7': 50,
      '(anonymous in getUsers) src/users.ts:14': 50,
      'Formatter.constructor src/format.mjs:3': 1,
      'get Formatter.label src/format.mjs:6': 50,
      'Formatter.format src/format.mjs:9': 50,
      'ids src/format.mjs:14': 1,
      'query src/db.ts:9': 2,
      '(anonymous in query) src/db.ts:10': 2,
      '(anonymous in (anonymous in query)) src/db.ts:10': 2,
    });
    expect(callsOf(head)['getUserDetails src/users.ts:5']).toBe(50);
    expect(callsOf(head)['query src/db.ts:9']).toBe(51);
  });

  it('records who called whom in an untimed callers round, across awaits', () => {
    const calls = head.benchmarks.find((b) => b.id === ID)!.calls as CallsAttachment;
    expect(calls.callerOps).toBeGreaterThan(0);
    const callersOf = (name: string) => {
      const f = calls.functions.find((x) => x.name === name)!;
      return Object.fromEntries(
        Object.entries(f.callers ?? {}).map(([id, perOp]) => [
          id === '-1' ? '(task)' : calls.functions[Number(id)]!.name,
          perOp,
        ]),
      );
    };
    expect(callersOf('getUsers')).toEqual({ '(task)': 1 });
    // Called after getUsers' awaits (the first one before any of them): still getUsers'.
    expect(callersOf('getUserDetails')).toEqual({ getUsers: 50 });
    expect(callersOf('Formatter.format')).toEqual({ getUsers: 50 });
    expect(callersOf('get Formatter.label')).toEqual({ 'Formatter.format': 50 });
    expect(callersOf('ids')).toEqual({ getUsers: 1 });
    expect(callersOf('query')).toEqual({ getUsers: 1, getUserDetails: 50 });
  });

  it('times async functions until their promise settles', () => {
    const calls = base.benchmarks.find((b) => b.id === ID)!.calls as CallsAttachment;
    const getUsers = calls.functions.find((f) => f.name === 'getUsers')!;
    const format = calls.functions.find((f) => f.name === 'Formatter.format')!;
    expect(getUsers.roundsMs).toHaveLength(3);
    // getUsers awaits two queries (two turns of the event loop): it must include that time,
    // so it is longer than the synchronous work of one of its callees. Structure, not speed.
    expect(getUsers.inclusiveMsPerOp).toBeGreaterThan(format.inclusiveMsPerOp);
    expect(calls.instrumented).toBeGreaterThanOrEqual(12);
  });

  it('reports the change exactly, gates it as the calls check, and shows it in both reports', () => {
    const comparison = compare([base], head, { ...defaultConfig(), failOn: ['calls'] });
    const b = comparison.benchmarks.find((x) => x.id === ID)!;
    const first = b.exactCalls!.changes[0]!;
    expect(first).toMatchObject({
      name: 'getUserDetails',
      file: 'src/users.ts',
      base: 1,
      head: 50,
    });
    expect(b.exactCalls!.reasons).toContain('getUserDetails (src/users.ts:5): 1 → 50 calls per op');
    expect(b.regressed).toContain('calls');
    expect(b.failed).toEqual(['calls']);
    expect(comparison.verdict).toBe('fail');
    const markdown = markdownReport(comparison);
    expect(markdown).toContain('#### Top function changes: GET /users');
    expect(markdown).toMatch(/\| getUserDetails \| src\/users\.ts:5 \| 1 → 50 \|/);
    const text = textReport(comparison);
    expect(text).toMatch(/getUserDetails \(src\/users\.ts:5\): 1 → 50 calls per op/);
  });

  it('finds no change between two runs of the same code', () => {
    const comparison = compare([base], base, defaultConfig());
    const b = comparison.benchmarks.find((x) => x.id === ID)!;
    expect(b.exactCalls!.changes).toEqual([]);
    expect(b.regressed).not.toContain('calls');
  });
});
