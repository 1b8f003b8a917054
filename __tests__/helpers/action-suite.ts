/**
 * One action test file's fixtures: the fake GitHub (on the run's shared Azurite, started once by
 * __tests__/setup/azurite.ts), optionally a bench project, and the two steps every action test
 * takes: a push to main (stores the baseline) and a pull request run. Registers its own
 * beforeAll/afterAll; the fields are set once beforeAll has run.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, inject } from 'vitest';
import { benchProject, runStep, type BenchProject, type StepResult } from './action-runner.js';
import {
  FakeGitHub,
  pullRequestEvent,
  pushEvent,
  type FakePull,
  type FakeRun,
} from './fake-github.js';

export interface SuiteOptions {
  /** Blob storage for artifacts (the shared Azurite); false: REST endpoints only. */
  blobs?: boolean;
  /** A bench project made by benchProject(work, config); absent: none. */
  project?: { work: number; config?: object };
  /** Number of the first pull request newPull() opens. */
  firstPull?: number;
  /** The sha of a number (pull requests' head shas); default: the number in hex, 40 digits. */
  sha?: (n: number) => string;
}

export interface StepOptionsOf {
  inputs?: Record<string, string>;
  extraEnv?: Record<string, string>;
  /** Workspace; the suite's project by default. */
  workspace?: string;
  ref?: string;
}

export interface PullStepOptions extends StepOptionsOf {
  /** A fork's pull request: the run lists no pull requests (GitHub's behaviour for forks). */
  headRepository?: string;
}

export interface ActionSuite {
  github: FakeGitHub;
  project: BenchProject;
  /** A 40-hex sha from a number (distinct per number). */
  sha(n: number): string;
  /** Opens the next pull request, with a head sha of its own. */
  newPull(extra?: Partial<FakePull>): FakePull;
  /** The action on a push to main; the workflow run is completed by the step's exit code. */
  push(commit: string, options?: StepOptionsOf): Promise<{ run: FakeRun; result: StepResult }>;
  /** The action on a pull request's head sha; completed by the step's exit code. */
  pull(pull: FakePull, options?: PullStepOptions): Promise<{ run: FakeRun; result: StepResult }>;
}

/** The run's Azurite (__tests__/setup/azurite.ts); throws its start error when it did not start. */
export function sharedAzurite(): { url: string } {
  const azurite = inject('azurite');
  if ('error' in azurite) throw new Error(`the shared Azurite did not start: ${azurite.error}`);
  return azurite;
}

export function actionSuite(options: SuiteOptions = {}): ActionSuite {
  let nextPull = options.firstPull ?? 100;
  const suite = {
    sha: options.sha ?? ((n: number) => n.toString(16).padStart(40, '0')),
    newPull(extra: Partial<FakePull> = {}) {
      const number = nextPull++;
      return suite.github.addPull({ number, headSha: suite.sha(number), ...extra });
    },
    async push(commit: string, step: StepOptionsOf = {}) {
      const run = suite.github.addRun({ headBranch: 'main', headSha: commit });
      const result = await runStep({
        env: suite.github.env(run),
        eventName: 'push',
        payload: pushEvent('main', commit),
        workspace: step.workspace ?? suite.project.dir,
        ref: step.ref ?? 'refs/heads/main',
        ...(step.inputs ? { inputs: step.inputs } : {}),
        ...(step.extraEnv ? { extraEnv: step.extraEnv } : {}),
      });
      suite.github.completeRun(run.id, result.code === 0 ? 'success' : 'failure');
      return { run, result };
    },
    async pull(pull: FakePull, step: PullStepOptions = {}) {
      const run = suite.github.addRun({
        headBranch: pull.headRef,
        headSha: pull.headSha,
        event: 'pull_request',
        headRepository: step.headRepository ?? pull.headRepository,
        pullRequests: step.headRepository ? [] : [pull.number],
      });
      const result = await runStep({
        env: suite.github.env(run),
        eventName: 'pull_request',
        payload: pullRequestEvent(pull),
        workspace: step.workspace ?? suite.project.dir,
        ...(step.ref ? { ref: step.ref } : {}),
        ...(step.inputs ? { inputs: step.inputs } : {}),
        ...(step.extraEnv ? { extraEnv: step.extraEnv } : {}),
      });
      suite.github.completeRun(run.id, result.code === 0 ? 'success' : 'failure');
      return { run, result };
    },
  } as ActionSuite;

  beforeAll(async () => {
    suite.github = await new FakeGitHub(
      options.blobs === false ? undefined : sharedAzurite(),
    ).start();
    if (options.project)
      suite.project = await benchProject(options.project.work, options.project.config);
  });
  afterAll(async () => {
    await suite.github?.stop();
    if (suite.project) await rm(suite.project.dir, { recursive: true, force: true });
  });
  return suite;
}
