// Bounded inputs: size limits checked before reading, gzip inflation bounded, input-sized arrays
// handled without spreading them into arguments, BOM and CRLF accepted.
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { InputError } from '../../src/model/errors.js';
import { readRun, serializeRun } from '../../src/model/io.js';
import { readMemoryData } from '../../src/memory/ingest/index.js';
import { readProfile } from '../../src/profile/formats/read.js';
import { readQueryLogs } from '../../src/queries/ingest/index.js';
import { makeRun } from '../helpers/runs.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-bounded-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.PERFGATE_MAX_INPUT_MB;
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('size limits', () => {
  it('refuses a file over the limit of its kind before reading it, naming the file', async () => {
    process.env.PERFGATE_MAX_INPUT_MB = '1';
    const big = await file('big.cpuprofile', Buffer.alloc(2 * 1024 * 1024, 0x20));
    await expect(readProfile(big)).rejects.toThrow(InputError);
    await expect(readProfile(big)).rejects.toThrow(
      /big\.cpuprofile: is 2 MiB, larger than the 1 MiB perfgate reads as profile input/,
    );
    const run = await file('big.json', Buffer.alloc(2 * 1024 * 1024, 0x20));
    await expect(readRun(run)).rejects.toThrow(
      /big\.json: is 2 MiB, larger than the 1 MiB .* run input/,
    );
    await expect(readQueryLogs([run], { input: 'auto', nPlusOne: 5 })).rejects.toThrow(
      /queries input/,
    );
    await expect(readMemoryData(run)).rejects.toThrow(/memory input/);
  });

  it('refuses a 1.2 GB Run and 1.5 GB of zero bytes as a profile by name, even with a higher limit', async () => {
    // Sparse files: nothing is written, stat() reports the size. Read whole, the Run failed with
    // "Cannot create a string longer than 0x1fffffe8 characters" naming no file, and the zeros
    // kept the pprof decoder busy for more than 300 s.
    const run = await file('huge-run.json', '');
    await truncate(run, 1200 * 1024 * 1024);
    const zeros = await file('zeros.pprof', '');
    await truncate(zeros, 1500 * 1024 * 1024);
    await expect(readRun(run)).rejects.toThrow(
      /huge-run\.json: is 1200 MiB, larger than the 256 MiB perfgate reads as run input/,
    );
    await expect(readProfile(zeros)).rejects.toThrow(
      /zeros\.pprof: is 1500 MiB, larger than the 256 MiB perfgate reads as profile input/,
    );
    // A limit above what V8 can hold as one string is capped there (512 MiB).
    process.env.PERFGATE_MAX_INPUT_MB = '4096';
    await expect(readRun(run)).rejects.toThrow(
      /huge-run\.json: is 1200 MiB, larger than the 512 MiB perfgate reads as run input/,
    );
    await expect(readProfile(zeros)).rejects.toThrow(
      /zeros\.pprof: is 1500 MiB, larger than the 512 MiB/,
    );
  });

  it('bounds gzip inflation by output size (a gzip bomb is refused by name)', async () => {
    process.env.PERFGATE_MAX_INPUT_MB = '1';
    // 8 MiB of zeros: 8 KiB of gzip.
    const bomb = await file('bomb.pb.gz', gzipSync(Buffer.alloc(8 * 1024 * 1024)));
    await expect(readProfile(bomb)).rejects.toThrow(
      /bomb\.pb\.gz: gzip data inflates to more than the 1 MiB perfgate reads as profile input/,
    );
  });
});

describe('input-sized arrays', () => {
  it('reads a query log of 130,000 statements (no "Maximum call stack size exceeded")', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 130_000; i++) {
      lines.push(JSON.stringify({ sql: `SELECT * FROM t WHERE id = ${i}`, iteration: 0 }));
    }
    const log = await file('big.jsonl', `${lines.join('\n')}\n`);
    const result = await readQueryLogs([log], { input: 'jsonl', nPlusOne: 5 });
    expect(result.type).toBe('queries');
    if (result.type === 'queries') expect(result.attachment.perIteration).toBe(130_000);
  });

  it('reads an mprof run of 200,000 samples', async () => {
    const lines = ['CMDLINE python3 long.py'];
    for (let i = 0; i < 200_000; i++)
      lines.push(`MEM ${(10 + (i % 7)).toFixed(6)} ${1795613729 + i / 100}`);
    const dat = await file('long.dat', `${lines.join('\n')}\n`);
    const { memory } = await readMemoryData(dat);
    expect(memory.peakRss).toBe(16 * 1024 * 1024);
  });
});

describe('BOM and CRLF', () => {
  const BOM = '\ufeff';
  it('reads a Run and a V8 profile that start with a UTF-8 BOM', async () => {
    const run = await file(
      'bom-run.json',
      BOM + serializeRun(makeRun(undefined, [{ name: 'a', ns: 100 }])),
    );
    expect((await readRun(run)).benchmarks).toHaveLength(1);
    const cpu = await readFile(join(FIXTURES, 'profiles/app.cpuprofile'), 'utf8');
    const bomProfile = await file('bom.cpuprofile', BOM + cpu);
    expect((await readProfile(bomProfile)).format).toBe('v8');
  });

  it('reads a perfgate.config.json that starts with a UTF-8 BOM', async () => {
    const project = await mkdtemp(join(dir, 'config-'));
    await writeFile(
      join(project, 'perfgate.config.json'),
      BOM + JSON.stringify({ threshold: '5%' }),
    );
    expect((await loadConfig(project)).threshold).toBe(0.05);
  });

  it('reads perf script output with CRLF line ends like the LF original', async () => {
    const lf = await readFile(join(FIXTURES, 'profiles/app.perf-script.txt'), 'utf8');
    const crlf = await file('app.perf-script-crlf.txt', lf.replace(/\n/g, '\r\n'));
    const expected = await readProfile(join(FIXTURES, 'profiles/app.perf-script.txt'));
    const got = await readProfile(crlf);
    expect(got.format).toBe('perf');
    expect(got.summary).toEqual(expected.summary);
  });

  it('reads a pg_stat_statements JSON export with a BOM', async () => {
    const json = await readFile(join(FIXTURES, 'queries/pg-stat-statements.json'), 'utf8');
    const bom = await file('pgss.json', BOM + json);
    const result = await readQueryLogs([bom], { input: 'auto', nPlusOne: 5 });
    expect(result.type).toBe('queries');
  });
});
