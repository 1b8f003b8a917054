import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { readQueryLogs, type IoLog, type QueryLog } from '../../src/queries/ingest/index.js';
import { parseQueriesJsonl } from '../../src/queries/ingest/jsonl.js';
import { parsePgStderrLog, statementsFromPgLog } from '../../src/queries/ingest/pg-log.js';
import { parseStraceTrace } from '../../src/queries/ingest/strace.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/queries');
const fixture = (name: string) => join(fixtures, name);
const read = async (name: string, extra: Partial<Parameters<typeof readQueryLogs>[1]> = {}) =>
  readQueryLogs([fixture(name)], { input: 'auto', nPlusOne: 5, ...extra });

const N_PLUS_ONE = 'SELECT bio FROM user_details WHERE user_id = $1';

describe('Postgres logs (real PostgreSQL 15 output, see fixtures/queries/README.md)', () => {
  it.each([
    ['pg-head.log', 'pg-log'],
    ['pg-head.csv', 'pg-csvlog'],
    ['pg-head.json', 'pg-jsonlog'],
  ])('%s: statements, durations and the N+1 per session', async (name, format) => {
    const log = (await read(name)) as QueryLog;
    expect(log.type).toBe('queries');
    expect(log.formats).toEqual([format]);
    const byFingerprint = Object.fromEntries(log.statements.map((s) => [s.fingerprint, s]));
    // 2 iterations × 20 executions; parse/bind steps are not counted.
    expect(byFingerprint[N_PLUS_ONE]?.count).toBe(40);
    expect(byFingerprint[N_PLUS_ONE]?.totalMs).toBeGreaterThan(0);
    // A named prepared statement executed twice.
    expect(byFingerprint['SELECT count(*) FROM users WHERE id > $1']?.count).toBe(2);
    // The multi-line statement with a quote and comments.
    expect(byFingerprint['SELECT name FROM users WHERE name <> $1']?.sample).toContain(
      "'it''s -- not a comment'",
    );
    // The multi-statement simple query counts each statement.
    expect(byFingerprint['CREATE TABLE users (id int PRIMARY KEY, name text)']?.count).toBe(1);
    expect(
      byFingerprint['INSERT INTO users SELECT g, $1 || g FROM generate_series($2, $3) g']?.count,
    ).toBe(1);
    expect(log.attachment.nPlusOne).toEqual([
      {
        fingerprint: N_PLUS_ONE,
        sample: 'SELECT bio FROM user_details WHERE user_id = $1',
        perIteration: 40,
      },
    ]);
  });

  it('reads a slow-query log (log_min_duration_statement only: duration and statement on one line)', () => {
    const text = [
      '2024-05-01 10:00:00.001 UTC [42] app@db LOG:  duration: 12.500 ms  statement: SELECT * FROM t WHERE id = 1',
      '2024-05-01 10:00:00.002 UTC [42] app@db LOG:  duration: 7.250 ms  execute <unnamed>: SELECT * FROM t WHERE id = $1',
      "2024-05-01 10:00:00.002 UTC [42] app@db DETAIL:  parameters: $1 = '2'",
      '2024-05-01 10:00:00.003 UTC [43] app@db LOG:  duration: 1.000 ms  parse <unnamed>: SELECT 1',
      '2024-05-01 10:00:00.004 UTC [43] app@db ERROR:  relation "x" does not exist at character 15',
      '2024-05-01 10:00:00.004 UTC [43] app@db STATEMENT:  SELECT * FROM x',
    ].join('\n');
    const records = statementsFromPgLog(parsePgStderrLog(text, 'slow.log'));
    expect(records.map((r) => [r.fingerprint, r.timeMs, r.group])).toEqual([
      ['SELECT * FROM t WHERE id = $1', 12.5, '42'],
      ['SELECT * FROM t WHERE id = $1', 7.25, '42'],
    ]);
  });

  it('pg_stat_statements: CSV and JSON exports, N+1 only with known iterations', async () => {
    for (const name of ['pg-stat-statements.csv', 'pg-stat-statements.json']) {
      const log = (await read(name)) as QueryLog;
      expect(log.formats).toEqual(['pg-stat-statements']);
      expect(log.statements.find((s) => s.fingerprint === N_PLUS_ONE)?.count).toBe(40);
      expect(log.attachment.nPlusOne).toEqual([]);
      const perIteration = (await read(name, { iterations: 2 })) as QueryLog;
      expect(perIteration.attachment.nPlusOne).toEqual([
        expect.objectContaining({ fingerprint: N_PLUS_ONE, perIteration: 20 }),
      ]);
    }
  });
});

