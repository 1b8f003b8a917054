/**
 * Runs the bundled action (dist/index.js) the way the GitHub runner does: a fresh `node` process
 * with `INPUT_*` for every input of action.yml (defaults filled in, names upper-cased with dashes
 * kept), the event payload in a file, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files to read back.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** Input defaults as declared in action.yml (the runner always sends them). */
export async function actionDefaults(): Promise<Record<string, string>> {
  const text = await readFile(join(ROOT, 'action.yml'), 'utf8');
  const section = text.slice(text.indexOf('\ninputs:'), text.indexOf('\noutputs:'));
  const defaults: Record<string, string> = {};
  let current: string | undefined;
  for (const line of section.split('\n')) {
    const name = /^ {2}([\w-]+):\s*$/.exec(line);
    if (name) current = name[1];
    const value = /^ {4}default:\s*(.*)$/.exec(line);
    if (current && value) {
      let v = value[1]!.trim();
      if (/^'.*'$/.test(v) || /^".*"$/.test(v)) v = v.slice(1, -1);
      defaults[current] = v;
    }
  }
  return defaults;
}

export interface StepOptions {
  /** Env of the fake (FakeGitHub.env(run)). */
  env: Record<string, string>;
  eventName: string;
  payload: Record<string, unknown>;
  inputs?: Record<string, string>;
  workspace: string;
  job?: string;
  ref?: string;
  /** Extra env (e.g. PATH with another node). */
  extraEnv?: Record<string, string>;
}

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  warnings: string[];
  errors: string[];
  log: string;
}

/** Parses GITHUB_OUTPUT (`name<<DELIM\nvalue\nDELIM` blocks). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      outputs[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) {
      const [key, ...rest] = lines[i]!.split('=');
      outputs[key!] = rest.join('=');
    }
  }
  return outputs;
}

export async function runStep(options: StepOptions): Promise<StepResult> {
  const dir = await mkdtemp(join(tmpdir(), 'perfgate-step-'));
  const eventPath = join(dir, 'event.json');
  const outputPath = join(dir, 'output');
  const summaryPath = join(dir, 'summary.md');
  await writeFile(eventPath, JSON.stringify(options.payload));
  await writeFile(outputPath, '');
  await writeFile(summaryPath, '');
  const runnerTemp = join(dir, 'runner-temp');
  await mkdir(runnerTemp);
  const inputs = { ...(await actionDefaults()), ...options.inputs };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_JOB: options.job ?? 'perf',
    GITHUB_REF: options.ref ?? '',
    GITHUB_ACTOR: 'octocat',
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    // Keep Octokit retry waits short (production: 1 s base).
    PERFGATE_RETRY_AFTER_MS: '10',
    ...options.env,
    ...options.extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) {
    // The runner's convention: spaces → underscores, upper case, dashes kept.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const child = spawn(process.execPath, [join(ROOT, 'dist/index.js')], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const commands = (kind: string) =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith(`::${kind}`))
      .map((l) => decodeCommand(l.slice(l.indexOf('::', 2) + 2)));
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputPath, 'utf8')),
    summary: await readFile(summaryPath, 'utf8'),
    warnings: commands('warning'),
    errors: commands('error'),
    log: stdout
      .split('\n')
      .filter((l) => !l.startsWith('::debug::'))
      .join('\n'),
  };
}

function decodeCommand(text: string): string {
  return text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
}

export interface BenchProject {
  dir: string;
  /** Rewrites the bench file: `work` is how many loop rounds the task does (the "code change"). */
  setWork(work: number): Promise<void>;
}

/**
 * A tiny project with one tinybench file whose cost is set by `work`. Short timing, profilers
 * off: the action's flow is under test, not the measurements.
 */
export async function benchProject(work: number, extraConfig: object = {}): Promise<BenchProject> {
  const dir = await mkdtemp(join(tmpdir(), 'perfgate-project-'));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), '{"type":"module","private":true}\n');
  await writeFile(
    join(dir, 'perfgate.config.json'),
    JSON.stringify(
      {
        run: { time: 60, warmup: 10, minSamples: 20, maxSamples: 60 },
        profile: { enabled: false },
        queries: { enabled: false },
        memory: { enabled: false },
        calls: { enabled: false },
        ...extraConfig,
      },
      null,
      2,
    ),
  );
  await mkdir(join(dir, 'bench'));
  const setWork = (n: number) =>
    writeFile(
      join(dir, 'bench', 'app.bench.mjs'),
      [
        "import { Bench } from 'tinybench';",
        `const WORK = ${n};`,
        'function checksum(rounds) {',
        '  let h = 0;',
        '  for (let r = 0; r < rounds; r++) for (let i = 0; i < 2000; i++) h = (h * 31 + i) | 0;',
        '  return h;',
        '}',
        'const bench = new Bench();',
        "bench.add('checksum', () => checksum(WORK));",
        "bench.add('<b>sum</b> | @team', () => checksum(1));",
        'export default bench;',
        '',
      ].join('\n'),
    );
  await setWork(work);
  return { dir, setWork };
}
