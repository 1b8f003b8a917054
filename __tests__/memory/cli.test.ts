import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const fixtures = '__tests__/fixtures/memory';
/** Where the real dumps were recorded (their absolute paths are relative to it): see ingest.test.ts. */
const recordedRoot = '/work/main';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['dist/cli.js', ...args],
      {
        cwd: root,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('perfgate memory (bundled CLI)', () => {
  it('analyses mprof, tracemalloc and .heapprofile files', async () => {
    const { code, stdout } = await cli([
      'memory',
      `${fixtures}/python/leaky.dat`,
      `${fixtures}/python/tracemalloc-leak.json`,
      `${fixtures}/heapprofile/leak.heapprofile`,
      '--ops',
      '20000',
      '--root',
      recordedRoot,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/leaky\.dat \(mprof: mprof \(per call of __main__\.handle_request\)\)/);
    expect(stdout).toMatch(/LEAK: 6\d\.\d KiB retained per op/);
    expect(stdout).toContain(
      'tracemalloc_snippet.py:15 (__tests__/fixtures/memory/python/tracemalloc_snippet.py:15)',
    );
    expect(stdout).toContain('makeRecord (__tests__/fixtures/memory/heapprofile/leak.js:4)');
  });

  it('prints JSON and fails on a leak when asked', async () => {
    const { code, stdout } = await cli([
      'memory',
      `${fixtures}/python/leaky.dat`,
      '--format',
      'json',
      '--fail-on-leak',
    ]);
    expect(code).toBe(1);
    const [result] = JSON.parse(stdout) as Array<{ format: string; memory: { leak: unknown } }>;
    expect(result!.format).toBe('mprof');
    expect(result!.memory.leak).not.toBeNull();
    expect((await cli(['memory', `${fixtures}/python/steady.dat`, '--fail-on-leak'])).code).toBe(0);
  });

  it('diff: exit 1 on a new leak, 0 when nothing changed', async () => {
    const leak = await cli([
      'memory',
      'diff',
      `${fixtures}/python/tracemalloc-steady.json`,
      `${fixtures}/python/tracemalloc-leak.json`,
    ]);
    expect(leak.code).toBe(1);
    expect(leak.stdout).toContain('new memory leak');
    const same = await cli([
      'memory',
      'diff',
      `${fixtures}/python/steady.dat`,
      `${fixtures}/python/steady.dat`,
    ]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('memory: no regression');
  });

  it('exit 2 with the file named on bad input', async () => {
    const missing = await cli(['memory', `${fixtures}/nope.dat`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.dat: file not found');
    const wrong = await cli(['memory', `${fixtures}/tasks.mjs`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('tasks.mjs: unrecognised memory data');
    const mixed = await cli([
      'memory',
      'diff',
      `${fixtures}/python/steady.dat`,
      `${fixtures}/python/tracemalloc-leak.json`,
    ]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('cannot compare mprof (base) with tracemalloc-json');
  });
});
