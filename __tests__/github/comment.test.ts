/** Sticky comment, accept label and fork-report checks through Octokit against the fake REST API. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyAcceptance, findAcceptance } from '../../src/github/accept.js';
import {
  COMMENT_LIMIT,
  CommentPermissionError,
  commentBody,
  commentMarker,
  findComment,
  neutralizeUntrusted,
  upsertComment,
} from '../../src/github/comment.js';
import type { ActionContext } from '../../src/github/context.js';
import { createOctokit, type Octokit } from '../../src/github/octokit.js';
import { verifyPullRequest, type ReportManifest } from '../../src/github/report-artifact.js';
import type { Comparison } from '../../src/model/comparison.js';
import { FakeGitHub, OWNER, REPO, type FakePull } from '../helpers/fake-github.js';

let github: FakeGitHub;
let octokit: Octokit;
let pull: FakePull;
let nextPr = 1;

beforeAll(async () => {
  github = await new FakeGitHub().start();
  octokit = createOctokit({
    token: 'ghs_write',
    baseUrl: github.url,
    retryAfterMs: 1,
    throttle: false,
  });
});
afterAll(() => github.stop());
beforeEach(() => {
  pull = github.addPull({ number: nextPr++, headSha: 'a'.repeat(40) });
});

const target = (job = 'perf') => ({ owner: OWNER, repo: REPO, issueNumber: pull.number, job });

describe('sticky comment', () => {
  it('is created once, then updated in place; other jobs keep their own', async () => {
    const first = await upsertComment(octokit, target(), commentBody('run 1', 'perf'));
    expect(first.action).toBe('created');
    const other = await upsertComment(octokit, target('perf-db'), commentBody('db', 'perf-db'));
    const second = await upsertComment(octokit, target(), commentBody('run 2', 'perf'));
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(pull.comments).toHaveLength(2);
    expect(pull.comments.find((c) => c.id === first.id)!.body).toBe(
      `${commentMarker('perf')}\nrun 2`,
    );
    expect(pull.comments.find((c) => c.id === other.id)!.body).toContain('db');
  });

  it('finds its comment beyond the first page', async () => {
    for (let i = 0; i < 130; i += 1) {
      pull.comments.push({
        id: 90_000 + i,
        body: `chatter ${i}`,
        user: { login: 'dev', type: 'User' },
        created_at: '',
        updated_at: '',
        html_url: '',
      });
    }
    const posted = await upsertComment(octokit, target(), commentBody('x', 'perf'));
    expect((await findComment(octokit, target()))!.id).toBe(posted.id);
  });

  it('ignores a user comment that quotes the marker in the middle', async () => {
    pull.comments.push({
      id: 80_000,
      body: `see ${commentMarker('perf')}`,
      user: { login: 'dev', type: 'User' },
      created_at: '',
      updated_at: '',
      html_url: '',
    });
    expect(await findComment(octokit, target())).toBeUndefined();
  });

  it('turns 403 into a message naming the missing permission', async () => {
    const readonly = createOctokit({ token: 'ghs_read', baseUrl: github.url, retryAfterMs: 1 });
    github.readonlyTokens.add('ghs_read');
    const error = await upsertComment(readonly, target(), 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommentPermissionError);
    expect((error as Error).message).toMatch(/pull-requests: write/);
    expect((error as Error).message).toMatch(/HTTP 403/);
    // Not retried: a 403 stays a 403.
    expect(github.requests.at(-1)).toMatchObject({ method: 'POST', status: 403 });
    expect(github.requests.at(-2)?.method).toBe('GET');
  });

  it('retries a 500 and then succeeds', async () => {
    github.fail({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 500, times: 2 });
    const before = github.count('POST', /\/issues\/\d+\/comments$/);
    const posted = await upsertComment(octokit, target(), 'after errors');
    expect(posted.action).toBe('created');
    expect(github.count('POST', /\/issues\/\d+\/comments$/) - before).toBe(3);
  });

  it('waits out a secondary rate limit and retries', async () => {
    const paced = createOctokit({ token: 'ghs_write', baseUrl: github.url, retryAfterMs: 1 });
    github.fail({
      method: 'GET',
      path: /\/issues\/\d+\/comments$/,
      status: 403,
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes.',
      headers: { 'retry-after': '1' },
    });
    const before = github.count('GET', /\/issues\/\d+\/comments$/);
    expect(await findComment(paced, target())).toBeUndefined();
    expect(github.count('GET', /\/issues\/\d+\/comments$/) - before).toBe(2);
  });

  it('keeps the body within GitHub’s limit and strips foreign markers', () => {
    const body = commentBody(`<!-- perfgate:comment job=other -->${'x'.repeat(70_000)}`, 'perf');
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.startsWith(commentMarker('perf'))).toBe(true);
    expect(body).not.toContain('job=other');
    expect(body).toMatch(/truncated/);
    expect(neutralizeUntrusted('hi @octocat and @org/team <!-- x --> a@')).toBe(
      'hi @\u200boctocat and @\u200borg/team  a@',
    );
    expect(commentMarker('a b<!-->')).toBe('<!-- perfgate:comment job=a_b__-_ -->');
  });
});

describe('accept label', () => {
  const failing = {
    verdict: 'fail',
    reasons: ['sum: time +40.0%'],
    benchmarks: [],
  } as unknown as Comparison;

  it('is found with who set it (last labeled event)', async () => {
    pull.labels = ['perf-accepted'];
    pull.events = [
      { event: 'labeled', label: 'perf-accepted', actor: 'alice' },
      { event: 'unlabeled', label: 'perf-accepted', actor: 'alice' },
      { event: 'labeled', label: 'perf-accepted', actor: 'bob' },
    ];
    const acceptance = await findAcceptance(octokit, target(), 'perf-accepted', {});
    expect(acceptance).toEqual({ label: 'perf-accepted', by: 'bob' });
    const accepted = applyAcceptance(failing, acceptance!);
    expect(accepted.verdict).toBe('pass');
    expect(accepted.accepted).toEqual({ by: 'bob', reasons: ['sum: time +40.0%'] });
  });

  it('is absent without the label, and a passing comparison is left alone', async () => {
    pull.labels = ['bug'];
    expect(await findAcceptance(octokit, target(), 'perf-accepted', {})).toBeUndefined();
    const passing = { ...failing, verdict: 'pass' } as Comparison;
    expect(applyAcceptance(passing, { label: 'x', by: 'y' })).toBe(passing);
  });

  it('falls back to the labeled event sender when events are unavailable', async () => {
    pull.labels = ['perf-accepted'];
    github.fail({ method: 'GET', path: /\/issues\/\d+\/events$/, status: 403 });
    const acceptance = await findAcceptance(octokit, target(), 'perf-accepted', {
      action: 'labeled',
      label: { name: 'perf-accepted' },
      sender: { login: 'carol' },
    });
    expect(acceptance?.by).toBe('carol');
  });
});

describe('fork report: the PR must belong to the triggering run', () => {
  const context = { owner: OWNER, repo: REPO } as ActionContext;
  const manifest = (pr: number, sha: string): ReportManifest => ({
    kind: 'perfgate-report',
    version: 1,
    pullRequest: pr,
    headSha: sha,
    job: 'perf',
    verdict: 'fail',
    regressions: 1,
    improvements: 0,
    post: true,
  });
  const run = (sha: string, prs: number[] = [], headRepo = 'mallory/shop') => ({
    id: 1,
    head_sha: sha,
    head_repository: { full_name: headRepo },
    pull_requests: prs.map((number) => ({ number, head: { sha } })),
  });

  it('accepts a same-repo PR listed in the run, and a fork PR whose head matches', async () => {
    const sha = 'c'.repeat(40);
    await verifyPullRequest(
      octokit,
      context,
      run(sha, [pull.number]),
      manifest(pull.number, sha),
      's',
    );
    const fork = github.addPull({ number: nextPr++, headSha: sha, headRepository: 'mallory/shop' });
    await verifyPullRequest(octokit, context, run(sha), manifest(fork.number, sha), 's');
  });

  it('refuses another PR number, another commit or another head repository', async () => {
    const sha = 'd'.repeat(40);
    const victim = github.addPull({ number: nextPr++, headSha: 'e'.repeat(40) });
    await expect(
      verifyPullRequest(octokit, context, run(sha), manifest(victim.number, sha), 's'),
    ).rejects.toThrow(/refusing to comment on pull request #\d+: its head is e+/);
    await expect(
      verifyPullRequest(
        octokit,
        context,
        run(sha, [pull.number]),
        manifest(victim.number, sha),
        's',
      ),
    ).rejects.toThrow(/belongs to #/);
    await expect(
      verifyPullRequest(octokit, context, run(sha), manifest(pull.number, 'f'.repeat(40)), 's'),
    ).rejects.toThrow(/the report is for commit f+/);
    const sameSha = github.addPull({ number: nextPr++, headSha: sha, headRepository: 'eve/shop' });
    await expect(
      verifyPullRequest(octokit, context, run(sha), manifest(sameSha.number, sha), 's'),
    ).rejects.toThrow(/head repository is eve\/shop/);
  });
});
