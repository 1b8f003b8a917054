import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { LocalStore, readBaseRuns } from '../../src/store/local.js';
import { makeRun } from '../helpers/runs.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function quietStore(warnings: string[] = []): LocalStore {
  return new LocalStore(join(dir, '.perfgate'), { onWarning: (m) => warnings.push(m) });
}

describe('LocalStore', () => {
  it('has no baseline before the first save', async () => {
    expect(await quietStore().load()).toEqual([]);
  });

  it('returns saved runs newest first', async () => {
    const store = quietStore();
    for (let i = 1; i <= 3; i += 1)
      await store.save(makeRun(`c${i}`, [{ name: 'a', ns: 100 * i }]), 10);
    const runs = await store.load();
    expect(runs.map((run) => run.meta.commit)).toEqual(['c3', 'c2', 'c1']);
    expect(runs[0].benchmarks[0].stats.median).toBeCloseTo(300, -1);
  });

  it('keeps only the last K runs', async () => {
    const store = quietStore();
    for (let i = 1; i <= 7; i += 1) await store.save(makeRun(`c${i}`, [{ name: 'a', ns: 100 }]), 3);
    expect((await store.load()).map((run) => run.meta.commit)).toEqual(['c7', 'c6', 'c5']);
    expect(await readdir(store.historyDir)).toHaveLength(3);
  });

  it('keeps numbering after trimming (no reused numbers)', async () => {
    const store = quietStore();
    await store.save(makeRun('first', [{ name: 'a', ns: 1 }]), 1);
    await store.save(makeRun('second', [{ name: 'a', ns: 1 }]), 1);
    const names = await readdir(store.historyDir);
    expect(names).toEqual(['000002-second.json']);
  });

  it('trims only after the new run is written: a failed save keeps the history', async () => {
    const store = quietStore();
    await store.save(makeRun('good', [{ name: 'a', ns: 100 }]), 1);
    const before = await readdir(store.historyDir);
    // A run that cannot be serialised fails while writing the temporary file.
    const run = makeRun(undefined, [{ name: 'a', ns: 100 }]);
    const broken = run as unknown as Record<string, unknown>;
    broken.meta = { ...(broken.meta as object), self: 1n };
    await expect(store.save(broken as never, 1)).rejects.toThrow();
    expect(await readdir(store.historyDir)).toEqual(before);
    expect((await store.load())[0].meta.commit).toBe('good');
  });

  it('loses no run when saves happen at the same time', async () => {
    const store = quietStore();
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) => store.save(makeRun('same', [{ name: 'a', ns: i }]), 10)),
    );
    const names = await readdir(store.historyDir);
    expect(names.sort()).toEqual([1, 2, 3, 4, 5].map((i) => `00000${i}-same.json`));
    const medians = (await store.load()).map((run) => Math.round(run.benchmarks[0].stats.median));
    expect(medians.sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves no temporary files behind and writes valid JSON', async () => {
    const store = quietStore();
    await store.save(makeRun(undefined, [{ name: 'a', ns: 100 }]), 5);
    const [name] = await readdir(store.historyDir);
    expect(name).toMatch(/^000001\.json$/);
    const data = JSON.parse(await readFile(join(store.historyDir, name), 'utf8'));
    expect(data.tool).toBe('perfgate');
  });

  it('skips a corrupt history file with a warning naming it', async () => {
    const warnings: string[] = [];
    const store = quietStore(warnings);
    await store.save(makeRun('old', [{ name: 'a', ns: 100 }]), 10);
    await store.save(makeRun('new', [{ name: 'a', ns: 100 }]), 10);
    const corrupt = join(store.historyDir, '000002-new.json');
    await writeFile(corrupt, '{"schemaVersion": 1, "tool": "perfg');
    const runs = await store.load();
    expect(runs.map((run) => run.meta.commit)).toEqual(['old']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(corrupt);
    expect(warnings[0]).toContain('malformed JSON');
  });

  it('throws an InputError when no history file is readable', async () => {
    const store = quietStore();
    await mkdir(store.historyDir, { recursive: true });
    const file = join(store.historyDir, '000001.json');
    await writeFile(
      file,
      JSON.stringify({ ...makeRun(undefined, [{ name: 'a', ns: 1 }]), schemaVersion: 99 }),
    );
    const error = await store.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(store.historyDir);
    expect((error as Error).message).toContain('schemaVersion 99');
  });

  it('ignores files that are not history entries', async () => {
    const store = quietStore();
    await store.save(makeRun(undefined, [{ name: 'a', ns: 1 }]), 10);
    await writeFile(join(store.historyDir, 'notes.txt'), 'hello');
    await writeFile(join(store.historyDir, '000009.json.123.tmp'), '{');
    expect(await store.load()).toHaveLength(1);
  });

  it('describes itself with the folder', () => {
    expect(quietStore().describe()).toContain('baseline');
  });
});

describe('readBaseRuns (compare BASE)', () => {
  it('reads a Run file, a folder (newest first by timestamp) and a store root', async () => {
    const folder = join(dir, 'history');
    await mkdir(folder);
    await writeFile(
      join(folder, 'a.json'),
      JSON.stringify(
        makeRun('older', [{ name: 'a', ns: 1 }], { timestamp: '2026-01-01T00:00:00Z' }),
      ),
    );
    await writeFile(
      join(folder, 'b.json'),
      JSON.stringify(
        makeRun('newer', [{ name: 'a', ns: 1 }], { timestamp: '2026-02-01T00:00:00Z' }),
      ),
    );
    expect((await readBaseRuns(join(folder, 'a.json'))).map((r) => r.meta.commit)).toEqual([
      'older',
    ]);
    expect((await readBaseRuns(folder)).map((r) => r.meta.commit)).toEqual(['newer', 'older']);

    const store = quietStore();
    await store.save(makeRun('saved', [{ name: 'a', ns: 1 }]), 10);
    await writeFile(join(store.root, 'comparison.json'), '{"verdict": "pass"}'); // not a Run
    expect((await readBaseRuns(store.root)).map((r) => r.meta.commit)).toEqual(['saved']);
  });

  it('is strict: an empty folder or an unreadable file is an InputError naming it', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(readBaseRuns(empty)).rejects.toThrow(`${empty}: no Run files`);
    await writeFile(join(empty, 'x.json'), '{');
    await expect(readBaseRuns(empty)).rejects.toThrow(`${join(empty, 'x.json')}: malformed JSON`);
    await expect(readBaseRuns(join(dir, 'nope'))).rejects.toBeInstanceOf(InputError);
  });
});
