/**
 * The merge base of a pull request in the local checkout, for `compare: against-base`. CI
 * checkouts are shallow (actions/checkout fetches one commit by default), so the base commit and
 * the history down to the merge base are often missing: they are fetched from `origin`, deeper
 * each time (`git fetch --no-tags --depth=N origin <sha>…`), until `git merge-base` finds it.
 */
import { InputError, messageOf } from '../model/errors.js';
import { git } from './checkout.js';

/** Depths tried in turn before the whole history is fetched. */
export const FETCH_DEPTHS = [50, 500, 5000] as const;

export interface MergeBaseOptions {
  cwd: string;
  baseSha: string;
  headSha: string;
  /** Remote to fetch from (default origin). */
  remote?: string;
  log?: (line: string) => void;
}

export async function findMergeBase(options: MergeBaseOptions): Promise<string> {
  const { cwd, baseSha, headSha, remote = 'origin', log = () => undefined } = options;
  const found = () => git(cwd, ['merge-base', baseSha, headSha]).catch(() => '');
  let sha = await found();
  for (const depth of [...FETCH_DEPTHS, Infinity]) {
    if (sha !== '') return sha;
    const shallow = await isShallow(cwd);
    // A full history that holds both commits has no merge base to fetch.
    if (!shallow && (await hasCommits(cwd, [baseSha, headSha]))) break;
    // Deeper each time; then the whole history (a full clone only lacks the commits).
    const how = !shallow ? [] : depth === Infinity ? ['--unshallow'] : [`--depth=${depth}`];
    log(
      `fetching ${remote} ${how[0] ?? ''} for the merge base of ${short(baseSha)} and ${short(headSha)}`.replace(
        '  ',
        ' ',
      ),
    );
    try {
      await git(cwd, ['fetch', '--no-tags', ...how, remote, baseSha, headSha]);
    } catch (error) {
      throw new InputError(
        `compare: against-base: could not fetch ${short(baseSha)} and ${short(headSha)} from ${remote}: ${messageOf(error).split('\n')[0]}`,
        cwd,
      );
    }
    sha = await found();
    if (!shallow) break;
  }
  if (sha !== '') return sha;
  throw new InputError(
    `compare: against-base: ${short(baseSha)} and ${short(headSha)} have no merge base in the history of ${remote}`,
    cwd,
  );
}

async function isShallow(cwd: string): Promise<boolean> {
  return (await git(cwd, ['rev-parse', '--is-shallow-repository'])) === 'true';
}

async function hasCommits(cwd: string, shas: string[]): Promise<boolean> {
  for (const sha of shas) {
    const ok = await git(cwd, ['cat-file', '-e', `${sha}^{commit}`]).then(
      () => true,
      () => false,
    );
    if (!ok) return false;
  }
  return true;
}

function short(sha: string): string {
  return sha.slice(0, 7);
}
