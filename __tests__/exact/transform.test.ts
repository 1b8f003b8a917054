import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('counts nothing while the recorder is off', async () => {
    recorder.on = false;
    const mod = await load('export function f(x) { return x + 1; }');
    expect((mod.f as (x: number) => number)(1)).toBe(2);
    expect(recorder.snapshot()).toEqual([]);
  });
});
