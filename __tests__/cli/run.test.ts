import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_CONFIG, perfgate, tempProject, writeText } from './helpers.js';

const BENCH = `
import { Bench } from 'tinybench';
const bench = new Bench({ name: 'math' });
bench.add('sum', () => {
  let total = 0;
  for (let i = 0; i < 1000; i += 1) total += i;
  return total;
});
bench.add('sort', () => [5, 3, 1, 4, 2].sort((a, b) => a - b));
export default bench;
`;

const THROWING_BENCH = `
import { Bench } from 'tinybench';
throw new Error('cannot connect to the test database');
export default new Bench();
`;

const projects: string[] = [];
async function project(files: Record<string, string>): Promise<string> {
  const dir = await tempProject({ 'perfgate.config.json': FAST_CONFIG, ...files });
  projects.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(projects.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads of known JSON files
async function readJson(file: string): Promise<any> {
  return JSON.parse(await readFile(file, 'utf8'));
}

describe('perfgate run', () => {
  it('runs the bench files and writes the Run to .perfgate/runs/latest.json', async () => {
    const dir = await project({ 'bench/math.bench.mjs': BENCH });
    const result = await perfgate(['run'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('wrote 2 benchmarks to .perfgate/runs/latest.json');
    // Progress is on stderr, compact (no TTY): the file, then one line per task.
    // Five forks (run.forks), one progress line each.
    expect(result.stderr).toContain('[1/5] bench/math.bench.mjs (fork 1/5)');
    expect(result.stderr).toContain('[5/5] bench/math.bench.mjs (fork 5/5)');
    expect(result.stderr).toMatch(/✓ .*sum\s+median/);
    expect(result.stderr).not.toContain('\r');
    const run = await readJson(join(dir, '.perfgate/runs/latest.json'));
    expect(run.schemaVersion).toBe(2);
    expect(run.benchmarks.map((b: { id: string }) => b.id)).toEqual([
      'bench/math.bench.mjs > math > sum',
      'bench/math.bench.mjs > math > sort',
    ]);
    expect(run.benchmarks[0].samples.length).toBeGreaterThanOrEqual(5);
  });

  it('honours --out, --filter and --config', async () => {
    const dir = await project({
      'bench/math.bench.mjs': BENCH,
      'other.json': JSON.stringify({ ...JSON.parse(FAST_CONFIG), include: ['bench/*.mjs'] }),
    });
    const result = await perfgate(
      ['run', '--out', 'out/head.json', '--filter', 'sort', '--config', 'other.json'],
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const run = await readJson(join(dir, 'out/head.json'));
    expect(run.benchmarks.map((b: { name: string }) => b.name)).toEqual(['sort']);
  });

  it('exits 2 naming the file when a bench file throws; other files still run', async () => {
    const dir = await project({
      'bench/math.bench.mjs': BENCH,
      'bench/db.bench.mjs': THROWING_BENCH,
    });
    const result = await perfgate(['run'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bench\/db\.bench\.mjs.*cannot connect to the test database/);
    const run = await readJson(join(dir, '.perfgate/runs/latest.json'));
    expect(run.benchmarks.map((b: { name: string }) => b.name)).toEqual(['sum', 'sort']);
  });

  it('runs bench files with the --node binary', async () => {
    const dir = await project({ 'bench/math.bench.mjs': BENCH });
    expect((await perfgate(['run', '--node', process.execPath], dir)).code).toBe(0);
    const missing = await perfgate(['run', '--node', '/nonexistent/node'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/node');
  });

  it('exits 2 when no bench file matches, naming the globs', async () => {
    const dir = await project({});
    const result = await perfgate(['run'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('*.bench.');
  });

  it('loads a TypeScript config that imports another .ts module', async () => {
    const dir = await project({ 'bench/math.bench.mjs': BENCH });
    await rm(join(dir, 'perfgate.config.json'));
    await writeText(join(dir, 'config/out.ts'), "export const outDir: string = 'ts-store';\n");
    await writeText(
      join(dir, 'perfgate.config.ts'),
      [
        "import { outDir } from './config/out.js';",
        `const config: Record<string, unknown> = { ...${FAST_CONFIG}, baselineDir: outDir };`,
        'export default config;',
      ].join('\n'),
    );
    const result = await perfgate(['run'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('ts-store/runs/latest.json');
  });

  it('exits 2 on an invalid config, naming the file and field', async () => {
    const dir = await project({ 'bench/math.bench.mjs': BENCH });
    await writeText(join(dir, 'perfgate.config.json'), '{"run": {"time": "fast"}}');
    const result = await perfgate(['run'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/perfgate\.config\.json: not a valid perfgate config: run\.time/);
  });
});

describe('perfgate baseline', () => {
  it('saves a Run as the newest baseline and lists the history', async () => {
    const dir = await project({ 'bench/math.bench.mjs': BENCH });
    expect((await perfgate(['run'], dir)).code).toBe(0);
    const saved = await perfgate(['baseline', 'save', '.perfgate/runs/latest.json'], dir);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toContain('newest baseline (1 run in .perfgate/baseline/');
    expect(await readdir(join(dir, '.perfgate/baseline'))).toHaveLength(1);
    const list = await perfgate(['baseline', 'list'], dir);
    expect(list.stdout).toMatch(/000001.*\.json .* 2 benchmarks/);
  });

  it('refuses a file that is not a valid Run, and a run with failures unless --force', async () => {
    const dir = await project({ 'bench/db.bench.mjs': THROWING_BENCH, 'bad.json': '[1, 2' });
    const bad = await perfgate(['baseline', 'save', 'bad.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json: malformed JSON');

    await writeText(
      join(dir, 'failed.json'),
      JSON.stringify({
        schemaVersion: 1,
        tool: 'perfgate',
        meta: {
          timestamp: '2026-01-01T00:00:00Z',
          env: { os: 'linux', cpu: 'x', cores: 2, node: 'v20', runner: 'local' },
        },
        benchmarks: [
          {
            id: 'a > b',
            name: 'b',
            file: 'a',
            unit: 'ns',
            direction: 'smaller',
            samples: [],
            stats: { n: 0, mean: 0, median: 0, min: 0, max: 0, sd: 0, p99: 0, rme: 0 },
            error: 'boom',
          },
        ],
      }),
    );
    const refused = await perfgate(['baseline', 'save', 'failed.json'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/failed\.json: 1 benchmark failed/);
    expect((await perfgate(['baseline', 'save', 'failed.json', '--force'], dir)).code).toBe(0);
  });
});

describe('perfgate (no command)', () => {
  it('first run without a baseline: not an error; says how to save one; writes report files', async () => {
    const dir = await project({ 'bench/math.bench.mjs': BENCH });
    const first = await perfgate([], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('no baseline yet');
    expect(first.stderr).toContain('perfgate baseline save .perfgate/runs/latest.json');
    const comparison = await readJson(join(dir, '.perfgate/comparison.json'));
    expect(comparison.baseRuns).toBe(0);
    expect(comparison.benchmarks.map((b: { status: string }) => b.status)).toEqual(['new', 'new']);
    expect(await readFile(join(dir, '.perfgate/report.md'), 'utf8')).toContain('sum');
    await expect(readdir(join(dir, '.perfgate/baseline'))).rejects.toThrow(); // nothing saved
  });

  it('--save keeps the run; the next run compares with it (JSON on stdout only)', async () => {
    const dir = await project({ 'bench/math.bench.mjs': BENCH });
    const first = await perfgate(['--save'], dir);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('saved this run as the newest baseline');
    // Generous threshold: this test checks the wiring, not the timing of a noisy machine.
    const second = await perfgate(['--format', 'json', '--threshold', '500%'], dir);
    expect(second.code, second.stderr).toBe(0);
    const comparison = JSON.parse(second.stdout);
    expect(comparison.baseRuns).toBe(1);
    expect(comparison.verdict).toBe('pass');
    expect(comparison.benchmarks).toHaveLength(2);
    for (const b of comparison.benchmarks) expect(['unchanged', 'noisy']).toContain(b.status);
    expect(await readJson(join(dir, '.perfgate/comparison.json'))).toEqual(comparison);
  });

  it('--filter compares only the matching benchmarks (others are not "removed")', async () => {
    const dir = await project({ 'bench/math.bench.mjs': BENCH });
    expect((await perfgate(['--save'], dir)).code).toBe(0);
    const result = await perfgate(['--filter', 'sum', '-f', 'json', '-t', '500'], dir);
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.benchmarks.map((b: { name: string }) => b.name)).toEqual(['sum']);
  });

  it('exits 2 when a bench file throws, and does not save it with --save', async () => {
    const dir = await project({
      'bench/math.bench.mjs': BENCH,
      'bench/db.bench.mjs': THROWING_BENCH,
    });
    const result = await perfgate(['--save'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bench/db.bench.mjs');
    expect(result.stderr).toContain('not saved as baseline');
  });

  it('exits 2 before running when the baseline history is unreadable', async () => {
    const dir = await project({
      'bench/math.bench.mjs': BENCH,
      '.perfgate/baseline/000001.json': '{ nope',
    });
    const result = await perfgate([], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/000001\.json: malformed JSON/);
    expect(result.stderr).not.toContain('[1/1]'); // nothing ran
  });
});
