/**
 * End to end, GitHub faults injected in the loopback fake (REST and the artifact Results service),
 * through dist/index.js: bursts of 5xx, 429 and secondary rate limits with Retry-After, reset and
 * hung connections, a truncated artifact blob, and two pushes to main racing each other.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readZip } from '../../src/github/zip.js';
import { benchProject } from '../helpers/action-runner.js';
import { actionSuite } from '../helpers/action-suite.js';
import type { FakePull, FakeRun } from '../helpers/fake-github.js';

const suite = actionSuite({
  project: { work: 1, config: { threshold: 200 } },
  firstPull: 400,
  sha: (n) => `${n.toString(16).padStart(7, '0')}${'e'.repeat(33)}`,
});
const { sha, newPull } = suite;
const COMMENTS = /\/issues\/\d+\/comments$/;

const pushStep = (commit: string, dir?: string) =>
  suite.push(commit, dir ? { workspace: dir } : {});

async function pushBaseline(commit: string): Promise<FakeRun> {
  const { run, result } = await pushStep(commit);
  expect(result.code, result.log + result.stderr).toBe(0);
  return run;
}

async function prStep(pull: FakePull, extraEnv: Record<string, string> = {}) {
  return (await suite.pull(pull, { extraEnv })).result;
}

describe('REST faults', () => {
  beforeAll(async () => {
    await pushBaseline(sha(1));
  });

  it('a burst of 5xx on the comment is retried with backoff; the comment is posted', async () => {
    for (const status of [502, 503, 504])
      suite.github.fail({ method: 'POST', path: COMMENTS, status });
    const pull = newPull();
    const result = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(pull.comments).toHaveLength(1);
    expect(suite.github.faults.every((f) => f.times === 0)).toBe(true);
  });

  it('429 with Retry-After on the comment is waited out and retried', async () => {
    suite.github.fail({
      method: 'POST',
      path: COMMENTS,
      status: 429,
      headers: { 'retry-after': '1' },
    });
    const pull = newPull();
    const result = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(pull.comments).toHaveLength(1);
    expect(suite.github.count('POST', COMMENTS)).toBeGreaterThanOrEqual(2);
  });

  it('a secondary rate limit (403 + Retry-After) is waited out with a warning and retried', async () => {
    suite.github.fail({
      method: 'POST',
      path: COMMENTS,
      status: 403,
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      headers: { 'retry-after': '1' },
    });
    const pull = newPull();
    const result = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(pull.comments).toHaveLength(1);
    expect(result.warnings.join('\n')).toMatch(/secondary rate limit.*retrying/);
  });

  it('a reset connection is retried', async () => {
    suite.github.fail({ method: 'GET', path: COMMENTS, status: 0, kind: 'reset', times: 2 });
    const pull = newPull();
    const result = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(pull.comments).toHaveLength(1);
    expect(suite.github.faults.every((f) => f.times === 0)).toBe(true);
  });

  it('a request that never gets an answer times out and is retried', async () => {
    suite.github.fail({ method: 'GET', path: COMMENTS, status: 0, kind: 'hang', times: 1 });
    const pull = newPull();
    const result = await prStep(pull, { PERFGATE_HTTP_TIMEOUT_MS: '1500' });
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(pull.comments).toHaveLength(1);
    expect(suite.github.faults.every((f) => f.times === 0)).toBe(true);
  });

  it('a REST 5xx that never ends fails the comment clearly; summary and verdict are still written', async () => {
    suite.github.fail({ method: 'POST', path: COMMENTS, status: 503, times: 10 });
    const pull = newPull();
    const result = await prStep(pull);
    suite.github.faults.splice(0);
    expect(pull.comments).toHaveLength(0);
    expect(result.outputs.verdict).toBe('pass');
    expect(result.summary).toMatch(/checksum/);
    expect(`${result.warnings.join('\n')}\n${result.errors.join('\n')}`).toMatch(/503/);
  });
});

describe('artifact (Results service) faults', () => {
  it('a burst of 5xx on ListArtifacts is retried and the baseline is found', async () => {
    const base = await pushBaseline(sha(2));
    suite.github.fail({ method: 'POST', path: /ListArtifacts$/, status: 503, times: 2 });
    suite.github.fail({ method: 'GET', path: /\/actions\/artifacts$/, status: 502, times: 2 });
    const pull = newPull();
    const result = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(result.log).toMatch(new RegExp(`run ${base.id}\\)`));
    expect(pull.comments[0]!.body).not.toMatch(/Baseline unavailable|No baseline yet/);
  });

  it('a truncated blob is an unusable baseline, said so; the step does not crash', async () => {
    const run = await pushBaseline(sha(3));
    const artifact = suite.github.artifacts.find((a) => a.runId === run.id)!;
    const bytes = await suite.github.readBlob(artifact);
    await suite.github.overwriteBlob(artifact, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const pull = newPull();
    const result = await prStep(pull);
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(result.warnings.join('\n')).toMatch(/unusable, comparing without it/);
    expect(pull.comments[0]!.body).toMatch(/Baseline unavailable/);
  });
});

describe('baseline history', () => {
  it('two pushes to main racing each other both end up in the history', async () => {
    await pushBaseline(sha(10));
    // Push B loads the baseline, then waits in its bench until push A has stored its own.
    const slow = await benchProject(1, { threshold: 200 });
    try {
      await writeFile(
        join(slow.dir, 'bench', 'wait.bench.mjs'),
        [
          "import { Bench } from 'tinybench';",
          "import { existsSync, writeFileSync } from 'node:fs';",
          "writeFileSync('started', '');",
          'for (let i = 0; i < 1200 && !existsSync("go"); i++) await new Promise((r) => setTimeout(r, 50));',
          'const b = new Bench();',
          "b.add('wait', () => 1 + 1);",
          'export default b;',
          '',
        ].join('\n'),
      );
      const b = pushStep(sha(12), slow.dir);
      const { existsSync } = await import('node:fs');
      for (let i = 0; i < 1200 && !existsSync(join(slow.dir, 'started')); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const a = await pushStep(sha(11));
      expect(a.result.code, a.result.log).toBe(0);
      await writeFile(join(slow.dir, 'go'), '');
      const { run, result } = await b;
      expect(result.code, result.log + result.stderr).toBe(0);
      // The newest baseline artifact (B's) holds A's run too.
      const newest = suite.github.artifacts.filter(
        (x) => x.runId === run.id && x.name !== 'perfgate-report',
      );
      expect(newest).toHaveLength(1);
      const names = [...readZip(await suite.github.readBlob(newest[0]!), 'baseline.zip').keys()];
      const commits = names.map((n) => /-(\w{7})\.json$/.exec(n)?.[1]);
      expect(commits).toEqual(
        expect.arrayContaining([sha(10), sha(11), sha(12)].map((s) => s.slice(0, 7))),
      );
      expect(result.log).toMatch(/another push stored/i);
    } finally {
      await rm(slow.dir, { recursive: true, force: true });
    }
  }, 120_000);
});
