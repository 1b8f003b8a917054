/**
 * End to end, the unhappy paths: no baseline, expired and corrupt artifacts, fork PRs (two
 * phases), 403 on comment, API 500 then success, shards merged, bad input.
 */
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { benchProject, runStep } from '../helpers/action-runner.js';
import { actionSuite } from '../helpers/action-suite.js';
import {
  pullRequestEvent,
  pushEvent,
  type FakePull,
  type FakeRun,
} from '../helpers/fake-github.js';
import { makeZip } from '../helpers/zip.js';

const suite = actionSuite({ project: { work: 1, config: { threshold: 200 } }, firstPull: 100 });
const { sha, newPull } = suite;

async function pushBaseline(commit: string): Promise<FakeRun> {
  const { run, result } = await suite.push(commit);
  expect(result.code, result.log + result.stderr).toBe(0);
  return run;
}

function prStep(
  pull: FakePull,
  options: { inputs?: Record<string, string>; token?: string; headRepository?: string } = {},
) {
  return suite.pull(pull, {
    ...(options.headRepository ? { headRepository: options.headRepository } : {}),
    inputs: { ...(options.token ? { 'github-token': options.token } : {}), ...options.inputs },
  });
}

describe('no baseline', () => {
  it('is not an error: the comment says so and shows the results; the gate passes', async () => {
    const pull = newPull();
    const { result } = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(pull.comments).toHaveLength(1);
    expect(pull.comments[0]!.body).toMatch(/No baseline yet/);
    expect(pull.comments[0]!.body).toMatch(/checksum/);
  });

  it('fails with require-baseline: true', async () => {
    const { result } = await prStep(newPull(), { inputs: { 'require-baseline': 'true' } });
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toMatch(/no baseline .* require-baseline is true/);
  });
});

describe('unusable baselines', () => {
  it('an expired artifact is a clear message, treated as no baseline', async () => {
    const run = await pushBaseline(sha(1));
    for (const a of suite.github.artifacts.filter((x) => x.runId === run.id)) a.expired = true;
    const pull = newPull();
    const { result } = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(result.warnings.join('\n')).toMatch(/has expired/);
    expect(pull.comments[0]!.body).toMatch(/Baseline unavailable.*expired/);
  });

  it('a corrupt artifact (bad zip, zip-slip, invalid Run) never crashes the step', async () => {
    const run = await pushBaseline(sha(2));
    const artifact = suite.github.artifacts.find((a) => a.runId === run.id)!;
    for (const [data, message] of [
      [Buffer.from('garbage, not a zip'), /not a valid zip archive/],
      [makeZip({ '../../../escape.json': '{}' }), /escapes the target folder/],
      [
        makeZip({ 'baseline/000001.json': '{"schemaVersion": 1, "tool": "perfgate"}' }),
        /no readable baseline run/,
      ],
    ] as const) {
      await suite.github.overwriteBlob(artifact, data);
      const pull = newPull();
      const { result } = await prStep(pull);
      expect(result.code, result.log + result.stderr).toBe(0);
      expect(result.warnings.join('\n')).toMatch(message);
      expect(pull.comments[0]!.body).toMatch(/Baseline unavailable/);
    }
  });
});

