/**
 * Fork pull requests, two phases. Phase 1 (the `pull_request` run, read-only token) uploads the
 * comment body and the PR number as the `perfgate-report` artifact. Phase 2 (a `workflow_run`
 * workflow with `mode: comment`, write token) downloads it and posts it. Phase 2 never checks out
 * or runs PR code, treats the artifact as untrusted, and refuses a PR number that does not belong
 * to the run that produced the artifact (a fork must not post onto another PR).
 */
import { z } from 'zod';
import { InputError, messageOf } from '../model/errors.js';
import { describeIssues } from '../model/io.js';
import { downloadFiles, listRunArtifacts, uploadFiles } from './artifacts.js';
import { COMMENT_LIMIT } from './comment.js';
import type { ActionContext, WorkflowRunPayload } from './context.js';
import type { Octokit } from './octokit.js';

export const REPORT_FILE = 'report.json';
export const BODY_FILE = 'comment.md';

const reportSchema = z.object({
  kind: z.literal('perfgate-report'),
  version: z.literal(1),
  pullRequest: z.number().int().positive(),
  headSha: z.string().regex(/^[0-9a-f]{40}$/),
  job: z.string().max(200),
  verdict: z.enum(['pass', 'fail', 'none']),
  regressions: z.number().int().nonnegative(),
  improvements: z.number().int().nonnegative(),
  /** Whether the body should be posted under the `comment` policy of phase 1. */
  post: z.boolean(),
});
export type ReportManifest = z.infer<typeof reportSchema>;

export async function uploadReport(
  name: string,
  manifest: Omit<ReportManifest, 'kind' | 'version'>,
  body: string,
  options: { tempDir: string; retentionDays?: number },
): Promise<void> {
  const full: ReportManifest = { kind: 'perfgate-report', version: 1, ...manifest };
  await uploadFiles(
    name,
    { [REPORT_FILE]: `${JSON.stringify(full, null, 2)}\n`, [BODY_FILE]: body },
    { tempDir: options.tempDir, retentionDays: options.retentionDays ?? 1 },
  );
}

export interface DownloadedReport {
  manifest: ReportManifest;
  body: string;
  artifactId: number;
}

/**
 * Finds and reads the report artifact of the run that triggered this `workflow_run` event, and
 * checks it: undefined when that run uploaded none (nothing to post).
 */
export async function downloadReport(
  octokit: Octokit,
  context: ActionContext,
  token: string,
  name: string,
): Promise<DownloadedReport | undefined> {
  const run = context.payload.workflow_run;
  if (context.eventName !== 'workflow_run' || !run) {
    throw new InputError(
      `mode: comment runs in a workflow triggered by workflow_run (this event is ${JSON.stringify(context.eventName)})`,
    );
  }
  const artifacts = await listRunArtifacts(octokit, context.owner, context.repo, run.id, name);
  const artifact = artifacts.find((a) => !a.expired);
  if (!artifact) return undefined;
  const source = `artifact ${name} of run ${run.id}`;
  const files = await downloadFiles(
    artifact.id,
    { runId: run.id, token, owner: context.owner, repo: context.repo, tempDir: context.tempDir },
    source,
  );
  const manifestBytes = files.get(REPORT_FILE);
  const bodyBytes = files.get(BODY_FILE);
  if (!manifestBytes || !bodyBytes) {
    throw new InputError(`expected ${REPORT_FILE} and ${BODY_FILE} in the artifact`, source);
  }
  let data: unknown;
  try {
    data = JSON.parse(manifestBytes.toString('utf8'));
  } catch (error) {
    throw new InputError(`${REPORT_FILE} is malformed JSON (${messageOf(error)})`, source);
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    throw new InputError(`${REPORT_FILE} is invalid: ${describeIssues(parsed.error)}`, source);
  }
  const body = bodyBytes.toString('utf8');
  if (body.length > COMMENT_LIMIT) {
    throw new InputError(`${BODY_FILE} is over ${COMMENT_LIMIT} characters`, source);
  }
  await verifyPullRequest(octokit, context, run, parsed.data, source);
  return { manifest: parsed.data, body, artifactId: artifact.id };
}

/**
 * The PR number from the artifact must belong to the triggering run: listed in its
 * `pull_requests` (same-repo PRs), or, since GitHub leaves that list empty for forks, a PR whose
 * head is exactly the run's head commit and head repository.
 */
export async function verifyPullRequest(
  octokit: Octokit,
  context: ActionContext,
  run: WorkflowRunPayload,
  manifest: ReportManifest,
  source: string,
): Promise<void> {
  const spoof = (why: string) =>
    new InputError(`refusing to comment on pull request #${manifest.pullRequest}: ${why}`, source);
  if (manifest.headSha !== run.head_sha) {
    throw spoof(`the report is for commit ${manifest.headSha}, the run built ${run.head_sha}`);
  }
  const listed = run.pull_requests.find((pr) => pr.number === manifest.pullRequest);
  if (listed) {
    if (listed.head && listed.head.sha !== run.head_sha) {
      throw spoof('its head commit is not the commit of the triggering run');
    }
    return;
  }
  if (run.pull_requests.length > 0) {
    throw spoof(
      `the triggering run belongs to ${run.pull_requests.map((p) => `#${p.number}`).join(', ')}`,
    );
  }
  const { data: pr } = await octokit.rest.pulls.get({
    owner: context.owner,
    repo: context.repo,
    pull_number: manifest.pullRequest,
  });
  if (pr.head.sha !== run.head_sha) {
    throw spoof(`its head is ${pr.head.sha}, the triggering run built ${run.head_sha}`);
  }
  const runRepo = run.head_repository?.full_name;
  if (runRepo && pr.head.repo?.full_name !== runRepo) {
    throw spoof(`its head repository is ${pr.head.repo?.full_name}, the run's is ${runRepo}`);
  }
}
