// runBenchmarks end to end, against the real bundled child (dist/child.js, built by globalSetup).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import { runSchema, type Benchmark } from '../../src/model/run.js';
import { runBenchmarks, type ProgressEvent, type RunResult } from '../../src/runner/index.js';
import { FIXTURES, testConfig } from './helpers.js';

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'perfgate-runner-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

interface Captured {
  result: RunResult;
  events: ProgressEvent[];
  output: Array<{ file: string; line: string; stream: string }>;
}

async function run(
  files: string[] | undefined,
  overrides: Parameters<typeof testConfig>[0] = {},
  extra: { filter?: string; meta?: Record<string, unknown> } = {},
): Promise<Captured> {
  const events: ProgressEvent[] = [];
  const output: Captured['output'] = [];
  const result = await runBenchmarks({
    cwd: FIXTURES,
    config: testConfig(overrides),
    ...(files ? { files } : {}),
    outDir,
    onProgress: (event) => events.push(event),
    onOutput: (file, line, stream) => output.push({ file, line, stream }),
    ...extra,
  });
  return { result, events, output };
}

function byId(result: RunResult, id: string): Benchmark {
  const benchmark = result.run.benchmarks.find((b) => b.id === id);
  if (!benchmark)
    throw new Error(`no benchmark ${id} in ${result.run.benchmarks.map((b) => b.id).join(', ')}`);
  return benchmark;
}

