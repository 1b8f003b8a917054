import { Bench } from 'tinybench';
import { openDatabase, USER_COUNT } from './src/db.js';
import { getUsers } from './src/users.js';

const db = await openDatabase();

const bench = new Bench({ name: 'users-api' });

bench.add('GET /users', async () => {
  const users = await getUsers(db);
  if (users.length !== USER_COUNT || users[0].details === null) {
    throw new Error(`expected ${USER_COUNT} users with details, got ${users.length}`);
  }
});

export default bench;
