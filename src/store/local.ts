import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { InputError, messageOf } from '../model/errors.js';
import { readRun, serializeRun } from '../model/io.js';
import type { Run } from '../model/run.js';
import type { BaselineStore } from './store.js';

/** History entries: `000042-1a2b3c4.json`, a sequence number (the order) and the short commit. */
const ENTRY = /^(\d{6,})(?:-[\w.-]+)?\.json$/;

export interface LocalStoreOptions {
  /** Called for each history file that is skipped because it cannot be read. */
  onWarning?: (message: string) => void;
}

/**
 * Baselines in a folder of the project (`.perfgate/` by default, config.baselineDir):
 * `<dir>/baseline/` holds the last K runs, one Run file each, numbered in save order.
 *
 * A history file that cannot be read (corrupt, or written by an incompatible perfgate) is skipped
 * with a warning naming it, so one bad entry does not block every comparison; but when files
 * exist and none is readable, load() throws: a broken baseline must not pass the gate silently.
 */
export class LocalStore implements BaselineStore {
  /** The store's root folder (absolute). */
  readonly root: string;
  /** Where the history files are (absolute). */
  readonly historyDir: string;
  private readonly onWarning: (message: string) => void;

  constructor(root: string, options: LocalStoreOptions = {}) {
    this.root = resolve(root);
    this.historyDir = join(this.root, 'baseline');
    this.onWarning =
      options.onWarning ?? ((message) => process.stderr.write(`perfgate: warning: ${message}\n`));
  }

  describe(): string {
    const shown = relative(process.cwd(), this.historyDir) || '.';
    return `local baseline ${shown.startsWith('..') ? this.historyDir : shown}/`;
  }

  /** History files, newest first (absolute paths). */
  async entries(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.historyDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new InputError(`cannot read baseline folder: ${messageOf(error)}`, this.historyDir);
    }
    return names
      .map((name) => ({ name, match: ENTRY.exec(name) }))
      .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
      .sort((a, b) => Number(b.match[1]) - Number(a.match[1]) || b.name.localeCompare(a.name))
      .map((entry) => join(this.historyDir, entry.name));
  }

  async load(): Promise<Run[]> {
    const files = await this.entries();
    const runs: Run[] = [];
    const problems: string[] = [];
    for (const file of files) {
      try {
        runs.push(await readRun(file));
      } catch (error) {
        const message = messageOf(error);
        problems.push(message);
        this.onWarning(`skipping unreadable baseline run: ${message}`);
      }
    }
    if (files.length > 0 && runs.length === 0) {
      throw new InputError(
        `no readable baseline run in ${files.length} file(s) (${problems[0]}); ` +
          'delete the folder or save a new baseline with `perfgate baseline save FILE`',
        this.historyDir,
      );
    }
    return runs;
  }

  /**
   * Adds `run` as the newest baseline. The new file is written completely (temp file + link)
   * before anything old is removed, so a failed save leaves the previous history intact.
   */
  async save(run: Run, history: number): Promise<void> {
    const keep = Math.max(1, Math.floor(history));
    const existing = await this.entries();
    let sequence = existing.length > 0 ? Number(ENTRY.exec(basename(existing[0]))![1]) + 1 : 1;
    const commit = run.meta.commit ? `-${run.meta.commit.replace(/[^\w.-]/g, '').slice(0, 7)}` : '';
    // Written in full under a temporary name, then linked to its final name: link() never
    // replaces a file, so two saves at the same moment take different numbers, none is lost.
    await mkdir(this.historyDir, { recursive: true });
    const temp = join(
      this.historyDir,
      `.save-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      await writeFile(temp, serializeRun(run));
      for (;;) {
        const name = `${String(sequence).padStart(6, '0')}${commit}.json`;
        try {
          await link(temp, join(this.historyDir, name));
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          sequence += 1;
        }
      }
    } finally {
      await rm(temp, { force: true });
    }
    for (const old of (await this.entries()).slice(keep)) await rm(old, { force: true });
  }
}

/**
 * The base side of `perfgate compare BASE HEAD`: a Run file, a folder of Run files (a history,
 * e.g. downloaded artifacts), or a store root such as `.perfgate` (its `baseline/` history).
 * Newest first by timestamp. Explicit input is strict: any unreadable file is an InputError.
 */
export async function readBaseRuns(path: string): Promise<Run[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InputError('file not found', path);
    throw new InputError(messageOf(error), path);
  }
  if (!isDirectory) return [await readRun(path)];
  const store = new LocalStore(path);
  if ((await stat(store.historyDir).catch(() => undefined))?.isDirectory()) {
    const files = await store.entries();
    if (files.length > 0) return Promise.all(files.map((file) => readRun(file)));
  }
  const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) {
    throw new InputError('no Run files (*.json) in this folder', path);
  }
  const runs = await Promise.all(names.map((name) => readRun(join(path, name))));
  return runs
    .map((run, index) => ({ run, index }))
    .sort(
      (a, b) =>
        Date.parse(b.run.meta.timestamp) - Date.parse(a.run.meta.timestamp) || b.index - a.index,
    )
    .map((entry) => entry.run);
}
