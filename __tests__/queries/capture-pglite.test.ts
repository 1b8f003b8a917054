import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureQueries, installQueryCapture } from '../../src/queries/capture.js';
import { options, passContext, projectRoot } from './helpers.js';

// One PGlite (≈2 s to start) serves the in-process tests and, over the wire protocol, `pg`.
let db: PGlite;
let server: PGLiteSocketServer;
let port: number;

beforeAll(async () => {
  await installQueryCapture(`${projectRoot}/__tests__/queries/helpers.ts`);
  db = await PGlite.create();
  await db.exec(`
    CREATE TABLE users (id int PRIMARY KEY, name text);
    CREATE TABLE user_details (user_id int, bio text);
    INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 50) g;
    INSERT INTO user_details SELECT g % 50 + 1, 'bio' FROM generate_series(1, 2000) g;
  `);
  server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  port = Number(new URL(`postgres://${server.getServerConn()}`).port);
});

afterAll(async () => {
  await server?.stop();
  await db?.close();
});

async function loadUsersWithDetails(): Promise<number> {
  const users = await db.query<{ id: number }>('SELECT id FROM users ORDER BY id LIMIT 20');
  let n = 0;
  for (const user of users.rows) {
    const details = await db.query('SELECT * FROM user_details WHERE user_id = $1', [user.id]); // N+1 line
    n += details.rows.length;
  }
  return n;
}

const lineOf = (marker: string) =>
  readFileSync(new URL(import.meta.url), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(marker) && !l.includes('lineOf')) + 1;

describe('PGlite capture', () => {
  it('counts 1 + N queries per iteration with an N+1 finding at the caller', async () => {
    const attachment = await captureQueries(
      { name: 'n+1', fn: loadUsersWithDetails },
      passContext('n+1'),
      options({ iterations: 3 }),
    );
    expect(attachment).toBeDefined();
    expect(attachment!.iterations).toBe(3);
    expect(attachment!.perIteration).toBe(21);
    expect(attachment!.timeMsPerIteration).toBeGreaterThan(0);
    expect(attachment!.nPlusOne).toHaveLength(1);
    const finding = attachment!.nPlusOne[0]!;
    expect(finding.fingerprint).toBe('SELECT * FROM user_details WHERE user_id = $1');
    expect(finding.perIteration).toBe(20);
    expect(finding.sample).toBe('SELECT * FROM user_details WHERE user_id = $1');
    expect(finding.callSite?.file).toBe('__tests__/queries/capture-pglite.test.ts');
    expect(finding.callSite?.line).toBe(lineOf('// N+1 line'));
    const byFingerprint = Object.fromEntries(
      attachment!.fingerprints.map((f) => [f.fingerprint, f.perIteration]),
    );
    expect(byFingerprint['SELECT id FROM users ORDER BY id LIMIT $1']).toBe(1);
    expect(attachment!.fingerprints.every((f) => f.driver === 'pglite')).toBe(true);
  });

  it('counts exec (multi-statement), the sql template and transactions', async () => {
    const attachment = await captureQueries(
      {
        name: 'mixed',
        fn: async () => {
          await db.exec('SELECT 1; SELECT 2; SELECT 3');
          await db.sql`SELECT name FROM users WHERE id = ${7}`;
          await db.transaction(async (tx) => {
            await tx.query('UPDATE users SET name = $1 WHERE id = $2', ['x', 1]);
            await tx.sql`SELECT count(*) FROM users WHERE name = ${'x'}`;
            await tx.exec('SELECT 42');
          });
        },
      },
      passContext('mixed'),
      options({ iterations: 2 }),
    );
    expect(attachment!.perIteration).toBe(7);
    const fingerprints = attachment!.fingerprints.map((f) => f.fingerprint).sort();
    expect(fingerprints).toEqual(
      [
        'SELECT $1',
        'SELECT count(*) FROM users WHERE name = $1',
        'SELECT name FROM users WHERE id = $1',
        'UPDATE users SET name = $1 WHERE id = $2',
      ].sort(),
    );
    expect(attachment!.fingerprints.find((f) => f.fingerprint === 'SELECT $1')!.perIteration).toBe(
      4,
    );
    expect(attachment!.nPlusOne).toEqual([]);
  });

  it('records nothing outside the pass', async () => {
    const before = await captureQueries(
      { name: 'none', fn: () => undefined },
      passContext('none'),
      options(),
    );
    await db.query('SELECT 1');
    expect(before!.perIteration).toBe(0);
    expect(before!.fingerprints).toEqual([]);
  });

  it('explains N+1 fingerprints: seq scan on a large table and an index hint', async () => {
    const attachment = await captureQueries(
      { name: 'explain', fn: loadUsersWithDetails },
      passContext('explain'),
      options({ iterations: 1, explain: true }),
    );
    const explained = attachment!.explain?.find(
      (e) => e.fingerprint === 'SELECT * FROM user_details WHERE user_id = $1',
    );
    expect(explained?.plan).toContain('Seq Scan on user_details');
    expect(explained?.seqScans[0]?.relation).toBe('public.user_details');
    expect(explained?.seqScans[0]?.rows).toBe(2000);
    expect(explained?.hints).toEqual(['CREATE INDEX ON public.user_details (user_id)']);
  });
});

describe('pg (node-postgres) over the Postgres wire protocol', () => {
  it('counts Client and Pool queries: promise, callback, config objects', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
    });
    await client.connect();
    const pool = new pg.Pool({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      max: 2,
    });
    try {
      const attachment = await captureQueries(
        {
          name: 'pg',
          fn: async () => {
            const users = await client.query('SELECT id FROM users ORDER BY id LIMIT 6');
            for (const user of users.rows as Array<{ id: number }>) {
              await pool.query({
                text: 'SELECT bio FROM user_details WHERE user_id = $1',
                values: [user.id],
              });
            }
            await new Promise<void>((resolve, reject) =>
              client.query('SELECT name FROM users WHERE id = $1', [3], (error) =>
                error ? reject(error) : resolve(),
              ),
            );
          },
        },
        passContext('pg'),
        options({ iterations: 2 }),
      );
      expect(attachment!.perIteration).toBe(8);
      expect(attachment!.nPlusOne).toHaveLength(1);
      expect(attachment!.nPlusOne[0]).toMatchObject({
        fingerprint: 'SELECT bio FROM user_details WHERE user_id = $1',
        perIteration: 6,
        callSite: { file: '__tests__/queries/capture-pglite.test.ts' },
      });
      expect(attachment!.fingerprints.every((f) => f.driver === 'pg' && f.timeMs! >= 0)).toBe(true);
    } finally {
      await client.end();
      await pool.end();
    }
  });
});
