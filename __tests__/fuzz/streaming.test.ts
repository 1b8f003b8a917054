// Large text inputs read line by line (query logs, mprof runs): lines cut right across chunk
// boundaries, a realistic 26 MB Postgres log read with a heap far smaller than the file would
// need as one string, a csvlog field of 150 MB, and a long mprof run of one @profile function.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText } from '../../src/model/io.js';
import { inputLines, linesOf } from '../../src/model/lines.js';
import { readMemoryData } from '../../src/memory/ingest/index.js';
import { readQueryLogs } from '../../src/queries/ingest/index.js';

const root = resolve(import.meta.dirname, '../..');
const MIB = 1024 * 1024;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-streaming-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

/** Writes a big file piece by piece (the test never holds it whole either). */
async function writeLines(name: string, lines: Iterable<string>): Promise<string> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  let batch = '';
  for (const line of lines) {
    batch += `${line}\n`;
    if (batch.length < MIB) continue;
    const flowing = out.write(batch);
    batch = '';
    if (!flowing) await new Promise<void>((done) => out.once('drain', () => done()));
  }
  await new Promise<void>((done, fail) => out.end(batch, () => done()).once('error', fail));
  return path;
}

/** pgbench's TPC-B transaction as a Postgres 15 stderr log writes it (log_statement=all). */
function* pgbenchLog(transactions: number): Generator<string> {
  const prefix = (n: number, pid: number) =>
    `2026-12-02 03:08:${String(5 + (Math.floor(n / 10_000) % 50)).padStart(2, '0')}.${String(n % 1000).padStart(3, '0')} UTC [${pid}] postgres@postgres LOG:  `;
  for (let t = 0; t < transactions; t++) {
    const pid = 10_338 + (t % 4);
    const aid = (t * 7919) % 100_000;
    const delta = ((t * 31) % 10_000) - 5000;
    const statements = [
      'BEGIN;',
      `UPDATE pgbench_accounts SET abalance = abalance + ${delta} WHERE aid = ${aid};`,
      `SELECT abalance FROM pgbench_accounts WHERE aid = ${aid};`,
      `UPDATE pgbench_tellers SET tbalance = tbalance + ${delta} WHERE tid = ${t % 10};`,
      `UPDATE pgbench_branches SET bbalance = bbalance + ${delta} WHERE bid = 1;`,
      `INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (${t % 10}, 1, ${aid}, ${delta}, CURRENT_TIMESTAMP);`,
      'END;',
    ];
    for (const sql of statements) {
      yield `${prefix(t, pid)}statement: ${sql}`;
      yield `${prefix(t, pid)}duration: 0.${100 + (t % 800)} ms`;
    }
  }
}

describe('line-by-line reading', () => {
  it('gives the lines of decodeText, whatever falls on a chunk boundary', async () => {
    // The reader decodes 1 MiB chunks: put a CRLF, a 3-byte character and a 4-byte one across
    // each of the first boundaries, and start with a byte-order mark.
    // Bytes: BOM (3) + a… up to MIB - 1, where \r ends chunk 1 and \n starts chunk 2; a € over
    // the 2 MiB boundary; a 😀 over the 3 MiB one.
    const head = '\ufeff' + 'a'.repeat(MIB - 4);
    const text = `${head}\r\nb${'c'.repeat(MIB - 4)}€€\n${'d'.repeat(MIB - 7)}😀x\r\nlast`;
    const path = join(dir, 'boundaries.txt');
    await writeFile(path, text);
    const expected = decodeText(Buffer.from(text)).split('\n');
    expect(await collect(inputLines(path, 'queries'))).toEqual(expected);
    expect([...linesOf(text)]).toEqual(expected);
    expect([...linesOf('one\ntwo\n')]).toEqual(['one', 'two']);
  });

  it('reads a 26 MB Postgres log of 125,000+ statements with a 64 MB heap', async () => {
    // Read whole (file string, lines, entries, a sample per statement) it needed > 96 MB of heap
    // and died with "JavaScript heap out of memory"; line by line it keeps one chunk and the
    // records, which share one string per fingerprint.
    const log = await writeLines('pgbench.log', pgbenchLog(18_000));
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=64', join(root, 'dist/cli.js'), 'queries', log, '--format', 'json'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { statements: Array<{ count: number }> };
    expect(json.statements.reduce((sum, s) => sum + s.count, 0)).toBe(126_000);
  }, 300_000);

  it('reads a csvlog whose message is one 150 MB field', async () => {
    // Fields were built one character at a time: 30 MB took 43 s and 1 GB, 150 MB ran out of heap.
    const literal = 'x'.repeat(150 * MIB);
    const row = (severity: string, message: string) =>
      `2026-12-02 03:08:05.836 UTC,"postgres","postgres",10338,"127.0.0.1:5432",6751a1b5.2862,1,"SELECT",2026-12-02 03:08:05 UTC,3/2,0,${severity},00000,"${message}",,,,,,,,,"psql","client backend",,0`;
    const path = join(dir, 'huge-field.csv');
    const out = createWriteStream(path);
    out.write(`${row('LOG', 'statement: SELECT 1')}\n`);
    out.write(`${row('ERROR', `syntax error at or near ""${literal}""`)}\n`);
    await new Promise<void>((done) =>
      out.end(`${row('LOG', 'statement: SELECT 2')}\n`, () => done()),
    );
    const result = await readQueryLogs([path], { input: 'auto', nPlusOne: 5 });
    expect(result.formats).toEqual(['pg-csvlog']);
    expect(result.type === 'queries' && result.attachment.perIteration).toBe(2);
  }, 120_000);

  it('reads a long mprof run: 100,000 calls of one @profile function and their samples', async () => {
    // Calls were grouped by copying the list at every call: quadratic, minutes for 100,000.
    function* run(): Generator<string> {
      yield 'CMDLINE python3 long.py';
      for (let i = 0; i < 100_000; i++) {
        const t = 1795613729 + i / 1000;
        yield `MEM ${(20 + i / 10_000).toFixed(6)} ${t.toFixed(4)}`;
        yield `FUNC __main__.handle_request ${(20 + i / 10_000).toFixed(4)} ${t.toFixed(4)} ${(20 + (i + 1) / 10_000).toFixed(4)} ${(t + 0.0005).toFixed(4)} 1`;
      }
    }
    const dat = await writeLines('long.dat', run());
    const { format, memory } = await readMemoryData(dat);
    expect(format).toBe('mprof');
    expect(memory.method).toBe('mprof (per call of __main__.handle_request)');
    expect(memory.topAllocations[0]?.name).toBe('handle_request');
    expect(Math.round(memory.peakRss / MIB)).toBe(30);
  }, 120_000);
});
