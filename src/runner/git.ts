// Commit and ref of the project checkout, for the Run's meta. Absent when cwd is not a git checkout
// (or git is not installed): a Run without them is still valid.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', args, { cwd, timeout: 10_000 });
    const value = stdout.trim();
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}

export async function readGitMeta(cwd: string): Promise<{ commit?: string; ref?: string }> {
  const commit = await git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  if (!commit) return {};
  // A detached HEAD (as in CI checkouts of a PR merge commit) has no branch name.
  const branch = await git(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return branch ? { commit, ref: branch } : { commit };
}
