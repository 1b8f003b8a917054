/**
 * The action's flow: inputs → core (run, baseline, compare, render) → publish. Each mode is a
 * short function; everything it calls is shared with the CLI or lives in src/github.
 */
import { uploadProfiles } from './profiles-artifact.js';
import * as core from '@actions/core';
import { join, relative, resolve, sep } from 'node:path';
import { collect, runEngine } from '../engine/index.js';
import { applyOverrides, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Comparison } from '../model/comparison.js';
import { InputError, messageOf } from '../model/errors.js';
import { parseRun, serializeRun, writeFileAtomic } from '../model/io.js';
import type { Run } from '../model/run.js';
import type { RunFailure, Source } from '../engine/source.js';
import { escapeMarkdown } from '../text/format.js';
import { againstSource, benchSource } from '../runner/source.js';
import { checkoutBase, type BaseCheckout } from '../runner/checkout.js';
import { findMergeBase } from '../runner/merge-base.js';
import { foreignSourceFrom } from '../ingest/source.js';
import { ArtifactStore } from './artifact-store.js';
import { LocalStore } from '../store/local.js';
import { isRunFilePath, RunFileStore } from '../store/run-file.js';
import type { BaselineStore } from '../store/store.js';
import { VERSION } from '../version.js';
import { applyAcceptance, findAcceptance } from './accept.js';
import { withBenchLog, type ActionLog } from './action-log.js';
import { artifactClient, downloadFiles, uploadFiles } from './artifacts.js';
import {
  CommentPermissionError,
  commentBody,
  findComment,
  neutralizeUntrusted,
  upsertComment,
  type CommentTarget,
} from './comment.js';
import {
  isForkPullRequest,
  pullRequestOf,
  pushedBranch,
  readContext,
  runUrl,
  type ActionContext,
} from './context.js';
import { readInputs, type ActionInputs, type Mode } from './inputs.js';
import { createOctokit, type Octokit } from './octokit.js';
import {
  annotateRegressions,
  countOf,
  failureMessage,
  setOutputs,
  writeSummary,
  type Outputs,
} from './publish.js';
import { commentMarkdown, summaryMarkdown } from './render.js';
import { downloadReport, uploadReport } from './report-artifact.js';
import {
  discoverBenchFiles,
  mergeShardRuns,
  selectShard,
  shardArtifactName,
  shardLabel,
} from './shard.js';

interface Session {
  inputs: ActionInputs;
  context: ActionContext;
  octokit: Octokit;
  baselineBranch: string;
  /** Where report.md, comparison.json and run.json go. */
  outDir: string;
  /** Names the sticky comment's marker: the job id, plus `comment-key` when set. */
  commentJob: string;
}

/** `auto` made concrete for this event. */
export function resolveMode(mode: Mode, context: ActionContext, baselineBranch: string): Mode {
  if (mode !== 'auto') return mode;
  if (context.eventName === 'workflow_run') return 'comment';
  if (context.eventName === 'push' && pushedBranch(context) === baselineBranch) return 'baseline';
  return 'compare';
}

export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = readInputs();
  const context = readContext(env);
  if (!inputs.token) {
    throw new InputError('input `github-token` is empty (the default is ${{ github.token }})');
  }
  core.setSecret(inputs.token);
  const retryAfterMs = Number(env.PERFGATE_RETRY_AFTER_MS) || undefined;
  const timeoutMs = Number(env.PERFGATE_HTTP_TIMEOUT_MS) || undefined;
  const octokit = createOctokit({
    token: inputs.token,
    baseUrl: context.apiUrl,
    retryAfterMs,
    timeoutMs,
  });
  const baselineBranch =
    inputs.baselineBranch ?? context.payload.repository?.default_branch ?? 'main';
  const mode = resolveMode(inputs.mode, context, baselineBranch);
  // Matrix legs share GITHUB_JOB: `comment-key` keeps their comments apart.
  const commentJob = inputs.commentKey ? `${context.job}-${inputs.commentKey}` : context.job;
  const outDir = join(context.tempDir, `perfgate-${commentJob.replace(/[^\w.-]/g, '_')}`);
  const session: Session = { inputs, context, octokit, baselineBranch, outDir, commentJob };
  core.info(`perfgate ${VERSION}: mode ${mode} on ${context.eventName || 'unknown event'}`);

  if (mode === 'comment') return commentMode(session);

  const cwd = resolve(context.workspace, inputs.workingDirectory);
  const config = await actionConfig(cwd, inputs);
  const foreign = mode === 'merge' ? undefined : foreignResultsSource(session, config);
  const base = await againstBase(session, mode, cwd, config, foreign !== undefined);
  try {
    await compareOrStore(session, mode, cwd, config, base, foreign);
  } finally {
    await base?.checkout.cleanup();
  }
}

