// Bench files in several child processes (forks), interleaved; and --against's alternating pairs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAgainst, runBenchmarks, type ProgressEvent } from '../../src/runner/index.js';
import { FIXTURES, testConfig } from './helpers.js';

const outDir = mkdtempSync(join(tmpdir(), 'perfgate-forks-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
const files = ['js/basic.bench.js', 'ts/math.bench.ts'];
const config = testConfig({ run: { time: 30, warmup: 6, minSamples: 5, forks: 3 } });

describe('forks', () => {
  it('runs each file in 3 processes, interleaved, and keeps the samples per fork', async () => {
    const events: ProgressEvent[] = [];
    const { run, failures } = await runBenchmarks({
      cwd: FIXTURES,
      config,
      files,
      outDir,
      onProgress: (e) => events.push(e),
    });
    expect(failures).toEqual([]);
    expect(run.schemaVersion).toBe(2);
    const starts = events.flatMap((e) => (e.type === 'file-start' ? [e.file] : []));
    expect(starts).toEqual([
      'js/basic.bench.js (fork 1/3)',
      'ts/math.bench.ts (fork 1/3)',
      'js/basic.bench.js (fork 2/3)',
      'ts/math.bench.ts (fork 2/3)',
      'js/basic.bench.js (fork 3/3)',
      'ts/math.bench.ts (fork 3/3)',
    ]);
    expect(run.benchmarks.length).toBeGreaterThan(1);
    for (const b of run.benchmarks) {
      if (b.error !== undefined) continue;
      expect(b.forks).toHaveLength(3);
      expect(b.forks!.reduce((s, n) => s + n, 0)).toBe(b.samples.length);
      for (const n of b.forks!) expect(n).toBeGreaterThanOrEqual(5);
    }
    // One id per benchmark, not one per fork.
    expect(new Set(run.benchmarks.map((b) => b.id)).size).toBe(run.benchmarks.length);
  });

  it('--against: base and head forks alternate in pairs, each side gets its own Run', async () => {
    const events: ProgressEvent[] = [];
    let i = 0;
    const { base, head } = await runAgainst({
      base: { cwd: FIXTURES, config, files: [files[0]], outDir },
      head: { cwd: FIXTURES, config, files: [files[0]], outDir, onProgress: (e) => events.push(e) },
      random: () => [0.9, 0.1, 0.9][i++ % 3],
    });
    const starts = events.flatMap((e) => (e.type === 'file-start' ? [e.file.split(' ')[0]] : []));
    expect(starts).toEqual(['base', 'head', 'head', 'base', 'base', 'head']);
    expect(base.run.benchmarks.map((b) => b.id)).toEqual(head.run.benchmarks.map((b) => b.id));
    for (const b of [...base.run.benchmarks, ...head.run.benchmarks]) {
      if (b.error === undefined) expect(b.forks).toHaveLength(3);
    }
  });
});
