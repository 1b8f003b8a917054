/**
 * The REST client: Octokit from @actions/github with retries on 5xx (plugin-retry) and waits on
 * primary/secondary rate limits (plugin-throttling). Waits are scaled by `retryAfterMs`, so tests
 * can keep them short (env PERFGATE_RETRY_AFTER_MS). Every attempt has a time limit (`timeoutMs`,
 * env PERFGATE_HTTP_TIMEOUT_MS): a hung connection is retried like a 5xx, never waited on forever.
 */
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof getOctokit>;

export interface OctokitOptions {
  token: string;
  baseUrl: string;
  /** Base of the retry waits (plugin default 1000 ms: waits of 1 s, 4 s, 9 s). */
  retryAfterMs?: number;
  retries?: number;
  /**
   * Time limit of one request attempt, ms (default 30 s). A request that gets no answer in time is
   * aborted and, like a 5xx or a reset connection, retried with backoff.
   */
  timeoutMs?: number;
  /**
   * Rate-limit handling and write pacing (plugin-throttling spaces content-creating requests by
   * 1-3 s, as GitHub asks). Tests that write many comments in one process turn it off.
   */
  throttle?: boolean;
}

export function createOctokit(options: OctokitOptions): Octokit {
  const base = options.retryAfterMs ?? 1000;
  const retries = options.retries ?? 3;
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      count: number,
    ) => {
      const again = count < retries;
      core.warning(
        `GitHub API ${kind} rate limit on ${request.method} ${request.url}` +
          (again ? `; retrying after ${retryAfter} s` : '; giving up'),
      );
      return again;
    };
  const timeoutMs = options.timeoutMs ?? 30_000;
  // A signal per attempt: one signal in the defaults would expire for every later request too.
  const fetchWithTimeout: typeof fetch = (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  return getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl,
      request: { fetch: fetchWithTimeout },
      // Not `request.retries`: plugin-retry would then retry every error, 4xx included.
      retry: {
        retries,
        retryAfterBaseValue: base,
        doNotRetry: [400, 401, 403, 404, 410, 422, 451],
      },
      throttle: {
        enabled: options.throttle ?? true,
        // Pacing is per client: the plugin's limiters are module-global, keyed by this id.
        id: randomUUID(),
        retryAfterBaseValue: base,
        fallbackSecondaryRateRetryAfter: 60,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
      },
    } as unknown as Parameters<typeof getOctokit>[1],
    retry,
    throttling,
  );
}

/** HTTP status of an Octokit RequestError, else undefined. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
