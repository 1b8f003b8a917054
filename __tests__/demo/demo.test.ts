import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';

// `npm run demo` with short measurement times: the story must end with a caught regression.
describe('npm run demo', () => {
  it(
    'benchmarks main, saves the baseline, catches the N+1 pull request',
    { timeout: 150_000 },
    () => {
      const result = spawnSync(process.execPath, ['scripts/demo.mjs', '--quick'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toContain('perfgate run --out ../.perfgate/runs/main.json');
      expect(result.stdout).toContain('perfgate baseline save ../.perfgate/runs/main.json');
      expect(result.stdout).toContain('perfgate exited with code 1');
      expect(result.stdout).toMatch(/regression: users\.bench\.ts > users-api > GET \/users/);

      const store = join(ROOT, 'examples/users-api/.perfgate');
      const comparison = JSON.parse(readFileSync(join(store, 'comparison.json'), 'utf8'));
      expect(comparison.verdict).toBe('fail');
      expect(comparison.baseRuns).toBe(1);
      const [getUsers] = comparison.benchmarks;
      expect(getUsers.id).toBe('users.bench.ts > users-api > GET /users');
      expect(getUsers.status).toBe('regression');
      // The N+1 is 1 + 500 queries per call, against one JOIN.
      if (getUsers.queries) {
        expect(getUsers.queries.base).toBe(1);
        expect(getUsers.queries.head).toBe(501);
      }
      const report = readFileSync(join(store, 'report.md'), 'utf8');
      expect(result.stdout).toContain(report.trim().split('\n')[0]);
    },
  );
});
