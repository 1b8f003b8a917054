// The base checkout of --against: a temporary git worktree (removed afterwards) or a path.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { checkoutBase } from '../../src/runner/checkout.js';

const repo = realpathSync(mkdtempSync(join(tmpdir(), 'perfgate-checkout-')));
const git = (...args: string[]) =>
  execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
git('init', '-q', '-b', 'main');
git('config', 'user.email', 'test@example.com');
git('config', 'user.name', 'test');
mkdirSync(join(repo, 'app'));
writeFileSync(join(repo, 'app/code.js'), 'export const version = 1;\n');
writeFileSync(join(repo, 'app/package.json'), '{"name":"app","private":true}\n');
writeFileSync(join(repo, 'app/package-lock.json'), '{"lockfileVersion":3}\n');
mkdirSync(join(repo, 'app/node_modules'));
writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
git('add', '.');
git('commit', '-qm', 'one');
const first = git('rev-parse', 'HEAD');
writeFileSync(join(repo, 'app/code.js'), 'export const version = 2;\n');
git('commit', '-qam', 'two');
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('checkoutBase', () => {
  it('checks a ref out in a temporary worktree at the same subfolder, reusing node_modules', async () => {
    const base = await checkoutBase('HEAD~1', join(repo, 'app'), undefined);
    expect(readFileSync(join(base.root, 'code.js'), 'utf8')).toContain('version = 1');
    expect(base.description).toBe(`HEAD~1 (${first.slice(0, 7)})`);
    expect(base.install).toBe('reused node_modules (identical lockfiles)');
    expect(git('worktree', 'list')).toContain(base.root.replace(/\/app$/, ''));
    await base.cleanup();
    expect(existsSync(base.root)).toBe(false);
    expect(git('worktree', 'list')).not.toContain('perfgate-base-');
  });

  it('runs the configured install command instead', async () => {
    const base = await checkoutBase(first, join(repo, 'app'), 'echo installed > installed.txt');
    expect(readFileSync(join(base.root, 'installed.txt'), 'utf8').trim()).toBe('installed');
    await base.cleanup();
  });

  it('a path is another checkout, used as it is and never removed', async () => {
    const base = await checkoutBase(join(repo, 'app'), tmpdir(), undefined);
    expect(base.root).toBe(join(repo, 'app'));
    await base.cleanup();
    expect(existsSync(join(repo, 'app/code.js'))).toBe(true);
  });

  it('an unknown ref is bad input naming it', async () => {
    await expect(checkoutBase('no-such-branch', join(repo, 'app'), undefined)).rejects.toThrow(
      InputError,
    );
    await expect(checkoutBase('no-such-branch', join(repo, 'app'), undefined)).rejects.toThrow(
      /--against no-such-branch: neither a directory nor a git ref/,
    );
  });
});
