// `perfgate --against`: base and head on this machine in fork pairs, through the built CLI.
import { execFileSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/model/comparison.js';
import { perfgate, tempProject } from './helpers.js';

/** A bench file whose task does `work` steps (the head's is made 4× slower). */
const benchFile = (work: number) => `import { Bench } from 'tinybench';
const bench = new Bench();
bench.add('loop', () => { let x = 0; for (let i = 0; i < ${work}; i++) x = (x * 31 + i) | 0; return x; });
bench.add('same', () => JSON.stringify({ a: [1, 2, 3], b: 'x' }));
export default bench;
`;
const config = JSON.stringify({
  run: { time: 60, warmup: 10, minSamples: 5 },
  profile: { enabled: false },
  queries: { enabled: false },
  memory: { enabled: false },
  calls: { enabled: false },
});

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('perfgate --against', () => {
  it('a path: JSON is the Comparison in mode against, exit 1 on the regression', async () => {
    const base = await tempProject({
      'app.bench.mjs': benchFile(2000),
      'perfgate.config.json': config,
    });
    const head = await tempProject({
      'app.bench.mjs': benchFile(8000),
      'perfgate.config.json': config,
    });
    dirs.push(base, head);
    const r = await perfgate(
      ['--against', base, '--forks', '3', '--threshold', '10', '--format', 'json'],
      head,
    );
    expect(r.code, r.stderr).toBe(1);
    const c = JSON.parse(r.stdout) as Comparison;
    expect(c.mode).toBe('against');
    const loop = c.benchmarks.find((b) => b.id === 'app.bench.mjs > loop')!;
    expect(loop.status).toBe('regression');
    expect(loop.time.method).toBe('paired-t');
    expect(loop.time.forks).toEqual({ base: 3, head: 3 });
    expect(loop.time.mde).toBeGreaterThan(0);
    expect(r.stderr).toContain('dependencies:');
  });

  it('a git ref: checked out in a temporary worktree that is removed afterwards', async () => {
    const repo = await tempProject({
      'app.bench.mjs': benchFile(3000),
      'perfgate.config.json': config,
    });
    dirs.push(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git(
      '-c',
      'user.email=t@example.com',
      '-c',
      'user.name=t',
      'add',
      'app.bench.mjs',
      'perfgate.config.json',
    );
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'base');
    await writeFile(join(repo, 'app.bench.mjs'), benchFile(3000));
    const r = await perfgate(['--against', 'HEAD', '--forks', '2', '--format', 'markdown'], repo);
    expect([0, 1]).toContain(r.code);
    expect(r.stdout).toContain('in alternating fork pairs');
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('an unknown ref is bad input: exit 2 naming it', async () => {
    const dir = await tempProject({
      'app.bench.mjs': benchFile(10),
      'perfgate.config.json': config,
    });
    dirs.push(dir);
    const r = await perfgate(['--against', 'no-such-ref'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--against no-such-ref');
  });
});
