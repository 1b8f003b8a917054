import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const fixture = (name: string) => join(root, '__tests__/fixtures/queries', name);

function perfgate(...args: string[]) {
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('perfgate queries (bundled CLI)', () => {
  it('prints the JSON contract for a Postgres log', () => {
    const { code, stdout } = perfgate('queries', fixture('pg-head.log'), '--format', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as {
      statements: Array<{ fingerprint: string; sample: string; count: number }>;
      nPlusOne: Array<{ fingerprint: string; sample: string; count: number }>;
    };
    expect(json.statements[0]).toMatchObject({
      fingerprint: 'SELECT bio FROM user_details WHERE user_id = $1',
      sample: 'SELECT bio FROM user_details WHERE user_id = $1',
      count: 40,
    });
    expect(json.nPlusOne).toEqual([
      {
        fingerprint: 'SELECT bio FROM user_details WHERE user_id = $1',
        sample: 'SELECT bio FROM user_details WHERE user_id = $1',
        count: 40,
      },
    ]);
  });

  it('accepts --input and several files, and prints text', () => {
    const { code, stdout } = perfgate(
      'queries',
      '--input',
      'jsonl',
      fixture('harness.jsonl'),
      fixture('harness-base.jsonl'),
    );
    expect(code).toBe(0);
    expect(stdout).toContain(
      'N+1: SELECT * FROM order_items WHERE order_id = $1 × 5, from app/orders.py:14',
    );
  });

  it('queries diff: exit 1 on a new N+1, 0 when equal', () => {
    const worse = perfgate('queries', 'diff', fixture('pg-base.json'), fixture('pg-head.json'));
    expect(worse.code).toBe(1);
    expect(worse.stdout).toContain('NEW N+1: SELECT bio FROM user_details WHERE user_id = $1 × 40');
    const same = perfgate(
      'queries',
      'diff',
      fixture('pg-head.log'),
      fixture('pg-head.csv'),
      '--format',
      'json',
    );
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ regressed: false, base: 50, head: 50 });
    const better = perfgate(
      'queries',
      'diff',
      fixture('harness.jsonl'),
      fixture('harness-base.jsonl'),
    );
    expect(better.code).toBe(0);
  });

  it('queries diff on strace traces flags new unbuffered I/O', () => {
    const { code, stdout } = perfgate(
      'queries',
      'diff',
      fixture('strace-buffered.txt'),
      fixture('strace-unbuffered.txt'),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/new unbuffered I\/O: 2000 write\(\) calls of < 512 bytes on fd \d+/);
  });

  it('bad input: exit 2 with a message naming the file', () => {
    const missing = perfgate('queries', 'nope.log');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('perfgate: nope.log: file not found\n');
    const wrong = perfgate('queries', '--input', 'pg-jsonlog', fixture('pg-head.log'));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/pg-head\.log: line 1: not JSON/);
    const mixed = perfgate(
      'queries',
      'diff',
      fixture('pg-head.log'),
      fixture('strace-buffered.txt'),
    );
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/strace-buffered\.txt: cannot compare pg-log with strace/);
    expect(perfgate('queries').code).toBe(2);
  });
});
