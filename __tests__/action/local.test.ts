/**
 * End to end without artifacts: `baseline-path` (a local store folder, for self-hosted runners)
 * and which Node runs the bench children (PATH's `node`, or the `node` input).
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchProject, runStep, type BenchProject } from '../helpers/action-runner.js';
import { FakeGitHub, pullRequestEvent, pushEvent } from '../helpers/fake-github.js';

let github: FakeGitHub;
let project: BenchProject;
let bin: string;

/** A `node` that records its calls, then runs the real one. */
async function recordingNode(path: string, marker: string): Promise<void> {
  await writeFile(path, `#!/bin/sh\necho "$@" >> "${marker}"\nexec "${process.execPath}" "$@"\n`);
  await chmod(path, 0o755);
}

beforeAll(async () => {
  github = await new FakeGitHub().start();
  project = await benchProject(1, { threshold: 200 });
  bin = await mkdtemp(join(tmpdir(), 'perfgate-bin-'));
  await mkdir(join(bin, 'path'));
  await recordingNode(join(bin, 'path', 'node'), join(bin, 'path.log'));
  await recordingNode(join(bin, 'custom-node'), join(bin, 'custom.log'));
});

afterAll(async () => {
  await github?.stop();
  if (project) await rm(project.dir, { recursive: true, force: true });
  if (bin) await rm(bin, { recursive: true, force: true });
});

