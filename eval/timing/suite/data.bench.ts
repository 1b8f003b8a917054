// Evaluation suite, data-structure and allocation tasks.
import { Bench } from 'tinybench';
import { slowable } from './slowdown.js';

const keys = Array.from({ length: 5_000 }, (_, i) => `key-${(i * 7919) % 5_000}`);
const document = {
  users: Array.from({ length: 60 }, (_, i) => ({
    id: i,
    name: `user ${i}`,
    email: `user${i}@example.com`,
    roles: ['reader', i % 3 === 0 ? 'admin' : 'writer'],
    active: i % 2 === 0,
    score: i * 1.5,
  })),
};
const text = JSON.stringify(document);

const bench = new Bench({ name: 'data' });
bench
  .add(
    'json roundtrip',
    slowable('json roundtrip', () => JSON.parse(JSON.stringify(JSON.parse(text)))),
  )
  .add(
    'map and set',
    slowable('map and set', () => {
      const map = new Map<string, number>();
      const seen = new Set<string>();
      for (let i = 0; i < keys.length; i++) {
        map.set(keys[i], i);
        if (i % 2 === 0) seen.add(keys[i]);
      }
      let hits = 0;
      for (const key of keys) if (seen.has(key) && map.get(key)! > 10) hits++;
      return hits;
    }),
  )
  .add(
    'allocate objects',
    slowable('allocate objects', () => {
      const points = [];
      for (let i = 0; i < 10_000; i++) points.push({ x: i, y: i * 2, tag: i % 7 });
      return points.reduce((s, p) => s + p.x + p.y, 0);
    }),
  )
  .add(
    'array map filter reduce',
    slowable('array map filter reduce', () =>
      keys
        .map((k) => k.length)
        .filter((n) => n % 2 === 0)
        .reduce((a, b) => a + b, 0),
    ),
  );

export default bench;
