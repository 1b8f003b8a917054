import { randomBytes } from 'node:crypto';
import {
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { InputError, messageOf } from '../model/errors.js';
import { readRun, serializeRun } from '../model/io.js';
import type { Run } from '../model/run.js';
import type { BaselineStore } from './store.js';

/** History entries: `000042-1a2b3c4.json`, a sequence number (the order) and the short commit. */
const ENTRY = /^(\d{6,})(?:-[\w.-]+)?\.json$/;

/** Temporary file of a save in progress: `.save-<pid>-<random>.tmp`. */
const TEMP = /^\.save-(\d+)-[0-9a-f]+\.tmp$/;
/** A temp file this old is removed even when its pid is alive (the pid was reused). */
const STALE_TEMP_MS = 86_400_000;
/** How long a save waits for another save's lock before giving up. */
const LOCK_WAIT_MS = 60_000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
   * before anything old is removed, so a failed save leaves the previous history intact. Saves
   * take the store's lock (`baseline/.lock`, created exclusively) to pick the sequence number,
   * so concurrent saves, from any process, get distinct numbers and none is lost.
   */
  async save(run: Run, history: number): Promise<void> {
    const keep = Math.max(1, Math.floor(history));
    const commit = run.meta.commit ? `-${run.meta.commit.replace(/[^\w.-]/g, '').slice(0, 7)}` : '';
    await mkdir(this.historyDir, { recursive: true });
    const temp = join(
      this.historyDir,
      `.save-${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      // Written in full before the lock: the lock is held only for a few file operations.
      await writeFile(temp, serializeRun(run));
      await this.locked(async () => {
        await this.removeStaleTemps(temp);
        const existing = await this.entries();
        let sequence = existing.length > 0 ? Number(ENTRY.exec(basename(existing[0]))![1]) + 1 : 1;
        for (;;) {
          const name = `${String(sequence).padStart(6, '0')}${commit}.json`;
          try {
            // link() never replaces a file (a store shared with an older perfgate, without the lock).
            await link(temp, join(this.historyDir, name));
            break;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
            sequence += 1;
          }
        }
        for (const old of (await this.entries()).slice(keep)) await rm(old, { force: true });
      });
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** Temp files of saves whose process is gone (killed mid-save), or older than a day. */
  private async removeStaleTemps(own: string): Promise<void> {
    for (const name of await readdir(this.historyDir)) {
      const match = TEMP.exec(name);
      const file = join(this.historyDir, name);
      if (!match || file === own) continue;
      const old = await stat(file).then(
        (s) => Date.now() - s.mtimeMs > STALE_TEMP_MS,
        () => false,
      );
      if (old || !processAlive(Number(match[1]))) await rm(file, { force: true });
    }
  }

  /**
   * Runs `work` holding `baseline/.lock` (exclusive create, holding the owner's pid). A lock whose
   * process is gone (a killed save) is taken over: renamed away first, so that of two saves finding
   * it stale only one removes it.
   */
  private async locked(work: () => Promise<void>): Promise<void> {
    const lock = join(this.historyDir, '.lock');
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lock, 'wx');
        try {
          await handle.writeFile(`${process.pid}\n`);
        } finally {
          await handle.close();
        }
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
        const aside = `${lock}.stale-${randomBytes(4).toString('hex')}`;
        if (
          await rename(lock, aside).then(
            () => true,
            () => false,
          )
        )
          await rm(aside, { force: true });
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new InputError(
          `another perfgate (pid ${owner || 'unknown'}) holds the baseline lock for more than ${LOCK_WAIT_MS / 1000} s; remove the lock file if no save is running`,
          lock,
        );
      }
      // A partly written lock (no pid yet) is read as unknown: wait and look again.
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.min(attempt, 20) * 5));
    }
    try {
      await work();
    } finally {
      await rm(lock, { force: true });
    }
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