/** The merge base checked out for `compare: against-base`, or undefined (stored mode). */
interface AgainstBase {
  sha: string;
  checkout: BaseCheckout;
}

/**
 * `compare: against-base` on a pull request: its merge base (fetched when the checkout is
 * shallow) in a temporary worktree with its dependencies. Other events compare as stored.
 */
async function againstBase(
  session: Session,
  mode: Mode,
  cwd: string,
  config: Config,
  foreign: boolean,
): Promise<AgainstBase | undefined> {
  const { inputs, context } = session;
  if (inputs.compare !== 'against-base' || mode !== 'compare') return undefined;
  const pr = pullRequestOf(context);
  if (!pr) {
    core.info(
      'compare: against-base needs a pull_request event: compared with the stored baseline.',
    );
    return undefined;
  }
  if (foreign) {
    throw new InputError(
      'compare: against-base runs the bench files of the merge base; it cannot gate `results` of another tool (use compare: stored)',
    );
  }
  if (inputs.shard) {
    throw new InputError(
      'compare: against-base cannot be combined with `shard` (use compare: stored)',
    );
  }
  if (!pr.base.sha)
    throw new InputError('compare: against-base: the pull_request event has no base.sha');
  const sha = await core.group('Merge base', async () => {
    const found = await findMergeBase({
      cwd,
      baseSha: pr.base.sha!,
      headSha: pr.head.sha,
      log: core.info,
    });
    core.info(`merge base of ${pr.base.ref} and the pull request: ${found}`);
    return found;
  });
  const checkout = await checkoutBase(sha, cwd, config.install);
  core.info(
    `Base checkout ${checkout.description} at ${checkout.root}: dependencies: ${checkout.install}`,
  );
  return { sha, checkout };
}

