/**
 * A loopback fake of the GitHub endpoints perfgate uses, on one node:http server:
 * - REST (GITHUB_API_URL): issue comments list/create/update, labels, issue events, pulls,
 *   compare (merge base), repository, workflow runs, artifacts list and zip download (302 to blob).
 * - The artifact Results service (ACTIONS_RESULTS_URL, Twirp JSON): CreateArtifact,
 *   FinalizeArtifact, ListArtifacts, GetSignedArtifactURL, DeleteArtifact, with signed URLs
 *   pointing at Azurite, so the real `@actions/artifact` client uploads and downloads real blobs.
 * State is plain data the tests can read and change; `fail()` injects HTTP errors.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BlobSASPermissions,
  BlobServiceClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_KEY, type Azurite } from './azurite.js';

export const OWNER = 'acme';
export const REPO = 'shop';
export const REPOSITORY = `${OWNER}/${REPO}`;
/** One container per fake: test files share one Azurite (__tests__/setup/azurite.ts). */
let containers = 0;

export interface FakeRun {
  id: number;
  /** Backend ids carried by the runtime token (`Actions.Results:<run>:<job>`). */
  backendId: string;
  jobBackendId: string;
  headBranch: string;
  headSha: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  /** `owner/repo` of the head repository (a fork for fork PRs). */
  headRepository: string;
  pullRequests: number[];
}

export interface FakeArtifact {
  id: number;
  name: string;
  runId: number;
  jobBackendId: string;
  blobName: string;
  size: number;
  digest?: string;
  finalized: boolean;
  expired: boolean;
  createdAt: string;
  expiresAt: string;
}

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
  created_at: string;
  updated_at: string;
  html_url: string;
}

export interface FakePull {
  number: number;
  headSha: string;
  headRef: string;
  headRepository: string;
  baseRef: string;
  baseSha: string;
  labels: string[];
  /** Issue events (labeled/unlabeled) with their actor. */
  events: Array<{ event: 'labeled' | 'unlabeled'; label: string; actor: string }>;
  comments: FakeComment[];
}

export interface Fault {
  method: string;
  /** Matched against the request path (without query). */
  path: RegExp;
  status: number;
  /** How many requests fail before the endpoint works again (Infinity: always). */
  times: number;
  message?: string;
  headers?: Record<string, string>;
  /**
   * `status` (default): answer with `status`. `reset`: destroy the connection without an answer.
   * `hang`: never answer (a timeout for the client).
   */
  kind?: 'status' | 'reset' | 'hang';
}

export interface RequestRecord {
  method: string;
  path: string;
  status: number;
}

export class FakeGitHub {
  readonly runs = new Map<number, FakeRun>();
  readonly artifacts: FakeArtifact[] = [];
  readonly pulls = new Map<number, FakePull>();
  readonly requests: RequestRecord[] = [];
  readonly faults: Fault[] = [];
  /** `base...head` → merge-base sha. */
  readonly mergeBases = new Map<string, string>();
  defaultBranch = 'main';
  /** Bearer tokens that may write comments; others get 403 (read-only fork tokens). */
  readonlyTokens = new Set<string>();
  private server!: Server;
  private nextId = 1000;
  private blobs!: BlobServiceClient;
  private credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
  private readonly container = `actions-results-${process.pid}-${++containers}`;
  url = '';

  /** Without Azurite, only the REST endpoints that need no blobs work (comments, labels, pulls). */
  constructor(private readonly azurite?: Pick<Azurite, 'url'>) {}

