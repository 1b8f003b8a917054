/**
 * GitHub artifacts: listing through the REST API, upload and download through the official
 * `@actions/artifact` client (loaded lazily: it is the largest part of the bundle and most steps
 * of a PR run need it only once). Downloads are never unzipped by the client (its extractor joins
 * entry names without checking them); we read the zip ourselves with src/github/zip.ts.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArtifactClient } from '@actions/artifact';
import { messageOf } from '../model/errors.js';
import type { Octokit } from './octokit.js';
import { readZip, safeEntryPath } from './zip.js';

let clientPromise: Promise<ArtifactClient> | undefined;

export function artifactClient(): Promise<ArtifactClient> {
  clientPromise ??= import('@actions/artifact').then((mod) => new mod.DefaultArtifactClient());
  return clientPromise;
}

/** An artifact as the REST API lists it, with the run that produced it. */
export interface RemoteArtifact {
  id: number;
  name: string;
  expired: boolean;
  sizeInBytes: number;
  createdAt?: string;
  runId?: number;
  headBranch?: string;
  headSha?: string;
  /** Repository of the run's head: differs from the repository for fork PR runs. */
  headRepositoryId?: number;
  repositoryId?: number;
}

interface RestArtifact {
  id: number;
  name: string;
  expired: boolean;
  size_in_bytes: number;
  created_at?: string | null;
  workflow_run?: {
    id?: number;
    head_branch?: string | null;
    head_sha?: string;
    head_repository_id?: number;
    repository_id?: number;
  } | null;
}

function fromRest(a: RestArtifact): RemoteArtifact {
  return {
    id: a.id,
    name: a.name,
    expired: a.expired,
    sizeInBytes: a.size_in_bytes,
    createdAt: a.created_at ?? undefined,
    runId: a.workflow_run?.id,
    headBranch: a.workflow_run?.head_branch ?? undefined,
    headSha: a.workflow_run?.head_sha,
    headRepositoryId: a.workflow_run?.head_repository_id,
    repositoryId: a.workflow_run?.repository_id,
  };
}

/** Artifacts of the repository with this name, newest first (at most `maxPages` pages of 100). */
export async function listRepoArtifacts(
  octokit: Octokit,
  owner: string,
  repo: string,
  name: string,
  maxPages = 3,
): Promise<RemoteArtifact[]> {
  const found: RemoteArtifact[] = [];
  for (let page = 1; page <= maxPages; page += 1) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/artifacts', {
      owner,
      repo,
      name,
      per_page: 100,
      page,
    });
    const artifacts = (data.artifacts as RestArtifact[]).map(fromRest);
    found.push(...artifacts);
    if (artifacts.length < 100) break;
  }
  return found.sort((a, b) => b.id - a.id);
}

/** Artifacts of one workflow run with this name, newest first. */
export async function listRunArtifacts(
  octokit: Octokit,
  owner: string,
  repo: string,
  runId: number,
  name: string,
): Promise<RemoteArtifact[]> {
  const { data } = await octokit.request(
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
    { owner, repo, run_id: runId, name, per_page: 100 },
  );
  return (data.artifacts as RestArtifact[]).map(fromRest).sort((a, b) => b.id - a.id);
}

export interface UploadOptions {
  /** Scratch folder for the files (RUNNER_TEMP). */
  tempDir: string;
  retentionDays?: number;
}

/**
 * Uploads `files` (relative name → content) as artifact `name`. A re-run of the same workflow
 * run finds its earlier upload under that name: it is replaced (names are unique per run).
 */
export async function uploadFiles(
  name: string,
  files: Record<string, string | Uint8Array>,
  options: UploadOptions,
): Promise<{ id?: number; size?: number }> {
  const dir = await mkdtemp(join(options.tempDir, 'perfgate-upload-'));
  try {
    const paths: string[] = [];
    for (const [relative, content] of Object.entries(files)) {
      const path = safeEntryPath(dir, relative, `artifact ${name}`);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
      paths.push(path);
    }
    const client = await artifactClient();
    const upload = () =>
      client.uploadArtifact(name, paths, dir, {
        retentionDays: options.retentionDays,
        compressionLevel: 6,
      });
    try {
      return await upload();
    } catch (error) {
      if (!/409|already exists/i.test(messageOf(error))) throw error;
      await client.deleteArtifact(name);
      return await upload();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface DownloadFrom {
  /** Run that uploaded it; omitted for an artifact of the current run (runtime token). */
  runId?: number;
  token: string;
  owner: string;
  repo: string;
  tempDir: string;
}

/**
 * Downloads an artifact and returns its files (name → bytes), every entry checked by readZip.
 * `source` names the artifact in error messages.
 */
export async function downloadFiles(
  id: number,
  from: DownloadFrom,
  source: string,
): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(join(from.tempDir, 'perfgate-download-'));
  try {
    const client = await artifactClient();
    await client.downloadArtifact(id, {
      path: dir,
      skipDecompress: true,
      ...(from.runId === undefined
        ? {}
        : {
            findBy: {
              token: from.token,
              workflowRunId: from.runId,
              repositoryOwner: from.owner,
              repositoryName: from.repo,
            },
          }),
    });
    const names = await readdir(dir);
    if (names.length !== 1) {
      throw new Error(`expected one downloaded archive, found ${names.length}`);
    }
    return readZip(await readFile(join(dir, names[0]!)), source);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
