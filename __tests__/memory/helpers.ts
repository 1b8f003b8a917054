import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MemoryAttachment } from '../../src/model/memory.js';

export const projectRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export const tasksFixture = '__tests__/fixtures/memory/tasks.mjs';
export const catalogueFixture = '__tests__/fixtures/memory/catalogue.mjs';

let bundled: Promise<{ file: string; dir: string }> | undefined;

/** Bundles the driver (captureMemory + options) once per test file. */
function driver(): Promise<{ file: string; dir: string }> {
  bundled ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'perfgate-memory-test-'));
    const file = join(dir, 'driver.mjs');
    await build({
      entryPoints: [join(projectRoot, '__tests__/memory/driver.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      absWorkingDir: projectRoot,
      logLevel: 'warning',
    });
    return { file, dir };
  })();
  return bundled;
}

export async function removeDriver(): Promise<void> {
  if (bundled) await rm((await bundled).dir, { recursive: true, force: true });
}

/** captureMemory of `exportName` from the tasks fixture, `repeat` times, in a fresh process. */
export async function captureInChild(
  exportName: string,
  options: Record<string, unknown> = {},
  repeat = 1,
  nodeFlags: string[] = ['--expose-gc'],
  module = tasksFixture,
): Promise<MemoryAttachment[]> {
  const { file } = await driver();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      ...nodeFlags,
      file,
      join(projectRoot, module),
      exportName,
      JSON.stringify({ roundTime: 10, rounds: 10, ...options }),
      projectRoot,
      String(repeat),
    ],
    { cwd: projectRoot, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as MemoryAttachment[];
}
