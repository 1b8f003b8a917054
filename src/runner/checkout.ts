/**
 * The base of `--against PATH_OR_REF`: another checkout of the project. A path is used as it is;
 * a git ref or SHA is checked out in a temporary `git worktree` (detached), removed afterwards.
 * Its dependencies: the config's `install` command when set; otherwise the working tree's
 * node_modules is reused when the lockfiles are identical, else `npm ci` runs in the checkout.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../model/errors.js';

const run = promisify(execFile);

export interface BaseCheckout {
  /** The project folder in the checkout (same place relative to the repository root). */
  root: string;
  /** For the report: `main (1a2b3c4)` or the path. */
  description: string;
  /** What was done about dependencies, for the log. */
  install: string;
  /** Removes the temporary worktree (a path given by the user is left alone). */
  cleanup: () => Promise<void>;
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'];

/** Runs git in `cwd`; its trimmed stdout. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

export async function checkoutBase(
  refOrPath: string,
  cwd: string,
  install: string | undefined,
): Promise<BaseCheckout> {
  const path = resolve(cwd, refOrPath);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) {
      throw new InputError(
        '--against: is a file; give a directory (another checkout) or a git ref',
        refOrPath,
      );
    }
    const installed = await prepareDependencies(path, cwd, install);
    return { root: path, description: refOrPath, install: installed, cleanup: async () => {} };
  }
  let top: string;
  let sha: string;
  try {
    top = await git(cwd, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new InputError(
      `--against ${refOrPath}: not a directory, and ${cwd} is not in a git repository`,
    );
  }
  try {
    sha = await git(cwd, ['rev-parse', '--verify', '--quiet', `${refOrPath}^{commit}`]);
  } catch {
    throw new InputError(
      `--against ${refOrPath}: neither a directory nor a git ref or SHA of this repository`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'perfgate-base-'));
  await git(top, ['worktree', 'add', '--detach', dir, sha]);
  const cleanup = async () => {
    await git(top, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await git(top, ['worktree', 'prune']).catch(() => undefined);
  };
  try {
    const root = join(dir, relative(top, cwd));
    const installed = await prepareDependencies(root, cwd, install);
    return { root, description: `${refOrPath} (${sha.slice(0, 7)})`, install: installed, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function lockfile(dir: string): Promise<string | null> {
  for (const name of LOCKFILES) {
    const file = join(dir, name);
    if (existsSync(file)) return `${name}\n${await readFile(file, 'utf8')}`;
  }
  return null;
}

/** Dependencies of the base checkout; returns what was done. */
async function prepareDependencies(
  root: string,
  head: string,
  install: string | undefined,
): Promise<string> {
  if (install !== undefined) {
    await shell(install, root);
    return `ran install command: ${install}`;
  }
  if (existsSync(join(root, 'node_modules'))) return 'none needed';
  const [base, mine] = await Promise.all([lockfile(root), lockfile(head)]);
  if (base === mine && existsSync(join(head, 'node_modules'))) {
    await symlink(join(head, 'node_modules'), join(root, 'node_modules'), 'dir');
    return 'reused node_modules (identical lockfiles)';
  }
  if (!existsSync(join(root, 'package.json'))) return 'none needed';
  await shell(existsSync(join(root, 'package-lock.json')) ? 'npm ci' : 'npm install', root);
  return 'npm ci';
}

function shell(command: string, cwd: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    // Its output goes to stderr: stdout stays the report's (`--format json`).
    const child = spawn(command, { cwd, shell: true, stdio: ['ignore', 2, 2] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolvePromise()
        : reject(new InputError(`install command "${command}" failed with exit code ${code}`, cwd)),
    );
  });
}
