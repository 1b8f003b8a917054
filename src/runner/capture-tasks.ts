// Takes the tasks out of a bench file's tinybench Benches. tinybench 6 keeps a Task's function
// private, so `Bench.prototype.add` of the tinybench the bench file resolves is wrapped before the
// file is imported, and every add() is recorded, with the Bench it was made on: every Bench the
// file fills runs, whether it is exported or not (files written for tinybench alone export none).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchTask } from '../model/task.js';

type Fn = (...args: unknown[]) => unknown;
type Hook = ((this: unknown, mode?: string) => unknown) | undefined;

interface FnOptions {
  async?: boolean;
  beforeAll?: Hook;
  afterAll?: Hook;
  beforeEach?: Hook;
  afterEach?: Hook;
}

/** The parts of a tinybench Bench that perfgate uses (stable from tinybench 2 to 6). */
export interface BenchLike {
  name?: string;
  tasks: Array<{ name: string }>;
  add(name: string, fn: Fn, options?: FnOptions): unknown;
  getTask?(name: string): unknown;
  setup?: (task: unknown, mode: string) => unknown;
  teardown?: (task: unknown, mode: string) => unknown;
  /** tinybench 3–5 keep setup/teardown in `opts`; 2 and 6 on the Bench itself. */
  opts?: { setup?: BenchLike['setup']; teardown?: BenchLike['teardown'] };
}

export interface CapturedTask {
  /** Bench `name` option, when set. */
  group?: string;
  name: string;
  /** fn and hooks, bound as tinybench would call them (hooks get `this` = the Task, mode 'run'). */
  task: BenchTask;
  /** The Bench's own setup/teardown, tinybench calls them around beforeAll/afterAll. */
  setup?: () => unknown;
  teardown?: () => unknown;
}

interface Capture {
  /** The Bench class of the tinybench the bench file resolves. */
  Bench: new (...args: unknown[]) => BenchLike;
  /** Where that tinybench was found (for error messages). */
  location: string;
  added: WeakMap<object, Map<string, { fn: Fn; options: FnOptions }>>;
  /** Every Bench a task was added to, in the order of its first add(). */
  benches: BenchLike[];
}

const AsyncFunction = (async () => undefined).constructor;
function isAsyncFunction(fn: unknown): boolean {
  return typeof fn === 'function' && fn.constructor === AsyncFunction;
}

/** A failure the user must fix in their bench file (reported as the file's error). */
export class BenchFileError extends Error {}

/** First target of a package.json `exports` condition tree for an ES module import. */
function importTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (Array.isArray(exports)) {
    for (const item of exports) {
      const target = importTarget(item);
      if (target) return target;
    }
    return undefined;
  }
  if (typeof exports !== 'object' || exports === null) return undefined;
  const record = exports as Record<string, unknown>;
  if ('.' in record) return importTarget(record['.']);
  for (const condition of ['node', 'import', 'default']) {
    if (condition in record) {
      const target = importTarget(record[condition]);
      if (target) return target;
    }
  }
  return undefined;
}

/**
 * The file `import 'tinybench'` loads, given the file `require.resolve` found: the two differ for
 * dual packages (tinybench 2 has `import` → index.js, `require` → index.cjs), and the copy the
 * bench file imports is the one whose Bench must be wrapped.
 */