  async start(): Promise<this> {
    if (this.azurite) {
      this.blobs = new BlobServiceClient(this.azurite.url, this.credential);
      await this.blobs.getContainerClient(this.container).createIfNotExists();
    }
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        send(res, 500, { message: String(error) });
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Registers a workflow run; the returned token is its ACTIONS_RUNTIME_TOKEN. */
  addRun(partial: Partial<FakeRun> & Pick<FakeRun, 'headBranch' | 'headSha'>): FakeRun {
    const id = this.nextId++;
    const run: FakeRun = {
      id,
      backendId: randomUUID(),
      jobBackendId: randomUUID(),
      event: 'push',
      status: 'in_progress',
      conclusion: null,
      headRepository: REPOSITORY,
      pullRequests: [],
      ...partial,
    };
    this.runs.set(id, run);
    return run;
  }

  completeRun(id: number, conclusion: FakeRun['conclusion'] = 'success'): void {
    const run = this.runs.get(id);
    if (!run) throw new Error(`no run ${id}`);
    run.status = 'completed';
    run.conclusion = conclusion;
  }

  addPull(partial: Partial<FakePull> & Pick<FakePull, 'number' | 'headSha'>): FakePull {
    const pull: FakePull = {
      headRef: `feature-${partial.number}`,
      headRepository: REPOSITORY,
      baseRef: this.defaultBranch,
      baseSha: 'b'.repeat(40),
      labels: [],
      events: [],
      comments: [],
      ...partial,
    };
    this.pulls.set(pull.number, pull);
    return pull;
  }

  fail(fault: Omit<Fault, 'times'> & { times?: number }): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Replaces the stored bytes of an artifact (to simulate corruption). */
  async overwriteBlob(artifact: FakeArtifact, data: Buffer): Promise<void> {
    const blob = this.blobs
      .getContainerClient(this.container)
      .getBlockBlobClient(artifact.blobName);
    await blob.uploadData(data, { blobHTTPHeaders: { blobContentType: 'application/zip' } });
    artifact.size = data.length;
  }

  /** Bytes of a stored artifact (a zip). */
  async readBlob(artifact: FakeArtifact): Promise<Buffer> {
    const blob = this.blobs
      .getContainerClient(this.container)
      .getBlockBlobClient(artifact.blobName);
    return blob.downloadToBuffer();
  }

  /** Environment a step of `run` sees, pointing every client at this fake. */
  env(run: FakeRun): Record<string, string> {
    return {
      GITHUB_API_URL: this.url,
      GITHUB_SERVER_URL: 'http://github.localhost',
      ACTIONS_RESULTS_URL: `${this.url}/`,
      ACTIONS_RUNTIME_TOKEN: runtimeToken(run),
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_REPOSITORY_OWNER: OWNER,
      GITHUB_RUN_ID: String(run.id),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SHA: run.headSha,
    };
  }

  count(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
  }

  private signedUrl(blobName: string, permissions: string): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: this.container,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      this.credential,
    ).toString();
    return `${this.azurite!.url}/${this.container}/${blobName}?${sas}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const record: RequestRecord = { method, path: url.pathname, status: 0 };
    this.requests.push(record);
    const reply = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      send(res, status, data, headers);
    };
    const fault = this.faults.find(
      (f) => f.times > 0 && f.method === method && f.path.test(url.pathname),
    );
    if (fault) {
      fault.times -= 1;
      if (fault.kind === 'reset') {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault.kind === 'hang') {
        record.status = -2;
        return; // the client gives up; stop() closes the connection
      }
      reply(fault.status, { message: fault.message ?? `injected ${fault.status}` }, fault.headers);
      return;
    }
    if (url.pathname.startsWith('/twirp/')) {
      const [status, data] = await this.twirp(url.pathname.split('/').pop()!, body);
      reply(status, data);
      return;
    }
    const token = (req.headers.authorization ?? '').replace(/^(token|bearer) /i, '');
    const [status, data, headers] = this.rest(method, url, body, token);
    reply(status, data, headers);
  }

  private async twirp(rpc: string, raw: string): Promise<[number, unknown]> {
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    const runBackendId = String(body.workflow_run_backend_id ?? body.workflowRunBackendId ?? '');
    const jobBackendId = String(
      body.workflow_job_run_backend_id ?? body.workflowJobRunBackendId ?? '',
    );
    const run = [...this.runs.values()].find((r) => r.backendId === runBackendId);
    if (!run) return [404, { code: 'not_found', msg: `unknown run ${runBackendId}` }];
    const name = String(body.name ?? '');
    const forRun = this.artifacts.filter((a) => a.runId === run.id && a.finalized && !a.expired);
    switch (rpc) {
      case 'CreateArtifact': {
        if (this.artifacts.some((a) => a.runId === run.id && a.name === name)) {
          return [409, { code: 'already_exists', msg: `artifact ${name} already exists` }];
        }
        const now = new Date();
        const expiresAt = typeof body.expires_at === 'string' ? body.expires_at : undefined;
        const artifact: FakeArtifact = {
          id: this.nextId++,
          name,
          runId: run.id,
          jobBackendId,
          blobName: `${run.backendId}/${name}-${randomUUID()}.zip`,
          size: 0,
          finalized: false,
          expired: false,
          createdAt: now.toISOString(),
          expiresAt: expiresAt ?? new Date(now.getTime() + 90 * 86_400_000).toISOString(),
        };
        this.artifacts.push(artifact);
        return [200, { ok: true, signed_upload_url: this.signedUrl(artifact.blobName, 'cw') }];
      }
      case 'FinalizeArtifact': {
        const artifact = this.artifacts.find((a) => a.runId === run.id && a.name === name);
        if (!artifact) return [404, { code: 'not_found', msg: `no artifact ${name}` }];
        artifact.finalized = true;
        artifact.size = Number(body.size ?? 0);
        const hash = body.hash;
        artifact.digest = typeof hash === 'string' ? hash : undefined;
        return [200, { ok: true, artifact_id: String(artifact.id) }];
      }
      case 'ListArtifacts': {
        const nameFilter = body.name_filter ?? body.nameFilter;
        const idFilter = body.id_filter ?? body.idFilter;
        const list = forRun.filter(
          (a) =>
            (nameFilter === undefined || a.name === nameFilter) &&
            (idFilter === undefined || String(a.id) === String(idFilter)),
        );
        return [
          200,
          {
            artifacts: list.map((a) => ({
              workflow_run_backend_id: run.backendId,
              workflow_job_run_backend_id: a.jobBackendId,
              database_id: String(a.id),
              name: a.name,
              size: String(a.size),
              created_at: a.createdAt,
              digest: a.digest,
            })),
          },
        ];
      }
      case 'GetSignedArtifactURL': {
        const artifact = forRun.find((a) => a.name === name);
        if (!artifact) return [404, { code: 'not_found', msg: `no artifact ${name}` }];
        return [200, { signed_url: this.signedUrl(artifact.blobName, 'r') }];
      }
      case 'DeleteArtifact': {
        const index = this.artifacts.findIndex((a) => a.runId === run.id && a.name === name);
        if (index < 0) return [404, { code: 'not_found', msg: `no artifact ${name}` }];
        const [artifact] = this.artifacts.splice(index, 1);
        return [200, { ok: true, artifact_id: String(artifact!.id) }];
      }
      default:
        return [404, { code: 'bad_route', msg: `no rpc ${rpc}` }];
    }
  }

  private rest(
    method: string,
    url: URL,
    raw: string,
    token: string,
  ): [number, unknown, Record<string, string>?] {
    const path = url.pathname;
    const prefix = `/repos/${REPOSITORY}`;
    if (!path.startsWith(prefix)) return [404, { message: 'Not Found' }];
    const rest = path.slice(prefix.length);
    const query = url.searchParams;
    const input = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    let m: RegExpExecArray | null;

    if (rest === '' && method === 'GET') {
      return [200, { full_name: REPOSITORY, default_branch: this.defaultBranch }];
    }
    if (rest === '/actions/artifacts' && method === 'GET') {
      const name = query.get('name');
      const list = this.artifacts
        .filter((a) => a.finalized && (name === null || a.name === name))
        .sort((a, b) => b.id - a.id);
      return [
        200,
        ...this.page(
          list.map((a) => this.restArtifact(a)),
          url,
          'artifacts',
        ),
      ];
    }
    if ((m = /^\/actions\/runs\/(\d+)\/artifacts$/.exec(rest)) && method === 'GET') {
      const name = query.get('name');
      const list = this.artifacts
        .filter((a) => a.finalized && a.runId === Number(m![1]) && (!name || a.name === name))
        .sort((a, b) => b.id - a.id);
      return [
        200,
        ...this.page(
          list.map((a) => this.restArtifact(a)),
          url,
          'artifacts',
        ),
      ];
    }
    if ((m = /^\/actions\/runs\/(\d+)$/.exec(rest)) && method === 'GET') {
      const run = this.runs.get(Number(m[1]));
      if (!run) return [404, { message: 'Not Found' }];
      return [200, this.restRun(run)];
    }
    if ((m = /^\/actions\/artifacts\/(\d+)\/zip$/.exec(rest)) && method === 'GET') {
      const artifact = this.artifacts.find((a) => a.id === Number(m![1]));
      if (!artifact) return [404, { message: 'Not Found' }];
      if (artifact.expired) return [410, { message: 'Artifact has expired' }];
      return [302, null, { location: this.signedUrl(artifact.blobName, 'r') }];
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest))) {
      const pull = this.pulls.get(Number(m[1]));
      if (!pull) return [404, { message: 'Not Found' }];
      if (method === 'GET') return [200, ...this.page(pull.comments, url)];
      if (method === 'POST') {
        if (this.readonlyTokens.has(token)) {
          return [403, { message: 'Resource not accessible by integration' }];
        }
        const now = new Date().toISOString();
        const id = this.nextId++;
        const comment: FakeComment = {
          id,
          body: String(input.body ?? ''),
          user: { login: 'github-actions[bot]', type: 'Bot' },
          created_at: now,
          updated_at: now,
          html_url: `http://github.localhost/${REPOSITORY}/pull/${pull.number}#issuecomment-${id}`,
        };
        pull.comments.push(comment);
        return [201, comment];
      }
    }
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      if (this.readonlyTokens.has(token)) {
        return [403, { message: 'Resource not accessible by integration' }];
      }
      for (const pull of this.pulls.values()) {
        const comment = pull.comments.find((c) => c.id === Number(m![1]));
        if (comment) {
          comment.body = String(input.body ?? '');
          comment.updated_at = new Date().toISOString();
          return [200, comment];
        }
      }
      return [404, { message: 'Not Found' }];
    }
    if ((m = /^\/issues\/(\d+)\/labels$/.exec(rest)) && method === 'GET') {
      const pull = this.pulls.get(Number(m[1]));
      if (!pull) return [404, { message: 'Not Found' }];
      return [
        200,
        ...this.page(
          pull.labels.map((name, i) => ({ id: i + 1, name })),
          url,
        ),
      ];
    }
    if ((m = /^\/issues\/(\d+)\/events$/.exec(rest)) && method === 'GET') {
      const pull = this.pulls.get(Number(m[1]));
      if (!pull) return [404, { message: 'Not Found' }];
      const events = pull.events.map((e, i) => ({
        id: i + 1,
        event: e.event,
        label: { name: e.label },
        actor: { login: e.actor, type: 'User' },
        created_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      }));
      return [200, ...this.page(events, url)];
    }
    if ((m = /^\/pulls\/(\d+)$/.exec(rest)) && method === 'GET') {
      const pull = this.pulls.get(Number(m[1]));
      if (!pull) return [404, { message: 'Not Found' }];
      return [200, restPull(pull)];
    }
    if ((m = /^\/compare\/(.+)$/.exec(rest)) && method === 'GET') {
      const key = decodeURIComponent(m[1]!);
      const sha = this.mergeBases.get(key);
      if (!sha) return [404, { message: 'Not Found' }];
      return [200, { merge_base_commit: { sha }, status: 'ahead' }];
    }
    return [404, { message: `Not Found (fake: ${method} ${path})` }];
  }

  private page(items: unknown[], url: URL, key?: string): [unknown, Record<string, string>] {
    const query = url.searchParams;
    const perPage = Number(query.get('per_page') ?? 30);
    const page = Number(query.get('page') ?? 1);
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url.href);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    return [key ? { total_count: items.length, [key]: slice } : slice, headers];
  }

  private restArtifact(a: FakeArtifact) {
    const run = this.runs.get(a.runId)!;
    return {
      id: a.id,
      node_id: `A_${a.id}`,
      name: a.name,
      size_in_bytes: a.size,
      url: `${this.url}/repos/${REPOSITORY}/actions/artifacts/${a.id}`,
      archive_download_url: `${this.url}/repos/${REPOSITORY}/actions/artifacts/${a.id}/zip`,
      expired: a.expired,
      digest: a.digest,
      created_at: a.createdAt,
      updated_at: a.createdAt,
      expires_at: a.expiresAt,
      workflow_run: {
        id: run.id,
        repository_id: 1,
        head_repository_id: run.headRepository === REPOSITORY ? 1 : 2,
        head_branch: run.headBranch,
        head_sha: run.headSha,
      },
    };
  }

  private restRun(run: FakeRun) {
    return {
      id: run.id,
      name: 'perf',
      head_branch: run.headBranch,
      head_sha: run.headSha,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      html_url: `http://github.localhost/${REPOSITORY}/actions/runs/${run.id}`,
      head_repository: { full_name: run.headRepository },
      repository: { full_name: REPOSITORY },
      pull_requests: run.pullRequests.map((n) => ({ number: n })),
    };
  }

  /** A `workflow_run` event payload (completed) for `run`, shaped like GitHub's. */
  workflowRunEvent(run: FakeRun): Record<string, unknown> {
    return {
      action: 'completed',
      workflow_run: {
        ...this.restRun(run),
        pull_requests: run.pullRequests.map((n) => {
          const pull = this.pulls.get(n);
          return {
            number: n,
            head: { sha: pull?.headSha ?? run.headSha, ref: pull?.headRef ?? run.headBranch },
            base: { ref: pull?.baseRef ?? this.defaultBranch },
          };
        }),
      },
      repository: { full_name: REPOSITORY, default_branch: this.defaultBranch },
      sender: { login: 'octocat' },
    };
  }
}

