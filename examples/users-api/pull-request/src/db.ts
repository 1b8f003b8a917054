import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

export const USER_COUNT = 500;

/** Bump when the schema or the seed data change (it names the cached data folder). */
const SEED_VERSION = 1;

const SCHEMA = `
  CREATE TABLE users (
    id         serial PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT '2024-01-01'
  );
  CREATE TABLE user_details (
    user_id  integer PRIMARY KEY REFERENCES users (id),
    bio      text NOT NULL,
    city     text NOT NULL,
    company  text NOT NULL,
    phone    text NOT NULL
  );
`;

const SEED = `
  INSERT INTO users (name, email)
  SELECT 'User ' || i, 'user' || i || '@example.com' FROM generate_series(1, ${USER_COUNT}) AS i;
  INSERT INTO user_details (user_id, bio, city, company, phone)
  SELECT id,
         'Hi, I am ' || name || '. ' || repeat('I like fast APIs. ', 1 + id % 4),
         (ARRAY['Berlin', 'Lisbon', 'Nairobi', 'Osaka', 'Quito'])[1 + id % 5],
         'Company ' || (id % 37),
         '+1-555-' || lpad(id::text, 4, '0')
  FROM users;
`;

/**
 * An embedded Postgres (PGlite) with 500 users and their details. Creating and seeding a
 * database takes seconds, so the seeded data folder is cached as a tarball and later
 * instances start from it in a fraction of a second.
 */
export async function openDatabase(): Promise<PGlite> {
  const cache = join(tmpdir(), `perfgate-users-api-seed-v${SEED_VERSION}.tar.gz`);
  if (existsSync(cache)) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([await readFile(cache)]) });
    } catch {
      // A damaged cache: fall through and seed again.
    }
  }
  const db = await PGlite.create();
  await db.exec(SCHEMA);
  await db.exec(SEED);
  const dump = await db.dumpDataDir('gzip');
  const temp = `${cache}.${process.pid}.tmp`;
  await writeFile(temp, Buffer.from(await dump.arrayBuffer()));
  await rename(temp, cache); // atomic: a parallel run never reads half a cache
  return db;
}
