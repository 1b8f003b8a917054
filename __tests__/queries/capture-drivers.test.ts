import type BetterSqlite3 from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import { request as httpRequest } from 'node:http';
import fs from 'node:fs';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureQueries, installQueryCapture } from '../../src/queries/capture.js';
import { options, passContext, projectRoot } from './helpers.js';
import { mariadbBinary, startMariaDb, type RunningServer } from './servers.js';

const canResolve = (name: string) => {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
};
const THIS_FILE = '__tests__/queries/capture-drivers.test.ts';
const lineOf = (marker: string) =>
  readFileSync(new URL(import.meta.url), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(marker) && !l.includes('lineOf')) + 1;

beforeAll(async () => {
  await installQueryCapture(`${projectRoot}/__tests__/queries/helpers.ts`);
});

// better-sqlite3 compiles from source here (minutes), so it is not a devDependency: CI installs
// it (`npm run install:drivers`, from .ci/services) and runs this; elsewhere it skips, saying how.
const Database = await import('better-sqlite3').then(
  (module) => module.default as typeof BetterSqlite3,
  () => undefined,
);
describe.skipIf(!Database)(
  Database ? 'better-sqlite3' : 'better-sqlite3 (not installed: npm run install:drivers)',
  () => {
    it('counts prepare → run/get/all/iterate and exec, with call sites', async () => {
      const db = new Database!(':memory:');
      db.exec(
        'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE posts (user_id INT, title TEXT)',
      );
      const insert = db.prepare('INSERT INTO users (id, name) VALUES (?, ?)');
      for (let i = 1; i <= 10; i++) insert.run(i, `u${i}`);
      const attachment = await captureQueries(
        {
          name: 'sqlite',
          fn: () => {
            const users = db.prepare('SELECT id FROM users').all() as Array<{ id: number }>;
            for (const user of users)
              db.prepare('SELECT * FROM posts WHERE user_id = ?').get(user.id); // sqlite N+1
            for (const _row of db
              .prepare('SELECT name FROM users WHERE id > :min')
              .iterate({ min: 5 }))
              void _row;
            db.prepare("UPDATE users SET name = 'x' WHERE id = 1").run();
            db.exec("INSERT INTO posts VALUES (1, 'a'); DELETE FROM posts WHERE user_id = 1");
          },
        },
        passContext('sqlite'),
        options({ iterations: 3 }),
      );
      expect(attachment!.perIteration).toBe(15);
      expect(attachment!.nPlusOne).toEqual([
        {
          fingerprint: 'SELECT * FROM posts WHERE user_id = ?',
          sample: 'SELECT * FROM posts WHERE user_id = ?',
          perIteration: 10,
          callSite: expect.objectContaining({ file: THIS_FILE, line: lineOf('// sqlite N+1') }),
        },
      ]);
      const fingerprints = attachment!.fingerprints.map((f) => f.fingerprint);
      expect(fingerprints).toContain('SELECT name FROM users WHERE id > ?');
      expect(fingerprints).toContain('UPDATE users SET name = ? WHERE id = ?');
      expect(fingerprints).toContain('INSERT INTO posts VALUES (...)');
      expect(fingerprints).toContain('DELETE FROM posts WHERE user_id = ?');
      expect(attachment!.fingerprints.every((f) => f.driver === 'better-sqlite3')).toBe(true);
      // Synchronous work blocks the event loop for the whole operation.
      expect(attachment!.blocking?.syncFsPerIteration).toBe(0);
      db.close();
    });
  },
);
if (!Database) {
  console.warn('better-sqlite3 tests skipped: not installed (npm run install:drivers installs it)');
}

if (!mariadbBinary) {
  console.warn('mysql2 tests skipped: mariadb-server is not installed (.ci/services installs it)');
}

