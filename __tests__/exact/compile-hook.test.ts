// The CommonJS compile hook on real require() calls: a project's modules are instrumented,
// never node_modules, perfgate's own folder or the bench file; uninstalled, no module is.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installCompileHook } from '../../src/profile/exact/compile-hook.js';
import { installRecorder, type ExactRecorder } from '../../src/profile/exact/recorder.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'perfgate-compile-hook-')));
const require = createRequire(import.meta.url);

function write(file: string, source: string): string {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, source);
  return path;
}

const fn = (exports: Record<string, unknown>, name: string) =>
  exports[name] as (...args: number[]) => number;

let recorder: ExactRecorder;
let uninstall: () => void;
beforeAll(() => {
  write('package.json', '{ "type": "commonjs" }');
  write(
    'src/a.js',
    "const b = require('./b.cjs');\nexports.twice = function (x) { return b.add(x, x); };",
  );
  write('src/b.cjs', 'exports.add = (x, y) => x + y;');
  write('node_modules/dep/index.js', 'exports.id = function (x) { return x; };');
  write('bench.js', 'exports.run = function () { return 1; };');
  write('own/tool.js', 'exports.tool = function () { return 1; };');
  recorder = installRecorder();
  uninstall = installCompileHook({
    projectRoot: root,
    exclude: [join(root, 'bench.js')],
    ownDir: join(root, 'own'),
  });
});
afterAll(() => {
  uninstall();
  recorder.on = false;
  rmSync(root, { recursive: true, force: true });
});

describe('installCompileHook', () => {
  it("instruments the project's modules that require() loads, each once", () => {
    const a = require(join(root, 'src/a.js')) as Record<string, unknown>;
    const dep = require(join(root, 'node_modules/dep')) as Record<string, unknown>;
    const bench = require(join(root, 'bench.js')) as Record<string, unknown>;
    const tool = require(join(root, 'own/tool.js')) as Record<string, unknown>;
    recorder.reset();
    recorder.on = true;
    expect(fn(a, 'twice')(2)).toBe(4);
    expect(fn(a, 'twice')(3)).toBe(6);
    expect(fn(dep, 'id')(1) + fn(bench, 'run')() + fn(tool, 'tool')()).toBe(3);
    recorder.on = false;
    const called = recorder.snapshot().map((f) => [f.name, f.file, f.calls]);
    expect(called.sort()).toEqual([
      ['add', 'src/b.cjs', 2],
      ['twice', 'src/a.js', 2],
    ]);
  });

  it('instruments an ES module that require() loads (require(esm)), and the CommonJS it imports', () => {
    write(
      'src/esm.mjs',
      "import b from './b.cjs';\nexport function thrice(x) { return b.add(x, x + x); }",
    );
    const esm = require(join(root, 'src/esm.mjs')) as Record<string, unknown>;
    recorder.reset();
    recorder.on = true;
    expect(fn(esm, 'thrice')(2)).toBe(6);
    recorder.on = false;
    const called = recorder.snapshot().map((f) => [f.name, f.file, f.calls]);
    expect(called.sort()).toEqual([
      ['add', 'src/b.cjs', 1],
      ['thrice', 'src/esm.mjs', 1],
    ]);
  });

  it('instruments a .js of ES module syntax in a package that does not say its type', () => {
    write('untyped/package.json', '{}');
    const path = write('untyped/half.js', 'export function half(x) { return x / 2; }');
    const untyped = require(path) as Record<string, unknown>;
    recorder.reset();
    recorder.on = true;
    expect(fn(untyped, 'half')(8)).toBe(4);
    recorder.on = false;
    expect(recorder.snapshot().map((f) => [f.name, f.file, f.calls])).toEqual([
      ['half', 'untyped/half.js', 1],
    ]);
  });

  it('instruments nothing once uninstalled', () => {
    const size = recorder.size;
    uninstall();
    const c = require(write('src/c.js', 'exports.f = function () { return 1; };')) as Record<
      string,
      unknown
    >;
    expect(fn(c, 'f')()).toBe(1);
    expect(recorder.size).toBe(size);
  });
});