describe('baseline-path and node', () => {
  it('stores and compares with a local baseline folder; bench children use node on PATH', async () => {
    const run = github.addRun({ headBranch: 'main', headSha: '1'.repeat(40) });
    const env = { ...github.env(run), ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' };
    const pushed = await runStep({
      env,
      eventName: 'push',
      payload: pushEvent('main', '1'.repeat(40)),
      workspace: project.dir,
      ref: 'refs/heads/main',
      inputs: { 'baseline-path': '.perf-baseline' },
      extraEnv: { PATH: `${join(bin, 'path')}:${process.env.PATH}` },
    });
    expect(pushed.code, pushed.log + pushed.stderr).toBe(0);
    expect(pushed.log).toMatch(/Stored the baseline \(local baseline/);
    expect(await readFile(join(bin, 'path.log'), 'utf8')).toMatch(/child/);

    await project.setWork(12);
    const pull = github.addPull({ number: 1, headSha: '2'.repeat(40) });
    const pr = await runStep({
      env,
      eventName: 'pull_request',
      payload: pullRequestEvent(pull),
      workspace: project.dir,
      inputs: { 'baseline-path': '.perf-baseline', node: join(bin, 'custom-node') },
    });
    await project.setWork(1);
    expect(pr.code, pr.log + pr.stderr).toBe(1);
    expect(pr.outputs.verdict).toBe('fail');
    expect(pull.comments).toHaveLength(1);
    expect(github.artifacts).toHaveLength(0);
    expect(await readFile(join(bin, 'custom.log'), 'utf8')).toMatch(/child/);
  });

  it('working-directory: baseline-path is relative to the workspace, annotations name pkg/…', async () => {
    // The project lives in <workspace>/<pkg>: before, `baseline-path: <pkg>/store` was read from
    // <pkg>/<pkg>/store (the PR passed with "No baseline yet") and the annotation named
    // bench/app.bench.mjs instead of <pkg>/bench/app.bench.mjs.
    const workspace = dirname(project.dir);
    const pkg = basename(project.dir);
    const inputs = { 'working-directory': pkg, 'baseline-path': `${pkg}/store` };
    const run = github.addRun({ headBranch: 'main', headSha: '7'.repeat(40) });
    const env = { ...github.env(run), ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' };
    try {
      const pushed = await runStep({
        env,
        eventName: 'push',
        payload: pushEvent('main', '7'.repeat(40)),
        workspace,
        ref: 'refs/heads/main',
        inputs,
      });
      expect(pushed.code, pushed.log + pushed.stderr).toBe(0);
      expect((await readdir(join(project.dir, 'store'))).length).toBeGreaterThan(0);
      await expect(readdir(join(project.dir, pkg))).rejects.toThrow();
      await project.setWork(12);
      const pull = github.addPull({ number: 7, headSha: '8'.repeat(40) });
      const pr = await runStep({
        env,
        eventName: 'pull_request',
        payload: pullRequestEvent(pull),
        workspace,
        inputs,
      });
      expect(pr.code, pr.log + pr.stderr).toBe(1);
      expect(pr.log).not.toMatch(/No baseline yet/);
      expect(pr.log).toContain(`file=${pkg}/bench/app.bench.mjs`);
    } finally {
      await project.setWork(1);
      await rm(join(project.dir, 'store'), { recursive: true, force: true });
    }
  });

  it('baseline-path may be a Run file: the PR is compared with that run (before: ENOTDIR)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-runfile-'));
    const file = join(dir, 'baseline.json');
    const run = github.addRun({ headBranch: 'main', headSha: '9'.repeat(40) });
    const env = { ...github.env(run), ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' };
    try {
      // A push to main writes the file; a PR then reads it as its baseline.
      const pushed = await runStep({
        env,
        eventName: 'push',
        payload: pushEvent('main', '9'.repeat(40)),
        workspace: project.dir,
        ref: 'refs/heads/main',
        inputs: { 'baseline-path': file },
      });
      expect(pushed.code, pushed.log + pushed.stderr).toBe(0);
      expect(pushed.log).toMatch(/Baseline: baseline Run file/);
      const stored = JSON.parse(await readFile(file, 'utf8'));
      expect(stored.tool).toBe('perfgate');
      expect(stored.benchmarks.length).toBeGreaterThan(0);

      await project.setWork(12);
      const pull = github.addPull({ number: 9, headSha: 'a'.repeat(40) });
      const pr = await runStep({
        env,
        eventName: 'pull_request',
        payload: pullRequestEvent(pull),
        workspace: project.dir,
        inputs: { 'baseline-path': file },
      });
      expect(pr.code, pr.log + pr.stderr).toBe(1);
      expect(pr.log).not.toMatch(/ENOTDIR|No baseline yet/);
      expect(pr.outputs.verdict).toBe('fail');
    } finally {
      await project.setWork(1);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('filter: the base is restricted to the same benchmarks, so none shows as removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-filter-'));
    const run = github.addRun({ headBranch: 'main', headSha: '5'.repeat(40) });
    const env = { ...github.env(run), ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' };
    const inputs = { 'baseline-path': dir };
    try {
      const pushed = await runStep({
        env,
        eventName: 'push',
        payload: pushEvent('main', '5'.repeat(40)),
        workspace: project.dir,
        ref: 'refs/heads/main',
        inputs,
      });
      expect(pushed.code, pushed.log + pushed.stderr).toBe(0);
      const pull = github.addPull({ number: 4, headSha: '6'.repeat(40) });
      const pr = await runStep({
        env,
        eventName: 'pull_request',
        payload: pullRequestEvent(pull),
        workspace: project.dir,
        inputs: { ...inputs, filter: 'checksum', comment: 'always' },
      });
      expect(pr.code, pr.log + pr.stderr).toBe(0);
      const comparison = JSON.parse(await readFile(pr.outputs['comparison-path']!, 'utf8')) as {
        summary: Record<string, number>;
        benchmarks: Array<{ id: string; status: string }>;
      };
      expect(comparison.benchmarks.map((b) => b.id)).toEqual(['bench/app.bench.mjs > checksum']);
      expect(comparison.summary.removed).toBe(0);
      expect(pull.comments).toHaveLength(1);
      expect(pull.comments[0]!.body).not.toMatch(/removed/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('matrix legs keep one comment each with comment-key', async () => {
    const run = github.addRun({ headBranch: 'f', headSha: '3'.repeat(40), event: 'pull_request' });
    const env = { ...github.env(run), ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' };
    const pull = github.addPull({ number: 2, headSha: '3'.repeat(40) });
    for (const key of ['node20', 'node22', 'node20']) {
      const step = await runStep({
        env,
        eventName: 'pull_request',
        payload: pullRequestEvent(pull),
        workspace: project.dir,
        inputs: { 'baseline-path': '.perf-baseline', 'comment-key': key },
      });
      expect(step.code, step.log + step.stderr).toBe(0);
    }
    expect(pull.comments.map((c) => c.body.split('\n')[0])).toEqual([
      '<!-- perfgate:comment job=perf-node20 -->',
      '<!-- perfgate:comment job=perf-node22 -->',
    ]);
  });

  it('a bench that throws fails the step naming it, and the comment is still posted', async () => {
    const broken = await benchProject(1, { threshold: 200 });
    try {
      await writeFile(
        join(broken.dir, 'bench', 'broken.bench.mjs'),
        "import { Bench } from 'tinybench';\nconst b = new Bench();\nb.add('explodes', () => { throw new Error('kaboom'); });\nexport default b;\n",
      );
      const run = github.addRun({
        headBranch: 'f',
        headSha: '4'.repeat(40),
        event: 'pull_request',
      });
      const env = { ...github.env(run), ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' };
      const pull = github.addPull({ number: 3, headSha: '4'.repeat(40) });
      const step = await runStep({
        env,
        eventName: 'pull_request',
        payload: pullRequestEvent(pull),
        workspace: broken.dir,
        inputs: { 'baseline-path': '.perf-baseline' },
      });
      expect(step.code).toBe(1);
      expect(step.errors.join('\n')).toMatch(/broken\.bench\.mjs.*kaboom/);
      expect(pull.comments).toHaveLength(1);
      expect(pull.comments[0]!.body).toMatch(/explodes/);
    } finally {
      await rm(broken.dir, { recursive: true, force: true });
    }
  });
});