describe('runBenchmarks: a mixed set of bench files', () => {
  let captured: Captured;
  const files = [
    'js/basic.bench.js',
    'js/plain.bench.mjs',
    'ts/math.bench.ts',
    'ts/line.bench.mts',
    'ts-mixed/mixed.bench.ts',
    'hooks/hooks.bench.js',
    'failing/import-error.bench.js',
    'failing/task-error.bench.js',
    'failing/not-a-bench.bench.js',
    'failing/no-bench.bench.js',
    'multi/suite.mjs',
    'dupes/dupes.bench.js',
    'js/standalone.bench.js',
  ];
  beforeAll(async () => {
    captured = await run(files, { run: { time: 50, warmup: 10, minSamples: 10, maxSamples: 30 } });
  }, 120_000);

  it('produces a valid Run with ids, units and stats', () => {
    const { run: result } = captured.result;
    expect(runSchema.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
    expect(result.schemaVersion).toBe(2);
    expect(result.tool).toBe('perfgate');
    const fast = byId(captured.result, 'js/basic.bench.js > basics > very fast');
    expect(fast).toMatchObject({
      name: 'very fast',
      group: 'basics',
      file: 'js/basic.bench.js',
      unit: 'ns',
      direction: 'smaller',
    });
    expect(fast.stats.n).toBe(fast.samples.length);
    expect(fast.stats.median).toBeGreaterThan(0);
    expect(fast.stats.min).toBeLessThanOrEqual(fast.stats.median);
    expect(fast.stats.max).toBeGreaterThanOrEqual(fast.stats.p99);
  });

  it('batches a very fast task into rounds and caps the samples', () => {
    const fast = byId(captured.result, 'js/basic.bench.js > basics > very fast');
    expect(fast.opsPerSample).toBeGreaterThan(1000);
    expect(fast.samples.length).toBeGreaterThanOrEqual(10);
    expect(fast.samples.length).toBeLessThanOrEqual(30);
  });

  it('takes at least minSamples samples of a slow task, one op each', () => {
    const slow = byId(captured.result, 'js/basic.bench.js > basics > slow 3ms');
    expect(slow.opsPerSample).toBe(1);
    expect(slow.samples.length).toBeGreaterThanOrEqual(10);
    // A 3 ms busy wait cannot take less than 3 ms.
    expect(slow.stats.min).toBeGreaterThanOrEqual(3e6);
  });

  it('awaits async tasks', () => {
    const task = byId(captured.result, 'js/basic.bench.js > basics > async 200us');
    expect(task.stats.min).toBeGreaterThanOrEqual(2e5);
    expect(task.samples.length).toBeGreaterThanOrEqual(10);
  });

  it('leaves the group out for an unnamed Bench and accepts a function default export', () => {
    const task = byId(captured.result, 'js/plain.bench.mjs > json roundtrip');
    expect(task.group).toBeUndefined();
    expect(task.samples.length).toBeGreaterThan(0);
  });

  it('runs TypeScript bench files importing .ts modules with .js, extensionless and folder specifiers', () => {
    expect(byId(captured.result, 'ts/math.bench.ts > math > sum').stats.median).toBeGreaterThan(0);
    expect(byId(captured.result, 'ts/math.bench.ts > math > product').stats.median).toBeGreaterThan(
      0,
    );
  });

  it('lets TypeScript import real .js files and .cts modules, with __dirname available', () => {
    const task = byId(captured.result, 'ts-mixed/mixed.bench.ts > ts-mixed > double and triple');
    expect(task.samples.length).toBeGreaterThan(0);
  });

  it('keeps TypeScript line numbers in errors', () => {
    expect(byId(captured.result, 'ts/line.bench.mts > throws').error).toMatch(
      /boom from mts.*line\.bench\.mts:7:/,
    );
  });

  it('calls hooks as tinybench does: setup, beforeAll, per-op hooks around each op, afterAll, teardown', () => {
    const line = captured.output.find((o) => o.line.startsWith('HOOKS '));
    expect(line).toMatchObject({ file: 'hooks/hooks.bench.js', stream: 'stdout' });
    const hooks = JSON.parse(line!.line.slice('HOOKS '.length));
    expect(hooks.first).toEqual(['setup', 'beforeAll', 'beforeEach']);
    expect(hooks.last).toEqual(['afterEach', 'afterAll', 'teardown']);
    expect(hooks).toMatchObject({
      setup: 1,
      beforeAll: 1,
      afterAll: 1,
      teardown: 1,
      violations: 0,
    });
    expect(hooks.beforeEach).toBe(hooks.fn);
    expect(hooks.afterEach).toBe(hooks.fn);
  });

  it('forwards console output of bench code, tagged with the file', () => {
    expect(captured.output).toContainEqual({
      file: 'js/plain.bench.mjs',
      line: 'hello from plain.bench.mjs',
      stream: 'stdout',
    });
  });

  it('reports a file that throws at import, naming the file and the error, and runs the others', () => {
    const failure = captured.result.failures.find(
      (f) => f.file === 'failing/import-error.bench.js',
    );
    expect(failure).toBeDefined();
    expect(failure!.task).toBeUndefined();
    expect(failure!.error).toMatch(
      /failed to load: cannot connect to the fixture database \(at .*import-error\.bench\.js:6/,
    );
    // the stack went to the user's stderr
    expect(
      captured.output.some(
        (o) => o.file === 'failing/import-error.bench.js' && o.stream === 'stderr',
      ),
    ).toBe(true);
    // files after it still ran
    expect(
      byId(captured.result, 'failing/task-error.bench.js > mixed > works').samples.length,
    ).toBeGreaterThan(0);
  });

  it('reports a task that throws with file, task and message; its sibling still runs', () => {
    const failure = captured.result.failures.find((f) => f.file === 'failing/task-error.bench.js');
    expect(failure).toMatchObject({
      task: 'mixed > throws',
      error: expect.stringMatching(/^bad state on call 5/),
    });
    const errored = byId(captured.result, 'failing/task-error.bench.js > mixed > throws');
    expect(errored.samples).toEqual([]);
    expect(errored.error).toMatch(/bad state on call 5/);
  });

  it('explains a default export that is not a Bench, and a file that fills no Bench', () => {
    expect(captured.result.failures).toContainEqual({
      file: 'failing/not-a-bench.bench.js',
      error: expect.stringMatching(/default export must be a tinybench Bench.*got an object/),
    });
    expect(captured.result.failures).toContainEqual({
      file: 'failing/no-bench.bench.js',
      error: expect.stringMatching(/creates no tinybench Bench with tasks.*bench\.add/),
    });
  });

  it("skips the bench file's own bench.run(), silently, and sets PERFGATE=1", () => {
    expect(captured.output).toContainEqual({
      file: 'js/standalone.bench.js',
      line: 'PERFGATE=1 state=not-started',
      stream: 'stdout',
    });
    expect(
      (captured.result.warnings ?? []).filter((w) => w.file === 'js/standalone.bench.js'),
    ).toEqual([]);
    expect(
      byId(captured.result, 'js/standalone.bench.js > standalone > slice').samples.length,
    ).toBeGreaterThan(0);
  });

  it('runs every Bench of a file without a default export, grouped by name or position', () => {
    const ids = captured.result.run.benchmarks
      .filter((b) => b.file === 'multi/suite.mjs')
      .map((b) => b.id);
    // Benches in the order of their first add(), tasks in their Bench's order; the empty Bench
    // contributes nothing; the unnamed one is "bench 2" (second Bench with tasks).
    expect(ids).toEqual([
      'multi/suite.mjs > parse > json',
      'multi/suite.mjs > parse > number',
      'multi/suite.mjs > bench 2 > split',
      'multi/suite.mjs > bench 2 > join',
      'multi/suite.mjs > serialize > json',
    ]);
    for (const id of ids) expect(byId(captured.result, id).samples.length).toBeGreaterThan(0);
    expect(captured.result.failures.filter((f) => f.file === 'multi/suite.mjs')).toEqual([]);
    expect((captured.result.warnings ?? []).filter((w) => w.file === 'multi/suite.mjs')).toEqual(
      [],
    );
  });

  it("drops the file's own console.table output and never calls a task while loading", () => {
    const lines = captured.output.filter((o) => o.file === 'multi/suite.mjs').map((o) => o.line);
    expect(lines).toContain('task functions called while loading: 0');
    // console.log of the names still shows; the tables (rows of null) do not.
    expect(lines).toContain('parse');
    expect(lines.some((line) => /[┌│└]|null/.test(line))).toBe(false);
  });

  it('makes duplicate ids unique and warns', () => {
    const ids = captured.result.run.benchmarks
      .filter((b) => b.file === 'dupes/dupes.bench.js')
      .map((b) => b.id);
    expect(ids).toEqual([
      'dupes/dupes.bench.js > same > task',
      'dupes/dupes.bench.js > same > task #2',
    ]);
    expect(captured.result.warnings).toContainEqual({
      file: 'dupes/dupes.bench.js',
      task: 'dupes/dupes.bench.js > same > task #2',
      message: expect.stringContaining('duplicate benchmark id'),
    });
  });

  it('emits progress: discovered, then per file start → tasks → end', () => {
    const { events } = captured;
    expect(events[0]).toEqual({ type: 'discovered', files });
    const basic = events.filter((e) => 'file' in e && e.file === 'js/basic.bench.js');
    expect(basic.map((e) => e.type)).toEqual([
      'file-start',
      ...Array(3).fill(['task-start', 'pass', 'task-end']).flat(),
      'file-end',
    ]);
    expect(basic[0]).toEqual({
      type: 'file-start',
      file: 'js/basic.bench.js',
      index: 0,
      total: files.length,
    });
    const end = basic.find((e) => e.type === 'task-end');
    expect(end).toMatchObject({
      task: 'js/basic.bench.js > basics > very fast',
      medianNs: expect.any(Number),
    });
    expect(events).toContainEqual({
      type: 'file-end',
      file: 'failing/import-error.bench.js',
      error: expect.stringMatching(/failed to load/),
    });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'task-end',
        task: 'failing/task-error.bench.js > mixed > throws',
        error: expect.any(String),
      }),
    );
  });

  it('fills meta: timestamp, git commit, env with the child node version', () => {
    const { meta } = captured.result.run;
    expect(Date.parse(meta.timestamp)).not.toBeNaN();
    expect(meta.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(meta.env.node).toBe(process.version);
    expect(meta.env.cores).toBeGreaterThan(0);
    expect(meta.env.os).toContain(process.platform);
    expect(meta.env.runner).toBe(
      process.env.GITHUB_ACTIONS === 'true' ? 'github-actions' : 'local',
    );
  });
});

