/**
 * End to end, pull-request code that attacks perfgate's outputs and environment: task names with
 * newlines, workflow commands, terminal escapes and bidi controls; bench output that echoes
 * workflow commands; a bench that looks for the token. Through dist/index.js, as a runner would.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchProject, runStep, type BenchProject } from '../helpers/action-runner.js';
import { FakeGitHub, pullRequestEvent } from '../helpers/fake-github.js';

let github: FakeGitHub;
let project: BenchProject;

const HOSTILE_NAME = 'evil\n::error::injected by name\u001b]52;c;aGk=\u0007\u001b[2J\u202egnp.exe';

beforeAll(async () => {
  github = await new FakeGitHub().start();
  project = await benchProject(1, { threshold: 200 });
  await writeFile(
    join(project.dir, 'bench', 'hostile.bench.mjs'),
    [
      "import { Bench } from 'tinybench';",
      "import { writeFileSync } from 'node:fs';",
      'const seen = Object.keys(process.env).filter((n) => /TOKEN|^INPUT_/i.test(n));',
      "writeFileSync('seen-env.json', JSON.stringify(seen));",
      "console.log('::error::injected by output');",
      "console.log('::add-mask::x');",
      'const b = new Bench();',
      `b.add(${JSON.stringify(HOSTILE_NAME)}, () => 1 + 1);`,
      'export default b;',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await github?.stop();
  if (project) await rm(project.dir, { recursive: true, force: true });
});

describe('hostile pull-request code', () => {
  it('cannot inject workflow commands or escapes, nor read the token', async () => {
    const run = github.addRun({ headBranch: 'f', headSha: '7'.repeat(40), event: 'pull_request' });
    const env = {
      ...github.env(run),
      ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
      ACTIONS_RESULTS_URL: '',
    };
    const pull = github.addPull({ number: 7, headSha: '7'.repeat(40) });
    const step = await runStep({
      env,
      eventName: 'pull_request',
      payload: pullRequestEvent(pull),
      workspace: project.dir,
      inputs: { 'baseline-path': '.perf-baseline', 'github-token': 'ghs_secret' },
    });
    // No line of the log starts a workflow command that came from the bench.
    const lines = step.stdout.split('\n');
    expect(lines.filter((l) => /^\s*::/.test(l) && /injected|add-mask::x$/.test(l))).toEqual([]);
    expect(step.errors.join('\n')).not.toMatch(/injected/);
    // No terminal escape and no bidi control reaches the log raw.
    // eslint-disable-next-line no-control-regex
    expect(step.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/);
    expect(step.stdout).toContain('evil\\n::error::injected by name');
    // Echoed bench output sits inside a stop-commands block.
    const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
    expect(stop).toBeGreaterThanOrEqual(0);
    const token = lines[stop]!.slice('::stop-commands::'.length);
    expect(token.length).toBeGreaterThanOrEqual(16);
    const resume = lines.indexOf(`::${token}::`);
    expect(resume).toBeGreaterThan(stop);
    // The token is masked (core.setSecret) and printed nowhere else.
    expect(lines.filter((l) => l.includes('ghs_secret'))).toEqual(['::add-mask::ghs_secret']);
    // The bench saw no secret.
    const seen = JSON.parse(await readFile(join(project.dir, 'seen-env.json'), 'utf8'));
    expect(seen).toEqual([]);
    // The comment carries the name without a bidi control.
    expect(pull.comments).toHaveLength(1);
    expect(pull.comments[0]!.body).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(pull.comments[0]!.body).toContain('gnp.exe');
  });
});
