import { spawn } from 'node:child_process';
import { mkdtemp, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Run } from '../../src/model/run.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled CLI (`node dist/cli.js …`) as a user would. */
export function perfgate(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A temporary project folder; `node_modules` links to perfgate's, so bench files find tinybench. */
export async function tempProject(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'perfgate-cli-'));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [name, content] of Object.entries(files)) await writeText(join(dir, name), content);
  return dir;
}

export async function writeText(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content);
}

export async function writeRunFile(file: string, run: Run): Promise<void> {
  await writeText(file, JSON.stringify(run, null, 2));
}

/** A config with short measurement times and the profiling passes off (fast tests). */
export const FAST_CONFIG = JSON.stringify({
  run: { time: 50, warmup: 10, minSamples: 5 },
  profile: { enabled: false },
  queries: { enabled: false },
  memory: { enabled: false },
  calls: { enabled: false },
});
