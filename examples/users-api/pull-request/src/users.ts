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
}

/** One user's details (reused by GET /users/:id). */
export async function getUserDetails(db: PGlite, userId: number): Promise<UserDetails | null> {
  const { rows } = await db.query<UserDetails>(
    'SELECT bio, city, company, phone FROM user_details WHERE user_id = $1',
    [userId],
  );
  return rows[0] ?? null;
}

/** GET /users: every user with their details (refactored to reuse getUserDetails). */
export async function getUsers(db: PGlite): Promise<User[]> {
  const { rows } = await db.query<UserRow>('SELECT id, name, email FROM users ORDER BY id');
  const users: User[] = [];
  for (const row of rows) {
    users.push({ ...row, details: await getUserDetails(db, row.id) });
  }
  return users;
}
