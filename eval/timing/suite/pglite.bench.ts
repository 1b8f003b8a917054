// Evaluation suite, async tasks over PGlite (real Postgres in WASM, in process).
import { PGlite } from '@electric-sql/pglite';
import { Bench } from 'tinybench';
import { slowable } from './slowdown.js';

let db: PGlite;

async function open(): Promise<void> {
  db = new PGlite();
  await db.exec(`
    CREATE TABLE items (id integer PRIMARY KEY, owner integer NOT NULL, price numeric NOT NULL);
    INSERT INTO items SELECT i, i % 50, (i * 37) % 1000 FROM generate_series(1, 2000) AS i;
    CREATE INDEX items_owner ON items (owner);
  `);
}

const bench = new Bench({ name: 'pglite' });
bench
  .add(
    'indexed select',
    slowable('indexed select', async () => {
      const result = await db.query('SELECT id, price FROM items WHERE owner = $1', [17]);
      return result.rows.length;
    }),
    { beforeAll: open, afterAll: () => db.close() },
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