describe('permissions and API errors', () => {
  it('a failed baseline upload fails the push but loses nothing', async () => {
    const good = await pushBaseline(sha(7));
    const before = suite.github.artifacts.length;
    suite.github.fail({
      method: 'POST',
      path: /CreateArtifact$/,
      status: 400,
      message: 'storage quota exceeded',
      times: 1,
    });
    const run = suite.github.addRun({ headBranch: 'main', headSha: sha(8) });
    const result = await runStep({
      env: suite.github.env(run),
      eventName: 'push',
      payload: pushEvent('main', sha(8)),
      workspace: suite.project.dir,
      ref: 'refs/heads/main',
    });
    suite.github.completeRun(run.id, 'failure');
    expect(result.code).toBe(1);
    expect(result.errors.join('\n')).toMatch(/CreateArtifact/);
    expect(result.summary).toMatch(/checksum/);
    expect(result.outputs.verdict).toBe('pass');
    expect(suite.github.artifacts).toHaveLength(before);
    // The next PR still finds the previous baseline.
    const pull = newPull();
    const { result: pr } = await prStep(pull);
    expect(pr.code, pr.log).toBe(0);
    expect(pr.log).toMatch(new RegExp(`run ${good.id}\\)`));
  });

  it('403 on comment: says which permission is missing, still writes summary and verdict', async () => {
    await pushBaseline(sha(3));
    suite.github.readonlyTokens.add('ghs_readonly');
    const pull = newPull();
    const { result } = await prStep(pull, { token: 'ghs_readonly' });
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(pull.comments).toHaveLength(0);
    expect(result.warnings.join('\n')).toMatch(/pull-requests: write/);
    expect(result.summary).toMatch(/checksum/);
    expect(result.outputs.verdict).toBe('pass');
    // The comment is handed over as the report artifact for a workflow_run workflow.
    expect(suite.github.artifacts.some((a) => a.name === 'perfgate-report')).toBe(true);
  });

  it('API 500s are retried and the comment is posted', async () => {
    suite.github.fail({ method: 'GET', path: /\/issues\/\d+\/comments$/, status: 500, times: 1 });
    suite.github.fail({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 502, times: 2 });
    suite.github.fail({ method: 'GET', path: /\/actions\/artifacts$/, status: 503, times: 1 });
    const pull = newPull();
    const { result } = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(pull.comments).toHaveLength(1);
    expect(suite.github.faults.every((f) => f.times === 0)).toBe(true);
    expect(pull.comments[0]!.body).not.toMatch(/No baseline yet/);
  });
});

