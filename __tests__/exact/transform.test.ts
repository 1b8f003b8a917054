import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instrumentModule } from '../../src/profile/exact/transform.js';
import { installRecorder, type ExactRecorder } from '../../src/profile/exact/recorder.js';

const dir = mkdtempSync(join(tmpdir(), 'perfgate-exact-'));
let counter = 0;

/** Instruments `source` as `src/<name>.mjs` and imports it, the recorder on. */
async function load(source: string): Promise<Record<string, unknown>> {
  const instrumented = instrumentModule(source, 'src/mod.mjs', 'module');
  if (!instrumented) throw new Error('nothing instrumented');
  const file = join(dir, `mod-${(counter += 1)}.mjs`);
  writeFileSync(file, instrumented.code);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

/** Instruments `source` as the CommonJS module `src/<name>.cjs` and require()s it, the recorder on. */
function requireScript(source: string): Record<string, unknown> {
  const instrumented = instrumentModule(source, 'src/mod.cjs', 'script');
  if (!instrumented) throw new Error('nothing instrumented');
  const file = join(dir, `mod-${(counter += 1)}.cjs`);
  writeFileSync(file, instrumented.code);
  return createRequire(import.meta.url)(file) as Record<string, unknown>;
}

function callsOf(recorder: ExactRecorder): Record<string, number> {
  return Object.fromEntries(recorder.snapshot().map((f) => [f.name, f.calls]));
}

let recorder: ExactRecorder;
beforeEach(() => {
  recorder = installRecorder();
  recorder.reset();
  recorder.on = true;
});
afterEach(() => {
  recorder.on = false;
});

describe('instrumentModule', () => {
  it('keeps every line number and names functions as a reviewer reads them', () => {
    const source = [
      'export async function getUsers(db) {',
      '  return db.all();',
      '}',
      'export const byId = (id) => ({ id });',
      'class Repo {',
      '  constructor(x) { this.x = x; }',
      '  get size() { return 1; }',
      '  find = () => this.x;',
      '  static *ids() { yield 1; }',
      '}',
      'export default function () { return new Repo(1); }',
    ].join('\n');
    const result = instrumentModule(source, 'src/users.mjs', 'module')!;
    expect(result.code.split('\n')).toHaveLength(source.split('\n').length);
    expect(result.functions).toEqual([
      { name: 'getUsers', line: 1 },
      { name: 'byId', line: 4 },
      { name: 'Repo.constructor', line: 6 },
      { name: 'get Repo.size', line: 7 },
      { name: 'Repo.find', line: 8 },
      { name: 'Repo.ids', line: 9 },
      { name: 'default', line: 11 },
    ]);
  });

  it('leaves a module that does not parse, or defines no function, alone', () => {
    expect(instrumentModule('export const = ;', 'a.mjs', 'module')).toBeUndefined();
    expect(instrumentModule('export const a = 1;', 'a.mjs', 'module')).toBeUndefined();
  });

  it('keeps "use strict" the first statement of a script and of a function', () => {
    const result = instrumentModule(
      '"use strict";\nfunction f() { "use strict"; return this; }\nmodule.exports = f;',
      'a.cjs',
      'script',
    )!;
    const f = new Function('module', result.code) as (m: { exports?: unknown }) => void;
    const m: { exports?: () => unknown } = {};
    f(m);
    // Still strict: `this` of a plain call is undefined.
    const plain = m.exports!;
    expect(plain()).toBeUndefined();
    expect(result.code.startsWith('"use strict";')).toBe(true);
  });

  it('counts each call of sync, async, recursive and generator functions', async () => {
    const mod = await load(
      [
        'export function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }',
        'export async function one(x) { await null; return x; }',
        'export async function all(n) { const out = []; for (let i = 0; i < n; i++) out.push(await one(i)); return out; }',
        'export function* gen() { yield 1; yield 2; }',
      ].join('\n'),
    );
    expect((mod.fib as (n: number) => number)(10)).toBe(55);
    expect(await (mod.all as (n: number) => Promise<number[]>)(5)).toEqual([0, 1, 2, 3, 4]);
    expect([...(mod.gen as () => Iterable<number>)()]).toEqual([1, 2]);
    // fib(10) makes 177 calls.
    expect(callsOf(recorder)).toEqual({ fib: 177, one: 5, all: 1, gen: 1 });
  });

  it('times an async call until its promise settles, also when it returns a promise', async () => {
    const mod = await load(
      [
        'const wait = (ms) => new Promise((r) => setTimeout(r, ms));',
        'export async function awaited() { await wait(30); return 1; }',
        'export function returned() { return wait(30).then(() => 2); }',
        'export async function handedOn() { return wait(30); }',
      ].join('\n'),
    );
    await Promise.all([
      (mod.awaited as () => Promise<number>)(),
      (mod.returned as () => Promise<number>)(),
      (mod.handedOn as () => Promise<unknown>)(),
    ]);
    const byName = new Map(recorder.snapshot().map((f) => [f.name, f]));
    // Wide margin: only "not 0, as a sync return would give" is asserted.
    for (const name of ['awaited', 'returned', 'handedOn'])
      expect(byName.get(name)!.inclusiveMs).toBeGreaterThan(20);
  });

  it('does not add the time of recursive or overlapping calls twice', async () => {
    const mod = await load(
      [
        'const wait = (ms) => new Promise((r) => setTimeout(r, ms));',
        'export async function fetchOne() { await wait(40); }',
        'export async function down(n) { if (n > 0) await down(n - 1); else await wait(40); }',
      ].join('\n'),
    );
    await Promise.all(Array.from({ length: 10 }, () => (mod.fetchOne as () => Promise<void>)()));
    await (mod.down as (n: number) => Promise<void>)(5);
    const byName = new Map(recorder.snapshot().map((f) => [f.name, f]));
    expect(byName.get('fetchOne')!.calls).toBe(10);
    expect(byName.get('down')!.calls).toBe(6);
    // 10 overlapping 40 ms calls, 6 nested ones: about 40 ms each, far from 400 / 240.
    expect(byName.get('fetchOne')!.inclusiveMs).toBeLessThan(200);
    expect(byName.get('down')!.inclusiveMs).toBeLessThan(200);
  });

  it('keeps this, new.target, super, arguments, getters, classes and thrown errors', async () => {
    const mod = await load(
      [
        'export class Base { constructor(a) { this.a = a; this.made = new.target.name; } who() { return "base"; } }',
        'export class Derived extends Base {',
        '  constructor(a, b) { super(a); this.b = b; }',
        '  who() { return "derived of " + super.who(); }',
        '  get sum() { return this.a + this.b; }',
        '  set sum(v) { this.b = v - this.a; }',
        '  static create() { return new this(1, 2); }',
        '}',
        'export function count() { return arguments.length; }',
        'export function Legacy(x) { if (!new.target) return new Legacy(x); this.x = x; }',
        'export const top = this;',
        'export const obj = { n: 2, twice() { return this.n * 2; }, arrow: () => this };',
        'export function fails() { throw new TypeError("no"); }',
        'export async function rejects() { throw new RangeError("late"); }',
      ].join('\n'),
    );
    const Derived = mod.Derived as { create(): { who(): string; sum: number; made: string } };
    const d = Derived.create();
    expect(d.who()).toBe('derived of base');
    expect(d.made).toBe('Derived');
    expect(d.sum).toBe(3);
    d.sum = 10;
    expect(d.sum).toBe(10);
    expect((mod.count as (...a: number[]) => number)(1, 2, 3)).toBe(3);
    expect(((mod.Legacy as (x: number) => { x: number })(4) as { x: number }).x).toBe(4);
    const obj = mod.obj as { twice(): number; arrow(): unknown };
    expect(obj.twice()).toBe(4);
    // An arrow's `this` is still the module's, not the object it is called on.
    expect(obj.arrow()).toBe(mod.top);
    expect(() => (mod.fails as () => void)()).toThrow(TypeError);
    await expect((mod.rejects as () => Promise<void>)()).rejects.toThrow(RangeError);
    const calls = callsOf(recorder);
    expect(calls['Derived.constructor']).toBe(1);
    expect(calls['Base.constructor']).toBe(1);
    expect(calls['get Derived.sum']).toBe(2);
    expect(calls['set Derived.sum']).toBe(1);
    expect(calls.Legacy).toBe(2);
    expect(calls.fails).toBe(1);
    expect(calls.rejects).toBe(1);
    // Every call ended (none left in flight by a throw or a rejection).
    recorder.reset();
    expect(recorder.snapshot()).toEqual([]);
  });

  it('keeps hoisting, default exports and live bindings of exports', async () => {
    const mod = await load(
      [
        'export let state = 0;',
        'export function bump() { state += 1; return helper(); function helper() { return state; } }',
        'export default async () => early();',
        'function early() { return "hoisted"; }',
        'export const self = () => ({ same: self });',
      ].join('\n'),
    );
    expect((mod.bump as () => number)()).toBe(1);
    expect(mod.state).toBe(1);
    expect(await (mod.default as () => Promise<string>)()).toBe('hoisted');
    const self = mod.self as () => { same: unknown };
    expect(self().same).toBe(self);
    expect(callsOf(recorder)).toMatchObject({ bump: 1, helper: 1, default: 1, early: 1, self: 1 });
  });

  it('counts functions with an empty body', async () => {
    const mod = await load(
      [
        'export function noop() {}',
        'export const arrow = () => {};',
        'export class Empty { constructor() {} m() {"use strict"} }',
      ].join('\n'),
    );
    (mod.noop as () => void)();
    (mod.arrow as () => void)();
    new (mod.Empty as new () => { m(): void })().m();
    const script = requireScript('exports.empty = function () {};');
    (script.empty as () => void)();
    expect(callsOf(recorder)).toEqual({
      noop: 1,
      arrow: 1,
      'Empty.constructor': 1,
      'Empty.m': 1,
      empty: 1,
    });
  });

  it('records who called whom in the callers round, across awaits', async () => {
    const mod = await load(
      [
        'const tick = () => new Promise((r) => setTimeout(r, 1));',
        'export async function getUserDetails(id) { await tick(); return format(id); }',
        'function format(id) { return { id }; }',
        'export async function getUsers(n) {',
        '  const out = [];',
        '  for (let i = 0; i < n; i++) out.push(await getUserDetails(i));',
        '  await Promise.all([1, 2].map((x) => getUserDetails(x)));',
        '  return tick().then(() => format(-1));',
        '}',
        'export async function other() { try { await Promise.reject(new Error("x")); } catch { return format(0); } }',
        'export function* ids() { yield 1; }',
        'export const arrow = async () => format(await tick());',
      ].join('\n'),
    );
    recorder.startCallers();
    const task = async () => {
      const users = await (mod.getUsers as (n: number) => Promise<unknown>)(3);
      // The task's own code after an await: no project function is running.
      await (mod.other as () => Promise<unknown>)();
      for (const id of (mod.ids as () => Iterable<number>)()) void id;
      await (mod.arrow as () => Promise<unknown>)();
      return users;
    };
    // Two "tasks" at once: each one's calls are charged to its own callers.
    await Promise.all([task(), task()]);
    const edges = recorder.stopCallers();
    const name = (f: { name: string; line: number } | undefined) =>
      f ? `${f.name}:${f.line}` : '(task)';
    const byEdge = Object.fromEntries(
      edges.map((e) => [`${name(e.caller)} → ${name(e.callee)}`, e.calls]),
    );
    expect(byEdge).toEqual({
      '(task) → getUsers:4': 2,
      '(task) → other:10': 2,
      '(task) → ids:11': 2,
      'getUsers:4 → getUserDetails:2': 6,
      'getUsers:4 → (anonymous in getUsers):7': 4,
      '(anonymous in getUsers):7 → getUserDetails:2': 4,
      'getUserDetails:2 → tick:1': 10,
      'tick:1 → (anonymous in tick):1': 14,
      // After its await, getUserDetails is still the caller.
      'getUserDetails:2 → format:3': 10,
      'getUsers:4 → tick:1': 2,
      // A callback run by a promise keeps the context of the function that made the promise.
      'getUsers:4 → (anonymous in getUsers):8': 2,
      '(anonymous in getUsers):8 → format:3': 2,
      'other:10 → format:3': 2,
      // An arrow with an expression body: resumed as itself too.
      '(task) → arrow:12': 2,
      'arrow:12 → tick:1': 2,
      'arrow:12 → format:3': 2,
    });
    // The round counted nothing, and the storage is off: calls now are counted again.
    expect(recorder.snapshot()).toEqual([]);
    await (mod.other as () => Promise<unknown>)();
    expect(callsOf(recorder)).toEqual({ other: 1, format: 1 });
  });

  it('follows for await loops in the callers round, and leaves them as they were off', async () => {
    const source = [
      'const tick = () => new Promise((r) => setTimeout(r, 1));',
      'async function* rows() { for (let i = 0; i < 3; i++) { await tick(); yield i; } }',
      'function format(x) { return x; }',
      'export async function each() {',
      '  const out = [];',
      '  outer: for await (const row of rows()) { out.push(format(row)); if (row === 1) continue outer; }',
      '  for await (const v of [tick().then(() => 7), 8]) out.push(v);',
      '  for await (const row of rows()) if (row === 1) break;',
      '  return format(out);',
      '}',
      'export async function caller() { const p = each(); format(-1); await tick(); format(-2); return p; }',
    ].join('\n');
    const mod = await load(source);
    // Recorder on, not the callers round: the loops work as written.
    expect(await (mod.caller as () => Promise<number[]>)()).toEqual([0, 1, 2, 7, 8]);
    recorder.startCallers();
    const result = await (mod.caller as () => Promise<number[]>)();
    const edges = recorder.stopCallers();
    expect(result).toEqual([0, 1, 2, 7, 8]);
    const byEdge = Object.fromEntries(
      edges.map((e) => [`${e.caller?.name ?? '(task)'} → ${e.callee.name}`, e.calls]),
    );
    // each's loops suspend: caller's own calls meanwhile stay caller's; each's after them, each's.
    expect(byEdge).toMatchObject({
      '(task) → caller': 1,
      'caller → each': 1,
      'caller → format': 2,
      'each → rows': 2,
      'each → format': 4,
    });
    recorder.on = false;
    expect(await (mod.caller as () => Promise<number[]>)()).toEqual([0, 1, 2, 7, 8]);
  });

  it('counts nothing while the recorder is off', async () => {
    recorder.on = false;
    const mod = await load('export function f(x) { return x + 1; }');
    expect((mod.f as (x: number) => number)(1)).toBe(2);
    expect(recorder.snapshot()).toEqual([]);
  });
});

describe('instrumentModule on CommonJS', () => {
  it('names functions as the module exports them, on their lines', () => {
    const source = [
      'module.exports = function (a) { return a; };',
      'exports.find = function (id) { return id; };',
      'module.exports.save = async (row) => row;',
      'function Repo(db) { this.db = db; }',
      'Repo.prototype.all = function () { return this.db; };',
      'exports.Cache = class { get(k) { return k; } };',
      'Object.defineProperty(exports, "query", { enumerable: true, get: function () { return 1; } });',
      'exports.handler = function handle() {};',
    ].join('\n');
    const result = instrumentModule(source, 'src/users.js', 'script')!;
    expect(result.code.split('\n')).toHaveLength(8);
    expect(result.functions).toEqual([
      { name: 'module.exports', line: 1 },
      { name: 'find', line: 2 },
      { name: 'save', line: 3 },
      { name: 'Repo', line: 4 },
      { name: 'Repo.all', line: 5 },
      { name: 'Cache.get', line: 6 },
      { name: 'get query', line: 7 },
      { name: 'handle', line: 8 },
    ]);
  });

  it("keeps the module wrapper's this, arguments, require and return, and sloppy mode", () => {
    const mod = requireScript(
      [
        'exports.top = this;',
        'exports.arrowThis = () => this;',
        'exports.wrapperArgs = arguments.length;',
        'exports.required = typeof require("node:path").join;',
        'exports.sloppy = function () { return this; };',
        'exports.count = function () { return arguments.length; };',
        'exports.mapped = function (a) { arguments[0] = 2; return a; };',
        'exports.early = () => later();',
        'function later() { return "hoisted"; }',
        'if (exports.top === module.exports) return;',
        'exports.unreached = true;',
      ].join('\n'),
    );
    expect(mod.top).toBe(mod);
    expect((mod.arrowThis as () => unknown)()).toBe(mod);
    // Node's wrapper passes exports, require, module, __filename, __dirname.
    expect(mod.wrapperArgs).toBe(5);
    expect(mod.required).toBe('function');
    // A plain call (not a method call): sloppy mode's `this` is the global object.
    const sloppy = mod.sloppy as () => unknown;
    expect(sloppy()).toBe(globalThis);
    expect((mod.count as (...a: number[]) => number)(1, 2, 3)).toBe(3);
    // Sloppy mode's mapped arguments: writing arguments[0] writes the parameter.
    expect((mod.mapped as (a: number) => number)(1)).toBe(2);
    expect((mod.early as () => string)()).toBe('hoisted');
    expect(mod.unreached).toBeUndefined();
    expect(callsOf(recorder)).toEqual({
      arrowThis: 1,
      sloppy: 1,
      count: 1,
      mapped: 1,
      early: 1,
      later: 1,
    });
  });

  it('counts constructor functions, prototype methods and classes, called with new or not', () => {
    const mod = requireScript(
      [
        'function Greeter(prefix) {',
        '  if (!(this instanceof Greeter)) return new Greeter(prefix);',
        '  this.prefix = prefix;',
        '}',
        'Greeter.prototype.greet = function (name) { return this.prefix + name; };',
        'class Loud extends Greeter { greet(name) { return super.greet(name).toUpperCase(); } }',
        'module.exports = { Greeter, Loud };',
      ].join('\n'),
    );
    type G = { greet(name: string): string };
    const Greeter = mod.Greeter as ((p: string) => G) & (new (p: string) => G);
    const Loud = mod.Loud as new (p: string) => G;
    expect(Greeter('> ').greet('ann')).toBe('> ann');
    expect(new Greeter('# ').greet('bo')).toBe('# bo');
    expect(new Loud('! ').greet('cy')).toBe('! CY');
    expect(callsOf(recorder)).toEqual({ Greeter: 4, 'Greeter.greet': 3, 'Loud.greet': 1 });
  });

  it("leaves out the TypeScript compiler's helpers and counts the code they run", async () => {
    const mod = requireScript(
      [
        '"use strict";',
        'var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {',
        '    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }',
        '    return new (P || (P = Promise))(function (resolve, reject) {',
        '        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }',
        '        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }',
        '        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }',
        '        step((generator = generator.apply(thisArg, _arguments || [])).next());',
        '    });',
        '};',
        'var __importDefault = (this && this.__importDefault) || function (mod) {',
        '    return (mod && mod.__esModule) ? mod : { "default": mod };',
        '};',
        'Object.defineProperty(exports, "__esModule", { value: true });',
        'exports.twice = twice;',
        'const path_1 = __importDefault(require("node:path"));',
        'function twice(x) {',
        '    return __awaiter(this, void 0, void 0, function* () {',
        '        const a = yield Promise.resolve(x);',
        '        return path_1.default.join(String(a), String(a));',
        '    });',
        '}',
      ].join('\n'),
    );
    expect(await (mod.twice as (x: number) => Promise<string>)(4)).toBe('4/4');
    expect(callsOf(recorder)).toEqual({ twice: 1, '(anonymous in twice)': 1 });
  });

  it('counts a function whose body cannot become a block, without timing it', () => {
    const source = [
      'exports.shadowed = function () { var helper; function helper() { return 1; } return helper(); };',
      'exports.twice = function () { function pick() { return 1; } function pick() { return 2; } return pick(); };',
      'exports.nested = function () { for (var i = 0; i < 1; i++) {} function i() {} return typeof i; };',
    ].join('\n');
    const mod = requireScript(source);
    expect((mod.shadowed as () => number)()).toBe(1);
    expect((mod.twice as () => number)()).toBe(2);
    expect((mod.nested as () => string)()).toBe('number');
    const byName = new Map(recorder.snapshot().map((f) => [f.name, f]));
    expect(byName.get('shadowed')).toMatchObject({ calls: 1, inclusiveMs: 0 });
    expect(byName.get('twice')).toMatchObject({ calls: 1, inclusiveMs: 0 });
    expect(byName.get('nested')).toMatchObject({ calls: 1, inclusiveMs: 0 });
    expect(byName.get('helper')!.calls).toBe(1);
    expect(byName.get('pick')!.calls).toBe(1);
  });

  it('keeps a directive written without a semicolon (StandardJS style)', () => {
    const mod = requireScript(
      [
        "'use strict'",
        'exports.strict = function () { return this }',
        'exports.inner = function () { "use strict"',
        '  return this',
        '}',
      ].join('\n'),
    );
    const strict = mod.strict as () => unknown;
    const inner = mod.inner as () => unknown;
    expect(strict()).toBeUndefined();
    expect(inner()).toBeUndefined();
    expect(callsOf(recorder)).toEqual({ strict: 1, inner: 1 });
  });

  it('never instruments a module twice', () => {
    const once = instrumentModule('exports.f = function () {};', 'src/a.js', 'script')!;
    expect(instrumentModule(once.code, 'src/a.js', 'script')).toBeUndefined();
    expect(instrumentModule(once.code, 'src/a.js', 'module')).toBeUndefined();
  });
});
