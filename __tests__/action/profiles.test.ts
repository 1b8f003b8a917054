/**
 * End to end: with CPU profiles on, a regressing PR uploads the raw profiles and the differential
 * flame graph as one artifact, and the comment links it from the regressed benchmark.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStep, benchProject, type BenchProject } from '../helpers/action-runner.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { FakeGitHub, pullRequestEvent, pushEvent } from '../helpers/fake-github.js';

let azurite: Azurite;
let github: FakeGitHub;
let project: BenchProject;
const sha = (c: string) => c.repeat(40);

beforeAll(async () => {
  azurite = await startAzurite();
  github = await new FakeGitHub(azurite).start();
  // As in flow.test.ts: a ~12x regression against a 200% threshold, far from load noise.
  project = await benchProject(1, { threshold: 200, profile: { enabled: true, duration: 150 } });
});

afterAll(async () => {
  await github?.stop();
  await azurite?.stop();
  if (project) await rm(project.dir, { recursive: true, force: true });
});

describe('action: profiles artifact', () => {
  it('uploads profiles and flame graphs of a regressing PR and links them in the comment', async () => {
    const push = github.addRun({ headBranch: 'main', headSha: sha('1') });
    const stored = await runStep({
      env: github.env(push),
      eventName: 'push',
      payload: pushEvent('main', sha('1')),
      workspace: project.dir,
      ref: 'refs/heads/main',
    });
    expect(stored.code, stored.log + stored.stderr).toBe(0);
    github.completeRun(push.id, 'success');
    // A baseline push uploads no profiles artifact: nothing to review there.
    expect(github.artifacts.some((a) => a.name.startsWith('perfgate-profiles'))).toBe(false);

    const pull = github.addPull({ number: 11, headSha: sha('b') });
    await project.setWork(12);
    const run = github.addRun({
      headBranch: pull.headRef,
      headSha: sha('b'),
      event: 'pull_request',
      pullRequests: [pull.number],
    });
    const result = await runStep({
      env: github.env(run),
      eventName: 'pull_request',
      payload: pullRequestEvent(pull),
      workspace: project.dir,
      ref: `refs/pull/${pull.number}/merge`,
    });
    expect(result.code, result.log + result.stderr).toBe(1);
    const artifact = github.artifacts.find((a) => a.name === 'perfgate-profiles-perf');
    expect(artifact, result.log).toBeDefined();
    expect(artifact!.finalized).toBe(true);
    const zip = (await github.readBlob(artifact!)).toString('latin1');
    // The zip's central directory names its entries: raw profiles and the regressed flame graph.
    expect(zip).toMatch(/profiles\/[^\s]*checksum[^\s]*\.cpuprofile/);
    expect(zip).toMatch(/flamegraphs\/[^\s]*checksum[^\s]*\.diff\.svg/);
    expect(zip).toMatch(/flamegraphs\/[^\s]*checksum[^\s]*\.speedscope\.json/);
    const body = pull.comments[0]!.body;
    expect(body).toContain(`/actions/runs/${run.id}/artifacts/${artifact!.id}`);
    expect(body).toMatch(/checksum[^\n]*flame graph/);
  });
});