describe('fork pull requests (two phases)', () => {
  it('phase 1 uploads the report; phase 2 (workflow_run) posts it on the right PR', async () => {
    await suite.project.setWork(12);
    const pull = newPull({ headRepository: 'forker/shop' });
    suite.github.readonlyTokens.add('ghs_fork');
    const { run, result } = await prStep(pull, {
      token: 'ghs_fork',
      headRepository: 'forker/shop',
    });
    await suite.project.setWork(1);
    expect(result.code).toBe(1); // the gate still fails in the fork's own run
    expect(pull.comments).toHaveLength(0);
    expect(result.log).toMatch(/Pull request from a fork/);
    expect(
      suite.github.artifacts.some((a) => a.runId === run.id && a.name === 'perfgate-report'),
    ).toBe(true);

    // Phase 2: a different run (workflow_run), write token, no checkout of PR code.
    const commenter = suite.github.addRun({
      headBranch: 'main',
      headSha: sha(999),
      event: 'workflow_run',
    });
    const step = await runStep({
      env: suite.github.env(commenter),
      eventName: 'workflow_run',
      payload: suite.github.workflowRunEvent(run),
      workspace: suite.project.dir,
      job: 'post',
    });
    expect(step.code, step.log + step.stderr).toBe(0);
    expect(pull.comments).toHaveLength(1);
    expect(pull.comments[0]!.body.startsWith('<!-- perfgate:comment job=perf -->')).toBe(true);
    expect(pull.comments[0]!.body).toMatch(/checksum/);
    expect(step.outputs.verdict).toBe('fail');
    expect(step.outputs['comment-url']).toMatch(/issuecomment/);

    // Running phase 2 again updates the same comment.
    const again = await runStep({
      env: suite.github.env(commenter),
      eventName: 'workflow_run',
      payload: suite.github.workflowRunEvent(run),
      workspace: suite.project.dir,
      job: 'post',
    });
    expect(again.code).toBe(0);
    expect(pull.comments).toHaveLength(1);
  });

  it('phase 2 refuses a report that names another PR', async () => {
    const victim = newPull();
    const attacker = newPull({ headRepository: 'mallory/shop' });
    const run = suite.github.addRun({
      headBranch: attacker.headRef,
      headSha: attacker.headSha,
      event: 'pull_request',
      headRepository: 'mallory/shop',
    });
    // What a malicious fork workflow could upload: a report aimed at the victim's PR.
    const step1 = await runStep({
      env: suite.github.env(run),
      eventName: 'pull_request',
      payload: pullRequestEvent({ ...attacker, number: victim.number, headSha: attacker.headSha }),
      workspace: suite.project.dir,
      inputs: { 'github-token': 'ghs_fork' },
    });
    suite.github.completeRun(run.id, 'success');
    expect(
      suite.github.artifacts.some((a) => a.runId === run.id && a.name === 'perfgate-report'),
    ).toBe(true);
    expect(step1.code).toBe(0);
    const commenter = suite.github.addRun({
      headBranch: 'main',
      headSha: sha(998),
      event: 'workflow_run',
    });
    const step2 = await runStep({
      env: suite.github.env(commenter),
      eventName: 'workflow_run',
      payload: suite.github.workflowRunEvent(run),
      workspace: suite.project.dir,
      job: 'post',
    });
    expect(step2.code).toBe(1);
    expect(step2.errors.join('\n')).toMatch(/refusing to comment on pull request #\d+/);
    expect(victim.comments).toHaveLength(0);
  });

  it('phase 2 with no report artifact has nothing to post', async () => {
    const run = suite.github.addRun({ headBranch: 'x', headSha: sha(997), event: 'pull_request' });
    const commenter = suite.github.addRun({
      headBranch: 'main',
      headSha: sha(996),
      event: 'workflow_run',
    });
    const step = await runStep({
      env: suite.github.env(commenter),
      eventName: 'workflow_run',
      payload: suite.github.workflowRunEvent(run),
      workspace: suite.project.dir,
    });
    expect(step.code, step.log).toBe(0);
    expect(step.log).toMatch(/nothing to post/);
    expect(step.outputs.verdict).toBe('none');
  });
});

describe('shards', () => {
  it('shard jobs upload partial Runs; the merge job combines and compares them', async () => {
    const shardProject = await benchProject(1, { threshold: 200 });
    try {
      const { writeFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      await writeFile(
        join(shardProject.dir, 'bench', 'other.bench.mjs'),
        "import { Bench } from 'tinybench';\nconst b = new Bench();\nb.add('noop', () => 1);\nexport default b;\n",
      );
      const pull = newPull();
      const run = suite.github.addRun({
        headBranch: pull.headRef,
        headSha: pull.headSha,
        event: 'pull_request',
      });
      for (const shard of ['1/2', '2/2']) {
        const step = await runStep({
          env: suite.github.env(run),
          eventName: 'pull_request',
          payload: pullRequestEvent(pull),
          workspace: shardProject.dir,
          inputs: { shard },
          job: 'bench',
        });
        expect(step.code, step.log + step.stderr).toBe(0);
        expect(step.outputs.verdict).toBe('none');
      }
      expect(pull.comments).toHaveLength(0);
      const merge = await runStep({
        env: suite.github.env(run),
        eventName: 'pull_request',
        payload: pullRequestEvent(pull),
        workspace: shardProject.dir,
        inputs: { mode: 'merge' },
        job: 'perf',
      });
      expect(merge.code, merge.log + merge.stderr).toBe(0);
      expect(merge.log).toMatch(/Merged 2 shard\(s\): 3 benchmark\(s\)/);
      expect(pull.comments).toHaveLength(1);
      expect(pull.comments[0]!.body).toMatch(/noop/);
    } finally {
      await rm(shardProject.dir, { recursive: true, force: true });
    }
  });
});

describe('bad input', () => {
  it('fails the step with a message naming the input or file, no stack trace', async () => {
    const run = suite.github.addRun({ headBranch: 'main', headSha: sha(5) });
    const bad = await runStep({
      env: suite.github.env(run),
      eventName: 'push',
      payload: pushEvent('main', sha(5)),
      workspace: suite.project.dir,
      inputs: { comment: 'sometimes' },
    });
    expect(bad.code).toBe(1);
    expect(bad.errors.join('\n')).toMatch(
      /input `comment`: expected one of always, on-regression, never/,
    );
    expect(bad.stdout + bad.stderr).not.toMatch(/\n\s+at /);

    const missing = await runStep({
      env: suite.github.env(run),
      eventName: 'push',
      payload: pushEvent('main', sha(5)),
      workspace: suite.project.dir,
      inputs: { config: 'nope.json' },
    });
    expect(missing.code).toBe(1);
    expect(missing.errors.join('\n')).toMatch(/nope\.json/);
  });
});
