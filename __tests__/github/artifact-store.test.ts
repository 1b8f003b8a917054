/**
 * ArtifactStore through the real @actions/artifact client and Octokit, against the loopback fake
 * of GitHub (REST + Results Twirp) with blobs in Azurite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedAzurite } from '../helpers/action-suite.js';
import { FakeGitHub, OWNER, REPO, type FakeRun } from '../helpers/fake-github.js';
import { makeRun } from '../helpers/runs.js';
import { makeZip } from '../helpers/zip.js';
import type * as StoreModule from '../../src/github/artifact-store.js';
import type * as OctokitModule from '../../src/github/octokit.js';

let github: FakeGitHub;
let temp: string;
let storeModule: typeof StoreModule;
let octokitModule: typeof OctokitModule;
const savedEnv = { ...process.env };

const realWrite = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  // @actions/core writes workflow commands to stdout; keep its debug chatter out of the test log.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('::debug::')
      ? true
      : realWrite(chunk, ...rest)) as typeof process.stdout.write;
  github = await new FakeGitHub(sharedAzurite()).start();
  temp = await mkdtemp(join(tmpdir(), 'perfgate-store-'));
  // @actions/github reads GITHUB_API_URL when first imported: set the env, then import.
  Object.assign(
    process.env,
    github.env(github.addRun({ headBranch: 'main', headSha: 'f'.repeat(40) })),
  );
  storeModule = await import('../../src/github/artifact-store.js');
  octokitModule = await import('../../src/github/octokit.js');
});

afterAll(async () => {
  process.stdout.write = realWrite;
  process.env = savedEnv;
  await github?.stop();
  await rm(temp, { recursive: true, force: true });
});

/** Points the artifact client's runtime token at `run` (uploads belong to the token's run). */
function actAs(run: FakeRun) {
  Object.assign(process.env, github.env(run));
}

function store(
  run: FakeRun,
  extra: Partial<ConstructorParameters<typeof storeModule.ArtifactStore>[0]> = {},
) {
  actAs(run);
  return new storeModule.ArtifactStore({
    octokit: octokitModule.createOctokit({
      token: 'ghs_test',
      baseUrl: github.url,
      retryAfterMs: 1,
    }),
    token: 'ghs_test',
    owner: OWNER,
    repo: REPO,
    name: 'perfgate-baseline',
    branch: 'main',
    runId: run.id,
    tempDir: temp,
    ...extra,
  });
}

describe('ArtifactStore', () => {
  it('stores a history on push, appends and trims it, and a PR loads it newest first', async () => {
    const shas = ['1', '2', '3'].map((c) => c.repeat(40));
    for (const [i, sha] of shas.entries()) {
      const run = github.addRun({ headBranch: 'main', headSha: sha });
      const s = store(run);
      const before = await s.load();
      expect(before).toHaveLength(i === 0 ? 0 : Math.min(i, 2));
      await s.save(makeRun(sha, [{ name: 'sum', ns: 1000 + i }]), 2);
      github.completeRun(run.id, 'success');
    }
    const pr = github.addRun({
      headBranch: 'feature',
      headSha: 'a'.repeat(40),
      event: 'pull_request',
    });
    const s = store(pr);
    const runs = await s.load();
    expect(runs.map((r) => r.meta.commit)).toEqual([shas[2], shas[1]]);
    expect(s.problem).toBeUndefined();
    expect(s.source?.commit).toBe(shas[2]);
    // The stored zip has the local store's layout.
    const stored = github.artifacts.find((a) => a.id === s.source!.artifactId)!;
    const zip = await github.readBlob(stored);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
  });

  it('prefers the merge base run, skips failed runs and runs of forks', async () => {
    const failed = github.addRun({ headBranch: 'main', headSha: '4'.repeat(40) });
    await store(failed).save(makeRun('4'.repeat(40), [{ name: 'sum', ns: 1 }]), 5);
    github.completeRun(failed.id, 'failure');
    const fork = github.addRun({
      headBranch: 'main',
      headSha: '5'.repeat(40),
      event: 'pull_request',
      headRepository: 'mallory/shop',
    });
    await store(fork).save(makeRun('5'.repeat(40), [{ name: 'sum', ns: 1 }]), 5);
    github.completeRun(fork.id, 'success');

    const pr = github.addRun({
      headBranch: 'feature',
      headSha: 'a'.repeat(40),
      event: 'pull_request',
    });
    const newest = store(pr);
    await newest.load();
    expect(newest.source?.commit).toBe('3'.repeat(40));

    const atBase = store(pr, { mergeBase: async () => '2'.repeat(40) });
    const runs = await atBase.load();
    expect(atBase.source).toMatchObject({ commit: '2'.repeat(40), mergeBase: true });
    expect(runs[0]!.meta.commit).toBe('2'.repeat(40));
  });

  it('treats an expired artifact as no baseline, with a clear problem', async () => {
    const saved = github.artifacts.map((a) => a.expired);
    for (const a of github.artifacts) a.expired = true;
    const pr = github.addRun({
      headBranch: 'feature',
      headSha: 'a'.repeat(40),
      event: 'pull_request',
    });
    const s = store(pr);
    expect(await s.load()).toEqual([]);
    expect(s.problem).toMatch(/has expired/);
    github.artifacts.forEach((a, i) => (a.expired = saved[i]!));
  });

  it('treats a corrupt or malicious artifact as no baseline, never writing outside', async () => {
    const push = github.addRun({ headBranch: 'main', headSha: '6'.repeat(40) });
    await store(push).save(makeRun('6'.repeat(40), [{ name: 'sum', ns: 1 }]), 5);
    github.completeRun(push.id, 'success');
    const artifact = github.artifacts.find((a) => a.runId === push.id)!;
    const pr = github.addRun({
      headBranch: 'feature',
      headSha: 'a'.repeat(40),
      event: 'pull_request',
    });

    await github.overwriteBlob(artifact, Buffer.from('this is not a zip'));
    let s = store(pr);
    expect(await s.load()).toEqual([]);
    expect(s.problem).toMatch(/unusable.*not a valid zip archive/);

    await github.overwriteBlob(artifact, makeZip({ '../../evil.json': '{}' }));
    s = store(pr);
    expect(await s.load()).toEqual([]);
    expect(s.problem).toMatch(/escapes the target folder/);

    await github.overwriteBlob(
      artifact,
      makeZip({ 'baseline/000001.json': '{"schemaVersion":1}' }),
    );
    s = store(pr);
    expect(await s.load()).toEqual([]);
    expect(s.problem).toMatch(/no readable baseline run/);
    expect(s.problem).toMatch(/\(baseline\/000001.json: not a valid perfgate Run/);
    expect(s.problem).not.toContain(temp);
  });

  it('names the missing permission when artifacts cannot be listed', async () => {
    github.fail({ method: 'GET', path: /\/actions\/artifacts$/, status: 403 });
    const pr = github.addRun({
      headBranch: 'feature',
      headSha: 'a'.repeat(40),
      event: 'pull_request',
    });
    const s = store(pr);
    expect(await s.load()).toEqual([]);
    expect(s.problem).toMatch(/actions: read/);
    // 4xx are not retried.
    expect(github.requests.at(-1)).toMatchObject({
      path: '/repos/acme/shop/actions/artifacts',
      status: 403,
    });
  });
});
