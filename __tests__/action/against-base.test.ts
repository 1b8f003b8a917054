/**
 * End to end: `compare: against-base` through dist/index.js with the loopback GitHub fake and
 * Azurite. The workspace is a real shallow clone (`--depth 1`, like actions/checkout's default)
 * of a local bare repository: the action fetches the base commit itself, finds the merge base,
 * benchmarks it with the head in alternating fork pairs, confirms the regression, and still
 * reads the stored history (for the trend).
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/model/comparison.js';
import { ROOT, runStep } from '../helpers/action-runner.js';
import { actionSuite } from '../helpers/action-suite.js';
import { pullRequestEvent } from '../helpers/fake-github.js';

// The injected regression is ~12×: far beyond any noise of the machine (see flow.test.ts).
const suite = actionSuite({ project: { work: 1, config: { threshold: 200 } } });
let origin: string;
const clones: string[] = [];

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** Commits the project as it is on `branch`; returns the commit. */
function commitAll(branch: string, message: string): string {
  git(suite.project.dir, 'checkout', '-q', '-B', branch);
  git(suite.project.dir, 'add', '-A');
  git(suite.project.dir, 'commit', '-qm', message);
  git(suite.project.dir, 'push', '-q', '--force', 'origin', branch);
  return git(suite.project.dir, 'rev-parse', 'HEAD');
}

/** The PR's checkout: one commit deep, node_modules as after `npm ci`. */
async function shallowCheckout(branch: string): Promise<string> {
  const dir = `${suite.project.dir}-clone-${clones.length}`;
  execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', branch, `file://${origin}`, dir]);
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  clones.push(dir);
  return dir;
}

const INPUTS = { compare: 'against-base', forks: '3', confirm: '3' };

// After the suite's beforeAll (registered first): its project exists.
beforeAll(async () => {
  origin = `${suite.project.dir}-origin.git`;
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  git(suite.project.dir, 'init', '-q', '-b', 'main');
  await writeFile(join(suite.project.dir, '.gitignore'), 'node_modules\n.perfgate\n');
  git(suite.project.dir, 'remote', 'add', 'origin', `file://${origin}`);
}, 120_000);

afterAll(async () => {
  for (const dir of [origin, ...clones]) {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
});

describe('compare: against-base', () => {
  let mainSha: string;

  it('a push to main stores the baseline as before (compare is only for pull requests)', async () => {
    mainSha = commitAll('main', 'base');
    const { result } = await suite.push(mainSha, { inputs: INPUTS });
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(result.log).toMatch(/Stored the baseline/);
  });

  it('a PR that slows a benchmark: the merge base is fetched, measured in pairs, confirmed: exit 1', async () => {
    await suite.project.setWork(12);
    const headSha = commitAll('slow', 'slower checksum');
    const workspace = await shallowCheckout('slow');
    expect(git(workspace, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const pull = suite.github.addPull({ number: 21, headSha, baseSha: mainSha, headRef: 'slow' });
    suite.github.mergeBases.set(`main...${headSha}`, mainSha);
    const { result } = await suite.pull(pull, {
      workspace,
      ref: `refs/pull/${pull.number}/merge`,
      inputs: INPUTS,
    });
    expect(result.code, result.log + result.stderr).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    // The checkout was shallow: the base commit came from origin.
    expect(result.log).toMatch(/fetching origin --depth=50 for the merge base/);
    expect(result.log).toContain(`merge base of main and the pull request: ${mainSha}`);
    const comparison = JSON.parse(
      await readFile(result.outputs['comparison-path']!, 'utf8'),
    ) as Comparison;
    expect(comparison.mode).toBe('against');
    expect(comparison.base?.commit).toBe(mainSha);
    const checksum = comparison.benchmarks.find((b) => b.name === 'checksum')!;
    expect(checksum.status).toBe('regression');
    expect(checksum.time.method).toBe('paired-t');
    expect(checksum.time.forks).toEqual({ base: 3, head: 3 });
    expect(checksum.time.confirmation).toMatchObject({ forks: 3, confirmed: true });
    // The stored history (one run of main) still draws the trend.
    expect(checksum.time.trend).toHaveLength(1);
    const body = pull.comments[0]!.body;
    expect(body).toContain(`Compared with the merge base \`${mainSha.slice(0, 12)}\``);
    expect(body).toContain('compare: against-base');
    expect(body).toMatch(/Confirmed by 3 more runs \\\(\d/);
    expect(result.log).toMatch(/Confirming 1 suspected regression\(s\) in 3 more forks/);
    // The temporary worktree of the base is gone.
    expect(git(workspace, 'worktree', 'list').split('\n')).toHaveLength(1);
  }, 300_000);

  it('an unchanged PR passes; compare: stored on the same PR says so in the comment', async () => {
    await suite.project.setWork(1);
    const headSha = commitAll('same', 'same speed');
    const workspace = await shallowCheckout('same');
    const pull = suite.github.addPull({ number: 22, headSha, baseSha: mainSha, headRef: 'same' });
    suite.github.mergeBases.set(`main...${headSha}`, mainSha);
    const step = async (inputs: Record<string, string>) =>
      (await suite.pull(pull, { workspace, inputs })).result;
    const against = await step(INPUTS);
    expect(against.code, against.log + against.stderr).toBe(0);
    const comparison = JSON.parse(
      await readFile(against.outputs['comparison-path']!, 'utf8'),
    ) as Comparison;
    expect(comparison.mode).toBe('against');
    expect(comparison.verdict).toBe('pass');
    const stored = await step({ forks: '3' });
    expect(stored.code, stored.log + stored.stderr).toBe(0);
    expect(pull.comments[0]!.body).toContain('compare: stored');
    expect(
      (JSON.parse(await readFile(stored.outputs['comparison-path']!, 'utf8')) as Comparison).mode,
    ).toBe('stored');
  }, 300_000);

  it('bad inputs fail the step naming them: compare, confirm, against-base with results', async () => {
    const pull = suite.github.addPull({ number: 23, headSha: mainSha, baseSha: mainSha });
    const run = suite.github.addRun({ headBranch: 'x', headSha: mainSha, event: 'pull_request' });
    // The same run for every bad input: each refusal comes before anything is measured.
    const step = (inputs: Record<string, string>) =>
      runStep({
        env: suite.github.env(run),
        eventName: 'pull_request',
        payload: pullRequestEvent(pull),
        workspace: suite.project.dir,
        inputs,
      });
    const badMode = await step({ compare: 'against-main' });
    expect(badMode.code).toBe(1);
    expect(badMode.errors.join('\n')).toContain(
      'input `compare`: expected one of stored, against-base',
    );
    const badConfirm = await step({ confirm: '1' });
    expect(badConfirm.errors.join('\n')).toContain('input `confirm`');
    const foreign = await step({ compare: 'against-base', results: 'out.json' });
    expect(foreign.code).toBe(1);
    expect(foreign.errors.join('\n')).toContain('cannot gate `results`');
  });
});
