import { createRequire as __perfgateCreateRequire } from 'node:module'; const require = __perfgateCreateRequire(import.meta.url);

// src/runner/child.ts
import { register } from "node:module";
import { pathToFileURL as pathToFileURL2 } from "node:url";

// src/model/errors.ts
var InputError = class extends Error {
  constructor(message, file) {
    super(file ? `${file}: ${message}` : message);
    this.file = file;
    this.name = "InputError";
  }
  file;
};
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

// src/runner/capture-tasks.ts
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
var AsyncFunction = (async () => void 0).constructor;
function isAsyncFunction(fn) {
  return typeof fn === "function" && fn.constructor === AsyncFunction;
}
var BenchFileError = class extends Error {
};
function importTarget(exports) {
  if (typeof exports === "string") return exports;
  if (Array.isArray(exports)) {
    for (const item of exports) {
      const target = importTarget(item);
      if (target) return target;
    }
    return void 0;
  }
  if (typeof exports !== "object" || exports === null) return void 0;
  const record = exports;
  if ("." in record) return importTarget(record["."]);
  for (const condition of ["node", "import", "default"]) {
    if (condition in record) {
      const target = importTarget(record[condition]);
      if (target) return target;
    }
  }
  return void 0;
}
function esmEntry(requireResolved) {
  for (let dir = dirname(requireResolved); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    try {
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      if (pkg.name !== "tinybench") continue;
      const target = importTarget(pkg.exports) ?? (typeof pkg.module === "string" ? pkg.module : void 0);
      return target ? join(dir, target) : void 0;
    } catch {
      return void 0;
    }
  }
  return void 0;
}
async function captureTinybench(benchFile) {
  let location;
  try {
    location = createRequire(benchFile).resolve("tinybench");
  } catch {
    throw new BenchFileError(
      `cannot resolve 'tinybench' from ${dirname(benchFile)}: install it in the project (npm install --save-dev tinybench)`
    );
  }
  location = esmEntry(location) ?? location;
  const module = await import(pathToFileURL(location).href);
  const Bench = module.Bench;
  if (typeof Bench !== "function" || typeof Bench.prototype?.add !== "function") {
    throw new BenchFileError(
      `the tinybench at ${location} has no Bench class with add(): perfgate needs tinybench's Bench API (written for tinybench 6)`
    );
  }
  const added = /* @__PURE__ */ new WeakMap();
  const capture = { Bench, location, added, benches: [] };
  const original = Bench.prototype.add;
  Bench.prototype.add = function add(name, fn, options) {
    const isAsync = options?.async ?? isAsyncFunction(fn);
    const standIn = isAsync ? async () => void 0 : () => void 0;
    const result = original.call(this, name, standIn, { ...options, async: isAsync });
    let tasks = added.get(this);
    if (!tasks) {
      added.set(this, tasks = /* @__PURE__ */ new Map());
      capture.benches.push(this);
    }
    tasks.set(name, { fn, options: { ...options ?? {} } });
    return result;
  };
  const prototype = Bench.prototype;
  if (typeof prototype.run === "function") {
    prototype.run = async function run() {
      return this.tasks;
    };
  }
  if (typeof prototype.runSync === "function") {
    prototype.runSync = function runSync() {
      return this.tasks;
    };
  }
  return capture;
}
function isBenchLike(value) {
  return typeof value === "object" && value !== null && typeof value.add === "function" && Array.isArray(value.tasks);
}
function describe(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object")
    return `an object (${Object.keys(value).slice(0, 5).join(", ") || "no keys"})`;
  return typeof value;
}
async function benchesOf(exports, capture) {
  const exported = [];
  if ("default" in exports && exports.default !== void 0) {
    let value = exports.default;
    if (typeof value === "function" && !(value.prototype instanceof capture.Bench) && value !== capture.Bench) {
      value = await value();
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item instanceof capture.Bench) {
        exported.push(item);
        continue;
      }
      if (isBenchLike(item)) {
        throw new BenchFileError(
          `the default export is a Bench from another copy of tinybench than ${capture.location} (the one this file resolves); import Bench from 'tinybench' in the bench file`
        );
      }
      throw new BenchFileError(
        `the default export must be a tinybench Bench, an array of Benches or a function returning one; got ${describe(item)}`
      );
    }
  } else if (capture.benches.length === 0) {
    throw new BenchFileError(
      `creates no tinybench Bench with tasks (with the tinybench at ${capture.location}): add tasks with bench.add(name, fn); a default export is not needed`
    );
  }
  const benches = [...exported, ...capture.benches.filter((b) => !exported.includes(b))];
  return benches.filter((bench) => bench.tasks.length > 0);
}
function groupOf(bench, index, count) {
  if (typeof bench.name === "string" && bench.name !== "") return bench.name;
  return count > 1 ? `bench ${index + 1}` : void 0;
}
function tasksOf(bench, capture, group) {
  const added = capture.added.get(bench) ?? /* @__PURE__ */ new Map();
  return bench.tasks.map((entry) => {
    const recorded = added.get(entry.name);
    if (!recorded) {
      throw new BenchFileError(
        `task "${entry.name}" was not added through Bench.prototype.add, so perfgate cannot run it`
      );
    }
    const self = bench.getTask?.(entry.name) ?? entry;
    const bind = (hook) => hook ? () => hook.call(self, "run") : void 0;
    const { fn, options } = recorded;
    const task = {
      name: entry.name,
      // The user function itself, no wrapper: a wrapper call would be timed with every op.
      fn,
      beforeAll: bind(options.beforeAll),
      afterAll: bind(options.afterAll),
      beforeEach: bind(options.beforeEach),
      afterEach: bind(options.afterEach)
    };
    for (const key of ["beforeAll", "afterAll", "beforeEach", "afterEach"]) {
      if (task[key] === void 0) delete task[key];
    }
    const setup = bench.setup ?? bench.opts?.setup;
    const teardown = bench.teardown ?? bench.opts?.teardown;
    return {
      group,
      name: entry.name,
      task,
      setup: typeof setup === "function" ? () => setup.call(bench, self, "run") : void 0,
      teardown: typeof teardown === "function" ? () => teardown.call(bench, self, "run") : void 0
    };
  });
}