describe('runBenchmarks: crashes and timeouts', () => {
  it('reports a child that calls process.exit, keeps what it measured before', async () => {
    const { result } = await run(['crash/exit.bench.js', 'js/plain.bench.mjs']);
    expect(result.failures).toEqual([
      {
        file: 'crash/exit.bench.js',
        error: expect.stringMatching(
          /exited with code 3 before finishing while running "crash\/exit\.bench\.js > exits"/,
        ),
      },
    ]);
    expect(byId(result, 'crash/exit.bench.js > first').samples.length).toBeGreaterThan(0);
    // The task the child died in is in the Run as failed (compare reports it, not "removed").
    expect(byId(result, 'crash/exit.bench.js > exits')).toMatchObject({
      name: 'exits',
      samples: [],
      error: expect.stringMatching(/exited with code 3/),
    });
    expect(runSchema.safeParse(JSON.parse(JSON.stringify(result.run))).success).toBe(true);
    expect(byId(result, 'js/plain.bench.mjs > json roundtrip').samples.length).toBeGreaterThan(0);
  });

  it('reports an uncaught exception from a stray callback with its message', async () => {
    const { result } = await run(['crash/uncaught.bench.js']);
    expect(result.failures).toEqual([
      {
        file: 'crash/uncaught.bench.js',
        error: expect.stringMatching(
          /exited with code 1 before finishing while running "crash\/uncaught\.bench\.js > stray callback": TypeError: stray async error$/,
        ),
      },
    ]);
  });

  it('reports a child killed by a signal', async () => {
    const { result } = await run(['crash/signal.bench.js']);
    expect(result.failures).toEqual([
      {
        file: 'crash/signal.bench.js',
        error: expect.stringMatching(/was killed by SIGKILL before finishing while running/),
      },
    ]);
  });

  it('reports a child that runs out of memory, with the tail of its stderr', async () => {
    const previous = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--max-old-space-size=48';
    try {
      const { result } = await run(['crash/oom.bench.js'], { run: { time: 5000, warmup: 10 } });
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0].file).toBe('crash/oom.bench.js');
      expect(result.failures[0].error).toMatch(
        /before finishing while running "crash\/oom\.bench\.js > leaks until OOM"/,
      );
      expect(result.failures[0].error).toMatch(/FATAL ERROR.*heap out of memory/);
    } finally {
      if (previous === undefined) delete process.env.NODE_OPTIONS;
      else process.env.NODE_OPTIONS = previous;
    }
  });

  it('kills a child that runs past run.timeout and reports it', async () => {
    // The timeout counts from the child's spawn: 1.5 s was too short for a child to start and
    // load its file on a loaded 2-core machine (the test flaked); 5 s leaves a wide margin.
    const { result, events } = await run(['crash/hang.bench.js', 'js/plain.bench.mjs'], {
      run: { time: 50, warmup: 10, timeout: 5000 },
    });
    expect(result.failures).toEqual([
      {
        file: 'crash/hang.bench.js',
        error: expect.stringMatching(
          /timed out after 5000 ms while running "crash\/hang\.bench\.js > hangs"/,
        ),
      },
    ]);
    const hang = events.filter((e) => 'file' in e && e.file === 'crash/hang.bench.js');
    expect(hang.map((e) => e.type)).toEqual([
      'file-start',
      'task-start',
      'pass',
      'task-end',
      'file-end',
    ]);
    expect(hang[3]).toMatchObject({
      task: 'crash/hang.bench.js > hangs',
      error: expect.stringMatching(/timed out/),
    });
    expect(byId(result, 'js/plain.bench.mjs > json roundtrip').samples.length).toBeGreaterThan(0);
  });
});

