/**
 * What the runner tells the action about the run: environment variables and the event payload
 * (GITHUB_EVENT_PATH). Only the fields perfgate uses are read, validated with zod so a strange
 * payload gives a clear error instead of `undefined` deep inside.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../model/errors.js';
import { describeIssues } from '../model/io.js';

const repoRef = z.object({ full_name: z.string() }).passthrough();

export const pullRequestSchema = z
  .object({
    number: z.number().int().positive(),
    head: z.object({ sha: z.string(), ref: z.string(), repo: repoRef.nullable().optional() }),
    base: z.object({ sha: z.string().optional(), ref: z.string() }),
    labels: z.array(z.object({ name: z.string() })).optional(),
  })
  .passthrough();
export type PullRequestPayload = z.infer<typeof pullRequestSchema>;

export const workflowRunSchema = z
  .object({
    id: z.number().int().positive(),
    head_sha: z.string(),
    head_branch: z.string().nullable().optional(),
    event: z.string().optional(),
    conclusion: z.string().nullable().optional(),
    head_repository: repoRef.nullable().optional(),
    pull_requests: z
      .array(z.object({ number: z.number().int(), head: z.object({ sha: z.string() }).optional() }))
      .default([]),
  })
  .passthrough();
export type WorkflowRunPayload = z.infer<typeof workflowRunSchema>;

const eventSchema = z
  .object({
    action: z.string().optional(),
    ref: z.string().optional(),
    after: z.string().optional(),
    pull_request: pullRequestSchema.optional(),
    workflow_run: workflowRunSchema.optional(),
    repository: z
      .object({ full_name: z.string().optional(), default_branch: z.string().optional() })
      .passthrough()
      .optional(),
    label: z.object({ name: z.string() }).optional(),
    sender: z.object({ login: z.string() }).optional(),
  })
  .passthrough();
export type EventPayload = z.infer<typeof eventSchema>;

export interface ActionContext {
  eventName: string;
  payload: EventPayload;
  owner: string;
  repo: string;
  runId: number;
  runAttempt: number;
  /** Job id from the workflow file (GITHUB_JOB): names the sticky comment. */
  job: string;
  sha: string;
  ref: string;
  serverUrl: string;
  apiUrl: string;
  workspace: string;
  /** Scratch space of the runner (outputs, downloads). */
  tempDir: string;
}

export function readContext(env: NodeJS.ProcessEnv = process.env): ActionContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) {
    throw new InputError(
      `GITHUB_REPOSITORY is ${JSON.stringify(repository)}; expected owner/repo (is this running inside GitHub Actions?)`,
    );
  }
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload: readPayload(env.GITHUB_EVENT_PATH),
    owner,
    repo,
    runId: Number(env.GITHUB_RUN_ID ?? 0),
    runAttempt: Number(env.GITHUB_RUN_ATTEMPT ?? 1),
    job: env.GITHUB_JOB ?? 'perfgate',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, ''),
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    tempDir: env.RUNNER_TEMP ?? env.TMPDIR ?? '/tmp',
  };
}

function readPayload(file: string | undefined): EventPayload {
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the event payload (${(error as Error).message})`, file);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`malformed event payload (${(error as Error).message})`, file);
  }
  const result = eventSchema.safeParse(data);
  if (!result.success) {
    throw new InputError(`unexpected event payload: ${describeIssues(result.error)}`, file);
  }
  return result.data;
}

/** The branch of a push (`refs/heads/main` → `main`), else undefined. */
export function pushedBranch(context: ActionContext): string | undefined {
  const ref = context.payload.ref ?? context.ref;
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

/** The pull request of a `pull_request` / `pull_request_target` event. */
export function pullRequestOf(context: ActionContext): PullRequestPayload | undefined {
  return context.payload.pull_request;
}

/** True when the PR's head lives in another repository (a fork): its token is read-only. */
export function isForkPullRequest(context: ActionContext): boolean {
  const pr = context.payload.pull_request;
  const head = pr?.head.repo?.full_name;
  // A deleted fork has `repo: null`: treat it as a fork (the token is read-only either way).
  if (pr && pr.head.repo === null) return true;
  return head !== undefined && head !== `${context.owner}/${context.repo}`;
}

export function runUrl(context: ActionContext): string {
  return `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`;
}