function esmEntry(requireResolved: string): string | undefined {
  for (let dir = dirname(requireResolved); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    try {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
      if (pkg.name !== 'tinybench') continue;
      const target =
        importTarget(pkg.exports) ?? (typeof pkg.module === 'string' ? pkg.module : undefined);
      return target ? join(dir, target) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Resolves tinybench from the bench file's folder and wraps `Bench.prototype.add`. */
export async function captureTinybench(benchFile: string): Promise<Capture> {
  let location: string;
  try {
    location = createRequire(benchFile).resolve('tinybench');
  } catch {
    throw new BenchFileError(
      `cannot resolve 'tinybench' from ${dirname(benchFile)}: install it in the project (npm install --save-dev tinybench)`,
    );
  }
  location = esmEntry(location) ?? location;
  const module = (await import(pathToFileURL(location).href)) as { Bench?: unknown };
  const Bench = module.Bench as Capture['Bench'] | undefined;
  if (typeof Bench !== 'function' || typeof Bench.prototype?.add !== 'function') {
    throw new BenchFileError(
      `the tinybench at ${location} has no Bench class with add(): perfgate needs tinybench's Bench API (written for tinybench 6)`,
    );
  }
  const added: Capture['added'] = new WeakMap();
  const capture: Capture = { Bench, location, added, benches: [] };
  const original = Bench.prototype.add as BenchLike['add'];
  Bench.prototype.add = function add(this: BenchLike, name: string, fn: Fn, options?: FnOptions) {
    // tinybench calls fn once inside add() to see whether it returns a promise (6 unless told
    // `async`, 2–5 always): at import time, before beforeAll has set anything up. perfgate runs
    // the recorded fn itself and detects async when it measures, so tinybench's Task gets a
    // stand-in of the same kind and the probe costs nothing.
    const isAsync = options?.async ?? isAsyncFunction(fn);
    const standIn = isAsync ? async () => undefined : () => undefined;
    const result = original.call(this, name, standIn, { ...options, async: isAsync });
    let tasks = added.get(this);
    if (!tasks) {
      added.set(this, (tasks = new Map()));
      capture.benches.push(this);
    }
    tasks.set(name, { fn, options: { ...(options ?? {}) } });
    return result;
  };
  // A bench file written for tinybench alone ends with `await bench.run()`: under perfgate that
  // would measure everything a second time, tinybench's way, at import. perfgate measures
  // itself, so the file's own runs return the (not run) tasks.
  const prototype = Bench.prototype as unknown as Record<string, unknown>;
  if (typeof prototype.run === 'function') {
    prototype.run = async function run(this: BenchLike) {
      return this.tasks;
    };
  }
  if (typeof prototype.runSync === 'function') {
    prototype.runSync = function runSync(this: BenchLike) {
      return this.tasks;
    };
  }
  return capture;
}

function isBenchLike(value: unknown): value is BenchLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BenchLike).add === 'function' &&
    Array.isArray((value as BenchLike).tasks)
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object')
    return `an object (${Object.keys(value).slice(0, 5).join(', ') || 'no keys'})`;
  return typeof value;
}

/**
 * The Benches of a bench module that have tasks: those of its default export first (a Bench, an
 * array of Benches, or a (async) function returning one of those), in that order, then every
 * other Bench the module filled while loading, in the order of their first add(). A default
 * export is optional: a file written for tinybench alone only creates Benches and runs them.
 */
export async function benchesOf(
  exports: Record<string, unknown>,
  capture: Capture,
): Promise<BenchLike[]> {
  const exported: BenchLike[] = [];
  if ('default' in exports && exports.default !== undefined) {
    let value: unknown = exports.default;
    if (
      typeof value === 'function' &&
      !(value.prototype instanceof capture.Bench) &&
      value !== capture.Bench
    ) {
      value = await (value as () => unknown)();
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item instanceof capture.Bench) {
        exported.push(item as BenchLike);
        continue;
      }
      if (isBenchLike(item)) {
        throw new BenchFileError(
          `the default export is a Bench from another copy of tinybench than ${capture.location} (the one this file resolves); import Bench from 'tinybench' in the bench file`,
        );
      }
      throw new BenchFileError(
        `the default export must be a tinybench Bench, an array of Benches or a function returning one; got ${describe(item)}`,
      );
    }
  } else if (capture.benches.length === 0) {
    throw new BenchFileError(
      `creates no tinybench Bench with tasks (with the tinybench at ${capture.location}): add tasks with bench.add(name, fn); a default export is not needed`,
    );
  }
  const benches = [...exported, ...capture.benches.filter((b) => !exported.includes(b))];
  return benches.filter((bench) => bench.tasks.length > 0);
}

/**
 * The group of a Bench's tasks in benchmark ids: its `name`, else its position when the file
 * has several Benches (so that tasks of two unnamed Benches never collide), else none.
 */
export function groupOf(bench: BenchLike, index: number, count: number): string | undefined {
  if (typeof bench.name === 'string' && bench.name !== '') return bench.name;
  return count > 1 ? `bench ${index + 1}` : undefined;
}

/** Tasks of one Bench in its own order (tasks removed with `bench.remove()` are left out). */
export function tasksOf(
  bench: BenchLike,
  capture: Capture,
  group: string | undefined,
): CapturedTask[] {
  const added = capture.added.get(bench) ?? new Map();
  return bench.tasks.map((entry) => {
    const recorded = added.get(entry.name);
    if (!recorded) {
      throw new BenchFileError(
        `task "${entry.name}" was not added through Bench.prototype.add, so perfgate cannot run it`,
      );
    }
    // tinybench calls hooks with `this` = the Task and the phase; perfgate's passes are 'run'.
    const self = bench.getTask?.(entry.name) ?? entry;
    const bind = (hook: Hook) => (hook ? () => hook.call(self, 'run') : undefined);
    const { fn, options } = recorded;
    const task: BenchTask = {
      name: entry.name,
      // The user function itself, no wrapper: a wrapper call would be timed with every op.
      fn: fn as () => unknown,
      beforeAll: bind(options.beforeAll),
      afterAll: bind(options.afterAll),
      beforeEach: bind(options.beforeEach),
      afterEach: bind(options.afterEach),
    };
    for (const key of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach'] as const) {
      if (task[key] === undefined) delete task[key];
    }
    const setup = bench.setup ?? bench.opts?.setup;
    const teardown = bench.teardown ?? bench.opts?.teardown;
    return {
      group,
      name: entry.name,
      task,
      setup: typeof setup === 'function' ? () => setup.call(bench, self, 'run') : undefined,
      teardown:
        typeof teardown === 'function' ? () => teardown.call(bench, self, 'run') : undefined,
    };
  });
}