describe('runBenchmarks: instrumented passes', () => {
  it('runs profile, queries and memory after timing, each attaching data or warning', async () => {
    const { result, events } = await run(
      ['ts/math.bench.ts'],
      {
        profile: { enabled: true, duration: 50 },
        queries: { enabled: true, iterations: 1 },
        memory: { enabled: true, rounds: 3, roundTime: 10 },
      },
      { filter: 'math > sum' },
    );
    expect(result.failures).toEqual([]);
    const passes = events.filter((e) => e.type === 'pass').map((e) => e.pass);
    // The query capture prepares the process (driver hooks), so the passes run in a child of
    // their own after the timed one; it times too (the passes size themselves by the median),
    // but its samples are not counted.
    expect(passes).toEqual(['timing', 'timing', 'profile', 'queries', 'memory']);
    const starts = events.filter((e) => e.type === 'file-start').map((e) => e.file);
    expect(starts).toEqual(['ts/math.bench.ts', 'ts/math.bench.ts (instrumented passes)']);
    const sum = byId(result, 'ts/math.bench.ts > math > sum');
    expect(sum.samples.length).toBeGreaterThan(0);
    // Only the timed child's samples count: one fork, all of the samples.
    expect(sum.forks).toEqual([sum.samples.length]);
    expect(runSchema.safeParse(JSON.parse(JSON.stringify(result.run))).success).toBe(true);
    // Profile and memory always measure something; a pass that failed says so in a warning.
    for (const pass of ['profile', 'memory'] as const) {
      const warned = (result.warnings ?? []).some((w) =>
        w.message.startsWith(`${pass} pass failed`),
      );
      expect(sum[pass] !== undefined || warned).toBe(true);
    }
  });
});

