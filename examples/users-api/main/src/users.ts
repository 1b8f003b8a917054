import type { PGlite } from '@electric-sql/pglite';

export interface UserDetails {
  bio: string;
  city: string;
  company: string;
  phone: string;
}

export interface User {
  id: number;
  name: string;
  email: string;
  details: UserDetails | null;
}

interface UserRow {
  id: number;
  name: string;
  email: string;
  bio: string | null;
  city: string | null;
  company: string | null;
  phone: string | null;
}

/** GET /users: every user with their details, in one query. */
export async function getUsers(db: PGlite): Promise<User[]> {
  const { rows } = await db.query<UserRow>(
    `SELECT u.id, u.name, u.email, d.bio, d.city, d.company, d.phone
       FROM users u
       LEFT JOIN user_details d ON d.user_id = u.id
      ORDER BY u.id`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    details:
      row.bio === null
        ? null
        : { bio: row.bio, city: row.city!, company: row.company!, phone: row.phone! },
  }));
}
