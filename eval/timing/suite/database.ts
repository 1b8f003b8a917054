// The evaluation suite's PGlite database (real Postgres in WASM, in process).
import { existsSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

/** File name of the dump the harness puts next to the suite. */
export const DUMP_FILE = 'pglite-data.tar';

/** A fresh database with the suite's table (what the harness dumps once). */
export async function createDatabase(): Promise<PGlite> {
  const db = new PGlite();
  await db.exec(`
    CREATE TABLE items (id integer PRIMARY KEY, owner integer NOT NULL, price numeric NOT NULL);
    INSERT INTO items SELECT i, i % 50, (i * 37) % 1000 FROM generate_series(1, 2000) AS i;
    CREATE INDEX items_owner ON items (owner);
  `);
  return db;
}

/**
 * The database, from the dump next to this file when there is one: opening PGlite runs initdb
 * in WASM, which costs seconds in every fork (measured here under load: 28 s fresh, 6 s from
 * the dump); the tasks measure queries, not that.
 */
export async function openDatabase(): Promise<PGlite> {
  const dump = new URL(`./${DUMP_FILE}`, import.meta.url);
  if (!existsSync(dump)) return createDatabase();
  const db = new PGlite({ loadDataDir: new Blob([readFileSync(dump)]) });
  await db.waitReady;
  return db;
}