// src/model/filter.ts
function makeIdFilter(pattern) {
  if (pattern === void 0 || pattern === "") return () => true;
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  if (!regex) return (id) => id.includes(pattern);
  let compiled;
  try {
    compiled = new RegExp(regex[1], regex[2].replace(/[gy]/g, ""));
  } catch (error) {
    throw new InputError(`invalid --filter regex ${pattern}: ${error.message}`);
  }
  return (id) => compiled.test(id);
}

// src/runner/ids.ts
function benchmarkId(file, group, name) {
  return group ? `${file} > ${group} > ${name}` : `${file} > ${name}`;
}
function uniqueIds(ids) {
  const seen = /* @__PURE__ */ new Set();
  const renamed = [];
  const result = ids.map((id) => {
    if (!seen.has(id)) {
      seen.add(id);
      return id;
    }
    let k = 2;
    while (seen.has(`${id} #${k}`)) k++;
    const unique = `${id} #${k}`;
    seen.add(unique);
    renamed.push([id, unique]);
    return unique;
  });
  return { ids: result, renamed };
}

// src/stats/summary.ts
var T95 = [
  12.7062,
  4.3027,
  3.1824,
  2.7764,
  2.5706,
  2.4469,
  2.3646,
  2.306,
  2.2622,
  2.2281,
  2.201,
  2.1788,
  2.1604,
  2.1448,
  2.1314,
  2.1199,
  2.1098,
  2.1009,
  2.093,
  2.086,
  2.0796,
  2.0739,
  2.0687,
  2.0639,
  2.0595,
  2.0555,
  2.0518,
  2.0484,
  2.0452,
  2.0423
];
var Z975 = 1.959963984540054;
function tCritical95(df) {
  if (!(df >= 1)) return Number.NaN;
  if (df <= T95.length) return T95[Math.floor(df) - 1];
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}
function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}
function summarize(samples) {
  const n = samples.length;
  if (n === 0) return { n: 0, mean: 0, median: 0, min: 0, max: 0, sd: 0, p99: 0, rme: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  let sum = 0;
  for (const value of sorted) sum += value;
  const mean = sum / n;
  let squares = 0;
  for (const value of sorted) squares += (value - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const moe = n > 1 ? tCritical95(n - 1) * sd / Math.sqrt(n) : 0;
  return {
    n,
    mean,
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[n - 1],
    sd,
    p99: quantile(sorted, 0.99),
    rme: mean !== 0 ? Math.abs(moe / mean * 100) : 0
  };
}

// src/hooks/thenable.ts
function isThenable(value) {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof value.then === "function";
}

// src/hooks/operation.ts
var OPERATION_URL = import.meta.url;
function runOperation(task, operation) {
  const before = task.beforeEach?.();
  if (isThenable(before)) return finishAfterBefore(before, task, operation);
  const result = operation ? operation() : task.fn();
  if (isThenable(result)) return finishAfterOperation(result, task);
  const after = task.afterEach?.();
  return isThenable(after) ? Promise.resolve(after).then(() => void 0) : void 0;
}
async function finishAfterBefore(before, task, operation) {
  await before;
  const result = operation ? operation() : task.fn();
  if (isThenable(result)) await result;
  const after = task.afterEach?.();
  if (isThenable(after)) await after;
}
async function finishAfterOperation(result, task) {
  await result;
  const after = task.afterEach?.();
  if (isThenable(after)) await after;
}

// src/runner/timing.ts
var hrtimeOrigin = process.hrtime.bigint();
var hrtimeNs = () => Number(process.hrtime.bigint() - hrtimeOrigin);
var MIN_ROUND_NS = 1e6;
var MAX_OPS_PER_ROUND = 2 ** 30;
var MIN_WARMUP_ROUNDS = 3;
function roundTargetNs(options) {
  return Math.max(MIN_ROUND_NS, options.time * 1e6 / options.maxSamples);
}
function nextOpsPerRound(ops, elapsed, target) {
  const grown = elapsed > 0 ? Math.ceil(ops * target * 1.1 / elapsed) : ops * 10;
  return Math.min(MAX_OPS_PER_ROUND, Math.max(ops + 1, Math.min(grown, ops * 100)));
}
var sink;
function timerOverheadNs(clock, pairs = 2e3) {
  const deltas = [];
  for (let i = 0; i < pairs; i++) {
    const start = clock();
    deltas.push(clock() - start);
  }
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(deltas.length / 2)];
}
function makeRound(task, async, clock) {
  const { fn, beforeEach, afterEach } = task;
  if (beforeEach || afterEach) {
    const overhead = timerOverheadNs(clock);
    return async (ops) => {
      let total = 0;
      for (let i = 0; i < ops; i++) {
        if (beforeEach) {
          const before = beforeEach();
          if (isThenable(before)) await before;
        }
        const start = clock();
        const result = fn();
        if (async && isThenable(result)) await result;
        total += clock() - start;
        sink = result;
        if (afterEach) {
          const after = afterEach();
          if (isThenable(after)) await after;
        }
      }
      return Math.max(0, total - ops * overhead);
    };
  }
  if (async) {
    return async (ops) => {
      const start = clock();
      for (let i = 0; i < ops; i++) sink = await fn();
      return clock() - start;
    };
  }
  return (ops) => {
    const start = clock();
    for (let i = 0; i < ops; i++) sink = fn();
    return clock() - start;
  };
}
async function measureTiming(task, options, clock = hrtimeNs) {
  const target = roundTargetNs(options);
  let async = false;
  const firstCall = runOperation(task, () => {
    const first = task.fn();
    async = isThenable(first);
    sink = first;
    return first;
  });
  if (firstCall) await firstCall;
  const round = makeRound(task, async, clock);
  const run = async (ops2) => {
    const elapsed = round(ops2);
    return typeof elapsed === "number" ? elapsed : await elapsed;
  };
  let ops = 1;
  const warmupEnd = clock() + options.warmup * 1e6;
  for (let rounds2 = 1; ; rounds2++) {
    const start = clock();
    await run(ops);
    const wall = clock() - start;
    if (wall < target && ops < MAX_OPS_PER_ROUND) {
      ops = nextOpsPerRound(ops, wall, target);
      continue;
    }
    if (clock() >= warmupEnd && (rounds2 >= MIN_WARMUP_ROUNDS || wall >= 20 * target)) break;
  }
  const samples = [];
  const end = clock() + options.time * 1e6;
  while (samples.length < options.minSamples || clock() < end) {
    samples.push(await run(ops) / ops);
  }
  const rounds = samples.length;
  if (samples.length > options.maxSamples) samples.splice(0, samples.length - options.maxSamples);
  return { samples, opsPerSample: ops, rounds };
}

// src/runner/run-task.ts
async function call(hook) {
  if (!hook) return;
  const result = hook();
  if (isThenable(result)) await result;
}
function describeError(error) {
  const message = messageOf(error);
  const stack = error instanceof Error ? error.stack ?? "" : "";
  const frame = stack.split("\n").slice(1).map((line) => line.trim()).find(
    (line) => line.startsWith("at ") && !line.includes("/dist/child.js") && !line.includes("/dist/child-passes.js") && !line.includes("/src/runner/") && !line.includes("node:")
  );
  return frame ? `${message} (${frame})` : message;
}
async function withTaskHooks(captured, body) {
  const { beforeAll, afterAll, ...perOp } = captured.task;
  let setUp = false;
  let beforeAllDone = false;
  let error;
  try {
    await call(captured.setup);
    setUp = true;
    await call(beforeAll);
    beforeAllDone = true;
    await body(perOp);
  } catch (taskError) {
    error = describeError(taskError);
  } finally {
    try {
      if (beforeAllDone) await call(afterAll);
    } catch (afterAllError) {
      error ??= `afterAll: ${describeError(afterAllError)}`;
    }
    try {
      if (setUp) await call(captured.teardown);
    } catch (teardownError) {
      error ??= `teardown: ${describeError(teardownError)}`;
    }
  }
  return error;
}
async function timeTask(job, captured, id, send2) {
  const benchmark = {
    id,
    name: captured.name,
    file: job.relativeFile,
    ...captured.group !== void 0 ? { group: captured.group } : {},
    unit: "ns",
    direction: "smaller",
    samples: [],
    stats: summarize([])
  };
  const error = await withTaskHooks(captured, async (task) => {
    await send2({ type: "pass", task: id, pass: "timing" });
    globalThis.gc?.();
    const timing = await measureTiming(task, job.config.run);
    benchmark.samples = timing.samples;
    benchmark.opsPerSample = timing.opsPerSample;
    benchmark.stats = summarize(timing.samples);
  });
  if (error !== void 0) {
    return {
      benchmark: {
        ...benchmark,
        error,
        samples: [],
        stats: summarize([]),
        opsPerSample: void 0
      },
      error
    };
  }
  return { benchmark, medianNs: benchmark.stats.median };
}
async function instrumentTask(job, captured, timed, send2, passes) {
  const benchmark = { ...timed };
  const ctx = {
    benchmarkId: timed.id,
    benchFile: job.file,
    projectRoot: job.projectRoot,
    outDir: job.outDir,
    medianNs: timed.stats.median
  };
  const error = await withTaskHooks(captured, async (task) => {
    for (const pass of passes) {
      await send2({ type: "pass", task: timed.id, pass: pass.name });
      try {
        const attached = await pass.run(task, ctx);
        if (attached) Object.assign(benchmark, attached);
      } catch (passError) {
        await send2({
          type: "warning",
          task: timed.id,
          message: `${pass.name} pass failed, no ${pass.name} data for this benchmark: ${describeError(passError)}`
        });
      }
    }
  });
  if (error === void 0) return benchmark;
  await send2({
    type: "warning",
    task: timed.id,
    message: `profile/queries/memory passes stopped, timing kept: ${error}`
  });
  return timed;
}

// src/runner/child.ts
function loadChildPasses() {
  return import(new URL("./child-passes.js", import.meta.url).href);
}
function send(message) {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error("perfgate bench child needs an IPC channel"));
    process.send(message, void 0, {}, (error) => error ? reject(error) : resolve());
  });
}
function registerTypeScript() {
  if (typeof register !== "function") {
    throw new BenchFileError(
      `TypeScript bench files need Node >= 20.6 (module.register); this is ${process.version}`
    );
  }
  register(new URL("./ts-loader.js", import.meta.url));
}
function silenceConsoleTable() {
  console.table = () => void 0;
}
async function runFile(job) {
  const matches = makeIdFilter(job.filter);
  let tasks;
  let kinds;
  try {
    if (job.instrumented !== false) kinds = await loadChildPasses();
    if (/\.(?:ts|mts|cts)$/.test(job.file)) registerTypeScript();
    await kinds?.prepareKinds(job.file, job.config, send);
    const capture = await captureTinybench(job.file);
    silenceConsoleTable();
    let exports;
    try {
      exports = await import(pathToFileURL2(job.file).href);
    } catch (error) {
      process.stderr.write(
        `${error instanceof Error ? error.stack ?? error.message : String(error)}
`
      );
      throw new BenchFileError(`failed to load: ${describeError(error)}`);
    }
    const benches = await benchesOf(exports, capture);
    const all = benches.flatMap(
      (bench, i) => tasksOf(bench, capture, groupOf(bench, i, benches.length))
    );
    if (all.length === 0)
      await send({ type: "warning", message: "the Bench has no tasks (bench.add(name, fn))" });
    const { ids, renamed } = uniqueIds(
      all.map((c) => benchmarkId(job.relativeFile, c.group, c.name))
    );
    for (const [id, unique] of renamed) {
      await send({
        type: "warning",
        task: unique,
        message: `duplicate benchmark id "${id}" renamed to "${unique}"`
      });
    }
    tasks = all.map((captured, i) => ({ captured, id: ids[i] })).filter((t) => matches(t.id));
  } catch (error) {
    await send({
      type: "file-error",
      message: error instanceof BenchFileError ? error.message : describeError(error)
    });
    return;
  }
  const timed = [];
  for (const { captured, id } of tasks) {
    await send({
      type: "task-start",
      task: id,
      name: captured.name,
      ...captured.group !== void 0 ? { group: captured.group } : {}
    });
    const { benchmark, medianNs, error } = await timeTask(job, captured, id, send);
    await send({ type: "benchmark", benchmark });
    await send({
      type: "task-end",
      task: id,
      ...medianNs !== void 0 ? { medianNs } : {},
      ...error ? { error } : {}
    });
    if (!error) timed.push({ captured, benchmark });
  }
  const passes = kinds?.instrumentedPasses(job.config) ?? [];
  if (passes.length === 0) return;
  for (const { captured, benchmark } of timed) {
    const phase = "passes";
    await send({
      type: "task-start",
      task: benchmark.id,
      name: captured.name,
      ...captured.group !== void 0 ? { group: captured.group } : {},
      phase
    });
    const instrumented = await instrumentTask(job, captured, benchmark, send, passes);
    await send({ type: "benchmark", benchmark: instrumented });
    await send({ type: "task-end", task: benchmark.id, phase });
  }
}
if (!process.send) {
  process.stderr.write(
    "perfgate: dist/child.js runs bench files for perfgate; run `perfgate run` instead\n"
  );
  process.exit(2);
}
function flushed(stream) {
  return new Promise((resolve) => stream.write("", () => resolve()));
}
var UNSETTLED_EXIT_CODE = 13;
var finished = false;
process.on("beforeExit", () => {
  if (finished) return;
  finished = true;
  void send({ type: "unsettled" }).finally(() => process.exit(UNSETTLED_EXIT_CODE));
});
process.once("message", (message) => {
  void (async () => {
    await send({ type: "hello", node: process.version });
    await runFile(message);
    finished = true;
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    await send({ type: "done" });
    setTimeout(() => process.exit(0), 5e3);
  })().catch((error) => {
    process.stderr.write(`perfgate bench child: ${messageOf(error)}
`);
    process.exit(70);
  });
});
