// node-postgres against a real PostgreSQL server (Debian package), started by the test.
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureQueries, installQueryCapture } from '../../src/queries/capture.js';
import { options, passContext, projectRoot } from './helpers.js';
import { postgresBin, startPostgres, type RunningServer } from './servers.js';

if (!postgresBin) {
  console.warn('PostgreSQL tests skipped: postgresql is not installed (.ci/services installs it)');
}

const lineOf = (marker: string) =>
  readFileSync(new URL(import.meta.url), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(marker) && !l.includes('lineOf')) + 1;

describe.skipIf(!postgresBin)('pg against a real PostgreSQL', () => {
  let server: RunningServer;
  let pool: pg.Pool;
  beforeAll(async () => {
    await installQueryCapture(`${projectRoot}/__tests__/queries/helpers.ts`);
    server = await startPostgres();
    pool = new pg.Pool({
      host: '127.0.0.1',
      port: server.port,
      user: 'postgres',
      database: 'postgres',
      max: 3,
    });
    await pool.query(`
      CREATE TABLE users (id int PRIMARY KEY, name text);
      CREATE TABLE user_details (user_id int, bio text);
      INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 30) g;
      INSERT INTO user_details SELECT g % 30 + 1, 'bio' FROM generate_series(1, 3000) g;
      ANALYZE;
    `);
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });

  it('counts pool queries, a transaction on a checked-out client, and explains the N+1', async () => {
    const attachment = await captureQueries(
      {
        name: 'real-pg',
        fn: async () => {
          const users = await pool.query<{ id: number }>(
            'SELECT id FROM users ORDER BY id LIMIT 10',
          );
          for (const user of users.rows) {
            await pool.query('SELECT bio FROM user_details WHERE user_id = $1', [user.id]); // pg N+1
          }
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            await client.query({
              text: 'UPDATE users SET name = $1 WHERE id = $2',
              values: ['x', 1],
            });
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        },
      },
      passContext('real-pg'),
      options({ iterations: 2, explain: true }),
    );
    expect(attachment!.perIteration).toBe(14);
    expect(attachment!.nPlusOne).toEqual([
      {
        fingerprint: 'SELECT bio FROM user_details WHERE user_id = $1',
        sample: 'SELECT bio FROM user_details WHERE user_id = $1',
        perIteration: 10,
        callSite: expect.objectContaining({
          file: '__tests__/queries/capture-postgres.test.ts',
          line: lineOf('// pg N+1'),
        }),
      },
    ]);
    const explained = attachment!.explain?.find(
      (e) => e.fingerprint === attachment!.nPlusOne[0]!.fingerprint,
    );
    expect(explained?.seqScans).toEqual([
      expect.objectContaining({ relation: 'public.user_details', rows: 3000 }),
    ]);
    expect(explained?.hints).toEqual(['CREATE INDEX ON public.user_details (user_id)']);
  });
});