describe.skipIf(!mariadbBinary)('mysql2 against MariaDB', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startMariaDb();
    const setup = await mysqlPromise.createConnection({
      host: '127.0.0.1',
      port: server.port,
      user: 'root',
      multipleStatements: true,
    });
    await setup.query(`CREATE DATABASE perfgate; USE perfgate;
      CREATE TABLE users (id INT PRIMARY KEY, name TEXT);
      CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, user_id INT, total INT);
      INSERT INTO users VALUES (1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e'),(6,'f');
      INSERT INTO orders (user_id, total) VALUES (1,10),(2,20),(3,30),(4,40),(5,50),(6,60)`);
    await setup.end();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('counts callback, promise and pool APIs, query and execute', async () => {
    const config = { host: '127.0.0.1', port: server.port, user: 'root', database: 'perfgate' };
    const callbackConnection = mysql.createConnection(config);
    const promiseConnection = await mysqlPromise.createConnection(config);
    const pool = mysqlPromise.createPool({ ...config, connectionLimit: 2 });
    try {
      const attachment = await captureQueries(
        {
          name: 'mysql2',
          fn: async () => {
            const [users] = await promiseConnection.query('SELECT id FROM users');
            for (const user of users as Array<{ id: number }>) {
              await pool.execute('SELECT total FROM orders WHERE user_id = ?', [user.id]); // mysql N+1
            }
            await new Promise<void>((resolve, reject) =>
              callbackConnection.query('SELECT name FROM users WHERE id = ?', [2], (error) =>
                error ? reject(error) : resolve(),
              ),
            );
            await promiseConnection.execute({
              sql: "SELECT count(*) FROM orders WHERE total > ? AND 'x' = 'x'",
              values: [5],
            });
            await pool.query('SELECT * FROM users WHERE id IN (?)', [[1, 2, 3]]);
          },
        },
        passContext('mysql2'),
        options({ iterations: 2 }),
      );
      expect(attachment!.perIteration).toBe(10);
      expect(attachment!.nPlusOne).toEqual([
        expect.objectContaining({
          fingerprint: 'SELECT total FROM orders WHERE user_id = ?',
          perIteration: 6,
          callSite: expect.objectContaining({ file: THIS_FILE, line: lineOf('// mysql N+1') }),
        }),
      ]);
      const fingerprints = attachment!.fingerprints.map((f) => f.fingerprint);
      expect(fingerprints).toContain('SELECT count(*) FROM orders WHERE total > ? AND ? = ?');
      expect(fingerprints).toContain('SELECT * FROM users WHERE id IN (...)');
      expect(
        attachment!.fingerprints.every((f) => f.driver === 'mysql2' && f.timeMs !== undefined),
      ).toBe(true);
    } finally {
      callbackConnection.end();
      await promiseConnection.end();
      await pool.end();
    }
  });
});

describe('HTTP and blocking I/O', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => res.end(JSON.stringify({ url: req.url })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts fetch and node:http requests by route, with the caller', async () => {
    const get = (url: string) =>
      new Promise<void>((resolve, reject) => {
        // node:http request
        httpRequest(url, (res) => {
          res.resume();
          res.on('end', resolve);
        })
          .on('error', reject)
          .end();
      });
    const attachment = await captureQueries(
      {
        name: 'http',
        fn: async () => {
          const list = await fetch(`${base}/users?page=1`);
          await list.text();
          for (const id of [11, 12, 13, 14, 15]) {
            const res = await fetch(`${base}/users/${id}/profile`); // fetch N+1
            await res.text();
          }
          await get(`${base}/orgs/0b5a3c9e-8f7d-4e7a-9c1b-2d3e4f5a6b7c`);
          await new Promise<void>((resolve) =>
            http.get(`${base}/health`, (res) => res.resume().on('end', resolve)),
          );
        },
      },
      passContext('http'),
      options({ iterations: 2 }),
    );
    expect(attachment!.perIteration).toBe(0);
    expect(attachment!.httpPerIteration).toBe(8);
    const byFingerprint = Object.fromEntries(
      attachment!.fingerprints.map((f) => [f.fingerprint, f]),
    );
    expect(byFingerprint['GET /users']?.perIteration).toBe(1);
    expect(byFingerprint['GET /users/:id/profile']).toMatchObject({
      kind: 'http',
      perIteration: 5,
      callSite: { file: THIS_FILE, line: lineOf('// fetch N+1') },
    });
    expect(byFingerprint['GET /orgs/:id']).toMatchObject({
      callSite: { file: THIS_FILE, line: lineOf('// node:http request') + 1 },
      driver: 'http',
    });
    expect(byFingerprint['GET /health']?.perIteration).toBe(1);
    expect(attachment!.nPlusOne.map((f) => f.fingerprint)).toEqual(['GET /users/:id/profile']);
  });

  // undici comes with @actions/github (a dependency): skip only if npm stopped hoisting it.
  it.skipIf(!canResolve('undici'))('counts requests of the undici package', async () => {
    const undici = await import('undici');
    const attachment = await captureQueries(
      {
        name: 'undici',
        fn: async () => {
          for (const id of [1, 2, 3, 4, 5, 6]) {
            const { body } = await undici.request(`${base}/items/${id}`); // undici N+1
            await body.text();
          }
        },
      },
      passContext('undici'),
      options({ iterations: 2 }),
    );
    expect(attachment!.httpPerIteration).toBe(6);
    expect(attachment!.nPlusOne).toEqual([
      expect.objectContaining({
        fingerprint: 'GET /items/:id',
        perIteration: 6,
        callSite: expect.objectContaining({ file: THIS_FILE, line: lineOf('// undici N+1') }),
      }),
    ]);
  });

  it('counts synchronous fs calls per iteration and measures event-loop blocking', async () => {
    const attachment = await captureQueries(
      {
        name: 'sync-fs',
        fn: () => {
          for (let i = 0; i < 4; i++) fs.readFileSync(new URL(import.meta.url));
          fs.existsSync('/nonexistent');
          const end = Date.now() + 30;
          while (Date.now() < end); // blocks the loop
        },
      },
      passContext('sync-fs'),
      options({ iterations: 2 }),
    );
    expect(attachment!.blocking?.syncFsPerIteration).toBe(5);
    expect(attachment!.blocking?.eventLoopMaxMs).toBeGreaterThanOrEqual(25);
  });
});
