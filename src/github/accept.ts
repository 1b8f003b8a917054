/**
 * Accepting a known regression with a PR label (input `accept-label`): the gate passes, the
 * comment still shows the regressions and says who accepted them.
 */
import type { Comparison } from '../model/comparison.js';
import { messageOf } from '../model/errors.js';
import type { EventPayload } from './context.js';
import type { Octokit } from './octokit.js';

export interface Acceptance {
  label: string;
  /** Login of who set the label, or "unknown" when the API does not say. */
  by: string;
}

/**
 * Whether the PR carries the label now (REST, fresher than the event payload on re-runs), and
 * who set it last (issue events, else the `labeled` event's sender).
 */
export async function findAcceptance(
  octokit: Octokit,
  target: { owner: string; repo: string; issueNumber: number },
  label: string,
  payload: EventPayload,
  log: (message: string) => void = () => undefined,
): Promise<Acceptance | undefined> {
  if (!label) return undefined;
  let labels: string[];
  try {
    const list = await octokit.paginate(octokit.rest.issues.listLabelsOnIssue, {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      per_page: 100,
    });
    labels = list.map((l) => l.name);
  } catch (error) {
    log(`Cannot read the PR's labels (${messageOf(error)}); using the event payload's.`);
    labels = (payload.pull_request?.labels ?? []).map((l) => l.name);
  }
  if (!labels.includes(label)) return undefined;

  let by: string | undefined;
  try {
    const events = await octokit.paginate(octokit.rest.issues.listEvents, {
      owner: target.owner,
      repo: target.repo,
      issue_number: target.issueNumber,
      per_page: 100,
    });
    const labeled = events.filter(
      (e) => e.event === 'labeled' && (e as { label?: { name?: string } }).label?.name === label,
    );
    by = labeled.at(-1)?.actor?.login;
  } catch (error) {
    log(`Cannot read the PR's events (${messageOf(error)}).`);
  }
  if (!by && payload.action === 'labeled' && payload.label?.name === label) {
    by = payload.sender?.login;
  }
  return { label, by: by ?? 'unknown' };
}

/** A failing comparison turned into an accepted pass; a passing one is returned unchanged. */
export function applyAcceptance(comparison: Comparison, acceptance: Acceptance): Comparison {
  if (comparison.verdict !== 'fail') return comparison;
  return {
    ...comparison,
    verdict: 'pass',
    accepted: { by: acceptance.by, reasons: comparison.reasons },
  };
}