describe('perfgate JSONL', () => {
  it('groups by iteration, keeps call sites, counts HTTP', async () => {
    const log = (await read('harness.jsonl')) as QueryLog;
    expect(log.attachment).toMatchObject({ iterations: 2, perIteration: 6, httpPerIteration: 1 });
    expect(log.attachment.nPlusOne).toEqual([
      {
        fingerprint: 'SELECT * FROM order_items WHERE order_id = $1',
        sample: 'SELECT * FROM order_items WHERE order_id = 101',
        perIteration: 5,
        callSite: { file: 'app/orders.py', line: 14 },
      },
    ]);
    expect(log.statements.find((s) => s.kind === 'http')).toMatchObject({
      fingerprint: 'GET /v1/charges/:id',
      count: 2,
    });
  });

  it('groups by request id and honours the dialect', () => {
    const text = [
      '{"sql": "SELECT * FROM t WHERE a = ? AND b = \\"x\\"", "request": "r1", "dialect": "mysql"}',
      '{"statement": "select 1; select 2", "request": "r1"}',
      '{"http": "POST /users/12/avatar", "request": 7}',
    ].join('\n');
    const { records, iterations } = parseQueriesJsonl(text, 'x.jsonl');
    expect(iterations).toBe(0);
    expect(records.map((r) => [r.kind, r.fingerprint, r.group])).toEqual([
      ['sql', 'SELECT * FROM t WHERE a = ? AND b = ?', 'r1'],
      ['sql', 'SELECT $1', 'r1'],
      ['sql', 'SELECT $1', 'r1'],
      ['http', 'POST /users/:id/avatar', '7'],
    ]);
  });
});

describe('strace', () => {
  it('flags many tiny writes on one fd as unbuffered I/O (real strace -f -T trace)', async () => {
    const unbuffered = (await read('strace-unbuffered.txt')) as IoLog;
    expect(unbuffered.type).toBe('io');
    expect(unbuffered.profile.source).toBe('strace -T');
    const write = unbuffered.profile.syscalls.find((s) => s.name === 'write');
    expect(write!.calls).toBeGreaterThanOrEqual(2000);
    expect(unbuffered.profile.tinyIo).toEqual([
      expect.objectContaining({ syscall: 'write', calls: 2000, bytes: 2000 }),
    ]);
    const buffered = (await read('strace-buffered.txt')) as IoLog;
    expect(buffered.profile.tinyIo).toEqual([]);
    expect(buffered.profile.totalSeconds).toBeGreaterThan(0);
  });

  it('reads strace -c summaries', async () => {
    const summary = (await read('strace-c-unbuffered.txt')) as IoLog;
    expect(summary.profile.source).toBe('strace -c');
    expect(summary.profile.syscalls[0]).toMatchObject({ name: 'write', calls: 2002 });
    expect(summary.profile.syscalls.find((s) => s.name === 'fcntl')?.errors).toBe(13);
  });

  it('follows <unfinished ...> / resumed pairs across pids', () => {
    const lines = [
      '101 write(5, "ab", 2 <unfinished ...>',
      '102 futex(0x1, FUTEX_WAKE, 1) = 0 <0.000005>',
    ];
    for (let i = 0; i < 120; i++)
      lines.push(
        `[pid   101] <... write resumed>) = 2 <0.000003>`,
        `101 write(5, "ab", 2 <unfinished ...>`,
      );
    lines.push('101 <... write resumed>) = 2 <0.000003>', '+++ exited with 0 +++');
    const profile = parseStraceTrace(lines.join('\n'));
    expect(profile.syscalls.find((s) => s.name === 'write')?.calls).toBe(121);
    expect(profile.tinyIo).toEqual([{ syscall: 'write', fd: 5, calls: 121, bytes: 242 }]);
  });
});

describe('bad input names the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perfgate-ingest-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const options = { input: 'auto' as const, nPlusOne: 5 };

  it.each([
    ['garbage.txt', 'hello world\nnothing to see', /garbage\.txt: cannot tell the format/],
    ['broken.jsonl', '{"sql": "SELECT 1"}\n{"sql": oops}\n', /broken\.jsonl: line 2: not JSON/],
    ['nosql.jsonl', '{"iteration": 1}\n', /nosql\.jsonl: line 1: expected "sql" or "http"/],
    ['empty.log', '  \n', /empty\.log: empty file/],
    [
      'pgss.csv',
      'query,calls\nSELECT 1,abc\n',
      /pgss\.csv: not a valid pg_stat_statements export: row 1\.calls: expected a finite number >= 0, got the string "abc"/,
    ],
  ])('%s', async (name, text, message) => {
    const error = await readQueryLogs([write(name, text)], options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });

  it('a wrong --input is an error, not an empty result', async () => {
    const error = await readQueryLogs([fixture('harness.jsonl')], {
      ...options,
      input: 'pg-jsonlog',
    }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /harness\.jsonl: line 1: not a Postgres jsonlog entry/,
    );
    const missing = await readQueryLogs([join(dir, 'nope.log')], options).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/nope\.log: file not found/);
  });
});