describe('runBenchmarks: the tinybench the bench file resolves', () => {
  it('wraps the ES module entry of a dual ESM/CommonJS tinybench package', async () => {
    // A project-local "tinybench" whose `import` and `require` entries are different files,
    // as in tinybench 2: only the ES entry's Bench is the one the bench file uses.
    const project = await mkdtemp(join(tmpdir(), 'perfgate-dual-'));
    try {
      const pkg = join(project, 'node_modules', 'tinybench');
      await mkdir(pkg, { recursive: true });
      await writeFile(
        join(pkg, 'package.json'),
        JSON.stringify({
          name: 'tinybench',
          version: '2.9.0',
          exports: {
            '.': { types: './index.d.ts', import: './index.mjs', require: './index.cjs' },
          },
        }),
      );
      const benchClass = `class Bench {
        constructor(options = {}) { this.name = options.name; this.map = new Map(); }
        add(name, fn, opts) { this.map.set(name, { name }); return this; }
        get tasks() { return [...this.map.values()]; }
        getTask(name) { return this.map.get(name); }
      }`;
      await writeFile(join(pkg, 'index.mjs'), `export ${benchClass}\n`);
      await writeFile(join(pkg, 'index.cjs'), `module.exports = { Bench: ${benchClass} };\n`);
      await writeFile(
        join(project, 'dual.bench.mjs'),
        "import { Bench } from 'tinybench';\nexport default new Bench({ name: 'v2' }).add('task', () => 42);\n",
      );
      const result = await runBenchmarks({
        cwd: project,
        config: testConfig(),
        outDir: join(project, 'out'),
        onOutput: () => undefined,
      });
      expect(result.failures).toEqual([]);
      expect(result.run.benchmarks.map((b) => b.id)).toEqual(['dual.bench.mjs > v2 > task']);
      expect(result.run.benchmarks[0].samples.length).toBeGreaterThan(0);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('explains a bench file whose tinybench cannot be resolved', async () => {
    const project = await mkdtemp(join(tmpdir(), 'perfgate-notiny-'));
    try {
      await writeFile(join(project, 'x.bench.mjs'), 'export default 1;\n');
      const result = await runBenchmarks({
        cwd: project,
        config: testConfig(),
        outDir: join(project, 'out'),
      });
      expect(result.failures).toEqual([
        {
          file: 'x.bench.mjs',
          error: expect.stringMatching(
            /cannot resolve 'tinybench' from .*npm install --save-dev tinybench/,
          ),
        },
      ]);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});

describe('runBenchmarks: selection', () => {
  it('discovers bench files by the config globs with exclude', async () => {
    const { result, events } = await run(undefined, {
      include: ['ts/**/*.bench.{ts,mts}', 'js/*.bench.mjs'],
      exclude: ['**/line.bench.mts'],
    });
    expect(events[0]).toEqual({
      type: 'discovered',
      files: ['js/plain.bench.mjs', 'ts/math.bench.ts'],
    });
    expect(result.failures).toEqual([]);
    expect(result.run.benchmarks.map((b) => b.id)).toEqual([
      'js/plain.bench.mjs > json roundtrip',
      'ts/math.bench.ts > math > sum',
      'ts/math.bench.ts > math > product',
    ]);
  });

  it('filters by substring and by /regex/', async () => {
    const substring = await run(
      ['ts/math.bench.ts', 'js/plain.bench.mjs'],
      {},
      { filter: 'math > prod' },
    );
    expect(substring.result.run.benchmarks.map((b) => b.id)).toEqual([
      'ts/math.bench.ts > math > product',
    ]);
    const regex = await run(
      ['ts/math.bench.ts', 'js/plain.bench.mjs'],
      {},
      { filter: '/(SUM|json)/i' },
    );
    // Explicit files keep the order they were given in.
    expect(regex.result.run.benchmarks.map((b) => b.id)).toEqual([
      'ts/math.bench.ts > math > sum',
      'js/plain.bench.mjs > json roundtrip',
    ]);
  });

  it('rejects a filter that matches nothing, and a bad regex before running', async () => {
    await expect(run(['js/plain.bench.mjs'], {}, { filter: 'no such benchmark' })).rejects.toThrow(
      /--filter no such benchmark matched no benchmark in 1 bench file/,
    );
    await expect(run(['js/plain.bench.mjs'], {}, { filter: '/[/' })).rejects.toThrow(InputError);
  });

  it('gives an empty, valid Run for an empty file list', async () => {
    const { result, events } = await run([]);
    expect(result.run.benchmarks).toEqual([]);
    expect(result.failures).toEqual([]);
    expect(events).toEqual([{ type: 'discovered', files: [] }]);
    expect(result.run.meta.env.node).toMatch(/^v\d+/);
  });

  it('takes commit and ref from options.meta over git', async () => {
    const { result } = await run(
      ['js/plain.bench.mjs'],
      {},
      { meta: { commit: 'abc123', ref: 'refs/pull/7/merge' } },
    );
    expect(result.run.meta).toMatchObject({ commit: 'abc123', ref: 'refs/pull/7/merge' });
  });

  it('reports a node binary that cannot be started', async () => {
    await expect(run(['js/plain.bench.mjs'], { node: '/nonexistent/node' })).rejects.toThrow(
      /cannot start node "\/nonexistent\/node"/,
    );
  });
});
