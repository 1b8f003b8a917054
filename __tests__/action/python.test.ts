/**
 * The action gates a Python project end to end: dist/index.js as the GitHub runner runs it, with
 * the loopback GitHub fake and Azurite. The workspace is examples/python-users-api: on push (main,
 * joinedload) the `command` input runs pytest-benchmark, perfgate enables its pytest plugin by
 * itself and stores the baseline; on the pull request (get_user_details per user) the check fails
 * and the comment has the New N+1 at the Python line, the call counts and memory per op.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';
import { actionSuite } from '../helpers/action-suite.js';
import { findPython } from '../python/python.js';

const { python, reason } = findPython(['pytest', 'pytest_benchmark', 'flask', 'flask_sqlalchemy']);
if (!python) console.warn(`skipping the Python action test: ${reason}`);
// `command` and `results` are the foreign-results inputs (src/ingest, issue 11).
const hasCommand = /^ {2}command:/m.test(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
if (!hasCommand) console.warn('skipping the Python action test: action.yml has no `command` input');

const example = join(ROOT, 'examples', 'python-users-api');
const sha = (c: string) => c.repeat(40);
const suite = actionSuite();
let dir: string;

const inputs = () => ({
  command: `${python} -m pytest -q -p no:cacheprovider --benchmark-max-time=0.2 --benchmark-min-rounds=3 --benchmark-json=bench.json`,
  results: 'bench.json',
});
const quick = {
  PERFGATE_PROFILE_TIME: '0.01',
  PERFGATE_MEMORY_ROUNDS: '3',
  PYTHONDONTWRITEBYTECODE: '1',
};

describe.skipIf(!python || !hasCommand)('a Python project in the action', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'perfgate-action-python-'));
    await cp(join(example, 'main'), dir, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'push: pytest-benchmark through `command`, stored as the baseline with its attachments',
    { timeout: 600_000 },
    async () => {
      const { result } = await suite.push(sha('a'), {
        workspace: dir,
        inputs: inputs(),
        extraEnv: quick,
      });
      expect(result.code, result.log + result.stderr).toBe(0);
      expect(result.log).toContain('perfgate: profiles, queries and memory of 1 benchmarks');
      expect(result.log).toMatch(/Stored the baseline/);
    },
  );

  it(
    'pull request: the N+1 fails the check, with the Python line and the call counts',
    { timeout: 600_000 },
    async () => {
      await cp(join(example, 'pull-request', 'app', 'users.py'), join(dir, 'app', 'users.py'));
      const pull = suite.github.addPull({ number: 12, headSha: sha('b') });
      const { result } = await suite.pull(pull, {
        workspace: dir,
        ref: 'refs/pull/12/merge',
        inputs: inputs(),
        extraEnv: quick,
      });
      expect(result.code, result.log + result.stderr).toBe(1);
      expect(result.outputs.verdict).toBe('fail');
      expect(pull.comments).toHaveLength(1);
      const comment = pull.comments[0]!.body;
      expect(comment).toContain('1 → 501');
      expect(comment).toContain('from app/users.py:9');
      expect(comment).toContain('| get\\_user\\_details | app/users.py:8 | — | 500 |');
      expect(comment).toContain('Allocated / op');
    },
  );
});
