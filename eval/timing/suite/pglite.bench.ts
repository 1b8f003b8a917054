// Evaluation suite, async tasks over PGlite (real Postgres in WASM, in process).
import type { PGlite } from '@electric-sql/pglite';
import { Bench } from 'tinybench';
import { openDatabase } from './database.js';
import { slowable } from './slowdown.js';

let db: PGlite;
// One database per process, shared by both tasks: every fork of this file opens it once.
let opened: Promise<void> | undefined;
const open = () => (opened ??= openDatabase().then((d) => void (db = d)));

const bench = new Bench({ name: 'pglite' });
bench
  .add(
    'indexed select',
    slowable('indexed select', async () => {
      const result = await db.query('SELECT id, price FROM items WHERE owner = $1', [17]);
      return result.rows.length;
    }),
    { beforeAll: open },
  )
  .add(
    'aggregate',
    slowable('aggregate', async () => {
      const result = await db.query(
        'SELECT owner, count(*), sum(price) FROM items GROUP BY owner ORDER BY owner',
      );
      return result.rows.length;
    }),
    { beforeAll: open, afterAll: () => db.close() },
  );

export default bench;