async function compareOrStore(
  session: Session,
  mode: Mode,
  cwd: string,
  config: Config,
  against: AgainstBase | undefined,
  foreign: Source | undefined,
): Promise<void> {
  const { inputs, context, outDir, commentJob } = session;
  const source =
    mode === 'merge'
      ? shardsSource(session)
      : (foreign ?? benchFilesSource(session, against?.checkout.root));
  const pipeline = {
    cwd,
    config,
    filter: inputs.filter,
    outDir,
    source,
    runFile: join(outDir, 'run.json'),
  };

  if (inputs.shard && mode !== 'merge') {
    const { run, failures } = await collect(pipeline);
    const name = shardArtifactName(inputs.shardArtifact, inputs.shard);
    await uploadFiles(
      name,
      { 'run.json': serializeRun(run) },
      {
        tempDir: context.tempDir,
        retentionDays: inputs.retentionDays ?? 1,
      },
    );
    core.info(
      `Uploaded shard ${shardLabel(inputs.shard)} as artifact ${name}; a merge job compares.`,
    );
    setOutputs(emptyOutputs());
    failOnRunnerFailures(failures);
    return;
  }

  const storing = mode === 'baseline' || (mode === 'merge' && isBaselinePush(session));
  const store = await baselineStore(session);
  core.info(`Baseline: ${store.describe()}`);
  const pr = pullRequestOf(context);
  const { run, failures, warnings, bases, history, comparison, json, flames } = await runEngine({
    ...pipeline,
    store,
    onConfirm: (ids, forks) =>
      core.info(`Confirming ${ids.length} suspected regression(s) in ${forks} more forks.`),
    review: !storing && pr ? (c) => reviewAcceptance(session, pr.number, c) : undefined,
    flameGraphs: storing
      ? undefined
      : {
          dir: join(outDir, 'flamegraphs'),
          // Profiles are an aid to the reviewer: their loss must not fail the check.
          onError: (error) =>
            core.warning(`perfgate: the profiles artifact was not uploaded: ${messageOf(error)}`),
        },
  });

  for (const w of warnings ?? []) {
    if (w.message.startsWith('confirmation run failed'))
      core.warning(`perfgate: ${w.file}: ${w.message}`);
  }
  const notes =
    baselineNotes(store, history, storing, inputs.requireBaseline, against !== undefined) +
    (storing ? '' : modeNote(comparison, against, history.length));
  const title = inputs.title ?? (storing ? 'perfgate baseline' : 'perfgate');
  const links = storing
    ? {}
    : await uploadProfiles({
        flames,
        run,
        outDir,
        artifactName: `perfgate-profiles-${commentJob.replace(/[^\w.-]/g, '_')}`,
        upload: { tempDir: context.tempDir, retentionDays: inputs.retentionDays },
        runUrl: runUrl(context),
      });
  const parts = { comparison, notes, title, runUrl: runUrl(context), links };
  const fullReport = summaryMarkdown(parts);
  const reportPath = join(outDir, 'report.md');
  const comparisonPath = join(outDir, 'comparison.json');
  await writeFileAtomic(reportPath, fullReport);
  await writeFileAtomic(comparisonPath, json);
  await writeSummary(fullReport);
  annotateRegressions(
    comparison,
    relative(
      session.context.workspace,
      resolve(session.context.workspace, session.inputs.workingDirectory),
    )
      .split(sep)
      .join('/'),
  );

  let commentUrl = '';
  if (!storing && pr) {
    const body = commentMarkdown(parts, session.commentJob);
    commentUrl = await publishComment(session, comparison, pr.number, pr.head.sha, body);
  }

  setOutputs({
    verdict: comparison.verdict,
    regressions: countOf(comparison, 'regression'),
    improvements: countOf(comparison, 'improvement'),
    reportPath,
    comparisonPath,
    commentUrl,
  });

  // Stored last: the summary and outputs are written even if the upload fails, and a failed
  // upload leaves the previous baseline artifact as it was.
  if (storing) {
    if (failures.length > 0) {
      core.warning('perfgate: benchmarks failed, so this run is not stored as the baseline.');
    } else {
      await store.save(run, config.history);
      core.info(`Stored the baseline (${store.describe()}, history ${config.history}).`);
    }
  }

  failOnRunnerFailures(failures);
  if (!storing && comparison.verdict === 'fail') core.setFailed(failureMessage(comparison));
  if (!storing && inputs.requireBaseline && bases.length === 0) {
    core.setFailed(`perfgate: no baseline (${store.describe()}) and require-baseline is true`);
  }
}

/** The report says what the pull request was compared with. */
function modeNote(
  comparison: Comparison,
  against: AgainstBase | undefined,
  stored: number,
): string {
  if (comparison.baseRuns === 0) return '';
  if (against) {
    const history = stored > 0 ? `; the stored history (${stored} runs) draws the trend` : '';
    return `Compared with the merge base \`${against.sha.slice(0, 12)}\`, measured on this runner in alternating fork pairs (compare: against-base)${history}.\n\n`;
  }
  return `Compared with the stored baseline (${comparison.baseRuns} run${comparison.baseRuns === 1 ? '' : 's'} of the baseline branch; compare: stored).\n\n`;
}

async function actionConfig(cwd: string, inputs: ActionInputs): Promise<Config> {
  const config = applyOverrides(await loadConfig(cwd, inputs.config), {
    threshold: inputs.threshold,
    failOn: inputs.failOn,
    history: inputs.history,
    // Bench children use the workflow's Node (setup-node), not the action's own runtime.
    node: inputs.node,
  });
  const forked =
    inputs.forks === undefined
      ? config
      : { ...config, run: { ...config.run, forks: inputs.forks } };
  const confirmed =
    inputs.confirm === undefined
      ? forked
      : {
          ...forked,
          confirm: inputs.confirm === false ? (false as const) : { forks: inputs.confirm },
        };
  return inputs.bench.length > 0 ? { ...confirmed, include: inputs.bench } : confirmed;
}

