/**
 * A baseline kept as one Run file (`baseline-path: perf/baseline.json`): for projects that commit
 * their baseline or produce it in an earlier step. It holds one run, so there is no history: the
 * comparison is against that run alone, and a save replaces it atomically.
 */
import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { readRun, writeRun } from '../model/io.js';
import type { Run } from '../model/run.js';
import type { BaselineStore } from './store.js';

export class RunFileStore implements BaselineStore {
  constructor(readonly file: string) {}

  describe(): string {
    const shown = relative(process.cwd(), this.file);
    return `baseline Run file ${shown && !shown.startsWith('..') ? shown : this.file}`;
  }

  /** The run, or none when the file does not exist yet (the first push writes it). */
  async load(): Promise<Run[]> {
    if (!(await isFile(this.file))) return [];
    return [await readRun(this.file)];
  }

  async save(run: Run): Promise<void> {
    await writeRun(this.file, run);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether `baseline-path` names a Run file rather than a store folder: an existing file, or a
 * path ending in `.json` that is not an existing folder.
 */
export async function isRunFilePath(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return path.endsWith('.json');
  }
}
