// The local store under real concurrency: separate `perfgate baseline save` processes at once,
// a stale lock left by a killed save, and temporary files a killed save left behind.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile, mkdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeRun } from '../../src/model/io.js';
import { LocalStore } from '../../src/store/local.js';
import { makeRun } from '../helpers/runs.js';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;
const run = promisify(execFile);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-store-race-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sequences = (names: string[]) =>
  names.filter((n) => n.endsWith('.json')).map((n) => Number(n.slice(0, 6)));

describe('LocalStore: concurrent saves by separate processes', () => {
  it('gives every save its own sequence number (different commits at the same moment)', async () => {
    const saves = 8;
    for (let i = 1; i <= saves; i++) {
      await writeFile(
        join(dir, `run${i}.json`),
        serializeRun(makeRun(`c${i}abcdef`, [{ name: 'a', ns: i }])),
      );
    }
    await Promise.all(
      Array.from({ length: saves }, (_, i) =>
        run(process.execPath, [CLI, 'baseline', 'save', `run${i + 1}.json`], { cwd: dir }),
      ),
    );
    const names = await readdir(join(dir, '.perfgate', 'baseline'));
    expect(names.filter((n) => n.endsWith('.json'))).toHaveLength(saves);
    expect(sequences(names).sort((a, b) => a - b)).toEqual(
      Array.from({ length: saves }, (_, i) => i + 1),
    );
    expect(names.filter((n) => !n.endsWith('.json'))).toEqual([]);
  }, 60_000);
});

describe('LocalStore: what a killed save leaves behind', () => {
  it('takes over a lock whose process is gone', async () => {
    const store = new LocalStore(join(dir, '.perfgate'));
    await mkdir(store.historyDir, { recursive: true });
    // pid 2^22+1 is above Linux's pid_max default: no such process.
    await writeFile(join(store.historyDir, '.lock'), `${2 ** 22 + 1}\n`);
    await store.save(makeRun('after', [{ name: 'a', ns: 1 }]), 10);
    expect(await readdir(store.historyDir)).toEqual(['000001-after.json']);
  });

  it('removes temporary files of saves that are gone, keeps those of live ones', async () => {
    const store = new LocalStore(join(dir, '.perfgate'));
    await mkdir(store.historyDir, { recursive: true });
    const dead = join(store.historyDir, `.save-${2 ** 22 + 1}-0badf00d.tmp`);
    const old = join(store.historyDir, `.save-${process.pid}-00c0ffee.tmp`);
    await writeFile(dead, '{"partial":');
    await writeFile(old, '{"partial":');
    // A temp file of a live pid is removed only when it is older than a day (pid reused).
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await utimes(old, twoDaysAgo, twoDaysAgo);
    const live = join(store.historyDir, `.save-${process.pid}-0000beef.tmp`);
    await writeFile(live, '{"partial":');
    await store.save(makeRun('x', [{ name: 'a', ns: 1 }]), 10);
    expect((await readdir(store.historyDir)).sort()).toEqual([
      '.save-' + process.pid + '-0000beef.tmp',
      '000001-x.json',
    ]);
  });
});
