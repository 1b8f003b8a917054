/**
 * Baseline on GitHub artifacts. The artifact holds the history of the last K baseline-branch runs,
 * laid out like the local store (`baseline/000042-1a2b3c4.json`), so a downloaded artifact is also
 * a valid `perfgate compare BASE` folder.
 *
 * load(): newest unexpired artifact of that name made by a successful run on the baseline branch
 * of this repository (never a fork's run, whatever its branch is called), preferring the run of
 * the merge base. Its content is untrusted: entries are path-checked and every Run is validated.
 * A missing, expired or unreadable baseline is not a crash: load() returns [] and `problem` says
 * why, for the report.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { messageOf } from '../model/errors.js';
import type { Run } from '../model/run.js';
import { downloadFiles, listRepoArtifacts, uploadFiles, type RemoteArtifact } from './artifacts.js';
import { statusOf, type Octokit } from './octokit.js';
import { safeEntryPath } from './zip.js';
import { LocalStore } from '../store/local.js';
import type { BaselineStore } from '../store/store.js';

export interface ArtifactStoreOptions {
  octokit: Octokit;
  token: string;
  owner: string;
  repo: string;
  /** Artifact name (input `baseline-artifact`). */
  name: string;
  /** Baseline branch (input `baseline-branch`). */
  branch: string;
  /** The current run: its own artifacts are never its baseline. */
  runId: number;
  tempDir: string;
  retentionDays?: number;
  /** Commit whose baseline run is preferred (the PR's merge base), when known. */
  mergeBase?: () => Promise<string | undefined>;
  /** How many runs are checked for success before giving up. */
  maxCandidates?: number;
  log?: (message: string) => void;
  warn?: (message: string) => void;
}

/** Where a loaded baseline came from (for the report). */
export interface BaselineSource {
  artifactId: number;
  runId?: number;
  commit?: string;
  mergeBase: boolean;
}

export class ArtifactStore implements BaselineStore {
  /** Why no baseline was loaded, when there is a reason worth telling (expired, corrupt). */
  problem?: string;
  source?: BaselineSource;
  private loaded?: Run[];
  private readonly log: (message: string) => void;
  private readonly warn: (message: string) => void;

  constructor(private readonly options: ArtifactStoreOptions) {
    this.log = options.log ?? (() => undefined);
    this.warn = options.warn ?? this.log;
  }

  describe(): string {
    return `artifact ${this.options.name} (branch ${this.options.branch})`;
  }

