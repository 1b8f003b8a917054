// Which modules the ES module hooks instrument, given what the next hook in Node's chain
// answers (Node 20's answers, see the comment at the top of src/profile/exact/loader.ts): ES
// modules, and the CommonJS modules Node compiles in its ES module loader; not the CommonJS
// modules it hands to the CommonJS loader (the compile hook instruments those), so none twice.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import type { LoadFnOutput, LoadHookContext, ResolveHookContext } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialize, load, resolve } from '../../src/profile/exact/loader.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'perfgate-exact-loader-')));
const SOURCE = 'exports.f = function () { return 1; };';

function write(file: string, source = SOURCE): string {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, source);
  return pathToFileURL(path).href;
}

/** The load hook's answer when the next hook answers `next` (no source: Node reads it later). */
async function loaded(url: string, next: LoadFnOutput): Promise<LoadFnOutput> {
  const context = { conditions: [], importAttributes: {} } as unknown as LoadHookContext;
  return load(url, context, async () => ({ ...next, shortCircuit: true }));
}

/** Resolves `url` as imported or required from `parentURL`. */
async function resolved(url: string, parentURL: string): Promise<void> {
  const context = {
    conditions: [],
    importAttributes: {},
    parentURL,
  } as unknown as ResolveHookContext;
  await resolve(url, context, async () => ({ url, shortCircuit: true }));
}

const instrumented = (output: LoadFnOutput) =>
  String(output.source).includes('__perfgate_r = globalThis');

beforeAll(async () => {
  await initialize({ projectRoot: root, exclude: [], ownDir: join(root, 'dist') });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the exact-calls load hook', () => {
  it('instruments an ES module of the project, not one of node_modules', async () => {
    const esm = await loaded(write('src/a.mjs', 'export function f() {}'), {
      format: 'module',
      source: 'export function f() {}',
    });
    expect(instrumented(esm)).toBe(true);
    const dependency = await loaded(write('node_modules/x/a.mjs', 'export function f() {}'), {
      format: 'module',
      source: 'export function f() {}',
    });
    expect(instrumented(dependency)).toBe(false);
  });

  it('leaves CommonJS without source to the CommonJS loader (and the compile hook)', async () => {
    const output = await loaded(write('src/imported.js'), { format: 'commonjs' });
    expect(output.source).toBeUndefined();
  });

  it('instruments CommonJS served with its source, and the CommonJS it requires', async () => {
    const cts = write('src/served.cts');
    const output = await loaded(cts, { format: 'commonjs', source: SOURCE });
    expect(instrumented(output)).toBe(true);
    // Node reads what served.cts requires from disk when no hook gives its source: given here.
    const child = write('src/required.js');
    await resolved(child, cts);
    const required = await loaded(child, { format: 'commonjs' });
    expect(instrumented(required)).toBe(true);
    // A dependency it requires stays as it is.
    const dependency = write('node_modules/dep/index.js');
    await resolved(dependency, cts);
    expect((await loaded(dependency, { format: 'commonjs' })).source).toBeUndefined();
  });
});
