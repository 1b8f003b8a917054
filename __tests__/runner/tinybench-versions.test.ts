// Suites written for tinybench alone run under perfgate with every tinybench major from 2 to 6:
// the real packages, installed from the registry into a temporary project by this test.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmarks, type RunResult } from '../../src/runner/index.js';
import { testConfig } from './helpers.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tinybench-versions/', import.meta.url));
const MAJORS = [2, 3, 4, 5, 6];

let root: string;
let result: RunResult;
let output: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'perfgate-tinybench-versions-'));
  await copyFile(join(FIXTURE, 'package.json'), join(root, 'package.json'));
  try {
    await promisify(execFile)(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'],
      { cwd: root, timeout: 120_000 },
    );
  } catch (error) {
    throw new Error(
      `installing tinybench 2–6 from the npm registry failed (this test needs the registry): ${String(error)}`,
    );
  }
  // One folder per major, each resolving `tinybench` to that major (as a project would).
  for (const major of MAJORS) {
    const dir = join(root, `v${major}`);
    await mkdir(join(dir, 'node_modules'), { recursive: true });
    await symlink(
      join(root, 'node_modules', `tinybench-${major}`),
      join(dir, 'node_modules', 'tinybench'),
    );
    await copyFile(join(FIXTURE, 'suite.mjs'), join(dir, 'suite.mjs'));
  }
  output = [];
  result = await runBenchmarks({
    cwd: root,
    config: testConfig({ run: { time: 30, warmup: 5, minSamples: 5, maxSamples: 20 } }),
    files: MAJORS.map((major) => `v${major}/suite.mjs`),
    outDir: join(root, 'out'),
    onOutput: (_file, line) => output.push(line),
  });
}, 240_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('tinybench 2–6: a multi-Bench suite without a default export', () => {
  it.each(MAJORS)('runs every task of both Benches with tinybench %i', async (major) => {
    const installed = JSON.parse(
      await readFile(join(root, 'node_modules', `tinybench-${major}`, 'package.json'), 'utf8'),
    ) as { version: string };
    expect(installed.version.split('.')[0]).toBe(String(major));
    const file = `v${major}/suite.mjs`;
    const ids = result.run.benchmarks.filter((b) => b.file === file).map((b) => b.id);
    // tinybench 2 has no `name` option: its Benches are grouped by position.
    const strings = major === 2 ? 'bench 1' : 'strings';
    expect(ids).toEqual([
      `${file} > ${strings} > split`,
      `${file} > ${strings} > upper`,
      `${file} > bench 2 > parse`,
    ]);
    for (const benchmark of result.run.benchmarks.filter((b) => b.file === file)) {
      expect(benchmark.error).toBeUndefined();
      expect(benchmark.samples.length).toBeGreaterThanOrEqual(5);
    }
  });

  it('reports no failure or warning and prints none of the files’ own tables', () => {
    expect(result.failures).toEqual([]);
    expect(result.warnings ?? []).toEqual([]);
    expect(output.filter((line) => /[┌│└]/.test(line))).toEqual([]);
  });
});