  async load(): Promise<Run[]> {
    this.problem = undefined;
    this.source = undefined;
    const { octokit, owner, repo, name } = this.options;
    let candidates: RemoteArtifact[];
    try {
      candidates = await listRepoArtifacts(octokit, owner, repo, name);
    } catch (error) {
      const hint =
        statusOf(error) === 403 || statusOf(error) === 404
          ? ' (the token needs `actions: read`: add it to the job’s `permissions:`)'
          : '';
      return this.none(`cannot list artifacts named ${name}: ${messageOf(error)}${hint}`);
    }
    const chosen = await this.choose(candidates);
    if (!chosen) {
      this.loaded = [];
      return [];
    }
    const { artifact, mergeBase } = chosen;
    const label = `artifact ${name} #${artifact.id} (run ${artifact.runId})`;
    this.log(`Baseline: ${label}, commit ${artifact.headSha ?? '?'}`);
    const dir = await mkdtemp(join(this.options.tempDir, 'perfgate-baseline-'));
    try {
      const files = await downloadFiles(
        artifact.id,
        { runId: artifact.runId, token: this.options.token, owner, repo, tempDir: dir },
        label,
      );
      const runs = await readHistory(files, join(dir, 'store'), label, this.warn);
      this.source = {
        artifactId: artifact.id,
        runId: artifact.runId,
        commit: artifact.headSha,
        mergeBase,
      };
      this.loaded = runs;
      return runs;
    } catch (error) {
      // Messages name the scratch copy; name the artifact's own paths instead.
      const message = messageOf(error)
        .split(`${join(dir, 'store')}/`)
        .join('');
      return this.none(`baseline ${label} is unusable, comparing without it: ${message}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Appends `run` to the history, trims, uploads. The history is loaded again just before: when
   * another push stored a baseline since this job loaded its own (two pushes racing), its runs are
   * kept too, so neither push's run is lost from the history.
   */
  async save(run: Run, history: number): Promise<void> {
    const loadedBefore = this.loaded;
    const sourceBefore = this.source?.artifactId;
    const current = await this.load();
    let previous = current;
    if (loadedBefore !== undefined && this.source?.artifactId !== sourceBefore) {
      if (this.source) {
        this.log(
          `Another push stored baseline artifact #${this.source.artifactId} since this job loaded its baseline: its runs are kept in the history.`,
        );
      }
      previous = mergeHistories(loadedBefore, current);
    }
    const dir = await mkdtemp(join(this.options.tempDir, 'perfgate-save-'));
    try {
      const store = new LocalStore(dir, { onWarning: this.warn });
      // Oldest first, so the local store numbers them in history order.
      for (const old of [...previous].reverse()) await store.save(old, history);
      await store.save(run, history);
      const files: Record<string, Buffer> = {};
      for (const path of await store.entries()) {
        files[`baseline/${path.slice(store.historyDir.length + 1)}`] = await readFile(path);
      }
      const result = await uploadFiles(this.options.name, files, {
        tempDir: this.options.tempDir,
        retentionDays: this.options.retentionDays,
      });
      this.log(
        `Stored baseline artifact ${this.options.name} (${Object.keys(files).length} run(s)` +
          `${result.id ? `, id ${result.id}` : ''})`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private none(problem: string): Run[] {
    this.problem = problem;
    this.warn(problem);
    this.loaded = [];
    return [];
  }

  /** The artifact to use, or undefined (with `problem` set when one existed but is unusable). */
  private async choose(
    all: RemoteArtifact[],
  ): Promise<{ artifact: RemoteArtifact; mergeBase: boolean } | undefined> {
    const { branch, runId } = this.options;
    const ours = all.filter(
      (a) =>
        a.headBranch === branch &&
        a.runId !== undefined &&
        a.runId !== runId &&
        // A fork's run on a branch it named "main" must not become our baseline.
        (a.headRepositoryId === undefined || a.headRepositoryId === a.repositoryId),
    );
    const live = ours.filter((a) => !a.expired);
    if (live.length === 0) {
      if (ours.length > 0) {
        this.problem = `the newest baseline artifact ${this.options.name} (#${ours[0]!.id}) has expired; push to ${branch} to store a new one`;
        this.warn(this.problem);
      } else {
        this.log(`No baseline artifact ${this.options.name} from branch ${branch} yet.`);
      }
      return undefined;
    }
    let base: string | undefined;
    try {
      base = await this.options.mergeBase?.();
    } catch (error) {
      this.log(`Merge base unknown (${messageOf(error)}); using the newest baseline.`);
    }
    const ordered = base
      ? [...live.filter((a) => a.headSha === base), ...live.filter((a) => a.headSha !== base)]
      : live;
    const checked = new Map<number, boolean>();
    for (const artifact of ordered.slice(0, this.options.maxCandidates ?? 20)) {
      const ok = checked.get(artifact.runId!) ?? (await this.successfulPush(artifact.runId!));
      checked.set(artifact.runId!, ok);
      if (ok) return { artifact, mergeBase: base !== undefined && artifact.headSha === base };
    }
    this.problem = `no baseline artifact ${this.options.name} comes from a successful run on ${branch}`;
    this.warn(this.problem);
    return undefined;
  }

  private async successfulPush(runId: number): Promise<boolean> {
    try {
      const { data } = await this.options.octokit.request(
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
        { owner: this.options.owner, repo: this.options.repo, run_id: runId },
      );
      const fromPr = data.event === 'pull_request' || data.event === 'pull_request_target';
      return data.conclusion === 'success' && !fromPr;
    } catch (error) {
      this.log(`Cannot check run ${runId}: ${messageOf(error)}`);
      return false;
    }
  }
}

/** Writes the history entries of an artifact into a local store folder and loads them. */
export async function readHistory(
  files: Map<string, Buffer>,
  root: string,
  label: string,
  warn: (message: string) => void,
): Promise<Run[]> {
  const store = new LocalStore(root, {
    onWarning: (m) => warn(`${label}: ${m.split(`${root}/`).join('')}`),
  });
  await mkdir(store.historyDir, { recursive: true });
  let count = 0;
  for (const [name, content] of files) {
    const match = /^baseline\/([^/]+\.json)$/.exec(name);
    if (!match) continue;
    await writeFile(safeEntryPath(store.historyDir, match[1]!, label), content);
    count += 1;
  }
  if (count === 0) throw new Error('it holds no baseline/*.json run');
  if ((await readdir(store.historyDir)).length === 0) throw new Error('no run files');
  return store.load();
}

/** Union of two histories (newest first), each run once (by commit and timestamp). */
function mergeHistories(a: Run[], b: Run[]): Run[] {
  const seen = new Map<string, Run>();
  for (const run of [...a, ...b]) seen.set(`${run.meta.commit ?? ''}|${run.meta.timestamp}`, run);
  return [...seen.values()].sort(
    (x, y) => Date.parse(y.meta.timestamp) - Date.parse(x.meta.timestamp),
  );
}