function isBaselinePush(session: Session): boolean {
  return (
    session.context.eventName === 'push' && pushedBranch(session.context) === session.baselineBranch
  );
}

async function baselineStore(session: Session): Promise<BaselineStore> {
  const { inputs, context, octokit } = session;
  if (inputs.baselinePath) {
    // Like every path input of an action, relative to the workspace (not working-directory).
    const path = resolve(context.workspace, inputs.baselinePath);
    // A Run file (`perf/baseline.json`) is the baseline as it is; a folder is a local store.
    if (await isRunFilePath(path)) return new RunFileStore(path);
    return new LocalStore(path, { onWarning: (m) => core.warning(`perfgate: ${m}`) });
  }
  const pr = pullRequestOf(context);
  return new ArtifactStore({
    octokit,
    token: inputs.token,
    owner: context.owner,
    repo: context.repo,
    name: inputs.baselineArtifact,
    branch: session.baselineBranch,
    runId: context.runId,
    tempDir: context.tempDir,
    retentionDays: inputs.retentionDays,
    mergeBase: pr ? () => mergeBase(session, pr.base.ref, pr.head.sha) : undefined,
    log: core.info,
    warn: (m) => core.warning(`perfgate: ${m}`),
  });
}

async function mergeBase(session: Session, baseRef: string, headSha: string): Promise<string> {
  const { data } = await session.octokit.rest.repos.compareCommitsWithBasehead({
    owner: session.context.owner,
    repo: session.context.repo,
    basehead: `${baseRef}...${headSha}`,
    per_page: 1,
  });
  return data.merge_base_commit.sha;
}

/** Lines above the report about the baseline: where it came from, or why there is none. */
function baselineNotes(
  store: BaselineStore,
  bases: Run[],
  storing: boolean,
  requireBaseline: boolean,
  /** against-base: the base was measured here, a missing stored history is no gap. */
  against = false,
): string {
  const lines: string[] = [];
  if (store.problem) {
    lines.push(`> [!WARNING]\n> Baseline unavailable: ${escapeMarkdown(store.problem)}`);
  } else if (bases.length === 0 && !storing && !against) {
    lines.push(
      `> [!NOTE]\n> No baseline yet (${escapeMarkdown(store.describe())}): showing this run's results; ` +
        (requireBaseline ? 'the gate fails (require-baseline). ' : 'the gate passes. ') +
        'A push to the baseline branch stores one.',
    );
  }
  return lines.length > 0 ? `${lines.join('\n\n')}\n\n` : '';
}

/** The gate may be overridden by the accept label on the pull request. */
async function reviewAcceptance(
  session: Session,
  issueNumber: number,
  comparison: Comparison,
): Promise<Comparison> {
  if (comparison.verdict !== 'fail') return comparison;
  const { inputs, context, octokit } = session;
  const acceptance = await findAcceptance(
    octokit,
    { owner: context.owner, repo: context.repo, issueNumber },
    inputs.acceptLabel,
    context.payload,
    core.info,
  );
  if (!acceptance) return comparison;
  core.notice(
    `perfgate: the regressions are accepted by label "${acceptance.label}" (set by ${acceptance.by}).`,
  );
  return applyAcceptance(comparison, acceptance);
}

/**
 * The bench files (this shard's share of them), run in the log's "Running benchmarks" group;
 * with `baseRoot` (against-base), with the merge base's in alternating fork pairs. A
 * confirmation runs in its own group.
 */
