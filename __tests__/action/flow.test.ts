/**
 * End to end: dist/index.js run as the GitHub runner runs it, against the loopback GitHub fake
 * (REST + artifact Results service) with blobs in Azurite, on a tiny real bench project.
 * The story: push stores the baseline → a PR with a regression comments and fails → a second push
 * to the PR updates the same comment → the fixed PR passes → an accepted regression passes.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runStep } from '../helpers/action-runner.js';
import { actionSuite } from '../helpers/action-suite.js';
import { pullRequestEvent, type FakePull } from '../helpers/fake-github.js';

// Wide threshold: the injected regression is ~12x (+1100%); the noise of a 2 µs benchmark on a
// busy 2-core box has been seen at +145%, never near that.
const suite = actionSuite({ project: { work: 1, config: { threshold: 200 } } });
let pull: FakePull;

const sha = (c: string) => c.repeat(40);
const push = (commit: string) => suite.push(commit);

async function prRun(commit: string, inputs: Record<string, string> = {}) {
  pull.headSha = commit;
  return (await suite.pull(pull, { inputs, ref: `refs/pull/${pull.number}/merge` })).result;
}

describe('action end to end', () => {
  it('a push to main stores the baseline artifact', async () => {
    const { result } = await push(sha('1'));
    expect(result.code, result.log + result.stderr).toBe(0);
    const stored = suite.github.artifacts.filter((a) => a.name === 'perfgate-baseline');
    expect(stored).toHaveLength(1);
    expect(result.outputs.verdict).toBe('pass');
    expect(result.log).toMatch(/Stored the baseline/);
    // A second push appends to the history (downloads the first, uploads both).
    const second = await push(sha('2'));
    expect(second.result.code, second.result.log).toBe(0);
    expect(second.result.log).toMatch(/Baseline: artifact perfgate-baseline #\d+/);
    expect(suite.github.artifacts.filter((a) => a.name === 'perfgate-baseline')).toHaveLength(2);
  });

  it('a PR with a regression posts one comment and fails the check', async () => {
    pull = suite.github.addPull({ number: 7, headSha: sha('a') });
    suite.github.mergeBases.set(`main...${sha('a')}`, sha('1'));
    await suite.project.setWork(12);
    const result = await prRun(sha('a'));
    expect(result.code, result.log + result.stderr).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    expect(Number(result.outputs.regressions)).toBeGreaterThanOrEqual(1);
    expect(result.outputs['comment-url']).toMatch(/#issuecomment-\d+$/);
    expect(pull.comments).toHaveLength(1);
    const body = pull.comments[0]!.body;
    expect(body.startsWith('<!-- perfgate:comment job=perf -->')).toBe(true);
    expect(body).toMatch(/checksum/);
    // Names from PR code are escaped: no raw HTML, no @mention.
    expect(body).not.toContain('<b>sum</b>');
    expect(body).not.toMatch(/(^|[^\\])@team/);
    expect(result.summary).toMatch(/checksum/);
    expect(result.warnings.some((w) => w.includes('checksum'))).toBe(true);
    expect(result.errors.join('\n')).toMatch(/failing check/);
    // The merge base's baseline (commit 1) was preferred over the newer one (commit 2).
    expect(result.log).toMatch(new RegExp(`commit ${sha('1')}`));
    const comparison = JSON.parse(await readFile(result.outputs['comparison-path']!, 'utf8'));
    expect(comparison.verdict).toBe('fail');
    expect(comparison.benchmarks.find((b: { name: string }) => b.name === 'checksum').status).toBe(
      'regression',
    );
    expect(await readFile(result.outputs['report-path']!, 'utf8')).toMatch(/checksum/);
  });

  it('a second push to the PR updates the same comment', async () => {
    const firstId = pull.comments[0]!.id;
    const before = pull.comments[0]!.updated_at;
    await new Promise((r) => setTimeout(r, 5));
    const result = await prRun(sha('b'));
    expect(result.code).toBe(1);
    expect(pull.comments).toHaveLength(1);
    expect(pull.comments[0]!.id).toBe(firstId);
    expect(pull.comments[0]!.updated_at).not.toBe(before);
    expect(result.log).toMatch(/Comment updated/);
  });

  it('the fixed PR passes and the comment says so', async () => {
    await suite.project.setWork(1);
    const result = await prRun(sha('c'));
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(result.outputs.regressions).toBe('0');
    expect(pull.comments).toHaveLength(1);
    expect(pull.comments[0]!.body).not.toMatch(/regression.*checksum/i);
  });

  it('the accept label turns the failing gate into a pass and names who accepted', async () => {
    await suite.project.setWork(12);
    pull.labels = ['perf-accepted'];
    pull.events = [{ event: 'labeled', label: 'perf-accepted', actor: 'alice' }];
    const result = await prRun(sha('d'));
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(Number(result.outputs.regressions)).toBeGreaterThanOrEqual(1);
    const comparison = JSON.parse(await readFile(result.outputs['comparison-path']!, 'utf8'));
    expect(comparison.accepted).toMatchObject({ by: 'alice' });
    expect(result.log).toMatch(/accepted by label "perf-accepted" \(set by alice\)/);
    expect(pull.comments[0]!.body).toMatch(/alice/);
    pull.labels = [];
  });

  it('comment: on-regression stays silent on a clean PR without a comment', async () => {
    await suite.project.setWork(1);
    const quiet = suite.github.addPull({ number: 8, headSha: sha('e') });
    const run = suite.github.addRun({
      headBranch: quiet.headRef,
      headSha: sha('e'),
      event: 'pull_request',
    });
    const result = await runStep({
      env: suite.github.env(run),
      eventName: 'pull_request',
      payload: pullRequestEvent(quiet),
      workspace: suite.project.dir,
      inputs: { comment: 'on-regression' },
    });
    expect(result.code, result.log).toBe(0);
    expect(quiet.comments).toHaveLength(0);
    expect(result.outputs['comment-url']).toBe('');
    expect(result.summary).toMatch(/checksum/);
  });
});