function restPull(pull: FakePull) {
  return {
    number: pull.number,
    state: 'open',
    head: { sha: pull.headSha, ref: pull.headRef, repo: { full_name: pull.headRepository } },
    base: { sha: pull.baseSha, ref: pull.baseRef, repo: { full_name: REPOSITORY } },
    labels: pull.labels.map((name) => ({ name })),
  };
}

/** A `pull_request` event payload, shaped like GitHub's. */
export function pullRequestEvent(
  pull: FakePull,
  action = 'synchronize',
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    action,
    number: pull.number,
    pull_request: restPull(pull),
    repository: { full_name: REPOSITORY, default_branch: 'main' },
    sender: { login: 'octocat' },
    ...extra,
  };
}

/** A `push` event payload, shaped like GitHub's. */
export function pushEvent(branch: string, sha: string): Record<string, unknown> {
  return {
    ref: `refs/heads/${branch}`,
    before: '0'.repeat(40),
    after: sha,
    head_commit: { id: sha },
    repository: { full_name: REPOSITORY, default_branch: 'main' },
    sender: { login: 'octocat' },
  };
}

/** An unsigned JWT with the `scp` claim @actions/artifact reads the backend ids from. */
export function runtimeToken(run: Pick<FakeRun, 'backendId' | 'jobBackendId'>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({
    scp: `Actions.GenericRead:x Actions.Results:${run.backendId}:${run.jobBackendId}`,
  })}.`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
): void {
  const text = data === null ? '' : JSON.stringify(data);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