function benchFilesSource(session: Session, baseRoot?: string): Source {
  const { inputs, context } = session;
  const pr = pullRequestOf(context);
  const runner = (log: ActionLog, files?: string[]) => {
    const options = {
      files,
      meta: {
        commit: pr?.head.sha ?? context.sha,
        ref: context.ref || undefined,
        ...(inputs.shard ? { shard: shardLabel(inputs.shard) } : {}),
      },
      onProgress: log.onProgress,
      onOutput: log.onOutput,
    };
    return baseRoot === undefined
      ? benchSource(options)
      : againstSource(baseRoot, { ...options, baseMeta: { ref: pr?.base.ref } });
  };
  return {
    describe: () => 'bench files',
    remeasure: (request, ctx) =>
      core.group('Confirming suspected regressions', () =>
        withBenchLog((log) => runner(log).remeasure!(request, ctx)),
      ),
    collect: async (ctx) => {
      let files: string[] | undefined;
      if (inputs.shard) {
        const all = await discoverBenchFiles(ctx.cwd, ctx.config);
        files = selectShard(all, inputs.shard);
        core.info(
          `Shard ${shardLabel(inputs.shard)}: ${files.length} of ${all.length} bench file(s).`,
        );
      }
      // Names and output of pull-request code go to the log neutralized, commands stopped.
      return core.group('Running benchmarks', () =>
        withBenchLog((log) => runner(log, files).collect(ctx)),
      );
    },
  };
}

/**
 * Foreign results (inputs `results`, `format`, `command`, else the config's): the tool's command
 * run in the "Running benchmarks" group, then its result files ingested. Undefined without
 * `results`: the bench files run.
 */
function foreignResultsSource(session: Session, config: Config): Source | undefined {
  const { inputs, context } = session;
  const pr = pullRequestOf(context);
  const foreign = foreignSourceFrom(
    {
      command: inputs.command ?? config.command,
      results: inputs.results.length > 0 ? inputs.results : config.results,
      format: inputs.format ?? config.format,
    },
    { command: 'input `command`', format: 'input `format`' },
    {
      meta: { commit: pr?.head.sha ?? context.sha, ref: context.ref || undefined },
      onOutput: (line) => core.info(line),
    },
  );
  if (!foreign) return undefined;
  return {
    describe: foreign.describe,
    collect: (ctx) =>
      core.group(`Running benchmarks: ${foreign.describe()}`, async () => {
        const collected = await foreign.collect(ctx);
        for (const w of collected.warnings ?? []) core.warning(`perfgate: ${w.message}`);
        return collected;
      }),
  };
}

/** `merge` mode: every shard's partial Run of this workflow run, combined. */
function shardsSource(session: Session): Source {
  return {
    describe: () => `shard artifacts ${session.inputs.shardArtifact}-*`,
    collect: async () => ({ run: await mergeShards(session), failures: [] }),
  };
}

function failOnRunnerFailures(failures: RunFailure[]) {
  if (failures.length === 0) return;
  core.setFailed(
    `perfgate: ${failures.length} benchmark(s) failed:\n` +
      failures.map((f) => `- ${f.file}${f.task ? ` > ${f.task}` : ''}: ${f.error}`).join('\n'),
  );
}

/** Downloads and combines the shards' partial Runs. */
async function mergeShards(session: Session): Promise<Run> {
  const { inputs, context } = session;
  const client = await artifactClient();
  const { artifacts } = await client.listArtifacts({ latest: true });
  const prefix = `${inputs.shardArtifact}-`;
  const shards = artifacts.filter((a) => a.name.startsWith(prefix));
  if (shards.length === 0) {
    throw new InputError(
      `mode: merge found no artifacts named ${prefix}K-of-N in this run: run the shards first (needs: …)`,
    );
  }
  const runs: Array<{ run: Run; source: string }> = [];
  for (const artifact of shards) {
    const source = `artifact ${artifact.name}`;
    const files = await downloadFiles(
      artifact.id,
      { token: inputs.token, owner: context.owner, repo: context.repo, tempDir: context.tempDir },
      source,
    );
    const text = files.get('run.json');
    if (!text) throw new InputError('has no run.json', source);
    runs.push({ run: parseRun(text.toString('utf8'), `${source}/run.json`), source });
  }
  const merged = mergeShardRuns(runs);
  core.info(`Merged ${runs.length} shard(s): ${merged.benchmarks.length} benchmark(s).`);
  return merged;
}

function emptyOutputs(): Outputs {
  return {
    verdict: 'none',
    regressions: 0,
    improvements: 0,
    reportPath: '',
    comparisonPath: '',
    commentUrl: '',
  };
}

function wantsComment(policy: ActionInputs['comment'], comparison: Comparison): boolean {
  if (policy === 'always') return true;
  if (policy === 'never') return false;
  return (
    comparison.verdict === 'fail' ||
    comparison.accepted !== undefined ||
    comparison.benchmarks.some((b) => b.regressed.length > 0)
  );
}

