import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRun, storedSuite } from '../helpers/runs.js';
import { perfgate, tempProject, writeRunFile } from './helpers.js';

let dir: string;
const suite = (scale = 1) => [
  { name: 'parse', ns: 1000 * scale },
  { name: 'render', ns: 50_000 * scale },
];
beforeAll(async () => {
  dir = await tempProject();
  await writeRunFile(join(dir, 'base.json'), makeRun(undefined, suite(), { seed: 1 }));
  await writeRunFile(join(dir, 'same.json'), makeRun(undefined, suite(), { seed: 2 }));
  await writeRunFile(join(dir, 'slow.json'), makeRun(undefined, suite(2), { seed: 3 }));
  await writeRunFile(join(dir, 'slightly.json'), makeRun(undefined, suite(1.2), { seed: 4 }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('perfgate compare', () => {
  it('passes a run compared with itself (exit 0)', async () => {
    const result = await perfgate(['compare', 'base.json', 'base.json', '--format', 'json'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.verdict).toBe('pass');
    expect(comparison.reasons).toEqual([]);
    expect(comparison.benchmarks.map((b: { status: string }) => b.status)).toEqual([
      'unchanged',
      'unchanged',
    ]);
    expect(comparison.runShift).toBeUndefined(); // one base run: no stored-mode shift
  });

  it('passes a re-run with the same speed', async () => {
    const result = await perfgate(['compare', 'base.json', 'same.json'], dir);
    expect(result.code).toBe(0);
  });

  it('fails the gate on a 2x slower head (exit 1) with the contract JSON fields', async () => {
    const result = await perfgate(['compare', 'base.json', 'slow.json', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.verdict).toBe('fail');
    expect(comparison.reasons).toHaveLength(2);
    expect(comparison.reasons[0]).toContain('parse');
    const parse = comparison.benchmarks.find((b: { id: string }) => b.id.endsWith('> parse'));
    expect(parse).toMatchObject({ id: 'bench/app.bench.ts > parse', status: 'regression' });
    const { base, head, change, ci, pValue } = parse.time;
    expect(base).toBeCloseTo(1000, -2);
    expect(head).toBeCloseTo(2000, -2);
    expect(change).toBeGreaterThan(0.9);
    expect(change).toBeLessThan(1.1);
    expect(ci).toHaveLength(2);
    expect(ci[0]).toBeLessThanOrEqual(change);
    expect(ci[1]).toBeGreaterThanOrEqual(change);
    expect(pValue).toBeLessThan(0.01);
  });

  it('prints text by default and markdown on request', async () => {
    const text = await perfgate(['compare', 'base.json', 'slow.json'], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('parse');
    expect(text.stdout).not.toContain('\x1b['); // not a TTY: no colour
    const markdown = await perfgate(['compare', 'base.json', 'slow.json', '-f', 'markdown'], dir);
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toMatch(/^#+ /m);
    expect(markdown.stdout).toContain('|');
  });

  it('applies --threshold (20 % slower: fails at 10 %, passes at 50 %)', async () => {
    expect((await perfgate(['compare', 'base.json', 'slightly.json'], dir)).code).toBe(1);
    const lenient = await perfgate(
      ['compare', 'base.json', 'slightly.json', '--threshold', '50%', '-f', 'json'],
      dir,
    );
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.stdout).benchmarks[0].time.threshold).toBe(0.5);
  });

  it('reads thresholds and failOn from the config, flags win', async () => {
    const project = await tempProject({ 'perfgate.config.json': '{"threshold": "50%"}' });
    try {
      await writeRunFile(
        join(project, 'b.json'),
        makeRun(undefined, [{ name: 'a', ns: 100 }], { seed: 1 }),
      );
      await writeRunFile(
        join(project, 'h.json'),
        makeRun(undefined, [{ name: 'a', ns: 120 }], { seed: 2 }),
      );
      expect((await perfgate(['compare', 'b.json', 'h.json'], project)).code).toBe(0);
      expect((await perfgate(['compare', 'b.json', 'h.json', '-t', '5'], project)).code).toBe(1);
      const slow = join(project, 's.json');
      await writeRunFile(slow, makeRun(undefined, [{ name: 'a', ns: 300 }], { seed: 2 }));
      expect(
        (await perfgate(['compare', 'b.json', 's.json', '--fail-on', 'none'], project)).code,
      ).toBe(0);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('takes a folder of base Runs (history), and a store root', async () => {
    const history = join(dir, 'history');
    await mkdir(history, { recursive: true });
    for (let i = 0; i < 3; i += 1) {
      await writeRunFile(
        join(history, `run-${i}.json`),
        makeRun(undefined, suite(), {
          seed: 10 + i,
          timestamp: `2026-01-0${i + 1}T00:00:00Z`,
        }),
      );
    }
    await writeFile(join(history, 'notes.txt'), 'not a run');
    const pass = await perfgate(['compare', 'history', 'same.json', '-f', 'json'], dir);
    expect(pass.code).toBe(0);
    expect(JSON.parse(pass.stdout).baseRuns).toBe(3);
    expect(JSON.parse(pass.stdout).base.timestamp).toBe('2026-01-03T00:00:00Z'); // newest
    expect((await perfgate(['compare', 'history', 'slow.json'], dir)).code).toBe(1);

    const project = await tempProject();
    try {
      await writeRunFile(
        join(project, 'run.json'),
        makeRun(undefined, [{ name: 'parse', ns: 1000 }]),
      );
      expect((await perfgate(['baseline', 'save', 'run.json'], project)).code).toBe(0);
      const fromStore = await perfgate(['compare', '.perfgate', 'run.json', '-f', 'json'], project);
      expect(fromStore.code).toBe(0);
      expect(JSON.parse(fromStore.stdout).baseRuns).toBe(1);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('stored mode: the JSON carries runShift; one benchmark slowed fails alone', async () => {
    const stored = join(dir, 'stored');
    const { history, head } = storedSuite({ parse: 1.25 });
    for (const [i, r] of history.entries()) await writeRunFile(join(stored, `run-${i}.json`), r);
    await writeRunFile(join(dir, 'stored-head.json'), head);
    const result = await perfgate(['compare', 'stored', 'stored-head.json', '-f', 'json'], dir);
    expect(result.code).toBe(1);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.baseRuns).toBe(5);
    expect(comparison.mode).toBe('stored');
    const shift = comparison.runShift;
    expect(Object.keys(shift).sort()).toEqual(
      ['benchmarks', 'change', 'ci', 'pAdjusted', 'pValue', 'runs', 'significant'].sort(),
    );
    expect(shift).toMatchObject({ benchmarks: 12, runs: 5, significant: false });
    // The head ran on a runner 3 % faster: the shift is time, negative, for ops/s ones too.
    expect(shift.change).toBeLessThan(0);
    expect(shift.ci[0]).toBeLessThan(shift.change);
    expect(shift.ci[1]).toBeGreaterThan(shift.change);
    expect(shift.pAdjusted).toBeGreaterThanOrEqual(shift.pValue);
    const statuses = Object.fromEntries(
      comparison.benchmarks.map((b: { name: string; status: string }) => [b.name, b.status]),
    );
    expect(Object.values(statuses).filter((s) => s === 'regression')).toHaveLength(1);
    expect(statuses.parse).toBe('regression');

    const markdown = await perfgate(
      ['compare', 'stored', 'stored-head.json', '-f', 'markdown'],
      dir,
    );
    expect(markdown.stdout).toContain('Runner shift: the run as a whole');
    expect(markdown.stdout).toContain('not significant; each benchmark is judged on its change');
  });

  it('stored mode: every benchmark slowed 30 % fails through a significant runShift', async () => {
    const stored = join(dir, 'stored-all');
    const { history, head } = storedSuite({ all: 1.3 });
    for (const [i, r] of history.entries()) await writeRunFile(join(stored, `run-${i}.json`), r);
    await writeRunFile(join(dir, 'stored-all-head.json'), head);
    const result = await perfgate(
      ['compare', 'stored-all', 'stored-all-head.json', '-f', 'json'],
      dir,
    );
    expect(result.code).toBe(1);
    const comparison = JSON.parse(result.stdout);
    expect(comparison.runShift).toMatchObject({ benchmarks: 12, runs: 5, significant: true });
    expect(comparison.runShift.change).toBeGreaterThan(0.2); // slower, as time
    expect(comparison.summary.regression).toBe(12);
  });

  it('exits 2 naming the file: missing, malformed, wrong schemaVersion, not a Run', async () => {
    await writeFile(join(dir, 'broken.json'), '{"schemaVersion": 1, "tool": ');
    await writeFile(
      join(dir, 'future.json'),
      JSON.stringify({ ...makeRun(undefined, [{ name: 'a', ns: 1 }]), schemaVersion: 3 }),
    );
    await writeFile(join(dir, 'other.json'), JSON.stringify({ benchmarks: 'many' }));
    const cases: Array<[string[], RegExp]> = [
      [['compare', 'missing.json', 'base.json'], /missing\.json: file not found/],
      [['compare', 'base.json', 'broken.json'], /broken\.json: malformed JSON/],
      [['compare', 'future.json', 'base.json'], /future\.json: unsupported schemaVersion 3/],
      [['compare', 'base.json', 'other.json'], /other\.json: not a valid perfgate Run/],
      [['compare', 'empty-dir', 'base.json'], /empty-dir: file not found/],
    ];
    for (const [args, message] of cases) {
      const result = await perfgate(args, dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(result.stdout).toBe('');
    }
  });

  it('--format html previews the comment as a page', async () => {
    const result = await perfgate(['compare', 'base.json', 'base.json', '--format', 'html'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(result.stdout).toContain('<div class="markdown-body">');
    expect(result.stdout).toContain('<h2>✅ perfgate: no regressions');
  });

  it('exits 2 on usage errors', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['compare', 'base.json'], /missing required argument 'head'/],
      [['compare', 'base.json', 'base.json', '--format', 'pdf'], /pdf/],
      [['compare', 'base.json', 'base.json', '--threshold', 'ten'], /--threshold/],
      [
        ['compare', 'base.json', 'base.json', '--fail-on', 'speed'],
        /--fail-on: unknown check "speed"/,
      ],
      [['frobnicate'], /too many arguments|unknown command/],
    ];
    for (const [args, message] of cases) {
      const result = await perfgate(args, dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
  });

  it('prints --version and --help with exit 0', async () => {
    const version = await perfgate(['--version'], dir);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await perfgate(['--help'], dir);
    expect(help.code).toBe(0);
    for (const command of ['run', 'compare', 'baseline']) expect(help.stdout).toContain(command);
  });
});
