import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isForkPullRequest, pushedBranch, readContext } from '../../src/github/context.js';
import { InputError } from '../../src/model/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-context-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function contextFor(payload: unknown, env: Record<string, string> = {}) {
  const file = join(dir, `event-${Math.random()}.json`);
  await writeFile(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return readContext({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_EVENT_PATH: file, ...env });
}

describe('readContext', () => {
  it('reads the repository, run and event', async () => {
    const context = await contextFor(
      { ref: 'refs/heads/main', repository: { default_branch: 'main' } },
      { GITHUB_EVENT_NAME: 'push', GITHUB_RUN_ID: '42', GITHUB_JOB: 'perf' },
    );
    expect(context).toMatchObject({ owner: 'acme', repo: 'shop', runId: 42, job: 'perf' });
    expect(pushedBranch(context)).toBe('main');
  });

  it('tells fork PRs apart (including a deleted fork)', async () => {
    const pr = (repo: unknown) => ({
      pull_request: { number: 1, head: { sha: 'a', ref: 'x', repo }, base: { ref: 'main' } },
    });
    expect(isForkPullRequest(await contextFor(pr({ full_name: 'acme/shop' })))).toBe(false);
    expect(isForkPullRequest(await contextFor(pr({ full_name: 'eve/shop' })))).toBe(true);
    expect(isForkPullRequest(await contextFor(pr(null)))).toBe(true);
  });

  it('names the file for a malformed or unexpected payload', async () => {
    await expect(contextFor('{not json')).rejects.toThrow(/event-.*malformed event payload/);
    await expect(contextFor({ pull_request: { number: 'seven' } })).rejects.toThrow(
      /unexpected event payload: pull_request\.number/,
    );
    expect(() => readContext({ GITHUB_REPOSITORY: '' })).toThrow(InputError);
  });
});
