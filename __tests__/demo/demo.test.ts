import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';

// `npm run demo` with short measurement times, in a store of its own (parallel runs of the suite
// must not share examples/users-api/.perfgate): the story must end with a failing check.
const store = mkdtempSync(join(tmpdir(), 'perfgate-demo-'));
afterAll(() => rmSync(store, { recursive: true, force: true }));

describe('npm run demo', () => {
  it(
    'benchmarks main, saves the baseline, fails the N+1 pull request',
    // ~105 s alone on a quiet machine; the suite runs beside it (a wide margin, not a target).
    { timeout: 300_000 },
    () => {
      const result = spawnSync(
        process.execPath,
        ['scripts/demo.mjs', '--quick', '--store', store],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`perfgate run --out ${join(store, 'runs/main.json')}`);
      expect(result.stdout).toContain('perfgate baseline save');
      expect(result.stdout).toContain('perfgate exited with code 1');

      const comparison = JSON.parse(readFileSync(join(store, 'comparison.json'), 'utf8'));
      expect(comparison.verdict).toBe('fail');
      expect(comparison.baseRuns).toBe(1);
      const [getUsers] = comparison.benchmarks;
      expect(getUsers.id).toBe('users.bench.ts > users-api > GET /users');
      // 501 queries against one JOIN: several times slower (a wide margin for a busy machine).
      expect(getUsers.time.change).toBeGreaterThan(0.5);
      if (getUsers.queries) {
        expect(getUsers.queries.base).toBe(1);
        expect(getUsers.queries.head).toBe(501);
      }
      // The project's own functions, counted exactly: main has no getUserDetails, the pull
      // request calls it once per user.
      const calls = getUsers.exactCalls.changes;
      expect(calls[0]).toMatchObject({ name: 'getUserDetails', file: 'src/users.ts', head: 500 });
      expect(calls[0].base).toBeNull();
      expect(calls.find((c: { name: string }) => c.name === 'getUsers')).toMatchObject({
        base: 1,
        head: 1,
      });
      const report = readFileSync(join(store, 'report.md'), 'utf8');
      expect(result.stdout).toContain(report.trim().split('\n')[0]);
      expect(report).toMatch(/\| getUserDetails \| src\/users\.ts:24 \| — → 500 \|/);
    },
  );
});
