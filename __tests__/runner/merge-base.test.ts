/**
 * The merge base of a pull request in a shallow checkout: a real `git clone --depth 1` of a local
 * bare repository, deepened from `origin` until `git merge-base` finds it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMergeBase } from '../../src/runner/merge-base.js';
import { InputError } from '../../src/model/errors.js';

let root: string;
let branchPoint: string;
let mainTip: string;
let featureTip: string;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

async function commit(repo: string, n: number, label: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    await writeFile(join(repo, `${label}.txt`), `${label} ${i}\n`);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', `${label} ${i}`);
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'perfgate-merge-base-'));
  const src = join(root, 'src');
  execFileSync('git', ['init', '-q', '-b', 'main', src]);
  await commit(src, 3, 'start');
  branchPoint = git(src, 'rev-parse', 'HEAD');
  git(src, 'checkout', '-q', '-b', 'feature');
  await commit(src, 2, 'feature');
  featureTip = git(src, 'rev-parse', 'HEAD');
  git(src, 'checkout', '-q', 'main');
  // Main moves on by more than the first fetch depth (50): the merge base is 60 commits deep.
  await commit(src, 60, 'main');
  mainTip = git(src, 'rev-parse', 'HEAD');
  execFileSync('git', ['clone', '-q', '--bare', src, join(root, 'origin.git')]);
}, 120_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** A checkout like actions/checkout's default: the head commit only. */
function shallowClone(name: string): string {
  const dir = join(root, name);
  execFileSync('git', [
    'clone',
    '-q',
    '--depth',
    '1',
    '--branch',
    'feature',
    `file://${join(root, 'origin.git')}`,
    dir,
  ]);
  return dir;
}

describe('findMergeBase', () => {
  it('fetches the base commit into a shallow clone, deeper until the merge base is found', async () => {
    const dir = shallowClone('shallow');
    expect(git(dir, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect(() => git(dir, 'cat-file', '-e', `${mainTip}^{commit}`)).toThrow();
    const log: string[] = [];
    const found = await findMergeBase({
      cwd: dir,
      baseSha: mainTip,
      headSha: featureTip,
      log: (line) => log.push(line),
    });
    expect(found).toBe(branchPoint);
    // 50 was not deep enough for main's side; 500 was.
    expect(log).toHaveLength(2);
    expect(log[0]).toContain('--depth=50');
    expect(log[1]).toContain('--depth=500');
    // The worktree the base is measured in can be made from the fetched commit.
    git(dir, 'worktree', 'add', '-q', '--detach', join(root, 'base-tree'), found);
    expect(git(join(root, 'base-tree'), 'rev-parse', 'HEAD')).toBe(branchPoint);
    git(dir, 'worktree', 'remove', '--force', join(root, 'base-tree'));
  });

  it('a full clone needs no fetch', async () => {
    const dir = join(root, 'full');
    execFileSync('git', ['clone', '-q', `file://${join(root, 'origin.git')}`, dir]);
    const log: string[] = [];
    const found = await findMergeBase({
      cwd: dir,
      baseSha: mainTip,
      headSha: featureTip,
      log: (line) => log.push(line),
    });
    expect(found).toBe(branchPoint);
    expect(log).toEqual([]);
  });

  it('a base commit the remote does not have is bad input naming it', async () => {
    const dir = shallowClone('unknown');
    const missing = 'f'.repeat(40);
    const error = await findMergeBase({ cwd: dir, baseSha: missing, headSha: featureTip }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain('could not fetch fffffff');
  });
});
