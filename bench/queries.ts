/**
 * `npm run bench queries`: what query instrumentation costs per call, per driver that runs in
 * process (better-sqlite3, PGlite) and for fetch over loopback, in three states:
 *   - not instrumented (before installQueryCapture),
 *   - instrumented, recording off (the timing pass: must cost ~nothing),
 *   - recording on (the queries pass: one event + one stack capture per call),
 * plus the analysis after the pass (fingerprint + call site per recorded call).
 * Writes docs/benchmarks/queries.md.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { PGlite as PGliteClass } from '@electric-sql/pglite';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eventsToRecords, installQueryCapture } from '../src/queries/capture.js';
import { esmEntry } from '../src/queries/drivers/resolve.js';
import { recorder } from '../src/queries/recorder.js';

const root = process.cwd();
const REPS = 15;
type Mode = 'plain' | 'off' | 'on';

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Driver {
  name: string;
  calls: number;
  /** `plain` calls the methods saved before instrumentation; the others the patched ones. */
  run: (calls: number, mode: Mode) => Promise<void> | void;
}

/** ns per call of one repetition. */
async function once(driver: Driver, mode: Mode): Promise<number> {
  recorder.events = [];
  recorder.stackCounts = new Map(); // as at the start of a queries pass
  recorder.iteration = 0;
  recorder.on = mode === 'on';
  const start = performance.now();
  await driver.run(driver.calls, mode);
  const elapsed = performance.now() - start;
  recorder.on = false;
  return (elapsed * 1e6) / driver.calls;
}

async function main(): Promise<void> {
  // The bundle runs from a temp folder: load the drivers from the project, as the child would.
  const require = createRequire(join(root, 'package.json'));
  let Database: typeof BetterSqlite3;
  try {
    Database = require('better-sqlite3') as typeof BetterSqlite3;
  } catch {
    // Not a devDependency (it compiles from source): installed on demand.
    throw new Error('bench queries needs better-sqlite3: run `npm run install:drivers` first');
  }
  const { PGlite } = (await import(
    pathToFileURL(esmEntry('@electric-sql/pglite', root)!).href
  )) as {
    PGlite: typeof PGliteClass;
  };

  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
  const insert = sqlite.prepare('INSERT INTO users VALUES (?, ?)');
  for (let i = 1; i <= 1000; i++) insert.run(i, `user ${i}`);
  const byId = sqlite.prepare('SELECT name FROM users WHERE id = ?');

  const pglite = await PGlite.create();
  await pglite.exec(
    "CREATE TABLE users (id int PRIMARY KEY, name text); INSERT INTO users SELECT g, 'user ' || g FROM generate_series(1, 1000) g",
  );

  const server = createServer((_req, res) => res.end('ok'));
  // Idle keep-alive sockets must outlive the other drivers' measurements (else ECONNRESET).
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  // The methods as they are before instrumentation, for the interleaved "not instrumented" runs.
  type Fn = (...args: unknown[]) => unknown;
  const statementProto = Object.getPrototypeOf(byId) as Record<string, Fn>;
  const plainGet = statementProto.get!;
  const plainPrepare = Database.prototype.prepare as unknown as Fn;
  const plainQuery = pglite.query as unknown as Fn;
  const plainFetch = globalThis.fetch;
  const sql = 'SELECT name FROM users WHERE id = ?';

  const drivers: Driver[] = [
    {
      name: 'better-sqlite3 `stmt.get()`',
      calls: 20_000,
      run: (n, mode) => {
        if (mode === 'plain') for (let i = 0; i < n; i++) plainGet.call(byId, (i % 1000) + 1);
        else for (let i = 0; i < n; i++) byId.get((i % 1000) + 1);
      },
    },
    {
      name: 'better-sqlite3 `db.prepare().get()`',
      calls: 10_000,
      run: (n, mode) => {
        if (mode === 'plain') {
          for (let i = 0; i < n; i++) plainGet.call(plainPrepare.call(sqlite, sql), (i % 1000) + 1);
        } else for (let i = 0; i < n; i++) sqlite.prepare(sql).get((i % 1000) + 1);
      },
    },
    {
      name: 'PGlite `db.query()`',
      calls: 1_000,
      run: async (n, mode) => {
        const query = mode === 'plain' ? plainQuery : (pglite.query as unknown as Fn);
        for (let i = 0; i < n; i++) {
          await query.call(pglite, 'SELECT name FROM users WHERE id = $1', [(i % 1000) + 1]);
        }
      },
    },
    {
      name: 'fetch (loopback HTTP)',
      calls: 200,
      run: async (n, mode) => {
        const get = mode === 'plain' ? plainFetch : globalThis.fetch;
        for (let i = 0; i < n; i++) await (await get(`${base}/users/${i}`)).text();
      },
    },
  ];

  await installQueryCapture(join(root, 'bench/queries.ts'));
  sqlite.prepare('SELECT 1'); // statements are patched on the first prepare after install

  const rows: string[] = [];
  for (const driver of drivers) {
    for (const mode of ['plain', 'off', 'on'] as const) await once(driver, mode); // warm-up
    const times: Record<Mode, number[]> = { plain: [], off: [], on: [] };
    for (let rep = 0; rep < REPS; rep++) {
      // Interleaved, so that machine noise hits the three states alike.
      for (const mode of ['plain', 'off', 'on'] as const)
        times[mode].push(await once(driver, mode));
    }
    const events = recorder.events;
    const start = performance.now();
    eventsToRecords(events, root);
    const analysis = ((performance.now() - start) * 1e6) / Math.max(1, events.length);
    recorder.events = [];
    const [plain, off, on] = [median(times.plain), median(times.off), median(times.on)];
    rows.push(
      `| ${driver.name} | ${fmt(plain)} | ${fmt(off)} (${signed(off - plain)}) | ${fmt(on)} (${signed(on - plain)}) | ${fmt(analysis)} |`,
    );
    console.log(rows.at(-1));
  }
  server.close();
  await pglite.close();
  sqlite.close();

  const markdown = [
    '# Query instrumentation overhead',
    '',
    'Measured by `npm run bench queries` (bench/queries.ts): time per call, median of ' +
      `${REPS} interleaved repetitions, on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} (a shared machine: ` +
      'differences of a few percent are noise). "Not instrumented" calls the driver methods saved ' +
      'before `installQueryCapture`; in parentheses, the difference with it.',
    '',
    '| Driver | Not instrumented | Instrumented, recording off (timing pass) | Recording on (queries pass) | Analysis after the pass, per call |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    '- *Recording off* is what the timing, profile and memory passes pay: one property check per',
    '  call in the patched method.',
    '- *Recording on* adds one event per call, and a V8 stack capture (≈20 µs, not formatted) for',
    '  the first 20 calls of each statement text / URL (enough to find the call site). Entry points',
    "  that continue after an async hop (fetch, http.request, pool.query) capture the caller's",
    '  stack on every call. This runs only in the separate queries pass, whose timings are never used.',
    '- *Analysis* (stack formatting and parsing, statement splitting, fingerprinting, each once',
    '  per distinct stack or text) runs once after the pass.',
    '',
  ].join('\n');
  await writeFile(join(root, 'docs/benchmarks/queries.md'), markdown);
  console.log('wrote docs/benchmarks/queries.md');
}

function fmt(ns: number): string {
  return ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${Math.round(ns)} ns`;
}

function signed(ns: number): string {
  return `${ns >= 0 ? '+' : '−'}${fmt(Math.abs(ns))}`;
}

await main();
