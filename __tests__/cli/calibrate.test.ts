// `perfgate calibrate`: the suite A/A in fork pairs, per benchmark noise and MDE, through the CLI.
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { perfgate, tempProject } from './helpers.js';

const bench = `import { Bench } from 'tinybench';
const bench = new Bench();
bench.add('loop', () => { let x = 0; for (let i = 0; i < 3000; i++) x = (x * 31 + i) | 0; return x; });
bench.add('json', () => JSON.stringify({ a: [1, 2, 3], b: 'x' }));
export default bench;
`;
const config = JSON.stringify({ run: { time: 60, warmup: 10, minSamples: 5 } });

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('perfgate calibrate', () => {
  it('JSON: benchmarks[] with id, mde, between/within-fork noise and the forks a 5 % change needs', async () => {
    const dir = await tempProject({ 'app.bench.mjs': bench, 'perfgate.config.json': config });
    dirs.push(dir);
    const r = await perfgate(['calibrate', '--forks', '3', '--format', 'json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      settings: { forks: number; target: number };
      benchmarks: Array<{
        id: string;
        forks: number;
        mde: number | null;
        betweenFork: number | null;
        withinFork: number | null;
        forksForTarget: number | null;
      }>;
    };
    expect(out.settings).toMatchObject({ forks: 3, target: 0.05 });
    expect(out.benchmarks.map((b) => b.id).sort()).toEqual([
      'app.bench.mjs > json',
      'app.bench.mjs > loop',
    ]);
    for (const b of out.benchmarks) {
      expect(b.forks).toBe(3);
      expect(b.mde).toBeGreaterThan(0);
      expect(b.betweenFork).toBeGreaterThanOrEqual(0);
      expect(b.withinFork).toBeGreaterThanOrEqual(0);
    }
  });

  it('text: a line per benchmark and the remedy; a bad --target is exit 2', async () => {
    const dir = await tempProject({ 'app.bench.mjs': bench, 'perfgate.config.json': config });
    dirs.push(dir);
    const r = await perfgate(['calibrate', '--forks', '2', '--filter', 'loop'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/A\/A calibration: 2 fork pairs/);
    expect(r.stdout).toMatch(/app\.bench\.mjs > loop/);
    expect(r.stdout).not.toMatch(/> json/);
    expect(r.stdout).toMatch(/MDE: the smallest change/);
    const bad = await perfgate(['calibrate', '--target', 'lots'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--target/);
  });
});
