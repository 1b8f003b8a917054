/**
 * The sticky PR comment: one per pull request and per perfgate job, found again by a hidden HTML
 * marker that names the job, and updated in place on every push.
 */
import { messageOf } from '../model/errors.js';
import { GITHUB_COMMENT_LIMIT } from '../report/index.js';
import type { Octokit } from './octokit.js';
import { statusOf } from './octokit.js';

/** GitHub rejects comment bodies over 65,536 characters (one constant, kept by the report). */
export const COMMENT_LIMIT = GITHUB_COMMENT_LIMIT;
const MARKER_PREFIX = '<!-- perfgate:comment';

/** The hidden marker of a job's comment. Job names come from workflow files: kept to a safe set. */
export function commentMarker(job: string): string {
  const safe =
    job
      .replace(/[^\w.-]/g, '_')
      .replace(/-{2,}/g, '-')
      .slice(0, 100) || 'perfgate';
  return `${MARKER_PREFIX} job=${safe} -->`;
}

/**
 * The final comment body: marker first, any marker-like text from the report removed (a report
 * built from PR data must not claim another job's comment), and never over the limit.
 */
export function commentBody(markdown: string, job: string, limit = COMMENT_LIMIT): string {
  const marker = commentMarker(job);
  const cleaned = markdown.replace(/<!--\s*perfgate:[^>]*-->/g, '');
  const body = `${marker}\n${cleaned}`;
  if (body.length <= limit) return body;
  const note = '\n\n… (truncated: the comment reached GitHub’s 65,536-character limit)\n';
  return body.slice(0, limit - note.length) + note;
}

/**
 * A body that came from an untrusted run (fork PRs, phase 2): @mentions and team pings are
 * neutralised (a report has no reason to notify anyone) and HTML comments dropped.
 */
export function neutralizeUntrusted(markdown: string): string {
  return markdown.replace(/<!--[\s\S]*?-->/g, '').replace(/@(?=[\w-])/g, '@\u200b');
}

/** Room left for the report once the marker is added (pass as renderMarkdown's maxLength). */
export function reportBudget(job: string, limit = COMMENT_LIMIT): number {
  return limit - commentMarker(job).length - 1;
}

export interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  job: string;
}

export interface PostedComment {
  id: number;
  url: string;
  action: 'created' | 'updated';
}

/** Raised when the token may not comment (403/404 on write): says which permission is missing. */
export class CommentPermissionError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    target: CommentTarget,
  ) {
    super(
      `cannot comment on pull request #${target.issueNumber} (HTTP ${status}: ${detail}). ` +
        'The token needs `pull-requests: write` (add it to the job’s `permissions:`). ' +
        'Pull requests from forks get a read-only token whatever the workflow says: use the ' +
        'two-phase setup (a `workflow_run` workflow with `mode: comment`, see docs/action.md).',
    );
    this.name = 'CommentPermissionError';
  }
}

/** Finds this job's comment on the PR (first comment whose body starts with its marker). */
export async function findComment(
  octokit: Octokit,
  target: CommentTarget,
): Promise<{ id: number; url: string; body: string } | undefined> {
  const marker = commentMarker(target.job);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  const found = comments.find((c) => (c.body ?? '').startsWith(marker));
  return found ? { id: found.id, url: found.html_url, body: found.body ?? '' } : undefined;
}

/** Creates the job's comment, or updates it in place when it exists. */
export async function upsertComment(
  octokit: Octokit,
  target: CommentTarget,
  body: string,
  existing?: { id: number } | null,
): Promise<PostedComment> {
  const current = existing === undefined ? await findComment(octokit, target) : existing;
  try {
    if (current) {
      try {
        const { data } = await octokit.rest.issues.updateComment({
          owner: target.owner,
          repo: target.repo,
          comment_id: current.id,
          body,
        });
        return { id: data.id, url: data.html_url, action: 'updated' };
      } catch (error) {
        // Deleted meanwhile: fall through and create a new one.
        if (statusOf(error) !== 404) throw error;
      }
    }
    const { data } = await octokit.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      body,
    });
    return { id: data.id, url: data.html_url, action: 'created' };
  } catch (error) {
    const status = statusOf(error);
    if (status === 403 || (status === 404 && current === undefined)) {
      throw new CommentPermissionError(status, messageOf(error), target);
    }
    throw error;
  }
}
