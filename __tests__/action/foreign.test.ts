/**
 * End to end with another tool's results: dist/index.js as the GitHub runner runs it, against the
 * loopback GitHub fake with blobs in Azurite. The project has no bench files, only pytest-benchmark
 * outputs (real ones, __tests__/fixtures/ingest/real/pytest): on push the `command` input writes
 * the result file and the baseline is stored; on the pull request an earlier step wrote the head's
 * results, `results` + `format` gate them, the slowed benchmark fails the check and the comment
 * names it. A failing `command` fails the step with its last output lines.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionSuite } from '../helpers/action-suite.js';

const FIXTURES = new URL('../fixtures/ingest/real/pytest/', import.meta.url).pathname;
const sha = (c: string) => c.repeat(40);

const suite = actionSuite();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-foreign-'));
  await mkdir(join(dir, 'results'));
  await copyFile(join(FIXTURES, 'base.json'), join(dir, 'pytest-base.json'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('foreign results in the action', () => {
  it('push: `command` writes the results, they are stored as the baseline', async () => {
    const { result } = await suite.push(sha('a'), {
      workspace: dir,
      inputs: {
        command: 'cp pytest-base.json results/bench.json && echo "pytest ran"',
        results: 'results/*.json',
        format: 'pytest',
        // The fixtures were made on a loaded machine: 40 % against the 2× slowdown.
        threshold: '40',
      },
    });
    expect(result.code, result.log + result.stderr).toBe(0);
    expect(result.log).toContain('pytest ran');
    expect(result.log).toMatch(/Stored the baseline/);
    expect(result.outputs.verdict).toBe('pass');
  });

  it('pull request: results written by an earlier step, the slowed benchmark fails the gate', async () => {
    await copyFile(join(FIXTURES, 'head.json'), join(dir, 'results', 'bench.json'));
    const pull = suite.github.addPull({ number: 7, headSha: sha('b') });
    const { result } = await suite.pull(pull, {
      workspace: dir,
      ref: 'refs/pull/7/merge',
      inputs: { results: 'results/bench.json', format: 'auto', threshold: '40' },
    });
    expect(result.code, result.log + result.stderr).toBe(1);
    expect(result.outputs.verdict).toBe('fail');
    expect(result.outputs.regressions).toBe('1');
    expect(pull.comments).toHaveLength(1);
    expect(pull.comments[0]!.body).toContain('test\\_sort');
    expect(result.errors.join('\n')).toContain('test_bench.py::test_sort');
  });

  it('a failing command fails the step with its last output lines', async () => {
    const { result } = await suite.push(sha('c'), {
      workspace: dir,
      inputs: {
        command: 'echo "collecting"; echo "ImportError: no module named app" >&2; exit 4',
        results: 'results/*.json',
      },
    });
    expect(result.code).not.toBe(0);
    const failure = result.errors.join('\n');
    expect(failure).toContain('exited with code 4');
    expect(failure).toContain('ImportError: no module named app');
  });
});