/**
 * Posts or updates the sticky comment (per the `comment` policy). Fork PRs, whose token is
 * read-only, upload the report artifact for the two-phase workflow instead; a permission error
 * in any mode is reported clearly and does not stop the summary or the verdict.
 */
async function publishComment(
  session: Session,
  comparison: Comparison,
  number: number,
  headSha: string,
  body: string,
): Promise<string> {
  const { inputs, context, octokit } = session;
  if (inputs.comment === 'never') return '';
  const post = wantsComment(inputs.comment, comparison);
  const target: CommentTarget = {
    owner: context.owner,
    repo: context.repo,
    issueNumber: number,
    job: session.commentJob,
  };
  const handOver = async (why: string) => {
    await uploadReport(
      inputs.reportArtifact,
      {
        pullRequest: number,
        headSha,
        job: session.commentJob,
        verdict: comparison.verdict,
        regressions: countOf(comparison, 'regression'),
        improvements: countOf(comparison, 'improvement'),
        post,
      },
      body,
      { tempDir: context.tempDir, retentionDays: inputs.retentionDays },
    );
    core.info(
      `${why}: uploaded the comment as artifact ${inputs.reportArtifact}; a workflow_run ` +
        'workflow with `mode: comment` posts it (docs/action.md, "Pull requests from forks").',
    );
  };
  if (isForkPullRequest(context)) {
    await handOver('Pull request from a fork (read-only token)');
    return '';
  }
  try {
    const existing = await findComment(octokit, target);
    if (!post && !existing) {
      core.info('No regression: no comment (comment: on-regression).');
      return '';
    }
    const posted = await upsertComment(octokit, target, body, existing ?? null);
    core.info(`Comment ${posted.action}: ${posted.url}`);
    return posted.url;
  } catch (error) {
    if (!(error instanceof CommentPermissionError)) {
      core.warning(`perfgate: could not comment on #${number}: ${messageOf(error)}`);
      return '';
    }
    core.warning(`perfgate: ${error.message}`);
    try {
      await handOver('Commenting is not permitted');
    } catch (uploadError) {
      core.warning(`perfgate: could not upload the report artifact: ${messageOf(uploadError)}`);
    }
    return '';
  }
}

/** `comment` mode (phase 2 of the fork setup): post the report of the triggering run. */
async function commentMode(session: Session): Promise<void> {
  const { inputs, context, octokit } = session;
  const report = await downloadReport(octokit, context, inputs.token, inputs.reportArtifact);
  if (!report) {
    core.info(`The triggering run uploaded no ${inputs.reportArtifact} artifact: nothing to post.`);
    setOutputs(emptyOutputs());
    return;
  }
  const { manifest } = report;
  const target: CommentTarget = {
    owner: context.owner,
    repo: context.repo,
    issueNumber: manifest.pullRequest,
    job: manifest.job,
  };
  // The body comes from the PR's run: re-marked here so it can only update its own comment.
  const body = commentBody(neutralizeUntrusted(report.body), manifest.job);
  let commentUrl = '';
  try {
    const existing = await findComment(octokit, target);
    if (manifest.post || existing) {
      const posted = await upsertComment(octokit, target, body, existing ?? null);
      commentUrl = posted.url;
      core.info(`Comment ${posted.action} on #${manifest.pullRequest}: ${posted.url}`);
    } else {
      core.info('No regression: no comment (comment: on-regression).');
    }
  } catch (error) {
    if (error instanceof CommentPermissionError) core.setFailed(`perfgate: ${error.message}`);
    else throw error;
  }
  await writeSummary(
    `### perfgate report for #${manifest.pullRequest}\n\nVerdict: **${manifest.verdict}** · ` +
      `${manifest.regressions} regression(s), ${manifest.improvements} improvement(s)` +
      (commentUrl ? ` · [comment](${commentUrl})` : '') +
      '\n',
  );
  setOutputs({
    verdict: manifest.verdict,
    regressions: manifest.regressions,
    improvements: manifest.improvements,
    reportPath: '',
    comparisonPath: '',
    commentUrl,
  });
}
