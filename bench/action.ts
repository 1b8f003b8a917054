/**
 * `npm run bench action`: the action's own overhead, everything but running the benchmarks —
 * baseline download, compare, render, sticky comment, baseline upload, plus the cold start of
 * dist/index.js — against the loopback GitHub fake (REST + Results Twirp) with blobs in Azurite.
 * Writes docs/benchmarks/action.md. Target: under 2 s per PR run.
 *
 * The parent starts the servers and registers the workflow runs; a child process does the timed
 * work, because @actions/github reads GITHUB_API_URL when it is first imported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startAzurite } from '../__tests__/helpers/azurite.js';
import { FakeGitHub, OWNER, REPO, type FakeRun } from '../__tests__/helpers/fake-github.js';
import { makeRun } from '../__tests__/helpers/runs.js';

const HISTORY = 10;
const BENCHMARKS = 50;
const SAMPLES = 200;
const REPS = 5;

interface Plan {
  seed: Array<{ id: number; token: string }>;
  pr: { id: number; token: string };
  pushes: Array<{ id: number; token: string }>;
  pull: number;
  api: string;
  temp: string;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function runOf(commit: string, slow = 1) {
  const benches = Array.from({ length: BENCHMARKS }, (_, i) => ({
    name: `endpoint ${i}`,
    ns: (1000 + i * 37) * (i === 3 ? slow : 1),
    samples: SAMPLES,
  }));
  return makeRun(commit, benches);
}

async function child(plan: Plan): Promise<void> {
  const { ArtifactStore } = await import('../src/github/artifact-store.js');
  const { createOctokit } = await import('../src/github/octokit.js');
  const { upsertComment } = await import('../src/github/comment.js');
  const { commentMarkdown, summaryMarkdown } = await import('../src/github/render.js');
  const { compare } = await import('../src/compare/index.js');
  const { defaultConfig } = await import('../src/config/schema.js');
  const config = defaultConfig();
  const t0 = performance.now();
  await import('@actions/artifact');
  const artifactImport = performance.now() - t0;
  const quiet = () => undefined;
  const store = (run: { id: number; token: string }) => {
    process.env.ACTIONS_RUNTIME_TOKEN = run.token;
    return new ArtifactStore({
      octokit: createOctokit({ token: 'ghs_bench', baseUrl: plan.api }),
      token: 'ghs_bench',
      owner: OWNER,
      repo: REPO,
      name: 'perfgate-baseline',
      branch: 'main',
      runId: run.id,
      tempDir: plan.temp,
      log: quiet,
    });
  };
  // Seed a full history, as HISTORY pushes to main would.
  for (const [i, run] of plan.seed.entries()) {
    const s = store(run);
    await s.load();
    await s.save(runOf(String(i).padStart(40, '0')), HISTORY);
  }
  // Silence the artifact client's progress lines while timing.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  const pr: Record<string, number[]> = {
    download: [],
    compare: [],
    render: [],
    comment: [],
    total: [],
  };
  const push: Record<string, number[]> = { download: [], upload: [], total: [] };
  const head = runOf('f'.repeat(40), 2);
  for (let rep = 0; rep < REPS; rep += 1) {
    const start = performance.now();
    const s = store(plan.pr);
    const bases = await s.load();
    const t1 = performance.now();
    const comparison = compare(bases, head, config);
    const t2 = performance.now();
    const parts = {
      comparison,
      notes: '',
      title: 'perfgate',
      runUrl: 'http://github.localhost/run',
    };
    summaryMarkdown(parts);
    const body = commentMarkdown(parts, 'perf');
    const t3 = performance.now();
    await upsertComment(
      createOctokit({ token: 'ghs_bench', baseUrl: plan.api }),
      { owner: OWNER, repo: REPO, issueNumber: plan.pull, job: 'perf' },
      body,
    );
    const t4 = performance.now();
    pr.download!.push(t1 - start);
    pr.compare!.push(t2 - t1);
    pr.render!.push(t3 - t2);
    pr.comment!.push(t4 - t3);
    pr.total!.push(t4 - start);
    if (bases.length !== HISTORY)
      throw new Error(`expected ${HISTORY} base runs, got ${bases.length}`);

    const p0 = performance.now();
    const ps = store(plan.pushes[rep]!);
    await ps.load();
    const p1 = performance.now();
    await ps.save(head, HISTORY);
    const p2 = performance.now();
    push.download!.push(p1 - p0);
    push.upload!.push(p2 - p1);
    push.total!.push(p2 - p0);
  }
  process.stdout.write = write;
  const med = (r: Record<string, number[]>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, median(v)]));
  write(`${JSON.stringify({ artifactImport, pr: med(pr), push: med(push) })}\n`);
}

async function parent(): Promise<void> {
  const root = process.cwd();
  const azurite = await startAzurite();
  const github = await new FakeGitHub(azurite).start();
  try {
    const register = (run: FakeRun) => {
      github.completeRun(run.id, 'success');
      return { id: run.id, token: github.env(run).ACTIONS_RUNTIME_TOKEN! };
    };
    const seed = Array.from({ length: HISTORY }, (_, i) =>
      register(github.addRun({ headBranch: 'main', headSha: String(i).padStart(40, '0') })),
    );
    const pushes = Array.from({ length: REPS }, (_, i) =>
      register(github.addRun({ headBranch: 'main', headSha: String(100 + i).padStart(40, '0') })),
    );
    const prRun = github.addRun({
      headBranch: 'feature',
      headSha: 'f'.repeat(40),
      event: 'pull_request',
    });
    const pull = github.addPull({ number: 1, headSha: 'f'.repeat(40) });
    const temp = await mkdtemp(join(tmpdir(), 'perfgate-bench-action-'));
    const plan: Plan = {
      seed,
      pr: register(prRun),
      pushes,
      pull: pull.number,
      api: github.url,
      temp,
    };
    const env = {
      ...process.env,
      ...github.env(prRun),
      PERFGATE_BENCH_CHILD: JSON.stringify(plan),
    };
    const output = await new Promise<string>((resolve, reject) => {
      const c = spawn(process.execPath, [process.argv[1]!], {
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${out.slice(-2000)}`)),
      );
    });
    const result = JSON.parse(output.trim().split('\n').pop()!) as {
      artifactImport: number;
      pr: Record<string, number>;
      push: Record<string, number>;
    };

    // Cold start of the bundle: up to the first input check (a bad `mode` fails right there).
    const starts: number[] = [];
    for (let i = 0; i < REPS; i += 1) {
      const t = performance.now();
      spawnSync(process.execPath, [join(root, 'dist/index.js')], {
        env: {
          PATH: process.env.PATH,
          GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
          INPUT_MODE: 'bench-start',
        },
      });
      starts.push(performance.now() - t);
    }
    const coldStart = median(starts);
    const prTotal = result.pr.total! + coldStart + result.artifactImport;
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    const rows = [
      ['cold start of dist/index.js (to the input check)', ms(coldStart)],
      ['lazy `import("@actions/artifact")`', ms(result.artifactImport)],
      ['PR: download + validate baseline artifact (10 runs)', ms(result.pr.download!)],
      ['PR: compare (50 benchmarks × 10 base runs)', ms(result.pr.compare!)],
      ['PR: render summary + comment', ms(result.pr.render!)],
      ['PR: find + update sticky comment', ms(result.pr.comment!)],
      ['**PR run overhead, total**', `**${ms(prTotal)}**`],
      ['push: download previous baseline', ms(result.push.download!)],
      ['push: append, trim, upload baseline artifact', ms(result.push.upload!)],
      [
        '**push run overhead, total**',
        `**${ms(result.push.total! + coldStart + result.artifactImport)}**`,
      ],
    ];
    const doc = [
      '# Benchmark: the action’s own overhead',
      '',
      'Everything the action does besides running the benchmarks, measured by `npm run bench action`',
      '(bench/action.ts) against the loopback GitHub fake (REST + artifact Results service) with',
      'blobs stored in Azurite, using the real `@actions/artifact` and Octokit clients.',
      `Workload: a baseline history of ${HISTORY} runs × ${BENCHMARKS} benchmarks × ${SAMPLES} samples;`,
      `medians of ${REPS} repetitions. Target: under 2 s.`,
      '',
      `Machine: ${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores), Node ${process.version}, ` +
        `load average ${loadavg()[0]!.toFixed(1)} while measuring (a shared box: cold start and`,
      'the lazy import are the parts that suffer most from other processes).',
      '',
      '| Step | Time |',
      '| :- | -: |',
      ...rows.map(([a, b]) => `| ${a} | ${b} |`),
      '',
      `Verdict: ${prTotal < 2000 ? 'within' : '**over**'} the 2 s target for a PR run.`,
      'On GitHub the network adds latency to each request (about ten requests per run); the',
      'loopback numbers are the action’s CPU and I/O cost.',
      '',
    ].join('\n');
    await mkdir(join(root, 'docs', 'benchmarks'), { recursive: true });
    await writeFile(join(root, 'docs', 'benchmarks', 'action.md'), doc);
    console.log(doc);
    await rm(temp, { recursive: true, force: true });
  } finally {
    await github.stop();
    await azurite.stop();
  }
}

if (process.env.PERFGATE_BENCH_CHILD) {
  await child(JSON.parse(process.env.PERFGATE_BENCH_CHILD) as Plan);
} else {
  await parent();
}
