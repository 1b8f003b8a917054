// Containment of bench code: process groups, the timeout over the whole group and its stdio,
// interrupts, unsettled promises, output without newlines, and an environment without secrets.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmarks, type RunResult } from '../../src/runner/index.js';
import { scrubEnv, SECRET_ENV } from '../../src/runner/contain.js';
import { FIXTURES, testConfig } from './helpers.js';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;
let outDir: string;
let pidDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perfgate-contain-'));
  pidDir = await mkdtemp(join(tmpdir(), 'perfgate-contain-pids-'));
  process.env.PERFGATE_TEST_PIDS = pidDir;
});
afterAll(async () => {
  // Whatever a failing test left behind must not outlive it.
  for (const pid of await allPids()) if (alive(pid)) process.kill(pid, 'SIGKILL');
  delete process.env.PERFGATE_TEST_PIDS;
  await rm(outDir, { recursive: true, force: true });
  await rm(pidDir, { recursive: true, force: true });
});

async function allPids(): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const name of await readdir(pidDir)) pids.push(...(await pidsOf(name)));
  return pids;
}

async function pidsOf(name: string): Promise<number[]> {
  const file = join(pidDir, name);
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean).map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A killed process may need a moment to be reaped by init: poll, with a wide margin. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

async function run(
  files: string[],
  overrides: Parameters<typeof testConfig>[0] = {},
): Promise<{ result: RunResult; output: string[] }> {
  const output: string[] = [];
  const result = await runBenchmarks({
    cwd: FIXTURES,
    config: testConfig(overrides),
    files,
    outDir,
    onOutput: (_file, line) => output.push(line),
  });
  return { result, output };
}

describe('bench children are contained', () => {
  it('does not wait for a grandchild that shares stdout, and kills it at the end', async () => {
    // Before: perfgate waited the 91 s the grandchild lived (the test timed out).
    const { result } = await run(['contain/stdout-holder.bench.js']);
    expect(result.failures).toEqual([]);
    const [pid] = await pidsOf('stdout-holder');
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  }, 30_000);

  it('kills a grandchild that left the process group but holds stdout (Linux: found in /proc)', async () => {
    const { result } = await run(['contain/detached-holder.bench.js']);
    expect(result.failures).toEqual([]);
    const [pid] = await pidsOf('detached-holder');
    if (process.platform === 'linux') expect(await gone(pid)).toBe(true);
  }, 30_000);

  it('kills the whole group on timeout: no orphaned grandchild', async () => {
    const { result } = await run(['contain/timeout-grandchild.bench.js'], {
      run: { time: 50, warmup: 10, timeout: 1500 },
    });
    expect(result.failures[0].error).toMatch(/timed out after 1500 ms/);
    const [pid] = await pidsOf('timeout-grandchild');
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  }, 30_000);

  it('reports a promise that never settles as such', async () => {
    const { result } = await run(['contain/unsettled.bench.js']);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0].error).toMatch(
      /awaited a promise that never settles while running "contain\/unsettled\.bench\.js > never settles"/,
    );
    expect(result.failures[0].error).not.toMatch(/process\.exit/);
  });

  it('cuts output without newlines into bounded lines instead of one 32 MiB line', async () => {
    const { result, output } = await run(['contain/long-line.bench.js']);
    expect(result.failures).toEqual([]);
    const xs = output.filter((line) => /^x+$/.test(line));
    expect(xs.reduce((n, line) => n + line.length, 0)).toBe(32 << 20);
    expect(Math.max(...xs.map((line) => line.length))).toBeLessThanOrEqual(64 * 1024);
  }, 30_000);

  it('kills the bench group when perfgate itself is interrupted (SIGTERM and SIGINT)', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const name = 'timeout-grandchild';
      await rm(join(pidDir, name), { force: true });
      const config = join(outDir, `interrupt-${signal}.json`);
      await writeFile(
        config,
        JSON.stringify({
          include: [`contain/${name}.bench.js`],
          run: { time: 50, warmup: 10 },
          profile: { enabled: false },
          queries: { enabled: false },
          memory: { enabled: false },
          calls: { enabled: false },
        }),
      );
      const perfgate = spawn(
        process.execPath,
        [CLI, 'run', '--config', config, '--out', join(outDir, `i-${signal}.json`)],
        { cwd: FIXTURES, stdio: 'ignore', env: { ...process.env } },
      );
      const exited = new Promise<void>((r) => perfgate.on('exit', () => r()));
      let pids: number[] = [];
      for (let i = 0; i < 200 && pids.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        pids = await pidsOf(name);
      }
      expect(pids).toHaveLength(1);
      perfgate.kill(signal);
      await exited;
      expect(await gone(pids[0])).toBe(true);
    }
  }, 60_000);
});

describe('bench children get no secrets', () => {
  it('removes GitHub and Actions secrets and run.secretEnv names from the environment', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      GITHUB_TOKEN: 'ghs_x',
      GH_TOKEN: 'ghs_y',
      'INPUT_GITHUB-TOKEN': 'ghs_z',
      INPUT_MODE: 'compare',
      ACTIONS_RUNTIME_TOKEN: 'rt',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'idt',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x',
      MY_DEPLOY_SECRET: 's',
      OTHER_SECRET_KEEP: 'k',
    });
    try {
      const { result, output } = await run(['contain/secrets.bench.js'], {
        run: { time: 50, warmup: 10, secretEnv: ['MY_DEPLOY_SECRET'] },
      });
      expect(result.failures).toEqual([]);
      const line = output.find((l) => l.startsWith('ENV '));
      expect(JSON.parse(line!.slice(4))).toEqual(['OTHER_SECRET_KEEP']);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    }
  });

  it('scrubEnv: exact names and NAME_* prefixes, the rest kept', () => {
    expect(SECRET_ENV).toContain('GITHUB_TOKEN');
    expect(
      scrubEnv({ PATH: '/bin', GITHUB_TOKEN: 'a', INPUT_X: 'b', FOO_1: 'c', FOO: 'd' }, ['FOO_*']),
    ).toEqual({ PATH: '/bin', FOO: 'd' });
  });
});
